"""Two checkpoints scored teacher-forced on the same records of one split, compared by a paired bootstrap over records.

    python tools/paired.py --a runs/pokemon-reference/best --b runs/pokemon-reference-noflip/best --names mirrored "not mirrored" \
        --split validation test --out results/pokemon-flip

Each checkpoint is scored by `pixelbytes evaluate --metrics bits` on its own data set's split (the two must hold the same
records there: checked); `paired_difference` resamples records once for both sides, so the interval of A − B is that of
a paired test. Writes paired.md (a book page), paired.json and paired.tex into --out.
"""
import argparse, json, subprocess, sys, tempfile
from pathlib import Path

from pixelbytes.evaluate import overall, paired_difference
from pixelbytes.files import atomic_write, check_output, OutputError

METRICS = ('bits_per_byte', 'bits_per_pixel', 'bits_per_record')

def scores(checkpoint:str, split:str, out:Path, quiet:bool) -> tuple[str, dict, dict]:
    "The model's (name, per-record sums, table row) from `pixelbytes evaluate` on `split`."
    cmd = [sys.executable, '-m', 'pixelbytes', 'evaluate', '--checkpoint', checkpoint, '--metrics', 'bits', '--split', split,
           '--no-baselines', '--device', 'cpu', '--out', str(out)] + (['--quiet'] if quiet else [])
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL if quiet else None)
    (name, per), = json.loads((out/'records.json').read_text())['scores'].items()
    row, = overall(json.loads((out/'teacher_forced.json').read_text()))      # toy tables add one- and two-shape rows
    return name, per, row

def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--a', required=True, help='checkpoint A (the change)')
    p.add_argument('--b', required=True, help='checkpoint B (the reference it is compared with)')
    p.add_argument('--names', nargs=2, default=['A', 'B'], metavar=('A', 'B'), help='labels of A and B in the table')
    p.add_argument('--split', nargs='+', default=['validation'], help='split(s) both are scored on (default: validation, where decisions are made)')
    p.add_argument('--title', default=None, help='heading of paired.md')
    p.add_argument('--out', required=True, help='folder for paired.md / .json / .tex')
    p.add_argument('--quiet', action='store_true')
    args = p.parse_args(argv)
    try: out = check_output(args.out, 'results')     # new, empty, or a results folder holding only what its manifest lists
    except OutputError as e: sys.exit(str(e))
    out.mkdir(parents=True, exist_ok=True)
    A, B = args.names
    rows, names = [], {}
    for split in args.split:
        with tempfile.TemporaryDirectory() as tmp:
            (na, a, ra), (nb, b, rb) = (scores(c, split, Path(tmp)/k, args.quiet) for k, c in (('a', args.a), ('b', args.b)))
        names = {A: na, B: nb}
        for k in ('n_text', 'n_image'):
            if a[k] != b[k]: sys.exit(f'{args.a} and {args.b}: their {split} splits hold different records ({k} differs); a paired test needs the same ones')
        for m in METRICS:
            d = paired_difference(a, b, m)
            rows.append({'split': split, 'metric': m, A: ra[m], f'{A}_ci': ra[f'{m}_ci'], B: rb[m], f'{B}_ci': rb[f'{m}_ci'],
                         'difference': d['difference'], 'difference_ci': d['ci'], 'p': d['p'], 'records': d['records']})
    ci = lambda v, c: f'{v:.3f} [{c[0]:.3f}, {c[1]:.3f}]'
    pv = lambda p: '< 0.001' if p < 1e-3 else f'{p:.3f}'
    counts = ', '.join(f"{r['split']}: {r['records']}" for r in rows if r['metric'] == METRICS[0])
    lines = [f'# {args.title or f"{A} against {B}"}', '',
             f'{A}: `{args.a}` ({names[A]}); {B}: `{args.b}` ({names[B]}). Teacher-forced bits on the records of each split '
             f'({counts}), each scored in both layouts; '
             "95% intervals from a bootstrap over records, the difference's from a paired bootstrap (one resample of records for "
             'both), p two-sided. Lower is better. Decisions are made on validation; test is reported.', '',
             f'| split | metric | {A} | {B} | {A} − {B} | p |', '|' + ' --- |' * 6]
    lines += [f"| {r['split']} | {r['metric']} | {ci(r[A], r[A + '_ci'])} | {ci(r[B], r[B + '_ci'])} | "
              f"{r['difference']:+.3f} [{r['difference_ci'][0]:+.3f}, {r['difference_ci'][1]:+.3f}] | {pv(r['p'])} |" for r in rows]
    atomic_write(out/'paired.md', '\n'.join(lines) + '\n')
    atomic_write(out/'paired.json', json.dumps({'a': args.a, 'b': args.b, 'names': args.names, 'models': names, 'rows': rows}, indent=1))
    tex = ['\\begin{tabular}{llrrrr}', '\\toprule', f'split & metric & {A} & {B} & {A} $-$ {B} & $p$ \\\\', '\\midrule']
    tex += [f"{r['split']} & {r['metric'].replace('_', ' ')} & {r[A]:.3f} & {r[B]:.3f} & "
            f"${r['difference']:+.3f}$ [{r['difference_ci'][0]:+.3f}, {r['difference_ci'][1]:+.3f}] & ${pv(r['p'])}$ \\\\" for r in rows]
    atomic_write(out/'paired.tex', '\n'.join(tex + ['\\bottomrule', '\\end{tabular}']) + '\n')
    print('\n'.join(lines[4:]))

if __name__ == '__main__': main()
