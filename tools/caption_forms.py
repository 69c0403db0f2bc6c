"""The Pokémon reference (Pokédex-entry captions) against its twin on flavour texts alone, paired on the test species.

    python tools/caption_forms.py --entry runs/pokemon-reference --flavour runs/pokemon-reference-flavour --out results/pokemon-flavour

Both runs hold the same test species (checked). Per species, from each run's checkpoint and evaluation (`eval-best`):
bits per byte of the flavour text (in the reference, the text after its entry) and of the entry, caption first with no
partner; bits per pixel (teacher-forced, both layouts, `records.json`); and the colour of the sprite each draws for the
first `--n` species (temperature 0.7, the reference's guidance scale), classified by the reference's nearest-centroid
classifier against the colour the species' entry names. Differences come with a paired bootstrap over species (one
resample for both sides), 95% interval and two-sided p; information and retrieval among every test species are read from
each evaluation and set side by side. Writes README.md (a book page), caption_forms.json and caption_forms.tex.
"""
import argparse, json, sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from pixelbytes.checkpoint import checkpoint_data
from pixelbytes.dataset import dataset_meta
from pixelbytes.evaluate import (bootstrap_weights, percentile_ci, paired_difference, caption_part_bits, sprite_colours, NearestCentroid,
                                 entry_records, markdown_table, overall, INFORMATION_COLUMNS, tex_table, latex_macros, colour_agreement)
from pixelbytes.files import atomic_write, check_output, OutputError
from pixelbytes.generate import sampling_config, text_to_image
from pixelbytes.models import load_checkpoint
from pixelbytes.tokenizer import clean_caption
from pixelbytes.sources import entry_attributes


def paired_ratio(num_a, den_a, num_b, den_b, n_boot:int=1000, seed:int=0) -> dict:
    "sum(num_a)/sum(den_a) − sum(num_b)/sum(den_b) over the same units, with one bootstrap resample of units for both sides."
    W = bootstrap_weights(len(num_a), n_boot, seed)
    a, b = np.sum(num_a) / np.sum(den_a), np.sum(num_b) / np.sum(den_b)
    ba, bb = (W @ num_a) / (W @ den_a), (W @ num_b) / (W @ den_b)
    boot = ba - bb
    return {'a': float(a), 'a_ci': percentile_ci(ba), 'b': float(b), 'b_ci': percentile_ci(bb), 'difference': float(a - b),
            'difference_ci': percentile_ci(boot), 'p': float(min(1.0, 2 * min((boot <= 0).mean(), (boot >= 0).mean())))}


def model_scores(run:Path) -> dict:
    "The model's per-record teacher-forced sums from the run's evaluation (its row is named after its backbone)."
    backbone = json.loads((run/'best'/'config.json').read_text())['model']['backbone']
    scores = json.loads((run/'eval-best'/'records.json').read_text())['scores']
    return next(v for k, v in scores.items() if k.startswith(backbone))


def _num(v, fmt:str) -> str:
    "A number as the report sets it: '–' when there is none, no negative zero, a minus sign."
    if v is None or v != v: return '–'
    text = fmt.format(v)
    return (text.replace('-', '+' if '+' in fmt else '', 1) if float(text) == 0 else text).replace('-', '$-$')


def _ci(v:float, ci, fmt:str='{:.2f}') -> str:
    return f'{_num(v, fmt)} [{_num(ci[0], fmt)}, {_num(ci[1], fmt)}]' if ci else _num(v, fmt)


