"""The study's figures, the figures the report's prose reads (macros.tex) and its page (README.md), from the gathered rows."""
import json, sys
import numpy as np
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT/'tools'))
import study                                                          # noqa: E402
from study import BACKBONES, SIZES, RESULTS, LRS                      # noqa: E402

COLOURS = {'lstm': '#1b9e77', 'transformer': '#d95f02', 'mamba': '#7570b3'}
NAMES = {'lstm': 'LSTM', 'transformer': 'Transformer', 'mamba': 'Mamba'}


def mean_and_band(summary, data, split, backbone, key):
    "Parameters, means and intervals over seeds of `key` for `backbone` across sizes (sizes with a value only)."
    rs = sorted((r for r in summary if r['grid'] and (r['data'], r['split'], r['backbone']) == (data, split, backbone) and isinstance(r.get(key), dict)),
                key=lambda r: r['params'])
    x = [r['params'] for r in rs]; m = [r[key]['mean'] for r in rs]
    lo = [(r[key]['ci_seeds'] or [r[key]['mean']] * 2)[0] for r in rs]; hi = [(r[key]['ci_seeds'] or [r[key]['mean']] * 2)[1] for r in rs]
    return x, m, lo, hi, [r['n_seeds'] for r in rs]


def plot_against_parameters(summary, data, split, keys, path, title):
    "One panel per measure: the mean over seeds against parameters, one line per backbone with its band over seeds; baselines as lines."
    import matplotlib.pyplot as plt
    fig, axes = plt.subplots(1, len(keys), figsize=(4.2 * len(keys), 3.4), squeeze=False)
    for ax, (key, label) in zip(axes[0], keys):
        for b in BACKBONES:
            x, m, lo, hi, n = mean_and_band(summary, data, split, b, key)
            if not x: continue
            ax.plot(x, m, 'o-', color=COLOURS[b], label=f'{NAMES[b]} (seeds: {"/".join(map(str, n))})')
            ax.fill_between(x, lo, hi, color=COLOURS[b], alpha=0.2)
        for r in summary:
            if (r['data'], r['split']) == (data, split) and r['n_seeds'] == 0 and isinstance(r.get(key), dict):
                ax.axhline(r[key]['mean'], color='grey', ls='--', lw=1)
                ax.annotate(r['model'], (ax.get_xlim()[0], r[key]['mean']), fontsize=7, color='grey', va='bottom')
        ax.set_xscale('log'); ax.set_xlabel('parameters'); ax.set_ylabel(label); ax.grid(alpha=0.3)
    axes[0][0].legend(fontsize=7)
    fig.suptitle(title, fontsize=10); fig.tight_layout(); fig.savefig(path, dpi=120); plt.close(fig)
    return path.name


def plot_curves(rows:dict, data:str, path:Path):
    "Validation loss (bits per token) against training seconds, from each run's metrics.jsonl: the chosen rates at the middle size, each seed a line."
    import matplotlib.pyplot as plt
    from pixelbytes.train import read_metrics
    fig, ax = plt.subplots(figsize=(6.4, 3.6)); drawn = set()
    for r in sorted(rows.values(), key=lambda r: r['name']):
        if r['data'] != data or r['size'] != 'middle' or r['lr'] != study.chosen_rates(data, rows).get(r['backbone']): continue
        m = study.OUT/'runs'/r['name']/'run'/'metrics.jsonl'
        if not m.exists(): continue
        val = [x for x in read_metrics(m) if 'val_loss' in x]
        pace = (r['seconds'] or 0) / max(1, r['steps'])
        xs = [x.get('seconds', x['step'] * pace) for x in val]; ys = [x['val_loss'] / np.log(2) for x in val]
        ax.plot(xs, ys, '.-', color=COLOURS[r['backbone']], alpha=0.8, label=None if r['backbone'] in drawn else f"{NAMES[r['backbone']]} (lr {r['lr']:g})")
        drawn.add(r['backbone'])
    if not drawn: plt.close(fig); return None
    ax.set_xlabel('training seconds (2 CPU cores)'); ax.set_ylabel('validation bits per token'); ax.set_yscale('log'); ax.grid(alpha=0.3)
    ax.legend(fontsize=8); ax.set_title(f'{data}: validation loss against CPU time, middle size, each seed a line', fontsize=10)
    fig.tight_layout(); fig.savefig(path, dpi=120); plt.close(fig)
    return path.name


