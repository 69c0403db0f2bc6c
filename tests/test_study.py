"tools/study.py: the backbones compared at equal CPU time (sizes matched, rates chosen on validation, seeds), its runner and its statistics."
import fcntl, json, os, subprocess, sys
import numpy as np, pytest
from conftest import ROOT

sys.path.insert(0, str(ROOT/'tools'))
import study, study_report, study_figures                        # noqa: E402


def test_sizes_are_matched_within_ten_percent_across_backbones():
    for size, target in study.SIZES.items():
        counts = {b: study.count_parameters(study.model_config('toy', b, study.width_for('toy', b, target))) for b in study.BACKBONES}
        assert max(counts.values()) <= 1.1 * min(counts.values()), (size, counts)
        assert all(abs(n - target) <= 0.1 * target for n in counts.values()), (size, counts)


def _row(spec, **metrics):
    return {'name': spec.name, 'data': spec.data, 'backbone': spec.backbone, 'size': spec.size, 'lr': spec.lr, 'seed': spec.seed, **metrics}


def test_plan_tries_the_rates_first_then_runs_the_grid_at_each_backbones_chosen_rate():
    first = study.plan('toy', {})
    assert first == [study.Spec('toy', b, 'middle', lr, 0) for b in study.BACKBONES for lr in study.LRS]   # nothing chosen yet
    bits = {(b, lr): 10 + i + (0 if lr == study.LRS[i % len(study.LRS)] else 5) for i, b in enumerate(study.BACKBONES) for lr in study.LRS}
    rows = {s.name: _row(s, val_bits_per_record=bits[s.backbone, s.lr]) for s in first}
    # a backbone whose best rate is at an edge tries one beyond it (half the lowest, twice the highest) before its rate is chosen
    beyond = {b: {0: min(study.LRS) / 2, 2: max(study.LRS) * 2}.get(i % 3) for i, b in enumerate(study.BACKBONES)}
    assert [s for s in study.plan('toy', rows) if s not in first and study.stage_of(s) == 'lr'] == \
        [study.Spec('toy', b, 'middle', lr, 0) for b, lr in beyond.items() if lr]
    assert study.chosen_rates('toy', rows) == {b: study.LRS[1] for b, lr in beyond.items() if not lr}
    rows.update({study.Spec('toy', b, 'middle', lr, 0).name: _row(study.Spec('toy', b, 'middle', lr, 0), val_bits_per_record=99.0)
                 for b, lr in beyond.items() if lr})                  # worse beyond the edge: the edge is chosen
    chosen = study.chosen_rates('toy', rows)
    assert chosen == {b: study.LRS[i % len(study.LRS)] for i, b in enumerate(study.BACKBONES)}
    first = study.plan('toy', {}) + [study.Spec('toy', b, 'middle', lr, 0) for b, lr in beyond.items() if lr]
    plan = study.plan('toy', rows)
    assert len(plan) == len(set(plan))                                # the chosen rate's seed-0 run is the rates' own, not run twice
    grid = [s for s in plan if s not in first]
    for b in study.BACKBONES:
        for size, seeds in study.SEEDS['toy'].items():
            got = sorted(s.seed for s in plan if (s.backbone, s.size, s.lr) == (b, size, chosen[b]))
            assert got == sorted(seeds), (b, size, got)
    assert all(s.lr == chosen[s.backbone] for s in grid)
    assert study.spec_named(grid[0].name) == grid[0]


def test_t_interval_covers_training_noise_as_student_t_over_seeds():
    from scipy import stats
    v = [1.0, 2.0, 4.0]
    lo, hi = study_report.t_interval(v)
    h = stats.t.ppf(0.975, 2) * np.std(v, ddof=1) / np.sqrt(3)
    assert abs(lo - (np.mean(v) - h)) < 1e-12 and abs(hi - (np.mean(v) + h)) < 1e-12
    assert study_report.t_interval([3.0]) is None                      # one seed: no interval over seeds


def test_a_difference_is_claimed_only_when_its_interval_over_seeds_excludes_zero():
    rows = []
    for seed, (a, b, c) in enumerate([(10.0, 12.0, 10.5), (10.2, 12.1, 9.6), (9.9, 11.8, 10.1)]):
        for backbone, v in zip(study.BACKBONES, (a, b, c)):
            rows.append({'name': f'toy-{backbone}-middle-lr0.001-s{seed}', 'data': 'toy', 'split': 'test', 'backbone': backbone, 'size': 'middle',
                         'seed': seed, 'grid': True, 'bits_per_record': v})
    d = {(x['a'], x['b']): x for x in study_report.differences(rows) if x['measure'] == 'bits_per_record'}
    lt, lm = d[study.BACKBONES[0], study.BACKBONES[1]], d[study.BACKBONES[0], study.BACKBONES[2]]
    assert lt['claimed'] and lt['ci_seeds'][1] < 0 and lt['n_seeds'] == 3 and abs(lt['difference'] - (-1.9333333)) < 1e-6
    assert not lm['claimed'] and lm['ci_seeds'][0] < 0 < lm['ci_seeds'][1]
    text = study_figures.verdict(study_report.differences(rows), 'toy', 'test', 'bits_per_record', 'middle')
    assert text.startswith(f'{study_figures.NAMES[study.BACKBONES[0]]} over {study_figures.NAMES[study.BACKBONES[1]]}')
    assert study_figures.NAMES[study.BACKBONES[2]] not in text.split(';')[0].split('(')[0]


