"""What the demo's five minutes buy on this machine: the demo's settings one change at a time at equal wall time (scored on
the validation split), the demo itself (its step count fitted to five minutes) on the test split, and each target against
the demo's wall time, with the setting and time at which the toy set is essentially solved.

    python tools/budget.py                 # about 2 hours on 2 CPU cores from nothing; finished runs are kept
    python tools/budget.py --report-only   # only gather the finished runs

Writes results/toy-budget/: budget.{csv,json,tex} (the comparison), seeds.{csv,json,tex} (the learning rate over three
seeds), curve.{csv,json,tex}, the demo's tables and figures, and README.md (the book's page). Only validation figures
choose; the test split is read by the demo runs. A finished run's row is kept in results/toy-budget/*.json, so a run whose
outputs are gone (another clone) is gathered from there, with the machine it ran on, instead of being trained again.
"""
import argparse, json, shutil, subprocess, sys, time
import numpy as np
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT)); sys.path.insert(0, str(ROOT/'tools'))
from pixelbytes.cli import DEMO, make_parser                                   # noqa: E402
from results_page import machine                                               # noqa: E402

# each a change to the demo's settings (DEMO in pixelbytes.cli), trained for the time the demo's five minutes leave it
# (the demo's learning rate was 3e-3 until the seeds below chose 1.5e-3: the changes measured against it keep its rate)
BEFORE = {'lr': 3e-3}
SETTINGS = {'demo': ('the demo', {}),
            'lr3e-3': ('learning rate 3e-3 (the demo before)', BEFORE),
            'uncond': ('15% of records without a partner', {**BEFORE, 'uncond': 0.15}),
            'batch8': ('batch 8', {**BEFORE, 'batch_size': 8}),
            'heads4': ('4 attention heads of 32', {**BEFORE, 'n_heads': 4}),
            'best4': ('best of 4, both ways (its evaluation paid from training time)', {**BEFORE, 'best_of': 4}),
            **{f'{name}-seed{s}': (f'{label}, seed {s}', {**change, 'seed': s}) for s in (1, 2)
               for name, label, change in (('demo', 'the demo', {}), ('lr3e-3', 'learning rate 3e-3 (the demo before)', BEFORE))}}
SEEDED = ('demo', 'lr3e-3')    # a change and what it is compared with, paired by seed (seed 0: the rows above)
SEED_KEYS = ('bits_per_record', 't2i_pixel_accuracy', 't2i_exact', 'caption_exact_any_order')   # compared seed by seed
# the demo given more minutes (and a larger batch), at its learning rate and at the one before: each target against the
# demo's wall time on this machine, as (minutes, batch, learning rate)
LONGER = ((10, DEMO['batch_size'], DEMO['lr']), (30, 16, DEMO['lr']),
          (5, DEMO['batch_size'], BEFORE['lr']), (10, DEMO['batch_size'], BEFORE['lr']), (20, DEMO['batch_size'], BEFORE['lr']), (40, 16, BEFORE['lr']))
TARGETS = {'t2i_pixel_accuracy': 0.95, 't2i_exact': 0.5, 'caption_exact_any_order': 0.8}     # the demo's targets (issue 13)
SOLVED = {'t2i_exact': 0.9, 'caption_exact_any_order': 0.95}                                 # "essentially solved"
GENERATED = make_parser().parse_args(['demo', '--out', '-']).samples     # validation records generated from: as many as the demo's test


def score_validation(ckpt:Path, ev:Path, best_of:int) -> tuple[dict, dict]:
    "Teacher-forced bits on the whole validation split (both directions) and greedy generation on its first records."
    if not (ev/'generation.json').exists():
        subprocess.run([sys.executable, '-m', 'pixelbytes', 'evaluate', '--checkpoint', str(ckpt), '--split', 'validation', '--metrics', 'bits', 'chrf', 'ssim',
                        '--n', str(GENERATED), '--best-of', str(best_of), '--temperature', '0', '--no-baselines', '--device', 'cpu', '--batch-size', '64',
                        '--out', str(ev), '--quiet'], check=True, cwd=ROOT)
    return json.loads((ev/'teacher_forced.json').read_text())[-1], json.loads((ev/'generation.json').read_text())[-1]


def train_one(name:str, data:Path, runs:Path, seconds:float):
    "Train one setting (in its own process: `--one NAME`)."
    from pixelbytes.cli import demo_configs
    from pixelbytes.train import train
    mcfg, tcfg = demo_configs(data, runs/name/'run', seconds, progress=False, **SETTINGS[name][1])
    train(mcfg, tcfg)


def kept_rows(path:Path, key) -> dict:
    "Rows an earlier run of this tool wrote to `path` (a results table's JSON), by `key(row)`."
    return {key(r): r for r in json.loads(path.read_text())} if path.exists() else {}


