"tools/paired.py (two checkpoints compared on the same held-out records, paired bootstrap), tools/caption_forms.py (entry against flavour captions, paired by species) and tools/results_page.py (a run's book page)."
import json, shutil, subprocess, sys
from conftest import ROOT, run_cli, sprite_folder, pokedex_folder

def _tool(name, *args):
    return subprocess.run([sys.executable, str(ROOT/'tools'/name), *map(str, args)], capture_output=True, text=True, timeout=600)

def _paired(*args): return _tool('paired.py', *args)

def _tiny_run(data, out, steps):
    r = run_cli('train', '--model', 'lstm', '--data', data, '--out', out, '--max-steps', steps, '--batch-size', '4', '--d-model', '16',
                '--n-layers', '1', '--eval-every', steps, '--quiet', '--device', 'cpu')
    assert r.returncode == 0, r.stderr

def test_mirrored_and_plain_builds_compare_paired_on_the_same_records(tmp_path):
    sprites = sprite_folder(tmp_path/'sprites', 100)      # named sprites, split by species (flipping a toy set is refused)
    for name, extra in (('flip', ['--flip']), ('plain', []), ('other', ['--seed', '1'])):
        assert run_cli('build', '--source', 'folder', '--path', sprites, *extra, '--out', tmp_path/name, '--quiet', '--preview', '0').returncode == 0
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
    mine = tmp_path/'mine'; mine.mkdir(); (mine/'paired.md').write_text('my notes')
    refused = _paired('--a', tmp_path/'a'/'best', '--b', tmp_path/'b'/'best', '--out', mine, '--quiet')
    assert refused.returncode != 0 and 'mine' in refused.stderr and (mine/'paired.md').read_text() == 'my notes'   # a folder of the user's: refused, untouched
    bad = _paired('--a', tmp_path/'a'/'best', '--b', tmp_path/'c'/'best', '--out', tmp_path/'bad', '--quiet')
    assert bad.returncode != 0 and 'different records' in bad.stderr and not (tmp_path/'bad'/'paired.json').exists()

def test_results_page_reads_the_run_and_checks_targets_on_intervals(tmp_path):
    assert run_cli('build', '--n', '100', '--out', tmp_path/'toy', '--quiet', '--preview', '0').returncode == 0
    _tiny_run(tmp_path/'toy', tmp_path/'run', 3)
    r = run_cli('evaluate', '--checkpoint', tmp_path/'run'/'best', '--metrics', 'bits', 'information', '--n-retrieval', '4',
                '--quiet', '--device', 'cpu', '--out', tmp_path/'eval')
    assert r.returncode == 0, r.stderr
    r = _tool('results_page.py', '--run', tmp_path/'run', '--eval', tmp_path/'eval', '--seconds', 'train=90', 'evaluate=30',
              '--target', 'bits_per_byte<=1000', 'bits_per_pixel<=0.0001', 'retrieval_top5>=chance_top5', '--title', 'Tiny', '--out', tmp_path/'page.md')
    assert r.returncode == 0, r.stderr
    page = (tmp_path/'page.md').read_text()
    tf = json.loads((tmp_path/'eval'/'teacher_forced.json').read_text())
    model = next(x for x in tf if x['model'].startswith('lstm'))
    assert f"{model['bits_per_byte']:.3f}" in page and 'wall clock: train 1.5 min, evaluate 0.5 min; total 2.0 min' in page
    lines = [l for l in page.splitlines() if l.startswith('- ') and 'target' in l]
    assert any('`bits_per_byte`' in l and l.endswith('**met, whole interval**') for l in lines)   # a tiny model is far below 1000 bits/byte
    assert any('`bits_per_pixel`' in l and l.endswith('**not met**') for l in lines)     # and nowhere near 0.0001 bits/pixel
    assert sum('`retrieval_top5`' in l for l in lines) == 2 and not any('unigram' in l for l in lines)   # both directions, no baselines
    assert '(no table:' in page                                                            # no generation was run: said, not failed

def test_budget_page_scores_finished_settings_on_validation(tmp_path):
    out = tmp_path/'budget'                          # tools/budget.py's layout: data-<share>-<order>, runs/<setting>/run, demo/data, …
    data = out/'data-0.4-random'                     # the width lever changes the demo before: random clause order
    assert run_cli('build', '--n', '60', '--clause-order', 'random', '--out', data, '--quiet', '--preview', '0').returncode == 0
    assert run_cli('build', '--n', '60', '--out', out/'demo'/'data', '--quiet', '--preview', '0').returncode == 0   # the demo's: its split sizes
    _tiny_run(data, out/'runs'/'width192'/'run', 3)
    r = _tool('budget.py', '--report-only', '--out', out, '--results', tmp_path/'res')
    assert r.returncode == 0, r.stderr
    rows = json.loads((tmp_path/'res'/'budget.json').read_text())
    assert [(x['setting'], x['change'], x['steps']) for x in rows] == [('width192', 'width 192 (instead of 128)', 3)]     # only the finished one, nothing trained
    evs = json.loads((out/'runs'/'width192'/'eval-validation'/'generation.json').read_text())
    ev = [x for x in evs if x['subset'] == 'all'][-1]
    assert ev['split'] == 'validation' and rows[0]['t2i_exact'] == ev['t2i_exact']                 # chosen on validation, never test
    assert rows[0]['bits_per_byte_ci'][0] <= rows[0]['bits_per_byte'] <= rows[0]['bits_per_byte_ci'][1]
    for kind, sub in rows[0]['subsets'].items():      # one shape and two shapes apart, as the evaluation scored them
        assert sub['t2i_exact'] == next(x for x in evs if x['subset'] == kind)['t2i_exact']
    assert rows[0]['t2i_exact_by_shapes'].count(' / ') == 1
    splits = json.loads((tmp_path/'res'/'splits.json').read_text())
    assert list(splits['splits']) == ['train', 'validation', 'test', 'systematic'] and splits['systematic_pairs']
    page = (tmp_path/'res'/'README.md').read_text()
    row = next(l for l in page.splitlines() if l.startswith('| width 192 (instead of 128) |'))
    assert row.split(' | ')[2] == '3'                 # its steps
    assert 'The demo, five minutes' not in page                                       # no demo run: no test section
    shutil.rmtree(out/'runs'/'width192')             # its outputs gone (another clone): the row is gathered from the results, not lost
    r = _tool('budget.py', '--report-only', '--out', out, '--results', tmp_path/'res')
    assert r.returncode == 0, r.stderr
    assert json.loads((tmp_path/'res'/'budget.json').read_text()) == rows and row in (tmp_path/'res'/'README.md').read_text()

