"""The demo's training recipe, one change at a time, on the toy set as it is (4,000 records, seed 0): what each change
buys on the toy test split, and each target against minutes of training.

    python tools/recipe.py                 # every run (finished ones are kept; about half an hour on 2 CPU cores)
    python tools/recipe.py --report-only   # only gather the finished runs into the table and figure

Writes results/toy-recipe/: recipe.{csv,json,tex}, curve.png and recipe.md (the book's page). Guidance scales and
nothing else are chosen on the validation split; every figure is on the test split with a 95% bootstrap interval.
"""
import argparse, json, sys, time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from pixelbytes.cli import DEMO, main as cli                                   # noqa: E402

# training runs: overrides of the demo's settings (DEMO in pixelbytes.cli); `steps` sets both the schedule and the stop
RUNS = {
    'old-300': dict(max_steps=300, lr=3e-3, batch_size=16),
    'steps-600': dict(max_steps=600, lr=3e-3, batch_size=16),
    'lr-600': dict(max_steps=600, lr=6e-3, batch_size=16),
    'steps-1200': dict(max_steps=1200, lr=3e-3, batch_size=16),
    'steps-1100': dict(max_steps=1100, lr=3e-3, batch_size=16),
    'pos2d-1100': dict(max_steps=1100, lr=3e-3, batch_size=16, pos2d=True),
}
SCALES = [1.0, 1.5, 2.0, 3.0]
# the ablation: each row changes one thing from the row before it (label, run, temperature, guidance scales tried)
ROWS = [('demo before this recipe: 300 steps, sampled at T = 0.7', 'old-300', 0.7, [1.0]),
        ('greedy decoding (T = 0)', 'old-300', 0.0, [1.0]),
        ('600 steps (schedule stretched to them)', 'steps-600', 0.0, [1.0]),
        ('guidance, scale chosen on validation', 'steps-600', 0.0, SCALES),
        ('peak learning rate 6e-3', 'lr-600', 0.0, SCALES),
        ('1,100 steps, peak learning rate 3e-3 (the demo before pos2d)', 'steps-1100', 0.0, [1.0]),
        ('row and column embeddings for image tokens (pos2d)', 'pos2d-1100', 0.0, [1.0])]
CURVE = ['old-300', 'steps-600', 'steps-1200']                                  # greedy, no guidance
METRICS = [('t2i_pixel_accuracy', 't→i pixel acc.', '{:.3f}'), ('t2i_exact', 't→i exact', '{:.2f}'),
           ('caption_exact', 'caption exact', '{:.2f}'), ('caption_chrf', 'chrF', '{:.1f}')]


def train_run(name:str, data:Path, out:Path) -> dict:
    "Train one run (kept when already finished); its settings and wall-clock training time."
    from pixelbytes.models import ModelConfig
    from pixelbytes.train import TrainConfig, train
    run = out/'runs'/name; done = run/'done.json'
    if done.exists(): return json.loads(done.read_text())
    o = RUNS[name]
    mcfg = ModelConfig(backbone=DEMO['model'], d_model=DEMO['d_model'], n_layers=DEMO['n_layers'], pos2d=o.get('pos2d', False))
    tcfg = TrainConfig(data=str(data), out=str(run), layouts='text2image,image2text', seq_len=DEMO['seq_len'], batch_size=o['batch_size'],
                       max_steps=o['max_steps'], lr=o['lr'], eval_every=o['max_steps'], eval_batches=20, device='cpu', progress=False,
                       overwrite=True)
    print(f'{name}: training {o}…', flush=True)
    t = time.perf_counter(); train(mcfg, tcfg); seconds = time.perf_counter() - t
    info = {'run': name, **o, 'train_seconds': round(seconds, 1)}
    done.write_text(json.dumps(info)); return info


