"""What the demo's five minutes buy on this machine: the demo's settings one change at a time at equal wall time (scored on
the validation split), the demo itself (its step count fitted to five minutes) on the test split, and each target against
the demo's wall time.

    python tools/budget.py                 # about 65 minutes on 2 CPU cores; finished runs in outputs/budget are kept
    python tools/budget.py --report-only   # only gather the finished runs

Writes results/toy-budget/: budget.{csv,json,tex} (the comparison), curve.{csv,json,tex}, the demo's tables and figures,
and README.md (the book's page). Only validation figures choose; the test split is read by the demo runs.
"""
import argparse, json, shutil, subprocess, sys, time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from pixelbytes.cli import DEMO                                                # noqa: E402

# each a change to the demo's settings (DEMO in pixelbytes.cli), trained for the time the demo's five minutes leave it
SETTINGS = {'demo': ('the demo', {}),
            'uncond': ('15% of records without a partner (the demo before)', {'uncond': 0.15}),
            'batch8': ('batch 8', {'batch_size': 8}),
            'lr1.5e-3': ('learning rate 1.5e-3', {'lr': 1.5e-3}),
            'heads4': ('4 attention heads of 32', {'n_heads': 4}),
            'best4': ('best of 4, both ways (its evaluation paid from training time)', {'best_of': 4})}
LONGER = (10, 20)      # the demo given more minutes too: each target against the demo's wall time on this machine
TARGETS = {'t2i_pixel_accuracy': 0.95, 't2i_exact': 0.5, 'caption_exact_any_order': 0.8}     # the demo's targets (issue 13)
SOLVED = {'t2i_exact': 0.9, 'caption_exact_any_order': 0.95}                                 # "essentially solved"
GENERATED = 100        # validation records generated from (the demo's --samples)


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