def plot_minutes(summary:list[dict], rows:dict, path:Path):
    "Exact sprites and captions against training minutes, each backbone at its best size (validation): test solid, systematic dashed."
    import matplotlib.pyplot as plt
    best, rates = study.best_sizes('toy', rows), study.chosen_rates('toy', rows)
    fig, axes = plt.subplots(1, 2, figsize=(9, 3.4)); drawn = False
    for ax, (key, label) in zip(axes, (('t2i_exact', 'exact sprites'), ('caption_exact_any_order', 'captions exact, any order'))):
        for b, size in best.items():
            for split, ls in (('test', '-'), ('systematic', '--')):
                rs = sorted((r for r in summary if (r['data'], r['split'], r['backbone'], r['size'], r['lr']) == ('toy', split, b, size, rates[b])
                             and isinstance(r.get(key), dict)), key=lambda r: r['minutes'])
                if len(rs) < 2: continue
                x = [r['minutes'] for r in rs]; m = [r[key]['mean'] for r in rs]
                err = np.array([[r[key]['mean'] - (r[key]['ci_seeds'] or [r[key]['mean']] * 2)[0], (r[key]['ci_seeds'] or [r[key]['mean']] * 2)[1] - r[key]['mean']] for r in rs]).T
                ax.errorbar(x, m, yerr=err, fmt='o' + ls, color=COLOURS[b], capsize=3, alpha=1 if split == 'test' else 0.6,
                            label=f'{NAMES[b]} {size}, {split}'); drawn = True
        ax.set_xscale('log', base=2); ax.set_xlabel('training minutes (2 CPU cores)'); ax.set_ylabel(label); ax.set_ylim(-0.02, 1.02); ax.grid(alpha=0.3)
    if not drawn: plt.close(fig); return None
    axes[0].legend(fontsize=7); fig.suptitle('Toy set: what more minutes buy (one seed a point; the grid\'s point: mean and t-interval over its seeds)', fontsize=10)
    fig.tight_layout(); fig.savefig(path, dpi=120); plt.close(fig)
    return path.name


def draw(runs:list[dict], summary:list[dict], rows:dict) -> dict:
    "Every figure the page shows that the finished runs allow: {name: file}."
    figs = {}
    if any(r['data'] == 'toy' for r in runs):
        figs['toy_parameters'] = plot_against_parameters(summary, 'toy', 'test', [('bits_per_record', 'test bits per record'),
            ('t2i_exact', 'exact sprites (test)'), ('caption_exact_any_order', 'captions exact, any order (test)')], RESULTS/'toy_parameters.png',
            'Toy set, test split: each backbone at three sizes, equal training time (mean over seeds, band: 95% t-interval over seeds)')
        figs['toy_curves'] = plot_curves(rows, 'toy', RESULTS/'toy_curves.png')
        figs['toy_minutes'] = plot_minutes(summary, rows, RESULTS/'toy_minutes.png')
    if any(r['data'] == 'pokemon' for r in runs):
        figs['pokemon_parameters'] = plot_against_parameters(summary, 'pokemon', 'test', [('bits_per_byte', 'test bits per byte'),
            ('bits_per_pixel', 'test bits per pixel')], RESULTS/'pokemon_parameters.png', 'Pokémon, test species: equal training time')
        figs['pokemon_curves'] = plot_curves(rows, 'pokemon', RESULTS/'pokemon_curves.png')
    return {k: v for k, v in figs.items() if v}


def signed(fmt:str, x:float) -> str: return fmt.format(x).replace('-', '−')      # a minus sign, not a hyphen


def fmt_ci(ci, fmt):
    return f'[{signed(fmt, ci[0])}, {signed(fmt, ci[1])}]' if ci else '(one seed: no interval)'


def verdict(diffs:list[dict], data:str, split:str, measure:str, size:str) -> str:
    "Which backbone is better on `measure` at `size` (lower bits, higher anything else), by the intervals over seeds; or that none is distinguishable."
    lower = measure.startswith('bits') or 'bits_given' in measure
    rel = [d for d in diffs if (d['data'], d['split'], d['measure'], d['size']) == (data, split, measure, size)]
    if not rel: return ''
    fmt = '{:+.2f}' if abs(rel[0]['difference']) < 10 else '{:+.1f}'
    wins = []
    for d in rel:
        if not d['claimed']: continue
        better, worse = (d['a'], d['b']) if (d['difference'] < 0) == lower else (d['b'], d['a'])
        wins.append(f"{NAMES[better]} over {NAMES[worse]} ({NAMES[d['a']]} − {NAMES[d['b']]} {signed(fmt, d['difference'])} {fmt_ci(d['ci_seeds'], fmt)}, {d['n_seeds']} seeds)")
    if not wins: return f"no backbone is distinguishable from another (every interval over seeds holds zero)"
    return '; '.join(wins)


