"""What the demo's five minutes buy on this machine: batch sizes and learning rates compared at equal wall time on the
validation split, then the demo itself (its step count fitted to five minutes) scored on the test split.

    python tools/budget.py                 # about 25 minutes on 2 CPU cores; finished runs in outputs/budget are kept
    python tools/budget.py --report-only   # only gather the finished runs

Writes results/toy-budget/: budget.{csv,json,tex} (the comparison), the demo's tables and figures, and README.md (the
book's page). Only validation figures choose; the test split is read once, by the demo at the chosen settings.
"""
import argparse, json, shutil, subprocess, sys, time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from pixelbytes.cli import DEMO                                                # noqa: E402

MINUTES = 3.2          # training minutes per setting: about what the demo's five minutes leave for training on 2 fp32 cores
SETTINGS = [(16, 3e-3), (16, 6e-3), (8, 3e-3), (8, 5e-3), (4, 3e-3), (2, 3e-3)]          # (batch, learning rate); the rest is the demo's
LONGER = (10,)         # the demo given more minutes too: each target against the demo's wall time on this machine
TARGETS = {'t2i_pixel_accuracy': 0.95, 't2i_exact': 0.5, 'caption_exact_any_order': 0.8}     # the demo's targets (issue 13)


def run_name(batch:int, lr:float) -> str: return f'tr-bs{batch}-lr{lr:g}'


