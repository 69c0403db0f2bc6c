"The experiment grids: run names identify runs, and every comparison has its reference inside its grid."
import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
spec = importlib.util.spec_from_file_location('experiments', ROOT/'tools'/'experiments.py')
ex = importlib.util.module_from_spec(spec); spec.loader.exec_module(ex)

def test_run_names_are_unique_and_distinguish_seeds():
    for grid, configs in ex.GRIDS.items():
        names = [ex.run_name(dict(c, seed=s)) for c in configs for s in (0, 1)]
        assert len(set(names)) == len(names), f'{grid}: two runs share a name'

def test_same_settings_give_the_same_run_across_grids():
    # the reference Transformer is one run, reused by the backbones, embeddings and layouts grids (never trained twice)
    names = {g: {ex.run_name(dict(c, seed=0)) for c in cs} for g, cs in ex.GRIDS.items()}
    for grid, ref in ex.REFERENCE.items():
        assert f'{ref}-s0' in names[grid], f'{grid}: reference {ref} is not one of its runs'
    assert len({ex.REFERENCE[g] for g in ('backbones', 'embeddings', 'layouts')}) == 1

def test_grid_runs_differ_only_in_what_they_compare():
    keys = lambda grid: {k for c in ex.GRIDS[grid] for k, v in c.items() if any(o.get(k) != v for o in ex.GRIDS[grid])}
    assert keys('embeddings') <= {'embed', 'k'} and keys('layouts') <= {'layouts'}
    assert keys('backbones') <= {'backbone', 'd_model', 'n_layers'}
