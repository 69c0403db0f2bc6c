"The evaluation protocol: held-out records are scored the same way whatever the model was trained with."
import json, shutil, sys
from conftest import ROOT, run_cli


def test_scores_do_not_depend_on_the_training_seed_or_mix(tmp_path):
    assert run_cli('build', '--n', '120', '--out', tmp_path/'toy', '--quiet', '--preview', '0').returncode == 0
    r = run_cli('train', '--model', 'lstm', '--data', tmp_path/'toy', '--out', tmp_path/'run', '--max-steps', '2', '--batch-size', '4',
                '--d-model', '16', '--n-layers', '1', '--device', 'cpu', '--quiet')
    assert r.returncode == 0, r.stderr
    other = tmp_path/'other'; shutil.copytree(tmp_path/'run'/'best', other)      # the same weights, another seed and mix on record
    cfg = json.loads((other/'config.json').read_text())
    cfg['train'].update(seed=cfg['train']['seed'] + 1, layouts='text2image')
    (other/'config.json').write_text(json.dumps(cfg))
    tables = []
    for ck, out in ((tmp_path/'run'/'best', tmp_path/'e1'), (other, tmp_path/'e2')):
        r = run_cli('evaluate', '--checkpoint', ck, '--out', out, '--quiet', '--metrics', 'bits', 'accuracy', 'f1')
        assert r.returncode == 0, r.stderr
        tables.append(json.loads((out/'teacher_forced.json').read_text()))
    assert tables[0] == tables[1]
    assert all(row['split'] == 'test' for row in tables[0])
    n_test = json.loads((tmp_path/'toy'/'build_report.json').read_text())['splits']['test']     # one record per composition
    model = [row for row in tables[0] if row['subset'] == 'all'][-1]
    assert model['records'] == n_test and model['model'].startswith('lstm')
    parts = [row for row in tables[0] if row['model'] == model['model'] and row['subset'] != 'all']   # toy: one and two shapes apart
    assert sum(row['records'] for row in parts) == n_test


def test_per_record_scores_allow_paired_tests(tmp_path):
    "evaluate keeps each record's sums (records.json): a paired difference between two rows equals the gap in the table."
    sys.path.insert(0, str(ROOT))
    from pixelbytes.evaluate import paired_difference
    assert run_cli('build', '--n', '120', '--out', tmp_path/'toy', '--quiet', '--preview', '0').returncode == 0
    r = run_cli('train', '--model', 'lstm', '--data', tmp_path/'toy', '--out', tmp_path/'run', '--max-steps', '3', '--batch-size', '4',
                '--d-model', '16', '--n-layers', '1', '--device', 'cpu', '--quiet')
    assert r.returncode == 0, r.stderr
    r = run_cli('evaluate', '--checkpoint', tmp_path/'run'/'best', '--out', tmp_path/'ev', '--quiet', '--metrics', 'bits')
    assert r.returncode == 0, r.stderr
    rows = {row['model']: row for row in json.loads((tmp_path/'ev'/'teacher_forced.json').read_text()) if row['subset'] == 'all'}
    rec = json.loads((tmp_path/'ev'/'records.json').read_text())
    assert rec['split'] == 'test' and set(rec['scores']) == set(rows)
    model, uni = next(m for m in rows if m.startswith('lstm')), 'unigram (bytes / colours)'
    for metric in ('bits_per_byte', 'bits_per_pixel', 'bits_per_record'):
        d = paired_difference(rec['scores'][model], rec['scores'][uni], metric)
        assert abs(d['difference'] - (rows[model][metric] - rows[uni][metric])) < 1e-9
        assert d['ci'][0] <= d['difference'] <= d['ci'][1] and 0 <= d['p'] <= 1 and d['records'] == rec['records']