def setting_row(name:str, data:Path, runs:Path, demo:Path, seconds:float, report_only:bool) -> dict|None:
    "One setting's validation figures (the demo's own run stands for 'demo')."
    run = demo/'run' if name == 'demo' else runs/name/'run'
    if not (run/'best'/'config.json').exists():
        if report_only or name == 'demo': return None
        print(f'{name}: training for {seconds / 60:.2f} minutes…', flush=True)
        subprocess.run([sys.executable, __file__, '--one', name, '--seconds', str(seconds), '--out', str(data.parent)], check=True, cwd=ROOT)
    best_of = SETTINGS[name][1].get('best_of', DEMO['best_of'])
    tf, g = score_validation(run/'best', runs/name/'eval-validation', best_of)
    cfg = json.loads((run/'best'/'config.json').read_text())
    return {'change': SETTINGS[name][0], 'setting': name, 'steps': cfg['step'], 'best_of': best_of,
            **{k: tf[k] for k in ('bits_per_record', 'bits_per_record_ci', 'bits_per_byte', 'bits_per_byte_ci', 'bits_per_pixel', 'bits_per_pixel_ci')},
            **{k: g[k] for k in g if k.startswith(('t2i_', 'caption_'))}}


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
    sys.path.insert(0, str(ROOT/'tools'))
    from results_page import machine, check
    out, res = ROOT/args.out, ROOT/args.results
    data, runs, demo = out/'data', out/'runs', out/'demo'
    if args.one: return train_one(args.one, data, runs, args.seconds)
    if not (data/'hf').exists() and not args.report_only:
        assert cli(['build', '--source', 'toy', '--n', '4000', '--out', str(data), '--quiet', '--preview', '0']) == 0
    demos = [(DEMO['minutes'], demo, [])] + [(m, out/f'demo-{m:g}min', ['--minutes', str(m)]) for m in LONGER]   # the demo, then with --minutes M
    curve, seconds = [], None
    for m, d, extra in demos:                 # the demo first: its run is also the 'demo' row of the comparison
        if not (d/'seconds.json').exists():
            if args.report_only: continue
            t = time.perf_counter()
            assert cli(['demo', '--out', str(d), '--quiet', *extra]) == 0
            (d/'seconds.json').write_text(json.dumps({'seconds': round(time.perf_counter() - t, 1)}))
        g = json.loads((d/'eval'/'generation.json').read_text())[-1]
        curve.append({'minutes': m, 'seconds': json.loads((d/'seconds.json').read_text())['seconds'],
                      'steps': json.loads((d/'run'/'best'/'config.json').read_text())['step'], **{k: g[k] for k in g if k != 'model'}})
        if m == DEMO['minutes']:              # the training time the demo's five minutes left: every setting gets it
            seconds = json.loads((d/'run'/'best'/'config.json').read_text())['train']['max_minutes'] * 60
    rows = [r for name in SETTINGS if (r := setting_row(name, data, runs, demo, seconds, args.report_only or seconds is None))]
    res.mkdir(parents=True, exist_ok=True)
    cols = [('change', 'change', '{}'), ('steps', 'steps', '{}'), ('bits_per_record', 'bits/record', '{:.1f}'), ('bits_per_byte', 'bits/byte', '{:.3f}'), ('bits_per_pixel', 'bits/pixel', '{:.4f}'),
            ('t2i_pixel_accuracy', 't→i acc.', '{:.3f}'), ('t2i_exact', 't→i exact', '{:.2f}'),
            ('caption_exact_any_order', 'caption exact, any order', '{:.2f}'), ('caption_chrf', 'chrF', '{:.1f}')]
    if rows: save_table(rows, res/'budget', cols)
    page = ['# What five minutes buy: the demo on this machine', '',
            f'Written by `tools/budget.py` (`make toy-budget`) on {machine()}. The toy set as it is (4,000 records, seed 0) and the demo\'s '
            f"transformer ({DEMO['d_model']} wide, {DEMO['n_layers']} layers, k={DEMO['k']}, row and column embeddings, layouts redrawn each epoch), "
            'bf16 autocast where the CPU has native bf16, else fp32. One seed per row.', '',
            '## One change at a time, at equal wall time (validation)', '',
            f"Each row changes one setting of the demo and trains for the time the demo's five minutes leave it ({f'{seconds / 60:.2f}' if seconds else '?'} minutes, "
            'its evaluation kept aside; the step count fitted to this machine: timed on a throwaway copy first, refitted once to the real '
            "loop's pace at the warmup's end, warmup + cosine over that many steps). Scored on the validation split: bits teacher-forced on "
            f'all 400 records both ways (the steadier ranking), greedy generation on the first {GENERATED}; 95% bootstrap intervals over records.', '',
            markdown_table(rows, cols) if rows else '(no finished runs)', '',
            '*caption exact, any order* accepts the clauses of a two-shape caption in either order (the toy generator draws that order at '
            'random and the sprite does not show it). *Best of N*: the greedy caption (sprite) and N − 1 samples at temperature 1, the one '
            'with the fewest bits of it given its partner plus of the partner given it kept. One seed per row: a row\'s difference from '
            'the demo also holds the noise of training (the seed, and step counts that follow the machine\'s pace), which the '
            'intervals, over records, do not cover; bits per record (every token of both directions) rank the rows.', '']
    done = demo/'seconds.json'
    if done.exists():
        secs = json.loads(done.read_text())['seconds']
        cfg = json.loads((demo/'run'/'best'/'config.json').read_text())
        gen = json.loads((demo/'eval'/'generation.json').read_text()); info = json.loads((demo/'eval'/'information.json').read_text())
        for f in ('generation.json', 'generation.csv', 'generation.tex', 'teacher_forced.json', 'teacher_forced.tex', 'information.json',
                  'information.tex', 'text2image.png', 'image2text.png', 'completion.png', 'information.png', 'drawing.gif'):
            if (demo/'eval'/f).exists(): shutil.copy(demo/'eval'/f, res/f)
        shutil.copy(demo/'run'/'loss.png', res/'loss.png')
        gcols = [c for c in GENERATION_COLUMNS if c[0] in gen[-1] or c[0] == 'model']
        ccols = [('minutes', 'demo minutes', '{:g}'), ('seconds', 'took (s)', '{:.0f}'), ('steps', 'steps', '{}')] + \
                [c for c in GENERATION_COLUMNS if c[0] in ('t2i_pixel_accuracy', 't2i_exact', 'caption_exact_any_order', 'caption_chrf')]
        save_table(curve, res/'curve', ccols)
        solved = [r for r in curve if all(r[k] >= v for k, v in SOLVED.items())]
        page += ['## The demo, five minutes in all (test)', '',
                 f"`pixelbytes demo` with its defaults: {cfg['step']} training steps fitted to what building the data and the evaluation "
                 f"left of five minutes; the whole demo took {secs / 60:.1f} minutes here. Test split, first {gen[-1]['n']} records, "
                 'greedy decoding' + (f", best of {gen[-1]['best_of']}" if gen[-1].get('best_of', 1) > 1 else '') +
                 ', 95% bootstrap intervals over records:', '', markdown_table(gen, gcols), '',
                 'The targets (issue 13), each against its interval:', '',
                 '\n'.join(check(gen[-1:], f'{k}>={v}') for k, v in TARGETS.items()), '',
                 markdown_table(info, INFORMATION_COLUMNS), '',
                 '## Each target against minutes', '',
                 "The demo given more wall time (`pixelbytes demo --minutes M`, each its own run, step count and schedule; test split, first "
                 f"{gen[-1]['n']} records):", '', markdown_table(curve, ccols), '',
                 (f"Essentially solved (≥ {SOLVED['t2i_exact']:.0%} exact sprites and ≥ {SOLVED['caption_exact_any_order']:.0%} exact captions, "
                  f"any order) first at {solved[0]['minutes']:g} minutes ({solved[0]['steps']} steps of {DEMO['batch_size']})." if solved else
                  f"Not essentially solved (≥ {SOLVED['t2i_exact']:.0%} exact sprites and ≥ {SOLVED['caption_exact_any_order']:.0%} exact captions, "
                  f"any order) by the longest run here ({curve[-1]['minutes']:g} minutes)."), '',
                 '![caption to sprite](text2image.png)', '', '![sprite to caption](image2text.png)', '', '![loss](loss.png)', '']
    (res/'README.md').write_text('\n'.join(page))
    print('\n'.join(page))


if __name__ == '__main__': sys.exit(main())
