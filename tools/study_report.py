"""The study's tables, figures and page from its finished runs (`python tools/study.py report`): report/results/study/.

runs.json: one row per run and split it was scored on (test; on the toy set also systematic), with what the run cost.
summary.json: one row per configuration (data, split, backbone, size) with `n_seeds` and, for each measure, its `mean` over
seeds, `ci_seeds` (95% Student-t interval over seeds: what covers training noise) and `ci_records` (a bootstrap over
records: of the mean over seeds for bits, from the per-record scores; seed 0's own for the other measures); the baselines
(fitted on training data, scored on the same tokens and records) are rows of it too, with `n_seeds` 0.
differences.json: each pair of backbones at each size, paired by seed (and by record, for bits), claimed only when the
interval over seeds excludes zero.
"""
import json, math, sys
import numpy as np
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT)); sys.path.insert(0, str(ROOT/'tools'))
import study                                                                    # noqa: E402
from study import BACKBONES, SIZES, RESULTS, Spec                         # noqa: E402

RUN_FIELDS = ('name', 'data', 'backbone', 'size', 'd_model', 'n_layers', 'params', 'seed', 'lr', 'minutes', 'seconds', 'cpu_seconds', 'tokens',
              'steps', 'best_step', 'schedule_steps', 'flops_per_token', 'compiled', 'machine', 'val_bits_per_record', 'val_bits_per_byte', 'val_bits_per_pixel')
COST = ('params', 'seconds', 'tokens', 'steps', 'flops_per_token')
BITS = ('bits_per_record', 'bits_per_byte', 'bits_per_pixel')                 # ratio estimators over records (records.json)
# the measures each data set's tables show (key, header, format), the first the one that ranks
TOY_MEASURES = [('bits_per_record', 'bits/record', '{:.1f}'), ('t2i_bits_given_partner', 'sprite bits, caption given', '{:.1f}'),
                ('i2t_bits_given_partner', 'caption bits, sprite given', '{:.1f}'), ('t2i_information_bits', 'information t→i', '{:.1f}'),
                ('i2t_information_bits', 'information i→t', '{:.1f}'), ('t2i_specificity_bits', 'specificity t→i', '{:.1f}'),
                ('i2t_specificity_bits', 'specificity i→t', '{:.1f}'), ('t2i_retrieval_top1', 'retrieval t→i', '{:.2f}'),
                ('i2t_retrieval_top1', 'retrieval i→t', '{:.2f}'), ('t2i_pixel_accuracy', 'pixel acc.', '{:.3f}'),
                ('t2i_exact', 'exact sprites', '{:.2f}'), ('caption_exact_any_order', 'captions, any order', '{:.2f}'),
                ('one shape:t2i_exact', 'exact, 1 shape', '{:.2f}'), ('two shapes:t2i_exact', 'exact, 2 shapes', '{:.2f}'),
                ('one shape:caption_exact_any_order', 'captions, 1 shape', '{:.2f}'), ('two shapes:caption_exact_any_order', 'captions, 2 shapes', '{:.2f}')]
SYSTEMATIC_MEASURES = [m for m in TOY_MEASURES if 'information' not in m[0] and 'specificity' not in m[0] and 'retrieval' not in m[0] and 'given' not in m[0]]
PK_MEASURES = [('bits_per_byte', 'bits/byte', '{:.3f}'), ('bits_per_pixel', 'bits/pixel', '{:.3f}'), ('t2i_information_bits', 'information t→i', '{:.1f}'),
               ('i2t_information_bits', 'information i→t', '{:.1f}'), ('t2i_specificity_bits', 'specificity t→i', '{:.2f}'),
               ('i2t_specificity_bits', 'specificity i→t', '{:.2f}'), ('t2i_retrieval_top5', 'retrieval top-5 t→i', '{:.3f}'),
               ('i2t_retrieval_top5', 'retrieval top-5 i→t', '{:.3f}'), ('attr:image→text colour:accuracy', 'colour named', '{:.2f}'),
               ('attr:text→image colour:accuracy', 'colour drawn', '{:.2f}'), ('attr:image→text shape:accuracy', 'shape named', '{:.2f}'),
               ('attr:image→text type:accuracy', 'type named', '{:.2f}'), ('attr:text→image colour word (swap):bits_saved', 'colour swap bits', '{:.2f}'),
               ('completion_pixel_accuracy', 'completion acc.', '{:.3f}')]