def setting_row(name:str, data:Path, runs:Path, seconds:float, report_only:bool, kept:dict) -> dict|None:
    "One setting's validation figures; a row kept from an earlier run when its outputs are gone."
    run = runs/name/'run'
    if not (run/'best'/'config.json').exists():
        if name in kept: return kept[name]
        if report_only: return None
        print(f'{name}: training for {seconds / 60:.2f} minutes…', flush=True)
        subprocess.run([sys.executable, __file__, '--one', name, '--seconds', str(seconds), '--out', str(data.parent)], check=True, cwd=ROOT)
    settings = {**DEMO, **SETTINGS[name][1]}
    tf, g = score_validation(run/'best', runs/name/'eval-validation', settings['best_of'])
    cfg = json.loads((run/'best'/'config.json').read_text())
    return {'change': SETTINGS[name][0], 'setting': name, 'lr': settings['lr'], 'steps': cfg['step'], 'best_of': settings['best_of'], 'machine': machine(),
            **{k: tf[k] for k in ('bits_per_record', 'bits_per_record_ci', 'bits_per_byte', 'bits_per_byte_ci', 'bits_per_pixel', 'bits_per_pixel_ci')},
            **{k: g[k] for k in g if k.startswith(('t2i_', 'caption_'))}}


def short_machine(name:str) -> str:
    "A machine's name as a table shows it: its processor, and AMX where it has it (what sets its bf16 pace)."
    return name.split(',')[0].replace('(R)', '') + (' (AMX)' if 'amx' in name else '')


def seed_rows(rows:list[dict]) -> list[dict]:
    "The change in SEEDED against the demo, seed by seed (validation bits per record and generation), and their mean difference."
    by = {r['setting']: r for r in rows}; change, base = SEEDED
    name = lambda setting, s: setting if s == 0 else f'{setting}-seed{s}'
    out = [{'seed': s, **{f'{k}_{side}': by[name(st, s)][k] for k in SEED_KEYS for side, st in (('change', change), ('base', base))}}
           for s in (0, 1, 2) if name(change, s) in by and name(base, s) in by]
    for r in out: r.update({f'{k}_difference': r[f'{k}_change'] - r[f'{k}_base'] for k in SEED_KEYS})
    return out