TINY = {'TRAIN_SECONDS': {'toy': 2, 'pokemon': 2}, 'SIZES': {'small': 20_000, 'middle': 40_000}, 'MATCH': 0.3, 'LRS': [1e-3, 3e-3],
        'SEEDS': {'toy': {'small': [0], 'middle': [0, 1]}, 'pokemon': {'middle': [0]}}, 'TOY_N': 300, 'BACKBONES': ['lstm', 'transformer'],
        'MINUTES': {'toy': [0.05]}, 'CALIBRATION': {'rounds': 1, 'seconds': {'toy': 0.3, 'pokemon': 0.3}},
        'TOY_EVAL': {'n': 4, 'n_retrieval': 4, 'sampling': {'temperature': 0.0}, 'guidance': [1.0]}}


def _study(tmp_path, *args):
    env = {**os.environ, 'PIXELBYTES_STUDY': json.dumps({**TINY, 'OUT': str(tmp_path/'out'), 'RESULTS': str(tmp_path/'results')}),
           'OMP_NUM_THREADS': '1', 'MPLBACKEND': 'Agg'}
    return subprocess.run([sys.executable, str(ROOT/'tools'/'study.py'), *args], capture_output=True, text=True, timeout=900, env=env, cwd=ROOT)


def test_a_tiny_study_runs_resumes_and_gathers_runs_and_summary(tmp_path):
    r = _study(tmp_path, 'run', '--data', 'toy')
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    runs = tmp_path/'out'/'runs'
    # 2 backbones × 2 rates and one beyond the edge, then middle seed 1 and small seed 0 at the chosen rates, then each at its best size for 3 s
    assert len(list(runs.glob('*/row.json'))) == 12
    assert len(list(runs.glob('*-m0.05/row.json'))) == 2
    r = _study(tmp_path, 'report')
    assert r.returncode == 0, r.stderr[-3000:]
    res = tmp_path/'results'
    rows = json.loads((res/'runs.json').read_text())
    for row in rows:                             # every run's cost and validation; test figures for the grid's (not a rate's trial)
        for k in ('data', 'backbone', 'size', 'params', 'seed', 'lr', 'seconds', 'tokens', 'steps', 'split', 'val_bits_per_record'):
            assert row.get(k) is not None, (k, row['name'])
        trial = row['size'] == 'middle' and row['seed'] == 0 and abs(row['minutes'] * 60 - TINY['TRAIN_SECONDS']['toy']) < 1e-9 and not row['grid']
        assert (row.get('bits_per_record') is None) == trial, row['name']
        assert row['seconds'] <= 2 * row['minutes'] * 60 + 5 and row['tokens'] > 0
    assert {r_['split'] for r_ in rows} <= {'test', 'systematic'} and len([r_ for r_ in rows if r_['split'] == 'test']) == 12
    summary = json.loads((res/'summary.json').read_text())
    middle = [s for s in summary if s['split'] == 'test' and s['size'] == 'middle' and s['n_seeds'] == 2]
    assert len(middle) == 2                                          # each backbone at its chosen rate, two seeds
    calibration = json.loads((res/'calibration-toy.json').read_text())['configurations']
    for s in middle:                                                 # every seed of a configuration takes the steps its calibrated pace fits
        steps = {r_['steps'] for r_ in rows if r_['grid'] and (r_['backbone'], r_['size']) == (s['backbone'], 'middle')}
        assert len(steps) == 1 and calibration[f"{s['backbone']}-middle"]['seconds_per_step'] > 0, steps
    for s in middle:
        m = s['bits_per_record']; lo, hi = m['ci_seeds']
        seeds = [r_['bits_per_record'] for r_ in rows if r_['split'] == 'test' and r_['grid'] and (r_['backbone'], r_['size']) == (s['backbone'], 'middle')]
        assert len(seeds) == 2 and all(r_['lr'] == s['lr'] for r_ in rows if r_['grid'] and r_['backbone'] == s['backbone'])
        assert abs(m['mean'] - np.mean(seeds)) < 1e-9 and lo <= m['mean'] <= hi
        assert m['ci_records'][0] <= m['mean'] <= m['ci_records'][1]
    base = [s for s in summary if s['n_seeds'] == 0 and s['split'] == 'test']
    assert any('context counts' in s['model'] for s in base) and any('gram' in s['model'] for s in base)
    rates = json.loads((res/'rates.json').read_text())
    for x in rates:                                                  # the chosen rate has the fewest validation bits
        tried = {float(k[3:]): v for k, v in x.items() if k.startswith('lr ')}
        assert x['chosen'] == min(tried, key=tried.get)
    assert (res/'README.md').exists() and (res/'macros.tex').read_text().startswith('\\newcommand')
    # a clone without the runs gathers the rows the results keep: the same runs.json
    (runs).rename(tmp_path/'elsewhere')
    assert _study(tmp_path, 'report').returncode == 0 and json.loads((res/'runs.json').read_text()) == rows
    (tmp_path/'elsewhere').rename(runs)
    # a scored run whose test scores are lost is scored again, not trained again; everything else is skipped
    name = next(p.name for p in sorted(runs.iterdir()) if p.name.endswith('-s1'))
    metrics = (runs/name/'run'/'metrics.jsonl').stat().st_mtime_ns
    import shutil; shutil.rmtree(runs/name/'eval-test'); (runs/name/'row.json').unlink()
    r = _study(tmp_path, 'run', '--data', 'toy')
    assert r.returncode == 0 and (runs/name/'row.json').exists() and (runs/name/'run'/'metrics.jsonl').stat().st_mtime_ns == metrics, r.stderr[-2000:]
    assert r.stdout.count('planned runs left') == 1


def test_one_runner_at_a_time(tmp_path):
    (tmp_path/'out').mkdir()
    with open(tmp_path/'out'/'runner.lock', 'w') as held:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        r = _study(tmp_path, 'run', '--data', 'toy')
    assert r.returncode != 0 and 'another study runner' in r.stderr and not (tmp_path/'out'/'runs').exists()
