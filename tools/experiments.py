"""Run the experiment notebooks with papermill: one executed notebook per run, then the comparison.

    python tools/experiments.py                       # tiny runs on the toy set (what CI runs; about a minute each)
    python tools/experiments.py --data pokemon --grid backbones   # the report's comparison (hours on CPU)
"""
import argparse, json, os, shutil, sys, time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# every grid is a list of parameter overrides of experiments/train.ipynb
TINY = dict(d_model=48, n_layers=2, max_steps=20, seq_len=384)
GRIDS = {
    'tiny': [dict(TINY, backbone=b) for b in ('lstm', 'transformer', 'mamba')],
    # matched parameters (lstm 646k, transformer 656k, mamba 657k), 8 epochs on Pokémon at size 24 (15–30 min each on 2 CPU cores)
    'backbones': [dict(backbone='lstm', d_model=184, n_layers=2), dict(backbone='transformer', d_model=128, n_layers=3),
                  dict(backbone='mamba', d_model=144, n_layers=4)],
    'embeddings': [dict(backbone='transformer', d_model=128, n_layers=3, embed=e) for e in ('pxby', 'noconv', 'center')]
                  + [dict(backbone='transformer', d_model=128, n_layers=3, k=5)],
    # one layout (text2image) vs the default mix (text2image,image2text: named 'mixed', the same run as the pxby one above)
    'layouts': [dict(backbone='transformer', d_model=128, n_layers=3, layouts='text2image'), dict(backbone='transformer', d_model=128, n_layers=3)],
}
# sample grids the comparison copies from each configuration (all three tasks where the backbones are compared)
SAMPLE_TASKS = {'backbones': ['text2image', 'image2text', 'completion']}
# the configuration every other one of a grid is compared with (a run name without the seed): one run shared by all three
REFERENCE = dict.fromkeys(('backbones', 'embeddings', 'layouts'), 'transformer-pxby-k3-mixed-d128x3')
REAL = dict(max_steps=None, epochs=8, seq_len=None, batch_size=16, lr=3e-3)   # seq_len None: windows hold the longest record

def run_name(p:dict) -> str:
    return '-'.join([p['backbone'], p.get('embed', 'pxby'), f"k{p.get('k', 3)}", p.get('layouts', 'mixed').replace(',', '+'),
                     f"d{p['d_model']}x{p['n_layers']}", f"s{p.get('seed', 0)}"])

def retitle(path:Path, title:str):
    "Give an executed comparison notebook its own page title (the template's is the same for every grid)."
    nb = json.loads(path.read_text(encoding='utf-8'))
    first = nb['cells'][0]; src = ''.join(first['source']).split('\n', 1)
    first['source'] = [f'# {title}\n'] + ([src[1]] if len(src) > 1 else [])
    path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + '\n', encoding='utf-8')

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--data', default='toy', help="toy (default), pokemon, or a built data set folder")
    ap.add_argument('--grid', default='tiny', choices=sorted(GRIDS), help='which runs (default: tiny)')
    ap.add_argument('--seeds', type=int, nargs='+', default=[0], help='seeds per configuration (default: 0)')
    ap.add_argument('--num-processes', type=int, default=1)
    ap.add_argument('--out', default='outputs/experiments', help='executed notebooks and runs (default: outputs/experiments)')
    ap.add_argument('--results', default=None, help='tables and figures (default: report/results for real grids, <out>/results for tiny)')
    ap.add_argument('--n', type=int, default=None, help='held-out records for generation metrics (default: 8 tiny, 32 otherwise)')
    ap.add_argument('--match', default=None, help='only the runs of the grid whose name contains this (e.g. noconv)')
    ap.add_argument('--rerun', action='store_true', help='run again runs that already finished (default: skip them)')
    ap.add_argument('--no-compare', action='store_true', help='skip the comparison notebook (run it later with --compare-only)')
    ap.add_argument('--book-runs', action='store_true', help="also copy the first seed's executed train/evaluate notebooks into <results>/notebooks")
    ap.add_argument('--compare-only', action='store_true', help="only gather the grid's finished runs (every seed found) into tables")
    args = ap.parse_args(argv)
    import papermill as pm
    out = ROOT/args.out; nbs = out/'notebooks'; nbs.mkdir(parents=True, exist_ok=True)
    tiny = args.grid == 'tiny'
    results = ROOT/(args.results or (f'{args.out}/results' if tiny else f'report/results/{args.grid}'))
    from outputs import check_results, seal
    try: check_results(results, 'experiments')           # before any run: a folder that is not this target's results is refused
    except ValueError as e: raise SystemExit(f'make experiments: {e}') from None
    rel = lambda path: os.path.relpath(path, ROOT)    # notebooks run in ROOT: their parameters show short paths
    run = lambda src, dst, params: pm.execute_notebook(str(ROOT/'experiments'/src), str(dst), parameters=params, cwd=str(ROOT),
                                                       kernel_name='python3', progress_bar=False)
    configs = [run_name(dict(b, seed=0))[:-len('-s0')] for b in GRIDS[args.grid]]
    for base in ([] if args.compare_only else GRIDS[args.grid]):
        for seed in args.seeds:
            p = {**({} if tiny else REAL), **base, 'seed': seed, 'data': args.data, 'num_processes': args.num_processes}
            name = run_name(p); p['out'] = rel(out/'runs'/name)
            if args.match and args.match not in name: continue
            if not args.rerun and (out/'runs'/name/'eval'/'generation.json').exists():
                print(f'{name}: finished earlier, skipped (--rerun to run it again)', flush=True); continue
            t = time.perf_counter(); print(f'{name}: training…', flush=True)
            run('train.ipynb', nbs/f'train-{name}.ipynb', p)
            run('evaluate.ipynb', nbs/f'evaluate-{name}.ipynb', {'run': p['out'], 'n': args.n or (8 if tiny else 32)})
            print(f'{name}: done in {time.perf_counter() - t:.0f}s → {nbs}/train-{name}.ipynb', flush=True)
    if args.no_compare: return
    run('compare.ipynb', nbs/f'compare-{args.grid}.ipynb', {'runs': rel(out/'runs'), 'configs': configs, 'out': rel(results),
        'title': args.grid, 'sample_tasks': SAMPLE_TASKS.get(args.grid, ['text2image']), 'reference': REFERENCE.get(args.grid)})
    shutil.copyfile(nbs/f'compare-{args.grid}.ipynb', results/'compare.ipynb')   # the executed comparison, shown in the book
    retitle(results/'compare.ipynb', f'{args.grid.capitalize()} on {"Pokémon" if "pokemon" in args.data else "the toy set"}: the comparison')
    if args.book_runs:
        (results/'notebooks').mkdir(exist_ok=True)
        for c in configs:
            for kind in ('train', 'evaluate'):
                first = sorted(nbs.glob(f'{kind}-{c}-s*.ipynb'))
                if first: shutil.copyfile(first[0], results/'notebooks'/f'{kind}-{c}.ipynb')
    seal('experiments', results)
    print(f'comparison: {results}/comparison.{{csv,json,tex}}, {results}/loss_curves.png; executed notebooks in {nbs}')

if __name__ == '__main__': sys.exit(main())