MEASURES = {('toy', 'test'): TOY_MEASURES, ('toy', 'systematic'): SYSTEMATIC_MEASURES, ('pokemon', 'test'): PK_MEASURES}
GENERATED = ('t2i_pixel_accuracy', 'exact', 'caption', 'attr:', 'completion')     # measures of what a model writes (a table of their own)
TABLES = {(data, split, group): [m for m in measures if any(g in m[0] for g in GENERATED) == (group == 'generation')]
          for (data, split), measures in MEASURES.items() if split == 'test' for group in ('bits', 'generation')}
TABLES[('toy', 'systematic', 'all')] = SYSTEMATIC_MEASURES          # (one bits measure: one table)
TABLE_TITLES = {'bits': 'teacher-forced bits and information', 'generation': 'what it writes', 'all': 'bits and what it writes'}


def split_rows(rows:dict) -> list[dict]:
    """One row per run and split: the run's fields, `split`, and that split's measures (systematic ones without their prefix);
    `grid`: the run is one of the comparison's (its backbone's chosen rate, the data set's training time)."""
    rates = {d: study.chosen_rates(d, rows) for d in ('toy', 'pokemon')}
    out = []
    for r in sorted(rows.values(), key=lambda r: (r['data'], BACKBONES.index(r['backbone']), list(SIZES).index(r['size']), r['lr'], r['seed'])):
        base = {k: r.get(k) for k in RUN_FIELDS}
        base['grid'] = rates[r['data']].get(r['backbone']) == r['lr'] and minutes_of(r) == study.TRAIN_SECONDS[r['data']] / 60
        test = {k: v for k, v in r.items() if k not in base and not k.startswith('systematic_')}
        out.append({**base, 'split': 'test', **test})
        sysm = {k[len('systematic_'):]: v for k, v in r.items() if k.startswith('systematic_')}
        if sysm: out.append({**base, 'split': 'systematic', **sysm})
    return out


def t_interval(values) -> list[float]|None:
    "95% Student-t interval of the mean of a few seeds' values (None for fewer than two)."
    from scipy import stats
    v = np.asarray([x for x in values if x is not None], float)
    if len(v) < 2: return None
    h = stats.t.ppf(0.975, len(v) - 1) * v.std(ddof=1) / math.sqrt(len(v))
    return [float(v.mean() - h), float(v.mean() + h)]


def record_scores(name:str, split:str) -> dict|None:
    "Per-record sums of the model's scores in a run's evaluation (records.json), or None when the run's folder is not here."
    path = study.OUT/'runs'/name/f'eval-{split}'/'records.json'
    if not path.exists(): return None
    scores = json.loads(path.read_text())['scores']
    model = next(k for k in scores if k.startswith(name.split('-')[1]))           # the model's row (the baselines' are the others)
    return {k: np.asarray(v, float) for k, v in scores[model].items()}


def ratio_parts(s:dict, key:str) -> tuple[np.ndarray, np.ndarray]:
    "Per-record numerator (bits) and denominator of a bits measure, whose value is sum(num) / sum(den)."
    nll = {'bits_per_record': s['nll_text'] + s['nll_image'] + s['nll_separator'], 'bits_per_byte': s['nll_text'], 'bits_per_pixel': s['nll_image']}[key]
    den = {'bits_per_record': s['sequences'], 'bits_per_byte': s['n_text'], 'bits_per_pixel': s['n_image']}[key]
    return nll / math.log(2), den