def report_values(runs:dict, rows:list[dict], info:dict, test, steps:dict, params:int) -> dict:
    "The figures the report's prose cites, formatted, from the two runs' files and the comparison's rows."
    ev, cfg = runs['entry']/'eval-best', json.loads((runs['entry']/'best'/'config.json').read_text())
    attrs = {(r['direction'], r['attribute']): r for r in json.loads((ev/'attributes.json').read_text())}
    by = {r['measure'].split(' (')[0]: r for r in rows}
    t2i = {k: next(r for r in v if r['direction'] == 'text→image') for k, v in info.items()}
    i2t = {k: next(r for r in v if r['direction'] == 'image→text') for k, v in info.items()}
    swap, drawn = attrs[('text→image', 'colour word (swap)')], attrs.get(('text→image', 'colour'))
    m = cfg['model']; name = {'lstm': 'LSTM', 'transformer': 'Transformer', 'mamba': 'Mamba'}.get(m['backbone'], m['backbone'])
    minutes = cfg['train'].get('max_minutes')
    v = {'Model': f"{params / 1000:.0f}k-parameter {name} ($D={m['d_model']}$, {m['n_layers']} layers)", 'Backbone': name,
         'Steps': f"{steps['entry']:,}", 'StepsFlavour': f"{steps['flavour']:,}", 'Minutes': f"{minutes:g}" if minutes else '–', 'Species': str(swap['n']),
         'Colours': str(round(1 / swap['baseline'])), 'SwapBits': _ci(swap['bits_saved'], swap['bits_saved_ci'], '{:.1f}'),
         'SwapFirst': _ci(swap['accuracy'], swap['accuracy_ci']), 'SwapChance': f"{swap['baseline']:.2f}", 'SwapTies': _num(swap.get('ties'), '{:.2f}'),
         'Pool': str(t2i['entry'].get('retrieval_pool', t2i['entry']['n_retrieval'])), 'ChanceTopFive': f"{t2i['entry']['chance_top5']:.3f}"}
    for k, name in (('entry', 'Entry'), ('flavour', 'Flavour')):
        v[f'Specificity{name}'] = _ci(t2i[k]['specificity_bits'], t2i[k]['specificity_ci'], '{:.1f}')
        v[f'TopFive{name}'] = _ci(t2i[k]['retrieval_top5'], t2i[k]['retrieval_top5_ci'])
        v[f'CaptionTopFive{name}'] = _ci(i2t[k]['retrieval_top5'], i2t[k]['retrieval_top5_ci'])
        v[f'CaptionSpecificity{name}'] = _ci(i2t[k]['specificity_bits'], i2t[k]['specificity_ci'], '{:.1f}')
    for a in ('colour', 'shape', 'type'):
        r = attrs.get(('image→text', a))
        if r: v.update({f'Named{a.title()}': _ci(r['accuracy'], r['accuracy_ci']), f'Named{a.title()}Baseline': _num(r['baseline'], '{:.2f}'),
                        f'Named{a.title()}Oracle': _num(r['oracle'], '{:.2f}'), 'NamedN': str(r['n'])})
    if drawn: v.update({'Drawn': _ci(drawn['accuracy'], drawn['accuracy_ci']), 'DrawnChance': _num(drawn['baseline'], '{:.2f}'), 'DrawnOracle': _num(drawn['oracle'], '{:.2f}')})
    captions = [clean_caption(c) for c in test['caption']]
    v['ColourDistance'] = f"{np.mean([len(c.encode()) - len(c[:a['colour_at'] + len(a['colour'])].encode()) for c in captions if (a := entry_attributes(c))]):.0f}"
    f, e, px, d = by['bits per byte, flavour text'], by['bits per byte, entry'], by['bits per pixel'], by['drawn sprites of the named colour']
    v.update({'FlavourBitsEntryRun': _ci(f['a'], f['a_ci'], '{:.3f}'), 'FlavourBitsFlavourRun': _ci(f['b'], f['b_ci'], '{:.3f}'),
              'FlavourBitsDiff': _ci(f['difference'], f['difference_ci'], '{:+.3f}'), 'EntryBits': _ci(e['a'], e['a_ci'], '{:.3f}'),
              'PixelBitsDiff': _ci(px['difference'], px['difference_ci'], '{:+.3f}'),
              'DrawnEntryRun': _ci(d['a'], d['a_ci']), 'DrawnFlavourRun': _ci(d['b'], d['b_ci']), 'DrawnDiff': _ci(d['difference'], d['difference_ci'], '{:+.2f}'),
              'DrawnN': str(d['species'])})
    return v


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--entry', required=True, help='the reference run (Pokédex-entry captions): best/ and eval-best/')
    p.add_argument('--flavour', required=True, help='its twin on flavour texts alone: best/ and eval-best/')
    p.add_argument('--n', type=int, default=32, help='species drawn by each model (default: 32, as the evaluation)')
    p.add_argument('--out', required=True)
    args = p.parse_args(argv)
    try: out = check_output(args.out, 'results')     # new, empty, or a results folder holding only what its manifest lists
    except OutputError as e: sys.exit(str(e))
    runs = {'entry': Path(args.entry), 'flavour': Path(args.flavour)}
    for k, r in runs.items():
        for f in ('best/config.json', 'eval-best/records.json', 'eval-best/information.json') + (('eval-best/attributes_records.json',) if k == 'entry' else ()):
            if not (r/f).exists(): sys.exit(f'{r/f}: not found (train and evaluate the run first' + (', with --metrics attributes)' if 'attrib' in f else ')'))
    models, tests = {}, {}
    for k, r in runs.items():
        model, tok, saved = load_checkpoint(r/'best'); _, dsd = checkpoint_data(saved, tok)
        models[k], tests[k] = (model, tok), dsd['test']
    if list(tests['entry']['species']) != list(tests['flavour']['species']):
        sys.exit(f'{args.entry} and {args.flavour}: their test splits hold different species; a paired comparison needs the same ones')
    ix, attrs = entry_records(tests['entry'])
    if ix != list(range(len(tests['entry']))): sys.exit(f'{args.entry}: not every test caption starts with a Pokédex entry')
    out.mkdir(parents=True, exist_ok=True)
    parts = {k: caption_part_bits(*models[k], [clean_caption(c) for c in tests[k]['caption']]) for k in runs}
    rows = []
    flavour = paired_ratio(parts['entry']['flavour_bits'], parts['entry']['flavour_bytes'], parts['flavour']['flavour_bits'], parts['flavour']['flavour_bytes'])
    rows.append({'measure': 'bits per byte, flavour text', **flavour})
    entry_part = parts['entry']['entry_bits'].sum() / parts['entry']['entry_bytes'].sum()
    W = bootstrap_weights(len(ix), 1000, 0)
    rows.append({'measure': 'bits per byte, entry', 'a': float(entry_part),
                 'a_ci': percentile_ci((W @ parts['entry']['entry_bits']) / (W @ parts['entry']['entry_bytes'])), 'b': None})
    sa, sb = model_scores(runs['entry']), model_scores(runs['flavour'])
    pix = paired_difference(sa, sb, 'bits_per_pixel')
    bpp = lambda s, w: (w @ np.asarray(s['nll_image'])) / (w @ np.asarray(s['n_image'])) / np.log(2)
    ones = np.ones(len(ix))
    rows.append({'measure': 'bits per pixel', 'a': float(bpp(sa, ones)), 'a_ci': percentile_ci(bpp(sa, W)), 'b': float(bpp(sb, ones)),
                 'b_ci': percentile_ci(bpp(sb, W)), 'difference': pix['difference'], 'difference_ci': pix['ci'], 'p': pix['p']})
    # the colour of drawn sprites: the reference's classifier, the colour each species' entry names
    rec = json.loads((runs['entry']/'eval-best'/'attributes_records.json').read_text())
    gen = json.loads((runs['entry']/'eval-best'/'generation.json').read_text())
    guidance = next((r['guidance'] for r in reversed(gen) if 'guidance' in r), 1.0)
    centroids = NearestCentroid.from_centroids(rec['centroids']['classes'], rec['centroids']['rgb'])
    n = min(args.n, len(ix)); named = [a['colour'] for a in attrs[:n]]
    hits, chance = {}, {}
    for k in runs:
        model, tok = models[k]; ds = tests[k].select(range(n))
        images = [np.asarray(px, np.uint8) for px in ds['pixels']]; caps = [clean_caption(c) for c in ds['caption']]
        drawn = []
        for im, c in zip(images, caps):
            samp = sampling_config(temperature=0.7, guidance=guidance, seed=0, max_new_tokens=im.shape[0] * (im.shape[1] + 1) + 2)
            drawn += text_to_image(model, tok, [c], im.shape[1], im.shape[0], samp)
        got = centroids.predict(sprite_colours(drawn, tok.palette, dataset_meta(tests[k]).get('background_index')))
        hits[k], chance[k] = colour_agreement(got, named)
    d = paired_ratio(hits['entry'], np.ones(n), hits['flavour'], np.ones(n))
    rows.append({'measure': f'drawn sprites of the named colour (first {n})', **d, 'chance_a': chance['entry'], 'chance_b': chance['flavour']})
    info = {k: overall(json.loads((r/'eval-best'/'information.json').read_text())) for k, r in runs.items()}
    for r in rows: r['species'] = len(ix) if 'first' not in r['measure'] else n
    steps = {k: [json.loads(l) for l in open(r/'metrics.jsonl')][-1]['step'] for k, r in runs.items()}
    # the page
    cell = lambda r, k: '–' if r.get(k) is None else f"{r[k]:.3f} [{r[k + '_ci'][0]:.3f}, {r[k + '_ci'][1]:.3f}]"
    diff = lambda r: '–' if r.get('difference') is None else f"{r['difference']:+.3f} [{r['difference_ci'][0]:+.3f}, {r['difference_ci'][1]:+.3f}]"
    pv = lambda r: '–' if r.get('p') is None else ('< 0.001' if r['p'] < 1e-3 else f"{r['p']:.3f}")
    header = ['measure', 'species', 'entry + flavour', 'flavour only', 'difference', 'p']
    table = [[r['measure'], str(r['species']), cell(r, 'a'), cell(r, 'b'), diff(r), pv(r)] for r in rows]
    both = [{**row, 'model': name} for name, k in (('entry + flavour', 'entry'), ('flavour only', 'flavour')) for row in info[k]]
    cols = [('model', 'captions', '{}')] + INFORMATION_COLUMNS + [('retrieval_pool', 'pool', '{}')]
    L = ['# Pokédex entries against flavour texts alone', '',
         f'The reference run (`{args.entry}`, captions that start with the species\' Pokédex entry) against its twin trained on the '
         f'flavour texts alone (`{args.flavour}`): same settings, same training minutes ({steps["entry"]:,} and {steps["flavour"]:,} steps: '
         f'the records without an entry are shorter), the same {len(ix)} test species. '
         'Bits per byte are scored caption first with no partner (the flavour text is what follows the entry in the reference); '
         "bits per pixel teacher-forced in both layouts; drawn sprites at temperature 0.7 and the reference's guidance scale "
         f"({guidance:g}), their colour read by the reference's nearest-centroid classifier (chance: {_num(chance['entry'], '{:.3f}')} and "
         f"{_num(chance['flavour'], '{:.3f}')}, the agreement with another species' colour). 95% bootstrap intervals over species; "
         "the difference's from a paired bootstrap, p two-sided. Written by `tools/caption_forms.py`.", '',
         '| ' + ' | '.join(header) + ' |', '|' + ' --- |' * len(header), *['| ' + ' | '.join(t) + ' |' for t in table], '',
         '## What each modality tells the other', '', 'Information and retrieval among every test species (the pool), from each run\'s evaluation.', '',
         markdown_table(both, cols), '']
    atomic_write(out/'README.md', '\n'.join(L) + '\n')
    atomic_write(out/'caption_forms.json', json.dumps({'entry': args.entry, 'flavour': args.flavour, 'guidance': guidance, 'rows': rows,
                                                       'information': {k: v for k, v in info.items()}}, indent=1))
    atomic_write(out/'caption_forms.tex', tex_table(header, table))
    atomic_write(out/'macros.tex', latex_macros(report_values(runs, rows, info, tests['entry'], steps, models['entry'][0].n_params()), 'pk'))
    print('\n'.join(L[4:]))


if __name__ == '__main__': main()