def mean_with_t_interval(v) -> tuple[float, list[float]]:
    "Mean of a few seeds' values and its 95% Student-t interval (the seeds are the only replication)."
    from scipy import stats
    v = np.asarray(v, float); h = stats.t.ppf(0.975, len(v) - 1) * v.std(ddof=1) / np.sqrt(len(v))
    return float(v.mean()), [float(v.mean() - h), float(v.mean() + h)]


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--out', default='outputs/budget', help='runs and data (default: outputs/budget)')
    ap.add_argument('--results', default='results/toy-budget', help='tables, figures and page (default: results/toy-budget)')
    ap.add_argument('--report-only', action='store_true', help='only gather finished runs')
    ap.add_argument('--one', default=None, help=argparse.SUPPRESS)           # train one setting, in its own process
    ap.add_argument('--seconds', type=float, default=None, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    from pixelbytes.cli import main as cli
    from pixelbytes.evaluate import save_table, markdown_table, GENERATION_COLUMNS, INFORMATION_COLUMNS
    from results_page import check
    out, res = ROOT/args.out, ROOT/args.results
    data, runs, demo = out/'data', out/'runs', out/'demo'
    if args.one: return train_one(args.one, data, runs, args.seconds)
    res.mkdir(parents=True, exist_ok=True)
    if not (data/'hf').exists() and not args.report_only:
        assert cli(['build', '--source', 'toy', '--n', '4000', '--out', str(data), '--quiet', '--preview', '0']) == 0
    # the demo, then with --minutes M, --batch-size B and --learning-rate LR; the demo first: it times the settings' training
    demos = [(DEMO['minutes'], DEMO['batch_size'], DEMO['lr'], demo)] + \
            [(m, b, lr, out/(f'demo-{m:g}min' + ('' if b == DEMO['batch_size'] else f'-b{b}') + ('' if lr == DEMO['lr'] else f'-lr{lr:g}')))
             for m, b, lr in LONGER]
    kept_curve = kept_rows(res/'curve.json', lambda r: (r['minutes'], r['batch_size'], r['lr']))
    curve, seconds = [], None
    for m, b, lr, d in demos:
        if not (d/'seconds.json').exists():
            if (m, b, lr) in kept_curve and (d != demo or args.report_only):   # the demo itself is rerun: it times the settings' training
                curve.append(kept_curve[m, b, lr]); continue
            if args.report_only: continue
            t = time.perf_counter()
            assert cli(['demo', '--out', str(d), '--quiet', '--minutes', f'{m:g}', '--batch-size', str(b), '--learning-rate', f'{lr:g}']) == 0
            (d/'seconds.json').write_text(json.dumps({'seconds': round(time.perf_counter() - t, 1)}))
        g = json.loads((d/'eval'/'generation.json').read_text())[-1]; cfg = json.loads((d/'run'/'best'/'config.json').read_text())
        curve.append({'minutes': m, 'batch_size': b, 'lr': lr, 'seconds': json.loads((d/'seconds.json').read_text())['seconds'], 'steps': cfg['step'],
                      'train_seconds': cfg['train']['max_minutes'] * 60, 'machine': machine(), **{k: g[k] for k in g if k != 'model'}})
        if d == demo:                         # its evaluation and pictures are the page's test section
            for f in ('generation.json', 'generation.csv', 'generation.tex', 'teacher_forced.json', 'teacher_forced.tex', 'information.json',
                      'information.tex', 'text2image.png', 'image2text.png', 'completion.png', 'information.png', 'drawing.gif'):
                if (demo/'eval'/f).exists(): shutil.copy(demo/'eval'/f, res/f)
            shutil.copy(demo/'run'/'loss.png', res/'loss.png')
    five = next((r for r in curve if (r['minutes'], r['batch_size'], r['lr']) == (DEMO['minutes'], DEMO['batch_size'], DEMO['lr'])), None)
    seconds = five.get('train_seconds') if five else None          # the training time the demo's five minutes left: every setting gets it
    kept = kept_rows(res/'budget.json', lambda r: r['setting'])
    rows = [r for name in SETTINGS if (r := setting_row(name, data, runs, seconds, args.report_only or seconds is None, kept))]
    for r in rows + curve: r['where'] = short_machine(r.get('machine', machine()))
    cols = [('change', 'change', '{}'), ('lr', 'learning rate', '{:g}'), ('where', 'machine', '{}'), ('steps', 'steps', '{}'), ('bits_per_record', 'bits/record', '{:.1f}'), ('bits_per_byte', 'bits/byte', '{:.3f}'), ('bits_per_pixel', 'bits/pixel', '{:.4f}'),
            ('t2i_pixel_accuracy', 't→i acc.', '{:.3f}'), ('t2i_exact', 't→i exact', '{:.2f}'),
            ('caption_exact_any_order', 'caption exact, any order', '{:.2f}'), ('caption_chrf', 'chrF', '{:.1f}')]
    if rows: save_table(rows, res/'budget', cols)
    here = machine()
    elsewhere = sorted({r['machine'] for r in rows + curve if r.get('machine', here) != here})
    page = ['# What five minutes buy: the demo on this machine', '',
            f'Written by `tools/budget.py` (`make toy-budget`) on {here}' +
            (f"; rows kept from an earlier run of it on {'; '.join(elsewhere)} are marked with their machine" if elsewhere else '') +
            ". The toy set as it is (4,000 records, seed 0) and the demo's "
            f"transformer ({DEMO['d_model']} wide, {DEMO['n_layers']} layers, k={DEMO['k']}, row and column embeddings, layouts redrawn each epoch), "
            'bf16 autocast where the CPU has native bf16, else fp32. One seed per row unless a seed is named.', '',
            '## One change at a time, at equal wall time (validation)', '',
            f"Each row changes one setting of the demo (those at learning rate {BEFORE['lr']:g}, of the demo before its rate was chosen below) "
            f"and trains for the time the demo's five minutes leave it ({f'{seconds / 60:.2f} minutes' if seconds else 'as long as the demo trained'}, "
            'its evaluation kept aside; the step count fitted to this machine: timed on a throwaway copy first, refitted once to the real '
            "loop's pace at the warmup's end, warmup + cosine over that many steps). Scored on the validation split: bits teacher-forced on "
            f'all 400 records both ways (the steadier ranking), greedy generation on the first {GENERATED}; 95% bootstrap intervals over records.', '',
            markdown_table(rows, cols) if rows else '(no finished runs)', '',
            '*caption exact, any order* accepts the clauses of a two-shape caption in either order (the toy generator draws that order at '
            'random and the sprite does not show it). *Best of N*: the greedy caption (sprite) and N − 1 samples at temperature 1, the one '
            'with the fewest bits of it given its partner plus of the partner given it kept. A row\'s difference from '
            'the demo also holds the noise of training (the seed, and step counts that follow the machine\'s pace), which the '
            'intervals, over records, do not cover; bits per record (every token of both directions) rank the rows.', '']
    if len(seeds := seed_rows(rows)) > 1:       # seed 0 alone is already the table above
        scols = [('seed', 'seed', '{}')] + [(f'{k}_{side}', f'{label}, {side}', f) for k, label, f in
                 (('bits_per_record', 'bits/record', '{:.1f}'), ('t2i_exact', 't→i exact', '{:.2f}'), ('caption_exact_any_order', 'captions', '{:.2f}'))
                 for side in ('change', 'base')] + [('bits_per_record_difference', 'bits/record, difference', '{:+.2f}')]
        save_table(seeds, res/'seeds', scols)
        summary = {k: mean_with_t_interval([r[f'{k}_difference'] for r in seeds]) for k in SEED_KEYS}
        change, base = (SETTINGS[x][0] for x in SEEDED)
        page += [f'## {change[0].upper() + change[1:]} against {base}, seed by seed (validation)', '',
                 f'The same comparison repeated with other seeds (weights, data order and layouts; each pair shares its seed), '
                 f'{len(seeds)} seeds; *change* is {change}, *base* {base}:', '', markdown_table(seeds, scols), '']
        lo, hi = summary['bits_per_record'][1]
        verdict = ('fewer bits with the change, its t-interval below 0' if hi < 0 else 'more bits with the change, its t-interval above 0' if lo > 0
                   else 'no difference shown: the t-interval holds 0')
        page += [f'Mean difference over the {len(seeds)} seeds (change − base), with its 95% Student-t interval over seeds '
                 f'({len(seeds) - 1} degrees of freedom; the seeds are the replication, records the same in every run): ' +
                 '; '.join(f"{k.replace('_', ' ')} {m:+.3f} [{a:+.3f}, {b:+.3f}]" for k, (m, (a, b)) in summary.items()) +
                 f'. Bits per record: {verdict}. Intervals above or below 0: ' +
                 (', '.join(k.replace('_', ' ') for k, (_, (a, b)) in summary.items() if a > 0 or b < 0) or 'none') +
                 f". The demo's learning rate was chosen on this comparison: its targets are generation figures (exact sprites, pixel "
                 f"accuracy, exact captions); {sum(r['t2i_exact_difference'] > 0 for r in seeds)} of the {len(seeds)} seeds drew more "
                 'sprites exactly with the change.', '']
    if five and (res/'generation.json').exists():
        gen = json.loads((res/'generation.json').read_text()); info = json.loads((res/'information.json').read_text())
        gcols = [c for c in GENERATION_COLUMNS if c[0] in gen[-1] or c[0] == 'model']
        ccols = [('minutes', 'demo minutes', '{:g}'), ('batch_size', 'batch', '{}'), ('lr', 'learning rate', '{:g}'), ('where', 'machine', '{}'),
                 ('seconds', 'took (s)', '{:.0f}'), ('steps', 'steps', '{}')] + \
                [c for c in GENERATION_COLUMNS if c[0] in ('t2i_pixel_accuracy', 't2i_exact', 'caption_exact_any_order', 'caption_chrf')]
        save_table(curve, res/'curve', ccols)
        solved = sorted((r for r in curve if all(r[k] >= v for k, v in SOLVED.items())), key=lambda r: r['seconds'])
        goal = f"≥ {SOLVED['t2i_exact']:.0%} exact sprites and ≥ {SOLVED['caption_exact_any_order']:.0%} exact captions, any order"
        page += ['## The demo, five minutes in all (test)', '',
                 f"`pixelbytes demo` with its defaults: {five['steps']} training steps fitted to what building the data and the evaluation "
                 f"left of five minutes; the whole demo took {five['seconds'] / 60:.1f} minutes here. Test split, first {gen[-1]['n']} records, "
                 'greedy decoding' + (f", best of {gen[-1]['best_of']}" if gen[-1].get('best_of', 1) > 1 else '') +
                 ', 95% bootstrap intervals over records:', '', markdown_table(gen, gcols), '',
                 'The targets (issue 13), each against its interval:', '',
                 '\n'.join(check(gen[-1:], f'{k}>={v}') for k, v in TARGETS.items()), '',
                 markdown_table(info, INFORMATION_COLUMNS), '',
                 '## Each target against minutes', '',
                 "The demo given more wall time (`pixelbytes demo --minutes M --batch-size B --learning-rate LR`; each its own run, step count "
                 f"and schedule; test split, first {gen[-1]['n']} records):", '', markdown_table(curve, ccols), '',
                 (f"Essentially solved ({goal}) first at {solved[0]['minutes']:g} minutes with batches of {solved[0]['batch_size']} "
                  f"({solved[0]['steps']} steps, `pixelbytes demo --minutes {solved[0]['minutes']:g} --batch-size {solved[0]['batch_size']} --learning-rate {solved[0]['lr']:g}`), by the means "
                  "(their intervals are in the table)." if solved else
                  f"Not essentially solved ({goal}) by any run here (the longest: {max(r['minutes'] for r in curve):g} minutes)."), '',
                 '![caption to sprite](text2image.png)', '', '![sprite to caption](image2text.png)', '', '![loss](loss.png)', '']
    (res/'README.md').write_text('\n'.join(page))
    print('\n'.join(page))


if __name__ == '__main__': sys.exit(main())