def records_interval(names:list[str], split:str, key:str, sign=None) -> list[float]|None:
    "Bootstrap over records of a bits measure averaged over the runs `names` (or, with `sign`, of the difference of two averages)."
    from pixelbytes.evaluate import bootstrap_weights, percentile_ci
    parts = []
    for group in ([names] if sign is None else names):
        got = [record_scores(n, split) for n in group]
        if any(g is None for g in got): return None
        parts.append([ratio_parts(g, key) for g in got])
    w = bootstrap_weights(len(parts[0][0][0]))
    value = lambda ps: np.mean([(w @ num) / (w @ den) for num, den in ps], axis=0)
    samples = value(parts[0]) if sign is None else value(parts[0]) - value(parts[1])
    return percentile_ci(samples)


def minutes_of(row:dict) -> float: return row.get('minutes') or study.TRAIN_SECONDS[row['data']] / 60


def summarize(rows:list[dict], baselines:list[dict]) -> list[dict]:
    "One row per configuration (data, split, backbone, size, lr) and per baseline; each measure as {mean, ci_seeds, ci_records}."
    groups = {}
    for r in rows: groups.setdefault((r['data'], r['split'], r['backbone'], r['size'], r['lr'], minutes_of(r)), []).append(r)
    out = []
    for (data, split, backbone, size, lr, minutes), rs in groups.items():
        rs = sorted(rs, key=lambda r: r['seed'])
        row = {'data': data, 'split': split, 'model': backbone, 'backbone': backbone, 'size': size, 'lr': lr, 'minutes': minutes, 'grid': rs[0]['grid'], 'n_seeds': len(rs),
               'seeds': [r['seed'] for r in rs], **{k: float(np.mean([r[k] for r in rs if r.get(k) is not None] or [np.nan])) for k in COST}}
        keys = sorted({k for r in rs for k, v in r.items() if isinstance(v, (int, float)) and not isinstance(v, bool) and not k.startswith('baseline:')}
                      - set(RUN_FIELDS) - {'seed'})
        for k in keys:
            vals = [r.get(k) for r in rs]
            if any(v is None for v in vals): continue
            rec = records_interval([r['name'] for r in rs], split, k) if k in BITS else rs[0].get(f'{k}_ci')
            row[k] = {'mean': float(np.mean(vals)), 'ci_seeds': t_interval(vals), 'ci_records': rec}
        out.append(row)
    return out + baselines


def baseline_rows(rows:list[dict]) -> list[dict]:
    "The baselines of each data set and split, read from any run's evaluation there (they are fitted on train and do not depend on the run)."
    out, seen = [], set()
    for r in rows:
        names = sorted({k.split(':')[1] for k in r if k.startswith('baseline:')})
        for name in names:
            if (r['data'], r['split'], name) in seen: continue
            seen.add((r['data'], r['split'], name))
            vals = {k.split(':', 2)[2]: v for k, v in r.items() if k.startswith(f'baseline:{name}:') and not k.endswith('_ci')}
            out.append({'data': r['data'], 'split': r['split'], 'model': name, 'backbone': None, 'size': None, 'lr': None, 'grid': False, 'n_seeds': 0,
                        **{k: {'mean': v, 'ci_seeds': None, 'ci_records': r.get(f'baseline:{name}:{k}_ci')} for k, v in vals.items()}})
    return out


