"""A book page for one reference run, written from the files its run and evaluation left (nothing typed by hand).

    python tools/results_page.py --run runs/pokemon-reference --eval results/pokemon-reference \
        --seconds build=25 train=1190 evaluate=400 samples=20 --title "Pokémon reference run" --out results/pokemon-reference/README.md

Reads the run's `best/config.json` and `metrics.jsonl`, its data set's `build_report.json`, and the evaluation's tables
(`teacher_forced.json`, `information.json`, `generation.json`, `guidance_sweep.json`); checks each figure against the
targets given with --target (`metric<=value` or `metric>=value`: met by the whole 95% interval, by the mean only, or not), and shows the
figures the evaluation drew. Where a table is missing, the page says so instead of failing.
"""
import argparse, json, os, re
from pathlib import Path

from pixelbytes.evaluate import markdown_table, overall, with_subset, TABLE_COLUMNS, GENERATION_COLUMNS, INFORMATION_COLUMNS, ATTRIBUTE_COLUMNS
from pixelbytes.files import atomic_write, add_to_manifest
from pixelbytes.machine import machine

FIGURES = [('text2image.png', 'Sprites drawn from the descriptions of held-out species, each beside its description'),
           ('image2text.png', 'Captions written for held-out sprites'), ('completion.png', 'The bottom half of held-out sprites completed'),
           ('information.png', 'What a partner is worth: bits of each target saved by its own partner against none and against another record\'s, and retrieval against chance'),
           ('colour_swap.png', 'Held-out species drawn from their own Pokédex entry and from the same entry with only the colour word changed'),
           ('loss.png', 'Training and validation loss'), ('samples/sample-00.gif', 'A sprite drawn pixel by pixel from a prompt')]

def _json(path:Path):
    return json.loads(path.read_text()) if path.exists() else None

def label(r:dict) -> str:
    "A row's name in a target: its direction and attribute, its direction, or its model."
    return ' '.join(str(r[k]) for k in ('direction', 'attribute') if r.get(k)) or str(r.get('model'))

def check(rows:list[dict], target:str) -> str:
    "'[ROW:]metric<=v' / '>=' (v a number, another column such as chance_top5, or N*column) for every row holding the metric (whose label is ROW): met by its whole 95% interval, by its mean only, or not."
    m = re.fullmatch(r'(?:(.+):)?(\w+)(<=|>=)([-\w.*]+)', target)
    if not m: raise SystemExit(f'--target {target!r}: expected [ROW:]metric<=value or [ROW:]metric>=value')
    which, key, op, bound = m.groups()
    out = []
    for r in rows:
        if key not in r or (which and label(r) != which): continue
        factor, _, column_name = bound.rpartition('*')
        try: v, column = float(bound), False
        except ValueError: v, column = (None if r.get(column_name) is None else float(factor or 1) * r[column_name]), True
        if v is None and column and column_name in r:                # the row has the column but no value (one record: no chance)
            out.append(f"- {label(r)}: `{key}` {r[key]:.3f}, target {op} {bound}: **not checked ({column_name} has no value)**"); continue
        if v is None: raise SystemExit(f'--target {target!r}: the table has no column {bound!r}')
        lo, hi = r.get(f'{key}_ci') or r.get(f'{key.removesuffix("_bits")}_ci') or [r[key], r[key]]
        side = (lambda x: x <= v) if op == '<=' else (lambda x: x >= v)
        verdict = 'met, whole interval' if side(lo) and side(hi) else 'met by the mean, not by the whole interval' if side(r[key]) else 'not met'
        goal = f'{op} {bound}' + (f' ({v:.3f})' if column else '')
        out.append(f"- {label(r)}: `{key}` {r[key]:.3f} [{lo:.3f}, {hi:.3f}], target {goal}: **{verdict}**")
    return '\n'.join(out)