def evaluate_row(run:str, temperature:float, scales:list, out:Path, n:int) -> dict:
    "Generation metrics on the test split (kept when already computed); with several scales the best on validation."
    key = f"eval-T{temperature:g}-s{'_'.join(f'{s:g}' for s in scales)}-n{n}"
    dst = out/'runs'/run/key
    if not (dst/'generation.json').exists():
        code = cli(['evaluate', '--checkpoint', str(out/'runs'/run/'best'), '--split', 'test', '--metrics', 'bleu', 'chrf', 'ssim',
                    '--n', str(n), '--temperature', str(temperature), '--guidance', *map(str, scales), '--no-baselines', '--device', 'cpu',
                    '--out', str(dst), '--quiet'])
        if code: raise SystemExit(f'evaluate {run} failed ({code})')
    return json.loads((dst/'generation.json').read_text())[-1]


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--out', default='outputs/recipe', help='runs and data (default: outputs/recipe)')
    ap.add_argument('--results', default='results/toy-recipe', help='table, figure and page (default: results/toy-recipe)')
    ap.add_argument('--n', type=int, default=200, help='test records generated from (default: 200)')
    ap.add_argument('--report-only', action='store_true', help='only gather finished runs')
    args = ap.parse_args(argv)
    out, res = ROOT/args.out, ROOT/args.results
    data = out/'data'
    if not (data/'hf').exists():
        assert cli(['build', '--source', 'toy', '--n', '4000', '--out', str(data), '--quiet', '--preview', '0']) == 0
    runs = {}
    for name in dict.fromkeys([r[1] for r in ROWS] + CURVE):
        if args.report_only and not (out/'runs'/name/'done.json').exists(): continue
        runs[name] = train_run(name, data, out)
        for run, temp, scales in dict.fromkeys((r, t, tuple(s)) for _, r, t, s in ROWS + [(None, r, 0.0, [1.0]) for r in CURVE]):
            if run == name:                                                            # evaluated as soon as trained, once each
                g = evaluate_row(run, temp, scales, out, args.n)
                print(f"  {name} T={temp:g} s={g['guidance']:g}: " + ', '.join(f'{h} {g[k]:.3f}' for k, h, _ in METRICS if k in g), flush=True)
    rows = []
    for label, run, temp, scales in ROWS:
        if run not in runs: continue
        g = evaluate_row(run, temp, scales, out, args.n)
        rows.append({'change': label, 'steps': runs[run]['max_steps'], 'lr': runs[run]['lr'], 'minutes': runs[run]['train_seconds'] / 60,
                     'temperature': temp, 'guidance': g['guidance'], 'n': g['n'], **{k: g[k] for m in METRICS for k in (m[0], f'{m[0]}_ci') if k in g}})
    curve = [{'steps': runs[r]['max_steps'], 'minutes': runs[r]['train_seconds'] / 60, **evaluate_row(r, 0.0, [1.0], out, args.n)}
             for r in CURVE if r in runs]
    from pixelbytes.evaluate import save_table, markdown_table
    res.mkdir(parents=True, exist_ok=True)
    cols = [('change', 'change', '{}'), ('steps', 'steps', '{}'), ('minutes', 'train min', '{:.1f}'), ('temperature', 'T', '{:g}'),
            ('guidance', 's', '{:g}')] + METRICS
    save_table(rows, res/'recipe', cols)
    curve_cols = [('steps', 'steps', '{}'), ('minutes', 'train min', '{:.1f}')] + METRICS
    save_table(curve, res/'curve', curve_cols)
    import matplotlib; matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots(figsize=(6, 3.5))
    for (k, label, _), target in zip(METRICS[:3], (0.95, 0.5, 0.8)):
        x = [c['minutes'] for c in curve]
        line, = ax.plot(x, [c[k] for c in curve], marker='o', label=label)
        ax.fill_between(x, [c[f'{k}_ci'][0] for c in curve], [c[f'{k}_ci'][1] for c in curve], color=line.get_color(), alpha=0.15)
        ax.axhline(target, color=line.get_color(), ls=':', lw=0.8)
    ax.set(xlabel='minutes of training (this machine, 2 CPU cores)', ylabel='share (toy test split)', ylim=(0, 1.02),
           title='demo transformer, greedy: targets (dotted) vs. training')
    ax.legend(fontsize=8); fig.tight_layout(); fig.savefig(res/'curve.png', dpi=120)
    import platform, os
    cpu = next((l.split(':', 1)[1].strip() for l in open('/proc/cpuinfo') if l.startswith('model name')), None) if Path('/proc/cpuinfo').exists() else None
    machine = f"{cpu or platform.processor() or platform.machine()}, {os.cpu_count()} cores"
    page = ['# The demo\'s recipe, one change at a time', '',
            f'Written by `make recipe` (`tools/recipe.py`) on {machine}. The toy set as it is (4,000 records, seed 0); the '
            f"demo's transformer ({DEMO['d_model']} wide, {DEMO['n_layers']} layers), batch 16 windows of {DEMO['seq_len']} tokens. "
            f'Every figure is on the first {args.n} records of the test split, with a 95% bootstrap interval over those records; '
            'guidance scales (tried: ' + ', '.join(f'{s:g}' for s in SCALES) + ') are chosen on the validation split. '
            'Each row changes one thing from the row above it.', '', markdown_table(rows, cols), '',
            'Each target against minutes of training (greedy decoding, no guidance; each point is its own run with its own '
            'schedule, so it is what that much time buys):', '', markdown_table(curve, curve_cols), '', '![targets against minutes](curve.png)', '']
    (res/'recipe.md').write_text('\n'.join(page))
    print('\n'.join(page))


if __name__ == '__main__': sys.exit(main())