def differences(rows:list[dict]) -> list[dict]:
    "Each pair of backbones at each size: mean difference over the seeds both have, its t-interval over seeds, and (bits) paired over records."
    out = []
    for (data, split), measures in MEASURES.items():
        for size in SIZES:
            by = {b: {r['seed']: r for r in rows if r['grid'] and (r['data'], r['split'], r['backbone'], r['size']) == (data, split, b, size)} for b in BACKBONES}
            for i, a in enumerate(BACKBONES):
                for b in BACKBONES[i + 1:]:
                    seeds = sorted(set(by[a]) & set(by[b]))
                    if not seeds: continue
                    for key, label, fmt in measures:
                        d = [by[a][s].get(key) - by[b][s].get(key) for s in seeds if by[a][s].get(key) is not None and by[b][s].get(key) is not None]
                        if not d: continue
                        ci = t_interval(d)
                        rec = records_interval([[by[a][s]['name'] for s in seeds], [by[b][s]['name'] for s in seeds]], split, key, sign=True) if key in BITS else None
                        out.append({'data': data, 'split': split, 'size': size, 'a': a, 'b': b, 'measure': key, 'label': label, 'n_seeds': len(d),
                                    'difference': float(np.mean(d)), 'ci_seeds': ci, 'ci_records': rec,
                                    'claimed': ci is not None and (ci[0] > 0 or ci[1] < 0)})
    return out


def rates_table(rows:dict) -> list[dict]:
    "The learning rates tried per backbone (middle size, seed 0): validation bits per record of each, and the one chosen."
    out = []
    for data in ('toy', 'pokemon'):
        chosen = study.chosen_rates(data, rows)
        for b in BACKBONES:
            tried = study.rates_tried(data, b, rows)
            got = {lr: rows.get(Spec(data, b, 'middle', lr, 0).name) for lr in tried}
            if not any(got.values()): continue
            out.append({'data': data, 'backbone': b, **{f'lr {lr:g}': (g['val_bits_per_record'] if g else None) for lr, g in got.items()},
                        'chosen': chosen.get(b), 'at_edge': chosen.get(b) in (min(tried), max(tried))})
    return out


def rate_columns(rates:list[dict]) -> list[float]:
    "Every rate some backbone tried, in order."
    return sorted({float(k[3:]) for r in rates for k in r if k.startswith('lr ')})


def cell(row:dict, key:str, fmt:str, which:str='ci_seeds') -> str:
    "A table cell: the mean over seeds ± the half-width of its t-interval over seeds (symmetric), or the mean [its interval over records]."
    from pixelbytes.evaluate import _fmt
    v = row.get(key)
    if not isinstance(v, dict): return '–'
    ci = v.get(which)
    if not ci: return _fmt(fmt, v['mean'])
    return _fmt(fmt, v['mean']) + (f' ± {_fmt(fmt, (ci[1] - ci[0]) / 2)}' if which == 'ci_seeds' else f' [{_fmt(fmt, ci[0])}, {_fmt(fmt, ci[1])}]')


def row_name(r:dict) -> str: return f"{r['model']} {r['size']}" if r['n_seeds'] else r['model']


def table_rows(summary:list[dict], data:str, split:str) -> list[dict]:
    "The grid's configurations of a data set and split (smallest first, backbones in order), then its baselines."
    return sorted((r for r in summary if (r['data'], r['split']) == (data, split) and (r['n_seeds'] == 0 or r['grid'])),
                  key=lambda r: (r['n_seeds'] == 0, list(SIZES).index(r['size']) if r['size'] else 0, BACKBONES.index(r['backbone']) if r['backbone'] else 0))


def cost_table(summary:list[dict], data:str) -> tuple[list[str], list[list[str]]]:
    "Header and rows of what each configuration of a data set cost: parameters, seeds, rate, seconds, steps, tokens, compute (means over seeds)."
    header = ['model', 'params', 'seeds', 'lr', 'seconds', 'steps', 'tokens (M)', 'FLOPs/token (M)', 'TFLOP']
    return header, [[row_name(r), f"{r['params'] / 1e6:.2f}M", str(r['n_seeds']), f"{r['lr']:g}", f"{r['seconds']:.0f}", f"{r['steps']:,.0f}",
                     f"{r['tokens'] / 1e6:.1f}", f"{r['flops_per_token'] / 1e6:.1f}", f"{r['tokens'] * r['flops_per_token'] / 1e12:.0f}"]
                    for r in table_rows(summary, data, 'test') if r['n_seeds']]