def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--run', required=True, help='the run folder (holds best/ and metrics.jsonl)')
    p.add_argument('--eval', required=True, help='the evaluation folder (tables and figures)')
    p.add_argument('--seconds', nargs='*', default=[], metavar='STAGE=S', help='wall-clock seconds of each stage, as measured by the caller')
    p.add_argument('--target', nargs='*', default=[], metavar='METRIC<=V', help='targets to check, e.g. bits_per_byte<=2.0 information_bits>=0')
    p.add_argument('--title', default='Reference run')
    p.add_argument('--out', required=True)
    args = p.parse_args(argv)
    run, ev, out = Path(args.run), Path(args.eval), Path(args.out)
    cfg = _json(run/'best'/'config.json')
    if cfg is None: raise SystemExit(f'{run/"best"/"config.json"}: not found (train first)')
    m, t = cfg['model'], cfg['train']
    data = Path(t['data'])
    build = _json(data/'build_report.json') or {}
    seconds = dict(s.split('=', 1) for s in args.seconds)
    total = sum(float(v) for v in seconds.values())
    log = [json.loads(l) for l in open(run/'metrics.jsonl')] if (run/'metrics.jsonl').exists() else []
    val = [r for r in log if 'val_loss' in r]
    best = min(val, key=lambda r: r['val_loss']) if val else {}
    tps = [r['tokens_per_s'] for r in log if 'tokens_per_s' in r]
    from safetensors.numpy import load_file
    params = sum(v.size for v in load_file(str(run/'best'/'model.safetensors')).values())
    steps = log[-1].get('step') if log else None
    length = f"{steps or t['max_steps']:,} steps" if t['max_steps'] or steps else f"{t['epochs']:g} epochs"
    dropout = f", dropout {m['dropout']:g}" if m.get('dropout') else ''
    budget = [f"model: {m['backbone']}, d={m['d_model']}×{m['n_layers']} layers, PxByEmbed k={m['k']}"
              f"{', row/column embeddings for image tokens' if m.get('pos2d') else ''}{dropout}; {params:,} parameters",
              f"training: {length} of {t['batch_size']} whole records" + (f" (the count {t['max_minutes']:g} minutes held, timed first)" if t.get('max_minutes') else '')
              + f", AdamW {t['lr']:g} "
              f"with warmup + cosine, precision {t['mixed_precision']}, layouts {t['layouts']}{' drawn afresh every epoch' if t.get('redraw_layouts') else ''}, "
              f"{t['uncond']:.0%} one-modality records" + (f"; median {sorted(tps)[len(tps) // 2]:,.0f} training tokens/s" if tps else ''),
              f"checkpoint kept: step {best['step']}, the lowest validation loss of {len(val)} validations" if best else None,
              f"data: `{data}`, {build.get('n_kept', '?')} records read, splits " + ', '.join(f'{k} {v}' for k, v in build.get('splits', {}).items()) +
              f", {build.get('flipped', 0)} mirrored training rows among them",
              f"wall clock: {', '.join(f'{k} {float(v) / 60:.1f} min' for k, v in seconds.items())}; total {total / 60:.1f} min" if seconds else None,
              f'machine: {machine()}']
    L = [f'# {args.title}', '', f"Written by `tools/results_page.py` from `{run}` and `{ev}`; every figure below is read from those files.", '',
         '## Budget', '', *[f'- {b}' for b in budget if b], '']
    tf, info, gen, sweep, attrs = (_json(ev/f'{n}.json') for n in ('teacher_forced', 'information', 'generation', 'guidance_sweep', 'attributes'))
    if args.target:
        L += ['## Targets', '', 'Each target is checked on the mean and on the whole 95% interval.', '']
        mine = overall([r for r in [*(tf or []), *(gen or [])] if str(r.get('model', '')).startswith(m['backbone'])] + (info or []) + (attrs or []))   # the model's rows over all records
        L += [c for tg in args.target for c in [check(mine, tg)] if c] + ['']
    split = lambda rows: rows[0].get('split', '?') if rows else '?'
    sections = [('Teacher-forced', tf, [c for c in TABLE_COLUMNS if c[0] in ('model', 'bits_per_byte', 'bits_per_pixel', 'bits_per_record', 'accuracy')],
                 'beside baselines fitted on the training split, on exactly the same tokens'),
                ('What each modality tells the other', info, INFORMATION_COLUMNS + [('retrieval_pool', 'pool', '{}')],
                 'information; retrieval among the first records (the pool), chance beside them'),
                ('Pokédex attributes', attrs, ATTRIBUTE_COLUMNS, 'colour swap (teacher-forced, all species), naming and drawing (the first generated); '
                 'baselines: the most common training value or chance, the oracle a nearest-centroid classifier on the sprite\'s mean colour'),
                ('Generation', gen, [c for c in GENERATION_COLUMNS if gen and any(c[0] in r for r in gen)], 'at the guidance scale chosen on validation'),
                ('Guidance scales tried on validation', sweep, [c for c in GENERATION_COLUMNS if sweep and any(c[0] in r for r in sweep)], 'the chosen one is used on test')]
    for head, rows, cols, what in sections:
        L += [f'## {head}', '']
        L += [f'{split(rows)} split, {what}; 95% bootstrap intervals over records.', '', markdown_table(rows, with_subset(cols, rows)), ''] if rows else \
             [f'(no table: `{ev}` has none)', '']
    L += ['## Figures', '']
    for f, caption in FIGURES:
        if (ev/f).exists(): L += [f'![{caption}]({os.path.relpath(ev/f, out.parent)})', '', f'*{caption}.*', '']
    atomic_write(out, '\n'.join(l for l in L if l is not None) + '\n'); add_to_manifest(out.parent, out.name)   # a sealed results folder lists it
    print(f'{out}: written')

if __name__ == '__main__': main()