def test_entry_and_flavour_runs_compare_paired_by_species_and_the_page_checks_attribute_targets(tmp_path):
    src = pokedex_folder(tmp_path/'dex', 40)
    for form in ('entry', 'flavour'):
        r = run_cli('build', '--source', 'folder', '--path', src, '--caption-form', form, '--size', '8', '--out', tmp_path/f'data-{form}', '--quiet', '--preview', '0')
        assert r.returncode == 0, r.stderr
        _tiny_run(tmp_path/f'data-{form}', tmp_path/form, 3)
        metrics = ['bits', 'chrf', 'ssim', 'information'] + (['attributes'] if form == 'entry' else [])
        r = run_cli('evaluate', '--checkpoint', tmp_path/form/'best', '--metrics', *metrics, '--n', '3', '--n-retrieval', '1000', '--quiet',
                    '--device', 'cpu', '--out', tmp_path/form/'eval-best')
        assert r.returncode == 0, r.stderr
    info = json.loads((tmp_path/'entry'/'eval-best'/'information.json').read_text())
    assert all(x['retrieval_pool'] == x['n'] for x in info)                  # every test species ranked
    r = _tool('caption_forms.py', '--entry', tmp_path/'entry', '--flavour', tmp_path/'flavour', '--n', '3', '--out', tmp_path/'cmp')
    assert r.returncode == 0, r.stderr
    rows = {x['measure']: x for x in json.loads((tmp_path/'cmp'/'caption_forms.json').read_text())['rows']}
    flavour = rows['bits per byte, flavour text']
    assert abs(flavour['difference'] - (flavour['a'] - flavour['b'])) < 1e-9 and flavour['difference_ci'][0] <= flavour['difference'] <= flavour['difference_ci'][1]
    assert rows['bits per byte, entry']['a'] > 0 and rows['bits per byte, entry']['b'] is None      # the flavour run has no entry
    drawn = rows['drawn sprites of the named colour (first 3)']
    assert 0 <= drawn['a'] <= 1 and 0 <= drawn['b'] <= 1 and '| bits per pixel |' in (tmp_path/'cmp'/'README.md').read_text()
    same = _tool('caption_forms.py', '--entry', tmp_path/'entry', '--flavour', tmp_path/'entry', '--n', '3', '--out', tmp_path/'self')
    assert same.returncode == 0, same.stderr                                  # a run against itself: no difference
    assert all(x.get('difference', 0) == 0 for x in json.loads((tmp_path/'self'/'caption_forms.json').read_text())['rows'])
    r = _tool('results_page.py', '--run', tmp_path/'entry', '--eval', tmp_path/'entry'/'eval-best', '--title', 'Tiny', '--out', tmp_path/'page.md',
              '--target', 'image→text colour:accuracy>=0', 'text→image colour:accuracy>=2*baseline', 'text→image:specificity_bits>=-1000')
    assert r.returncode == 0, r.stderr
    page = (tmp_path/'page.md').read_text()
    lines = [l for l in page.splitlines() if l.startswith('- ') and 'target' in l]
    assert len(lines) == 3 and lines[0].startswith('- image→text colour: `accuracy`') and lines[0].endswith('**met, whole interval**')
    assert '>= 2*baseline (' in lines[1] and lines[2].startswith('- text→image: `specificity_bits`')      # the bound read from the row, doubled
    assert '## Pokédex attributes' in page and 'colour_swap.png' in page
    mine = tmp_path/'mine'; mine.mkdir(); (mine/'README.md').write_text('my notes')
    refused = _tool('caption_forms.py', '--entry', tmp_path/'entry', '--flavour', tmp_path/'flavour', '--out', mine)
    assert refused.returncode != 0 and 'mine' in refused.stderr and (mine/'README.md').read_text() == 'my notes'   # a folder of the user's: refused, untouched
    bad = _tool('caption_forms.py', '--entry', tmp_path/'flavour', '--flavour', tmp_path/'entry', '--out', tmp_path/'bad')
    assert bad.returncode != 0 and 'attributes_records.json: not found' in bad.stderr and not (tmp_path/'bad').exists()   # the runs swapped