def config_table(summary:list[dict], data:str, split:str, group:str) -> tuple[list[str], list[list[str]]]:
    "Header and rows of one table: each configuration (mean [interval over seeds], its seeds), then the baselines; a bits measure first also over records."
    measures = TABLES[(data, split, group)]
    first = [measures[0]] if measures[0][0] in BITS else []
    header = ['model', 'seeds'] + [f'{m[1]} [records]' for m in first] + [m[1] for m in measures]
    rows = [[row_name(r), str(r['n_seeds']) if r['n_seeds'] else '–'] + [cell(r, k, f, 'ci_records') for k, _, f in first]
            + [cell(r, k, f) for k, _, f in measures] for r in table_rows(summary, data, split)]
    return header, [r for r in rows if any(c != '–' for c in r[2:])]       # a baseline with none of the table's measures is left out


SAMPLE_PICTURES = ('text2image.png', 'image2text.png', 'completion.png')


def copy_samples(rows:dict):
    "Each backbone's pictures (test split, middle size, seed 0, its chosen rate) into samples/, for the page and the report."
    import shutil
    for data in ('toy', 'pokemon'):
        for b, lr in study.chosen_rates(data, rows).items():
            ev = study.Spec(data, b, 'middle', lr, 0).folder/'eval-test'
            for pic in SAMPLE_PICTURES:
                if (ev/pic).exists():
                    (RESULTS/'samples').mkdir(exist_ok=True); shutil.copyfile(ev/pic, RESULTS/'samples'/f'{data}-{b}-{pic}')


def demo_choice(summary:list[dict]) -> dict:
    """Which toy configuration meets the demo's targets best on validation (never test): the most targets met by its mean
    over seeds, then the highest mean of its exact sprites and captions; and whether the demo's own (its backbone at the
    middle size: the demo's width and depth) is it."""
    from pixelbytes.demo import DEMO, DEMO_TARGETS
    rows = [r for r in summary if r['grid'] and (r['data'], r['split']) == ('toy', 'test') and all(isinstance(r.get(f'val_{k}'), dict) for k in DEMO_TARGETS)]
    if not rows: return {}
    def score(r):
        v = {k: r[f'val_{k}']['mean'] for k in DEMO_TARGETS}
        return (sum(v[k] >= goal for k, goal in DEMO_TARGETS.items()), (v['t2i_exact'] + v['caption_exact_any_order']) / 2)
    ranked = sorted(rows, key=score, reverse=True)
    table = [{'backbone': r['backbone'], 'size': r['size'], 'params': r['params'], 'n_seeds': r['n_seeds'], 'lr': r['lr'],
              **{f'val_{k}': r[f'val_{k}']['mean'] for k in DEMO_TARGETS}, 'targets_met': score(r)[0]} for r in ranked]
    demo = next((t for t in table if (t['backbone'], t['size']) == (DEMO['backbone'], 'middle')), None)
    return {'ranking': table, 'best': table[0], 'demo': demo, 'complete': len(rows) == len(study.SEEDS['toy']) * len(BACKBONES)}


def timefit_rows() -> list[dict]:
    "What the runs trained with a per-run time fit (the demo's way, before the calibration) used: kept in timefit-runs.json."
    folder, path = study.OUT/'runs-timefit', RESULTS/'timefit-runs.json'
    rows = [json.loads(p.read_text()) for p in sorted(folder.glob('*/row.json'))] if folder.exists() else []
    if not rows: return json.loads(path.read_text()) if path.exists() else []
    return [{k: r.get(k) for k in ('name', 'data', 'backbone', 'size', 'seed', 'lr', 'minutes', 'seconds', 'steps', 'schedule_steps', 'machine')} for r in rows]


