"Building the real Pokémon research data with the CLI (skipped where ../shared/data is absent)."
import json
import numpy as np
import datasets
from conftest import run_cli

def test_build_pokemon_all_species_within_size_and_palette(pokemon_dir, tmp_path):
    r = run_cli('build', '--source', 'folder', '--path', pokemon_dir, '--palette', 'nes', '--size', '20', '--out', tmp_path/'pk', '--quiet')
    assert r.returncode == 0, r.stderr
    dsd = datasets.load_from_disk(str(tmp_path/'pk'/'hf'))
    rows = datasets.concatenate_datasets(list(dsd.values()))
    assert len(set(rows['species'])) == 922
    assert max(max(h, w) for h, w in zip(rows['height'], rows['width'])) == 20
    assert all(0 <= min(min(r) for r in px) and max(max(r) for r in px) < 55 for px in rows['pixels'])
    split_species = [set(s['species']) for s in dsd.values()]
    assert not (split_species[0] & split_species[1]) and not (split_species[0] & split_species[2]) and not (split_species[1] & split_species[2])

def test_french_build_reports_missing_captions(pokemon_dir, tmp_path):
    r = run_cli('build', '--source', 'folder', '--path', pokemon_dir, '--lang', 'fr', '--out', tmp_path/'fr', '--quiet', '--preview', '0')
    assert r.returncode == 0, r.stderr
    rep = json.loads((tmp_path/'fr'/'build_report.json').read_text())
    assert rep['n_skipped'] > 0 and all('empty caption' in s for s in rep['skipped'])
    assert rep['n_kept'] + rep['n_skipped'] == 922