def train_setting(batch:int, lr:float, data:Path, runs:Path) -> dict:
    "Train one setting for MINUTES of wall time (kept when finished); its fitted steps and final validation figures."
    out = runs/run_name(batch, lr)
    if not (out/'best'/'config.json').exists():
        cmd = [sys.executable, '-m', 'pixelbytes', 'train', '--model', DEMO['model'], '--d-model', str(DEMO['d_model']),
               '--n-layers', str(DEMO['n_layers']), '--n-heads', str(DEMO['n_heads']), '--k', str(DEMO['k']), '--pos2d', '--redraw-layouts',
               '--data', str(data), '--seq-len', str(DEMO['seq_len']), '--batch-size', str(batch), '--learning-rate', str(lr),
               '--max-minutes', str(MINUTES), '--max-steps', '100000', '--eval-every', '100000', '--precision', 'no', '--device', 'cpu',
               '--overwrite', '--quiet', '--out', str(out)]
        print(f'{out.name}: training for {MINUTES:g} minutes…', flush=True); subprocess.run(cmd, check=True, cwd=ROOT)
    ev = out/'eval-validation'
    if not (ev/'teacher_forced.json').exists():      # every setting scored on the same tokens: the whole validation split, both directions
        subprocess.run([sys.executable, '-m', 'pixelbytes', 'evaluate', '--checkpoint', str(out/'best'), '--split', 'validation', '--metrics', 'bits',
                        '--no-baselines', '--device', 'cpu', '--batch-size', '64', '--out', str(ev), '--quiet'], check=True, cwd=ROOT)
    row = json.loads((ev/'teacher_forced.json').read_text())[-1]
    steps = json.loads((out/'best'/'config.json').read_text())['step']
    return {'batch': batch, 'lr': lr, 'steps': steps, 'windows': steps * batch,
            **{k: row[k] for k in ('loss', 'loss_ci', 'bits_per_byte', 'bits_per_byte_ci', 'bits_per_pixel', 'bits_per_pixel_ci', 'bits_per_record', 'bits_per_record_ci')}}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--out', default='outputs/budget', help='runs and data (default: outputs/budget)')
    ap.add_argument('--results', default='results/toy-budget', help='tables, figures and page (default: results/toy-budget)')
    ap.add_argument('--report-only', action='store_true', help='only gather finished runs')
    args = ap.parse_args(argv)
    from pixelbytes.cli import main as cli
    from pixelbytes.evaluate import save_table, markdown_table, GENERATION_COLUMNS, INFORMATION_COLUMNS
    sys.path.insert(0, str(ROOT/'tools'))
    from results_page import machine, check
    out, res = ROOT/args.out, ROOT/args.results
    data, runs, demo = out/'data', out/'runs', out/'demo'
    if not (data/'hf').exists() and not args.report_only:
        assert cli(['build', '--source', 'toy', '--n', '4000', '--out', str(data), '--quiet', '--preview', '0']) == 0
    rows = [train_setting(b, lr, data, runs) for b, lr in SETTINGS if not args.report_only or (runs/run_name(b, lr)/'best').exists()]
    chosen = min(rows, key=lambda r: r['bits_per_record'])
    if (chosen['batch'], chosen['lr']) != (DEMO['batch_size'], DEMO['lr']):
        print(f"note: validation prefers batch {chosen['batch']}, lr {chosen['lr']:g}; the demo has batch {DEMO['batch_size']}, lr {DEMO['lr']:g}")
    demos = [(DEMO['minutes'], demo, [])] + [(m, out/f'demo-{m:g}min', ['--minutes', str(m)]) for m in LONGER]   # the demo, then with --minutes M
    curve = []
    for m, d, extra in demos:
        if not (d/'seconds.json').exists():
            if args.report_only: continue
            t = time.perf_counter()
            assert cli(['demo', '--out', str(d), '--quiet', *extra]) == 0
            (d/'seconds.json').write_text(json.dumps({'seconds': round(time.perf_counter() - t, 1)}))
        g = json.loads((d/'eval'/'generation.json').read_text())[-1]
        curve.append({'minutes': m, 'seconds': json.loads((d/'seconds.json').read_text())['seconds'],
                      'steps': json.loads((d/'run'/'best'/'config.json').read_text())['step'], **{k: g[k] for k in g if k != 'model'}})
    done = demo/'seconds.json'
    res.mkdir(parents=True, exist_ok=True)
    cols = [('batch', 'batch', '{}'), ('lr', 'lr', '{:g}'), ('steps', f'steps in {MINUTES:g} min', '{}'), ('windows', 'windows seen', '{:,}'),
            ('bits_per_record', 'bits/record', '{:.1f}'), ('bits_per_byte', 'bits/byte', '{:.3f}'), ('bits_per_pixel', 'bits/pixel', '{:.3f}')]
    save_table(rows, res/'budget', cols)
    page = ['# What five minutes buy: the demo on this machine', '',
            f'Written by `tools/budget.py` on {machine()}. The toy set as it is (4,000 records, seed 0) and the demo\'s transformer '
            f"({DEMO['d_model']} wide, {DEMO['n_layers']} layers, {DEMO['n_heads']} heads, k={DEMO['k']}, row and column embeddings, layouts "
            f'redrawn each epoch), fp32. Each setting trains for {MINUTES:g} minutes of wall time (its step count fitted to this machine: '
            'timed on a throwaway copy first and refitted once to the real loop\'s pace at the warmup\'s end, with a warmup + cosine '
            'schedule over that many steps), one seed, and is scored '
            'teacher-forced on the whole validation split (400 records, each caption→sprite and sprite→caption; 95% bootstrap '
            'intervals over records); the fewest bits per record choose.', '',
            markdown_table(rows, cols), '',
            f"Fewest validation bits per record: batch {chosen['batch']}, lr {chosen['lr']:g} (the demo's: batch {DEMO['batch_size']}, lr {DEMO['lr']:g}).", '']
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
        page += ['## The demo, five minutes in all', '',
                 f"`pixelbytes demo` with its defaults: {cfg['step']} training steps fitted to what building the data and the evaluation "
                 f"left of five minutes; the whole demo took {secs / 60:.1f} minutes here. Test split, first {gen[-1]['n']} records, "
                 'greedy decoding, 95% bootstrap intervals over records:', '', markdown_table(gen, gcols), '',
                 'The targets (issue 13), each against its interval:', '',
                 '\n'.join(check(gen[-1:], f'{k}>={v}') for k, v in TARGETS.items()), '',
                 markdown_table(info, INFORMATION_COLUMNS), '',
                 'Each target against the demo\'s wall time (`pixelbytes demo --minutes M`, each its own run, step count and schedule):', '',
                 markdown_table(curve, ccols), '',
                 '![caption to sprite](text2image.png)', '', '![sprite to caption](image2text.png)', '', '![loss](loss.png)', '']
    (res/'README.md').write_text('\n'.join(page))
    print('\n'.join(page))


if __name__ == '__main__': sys.exit(main())