def timefit_sentence(rows:list[dict]) -> str:
    "How the per-run fit used the runs' time: how many were cut before their schedule's end, and the seconds used by the others."
    if not rows: return ''
    cut = [r for r in rows if r['steps'] < r['schedule_steps']]; whole = [r for r in rows if r['steps'] >= r['schedule_steps']]
    limit = rows[0]['minutes'] * 60
    text = (f"of {len(rows)} runs first trained with a step count fitted at each run's start (the demo's way), {len(cut)} reached their "
            f"{limit:.0f}-second limit before the end of their schedule (at {min(r['steps'] / r['schedule_steps'] for r in cut):.0%} to "
            f"{max(r['steps'] / r['schedule_steps'] for r in cut):.0%} of its steps)" if cut else f"of {len(rows)} runs first trained with a per-run fit, none was cut")
    if whole: text += f", and {len(whole)} ended their schedule after {min(r['seconds'] for r in whole):.0f} to {max(r['seconds'] for r in whole):.0f} seconds"
    return text + '.'


def report():
    "Gather every finished run into report/results/study: runs, summary, differences, rates, tables, figures, macros and README."
    from pixelbytes.evaluate import atomic_write, tex_table, split_wide_tables, latex_macros
    rows = study.finished_rows()
    from outputs import check_results, seal
    check_results(RESULTS, 'study'); RESULTS.mkdir(parents=True, exist_ok=True)
    runs = split_rows(rows)
    summary = summarize(runs, baseline_rows(runs))
    diffs = differences(runs)
    rates = rates_table(rows)
    timefit = timefit_rows()
    for name, obj in (('runs', runs), ('summary', summary), ('differences', diffs), ('rates', rates), ('demo', demo_choice(summary)),
                      ('timefit-runs', timefit)):
        atomic_write(RESULTS/f'{name}.json', json.dumps(obj, indent=1, ensure_ascii=False, default=float))
    esc = lambda s: str(s).replace('_', r'\_').replace('%', r'\%').replace('&', r'\&')
    lrs = rate_columns(rates)
    rate_header = ['data', 'backbone'] + [f'lr {lr:g}' for lr in lrs] + ['chosen']
    if rates: atomic_write(RESULTS/'rates.tex', tex_table(rate_header, [[r['data'], r['backbone']] + [f"{r[f'lr {lr:g}']:.2f}" if r.get(f'lr {lr:g}') is not None else '–'
                                                              for lr in lrs] + [f"{r['chosen']:g}" if r['chosen'] else '–'] for r in rates]))
    md = []
    as_markdown = lambda header, body: '\n'.join(['| ' + ' | '.join(header) + ' |', '|' + ' --- |' * len(header)] + ['| ' + ' | '.join(r) + ' |' for r in body])
    for data in ('toy', 'pokemon'):
        if not any(r['data'] == data and r['n_seeds'] for r in summary): continue
        header, body = cost_table(summary, data)
        atomic_write(RESULTS/f'{data}-cost.tex', tex_table([esc(h) for h in header], [[esc(c) for c in r] for r in body]))
        md.append((data, 'cost', as_markdown(header, body)))
    for data, split, group in TABLES:
        if not any((r['data'], r['split']) == (data, split) and r['n_seeds'] for r in summary): continue
        header, body = config_table(summary, data, split, group)
        atomic_write(RESULTS/f'{data}-{split}-{group}.tex', tex_table([esc(h) for h in header], [[esc(c) for c in r] for r in body]))
        md.append((data, f'{split} split, {TABLE_TITLES[group]}', as_markdown(header, body)))
    copy_samples(rows)
    import study_figures
    figs = study_figures.draw(runs, summary, rows)
    values = study_figures.macros(summary, diffs, rates, rows)
    if timefit: values['TimefitSentence'] = timefit_sentence(timefit).replace('%', '\\%')
    atomic_write(RESULTS/'macros.tex', latex_macros(values, 'st'))
    atomic_write(RESULTS/'README.md', study_figures.page(summary, diffs, rates, md, figs, rows, timefit_sentence(timefit)))
    seal('study', RESULTS)
    print(f'study: {len(rows)} runs gathered into {RESULTS}')