MACRO_MEASURES = {'bits_per_record': 'Bits', 't2i_exact': 'Sprites', 'caption_exact_any_order': 'Captions', 'bits_per_byte': 'Byte',
                  'bits_per_pixel': 'Pixel', 't2i_specificity_bits': 'SpecTI', 'i2t_specificity_bits': 'SpecIT'}   # (TeX names hold no digits)


def compile_sentence(rows:list[dict]) -> str:
    "What torch.compile did to each backbone's training step, per data set, and where the study uses it."
    parts = []
    for data, name in (('toy', 'on the toy set'), ('pokemon', "on Pokémon's whole records")):
        rs = [r for r in rows if r['data'] == data]
        if not rs: continue
        pays = [r for r in rs if r['pays']]
        ratios = ', '.join(f"{NAMES[r['backbone']]} {r['speedup']:.2f}" for r in rs)
        used = ('; so ' + ' and '.join(f"the {NAMES[r['backbone']]}'s runs there are compiled (compiling took {r['compile_seconds']:.0f} s)" for r in pays)
                if pays else '; so no run there is compiled')
        parts.append(f"{name} a compiled training step ran at {ratios} times the speed of an eager one{used}")
    return '; '.join(parts) + '.'


def macros(summary, diffs, rates, rows) -> dict:
    "The figures the report's prose cites, formatted as printed."
    v = {}
    cost = [r for r in rows.values()]
    v['Runs'] = len(rows)
    v['CpuHours'] = f"{sum((r['seconds'] or 0) for r in cost) / 3600:.1f}"
    v['Machine'] = machine_name(rows).split(',')[0]
    v['ToyMinutes'], v['PokemonMinutes'] = f"{study.TRAIN_SECONDS['toy'] / 60:g}", f"{study.TRAIN_SECONDS['pokemon'] / 60:g}"
    v['MatchPercent'] = f"{study.MATCH:.0%}".replace('%', '\\%')
    if (RESULTS/'compile.json').exists(): v['CompileSentence'] = compile_sentence(json.loads((RESULTS/'compile.json').read_text())['rows'])
    for data in ('toy', 'pokemon'):
        D = data.capitalize()
        for r in rates:
            if r['data'] == data and r['chosen']: v[f'{D}Lr{NAMES[r["backbone"]]}'] = f"{r['chosen']:g}"
        for size in SIZES:
            for r in summary:
                if (r['data'], r['split'], r['size']) == (data, 'test', size) and r['n_seeds'] and r['grid']:
                    S = size.capitalize(); B = NAMES[r['backbone']]
                    v[f'{D}{S}{B}Params'] = f"{r['params'] / 1e6:.2f}M"; v[f'{D}{S}{B}Seeds'] = r['n_seeds']
                    v[f'{D}{S}{B}Steps'] = f"{r['steps']:,.0f}"
            for measure, short in MACRO_MEASURES.items():
                text = verdict(diffs, data, 'test', measure, size)
                if text: v[f'{D}{size.capitalize()}Verdict{short}'] = text.replace('−', '$-$')
    return v


def machine_name(rows:dict) -> str:
    "The machine the runs were made on (that of this one when none has finished)."
    if rows: return next(iter(rows.values()))['machine']
    from results_page import machine
    return machine()


