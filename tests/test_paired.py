"tools/paired.py: two checkpoints compared on the same held-out records with a paired bootstrap."
import json, subprocess, sys
from conftest import ROOT, run_cli

def _paired(*args):
    return subprocess.run([sys.executable, str(ROOT/'tools'/'paired.py'), *map(str, args)], capture_output=True, text=True, timeout=600)

def _tiny_run(data, out, steps):
    r = run_cli('train', '--model', 'lstm', '--data', data, '--out', out, '--max-steps', steps, '--batch-size', '4', '--d-model', '16',
                '--n-layers', '1', '--eval-every', steps, '--quiet', '--device', 'cpu')
    assert r.returncode == 0, r.stderr

def test_mirrored_and_plain_builds_compare_paired_on_the_same_records(tmp_path):
    for name, extra in (('flip', ['--flip']), ('plain', []), ('other', ['--seed', '1'])):
        assert run_cli('build', '--n', '40', *extra, '--out', tmp_path/name, '--quiet', '--preview', '0').returncode == 0
    _tiny_run(tmp_path/'flip', tmp_path/'a', 4); _tiny_run(tmp_path/'plain', tmp_path/'b', 2); _tiny_run(tmp_path/'other', tmp_path/'c', 2)
    r = _paired('--a', tmp_path/'a'/'best', '--b', tmp_path/'b'/'best', '--names', 'mirrored', 'plain', '--split', 'validation', 'test',
                '--out', tmp_path/'cmp', '--quiet')
    assert r.returncode == 0, r.stderr
    rows = json.loads((tmp_path/'cmp'/'paired.json').read_text())['rows']
    assert [(x['split'], x['metric']) for x in rows] == [(s, m) for s in ('validation', 'test') for m in ('bits_per_byte', 'bits_per_pixel', 'bits_per_record')]
    for x in rows:                                   # the difference is of the two models' own scores, its interval around it
        assert abs(x['difference'] - (x['mirrored'] - x['plain'])) < 1e-9
        assert x['difference_ci'][0] <= x['difference'] <= x['difference_ci'][1] and 0 <= x['p'] <= 1
    md = (tmp_path/'cmp'/'paired.md').read_text()
    assert '| validation | bits_per_byte |' in md and (tmp_path/'cmp'/'paired.tex').read_text().startswith('\\begin{tabular}')
    same = _paired('--a', tmp_path/'b'/'best', '--b', tmp_path/'b'/'best', '--out', tmp_path/'self', '--quiet')
    assert same.returncode == 0, same.stderr         # a model against itself: no difference, no evidence of one
    assert all(x['difference'] == 0 and x['p'] == 1 for x in json.loads((tmp_path/'self'/'paired.json').read_text())['rows'])
    bad = _paired('--a', tmp_path/'a'/'best', '--b', tmp_path/'c'/'best', '--out', tmp_path/'bad', '--quiet')
    assert bad.returncode != 0 and 'different records' in bad.stderr and not (tmp_path/'bad'/'paired.json').exists()