def page(summary, diffs, rates, tables, figs, rows, timefit:str='') -> str:
    "The book's page of the study."
    from pixelbytes.evaluate import markdown_table
    from study_report import rate_columns
    lines = ['# LSTM, Transformer and Mamba at equal CPU time', '',
             'Every run trains for the same wall-clock seconds on one machine '
             f"({machine_name(rows)}): {study.TRAIN_SECONDS['toy'] / 60:g} minutes on the toy set, "
             f"{study.TRAIN_SECONDS['pokemon'] / 60:g} on Pokémon, as a step count: every configuration's seconds per step were timed once, "
             'in rounds over all configurations (`calibration-*.json`), and the seconds converted at that pace, the same steps for every seed '
             "and a learning-rate schedule that runs to its end (the tables give the seconds the runs took). Each backbone's learning rate is the one "
             'of ' + ', '.join(f'{lr:g}' for lr in LRS) + ' (and one rate beyond them when the best is at their edge: twice the highest or half the '
             'lowest) with the fewest validation bits per record at the middle size (seed 0); the test '
             'split only reports. Cells: the mean over seeds ± the half-width of its 95% Student-t interval over seeds (what covers training noise; '
             'none with one seed); the first bits measure also with its 95% bootstrap interval over records [low, high]. '
             'The baselines are fitted on the training split and scored on the same records.', '',
             *([f'Why a calibrated step count and not a fit at each run\'s start: {timefit} Those runs are kept apart '
                '(`timefit-runs.json`) and none of them is in the tables.', ''] if timefit else []),
             *(['## Learning rates (validation bits per record, middle size, seed 0)', '',
                markdown_table([{**r, 'chosen': f"{r['chosen']:g}" + (' (edge)' if r['at_edge'] else '') if r['chosen'] else None} for r in rates],
                               [('data', 'data', '{}'), ('backbone', 'backbone', '{}')] + [(f'lr {lr:g}', f'lr {lr:g}', '{:.2f}') for lr in rate_columns(rates)]
                               + [('chosen', 'chosen', '{}')]), '',
                '(edge): the rate chosen is the highest or lowest tried; the grid is widened once, by one rate beyond the edge of the first three.', '']
               if rates else [])]
    if not rows: lines += ['No run of the study has finished yet: `make study` runs them (hours, in the background, resumable).', '']
    for data, title, table in tables:
        lines += [f'## {"Toy set" if data == "toy" else "Pokémon"}, {title}', '', table, '']
    verdicts = [f'- {"toy set" if data == "toy" else "Pokémon"}, {split}, {size}, {label}: {text}.'
                for (data, split), keys in VERDICTS.items() for size in SIZES for key, label in keys
                if (text := verdict(diffs, data, split, key, size))]
    if verdicts: lines += ['## Which backbone is better, by the intervals over seeds', ''] + verdicts + ['']
    for name, file in figs.items():
        lines += [f'![{name}]({file})', '']
    for data in ('toy', 'pokemon'):
        pics = sorted((RESULTS/'samples').glob(f'{data}-*.png')) if (RESULTS/'samples').exists() else []
        if not pics: continue
        lines += [f'## What each backbone draws and writes ({"toy set" if data == "toy" else "Pokémon"}, first test records, middle size, seed 0)', '']
        for b in BACKBONES:
            for p in (p for p in pics if p.name.startswith(f'{data}-{b}-')):
                lines += [f'**{NAMES[b]}**, {p.stem.split("-")[-1].replace("2", " → ")}:', '', f'![{p.stem}](samples/{p.name})', '']
    claimed = [d for d in diffs if d['claimed']]
    lines += ['## Differences claimed (the interval over seeds excludes zero)', '',
              markdown_table(claimed, [('data', 'data', '{}'), ('split', 'split', '{}'), ('size', 'size', '{}'), ('a', 'a', '{}'), ('b', 'b', '{}'),
                                       ('label', 'measure', '{}'), ('n_seeds', 'seeds', '{}'), ('difference', 'a − b', '{:+.3f}')]) if claimed else 'None yet.', '']
    from pixelbytes.evaluate import split_wide_tables
    return split_wide_tables('\n'.join(lines)) + '\n'


VERDICTS = {('toy', 'test'): [('bits_per_record', 'bits per record'), ('t2i_exact', 'exact sprites'), ('caption_exact_any_order', 'captions exact in any order'),
                              ('t2i_specificity_bits', 'specificity caption → sprite'), ('i2t_specificity_bits', 'specificity sprite → caption')],
            ('toy', 'systematic'): [('bits_per_record', 'bits per record'), ('t2i_exact', 'exact sprites'), ('caption_exact_any_order', 'captions exact in any order')],
            ('pokemon', 'test'): [('bits_per_byte', 'bits per byte'), ('bits_per_pixel', 'bits per pixel'), ('t2i_specificity_bits', 'specificity caption → sprite'),
                                  ('i2t_specificity_bits', 'specificity sprite → caption')]}
