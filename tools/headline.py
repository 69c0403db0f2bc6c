"""The home page's first words on whether PixelBytes works, written from the committed result files (no number typed):
the demo's toy test split, the Pokémon reference run, and what does not work yet.

    python tools/headline.py      # prints the markdown
"""
import json, re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _row(rows:list, model:str|None=None, subset:str='all', **match) -> dict:
    "The row of `model` (a prefix; default: the last row, the trained model's) over `subset`."
    rows = [r for r in rows if r.get('subset', 'all') == subset and all(r.get(k) == v for k, v in match.items())]
    return next(r for r in rows if r['model'].startswith(model)) if model else rows[-1]


def _ci(row:dict, key:str) -> str:
    "A figure and its 95% interval, as every table shows it."
    from pixelbytes.evaluate import with_interval
    return re.sub(r'-(0\.0+)(?!\d*[1-9])', r'\1', with_interval(row, key, '{:.2f}'))       # no negative zero


def _above(row:dict, key:str, bound:float) -> bool:
    "Whether the whole 95% interval of row[key] lies above `bound`."
    from pixelbytes.evaluate import interval
    ci = interval(row, key)
    return ci is not None and ci[0] > bound


def headline(root:Path=ROOT) -> str:
    "Markdown: two results with their baselines and intervals, and one line on what does not work yet."
    res = root/'results'
    toy = json.loads((res/'toy-budget'/'generation.json').read_text())
    pk_tf = json.loads((res/'pokemon-reference'/'teacher_forced.json').read_text())
    pk_info = json.loads((res/'pokemon-reference'/'information.json').read_text())
    attrs = {(r['direction'], r['attribute']): r for r in json.loads((res/'pokemon-reference'/'attributes.json').read_text())} \
        if (res/'pokemon-reference'/'attributes.json').exists() else {}
    model, near = _row(toy), _row(toy, 'nearest training record')
    lstm, ngram = pk_tf[-1], next(r for r in pk_tf if '-gram' in r['model'])
    steps = int(re.search(r'(\d+) steps', model['model'])[1])
    t2i = next(r for r in pk_info if r['direction'] == 'text→image' and r.get('subset', 'all') == 'all')
    pool = t2i.get('retrieval_pool', t2i['n_retrieval'])
    lines = [
        f"**Does it work?** On the toy set, whose captions say exactly what to draw, the demo's transformer "
        f"({steps:,} training steps on a CPU) draws {_ci(model, 't2i_exact')} of the test sprites exactly from their captions "
        f"and writes {_ci(model, 'caption_exact_any_order')} of the captions exactly (in any clause order), for compositions it never "
        f"saw; the nearest training record gets {near['t2i_exact']:.2f} and {near['caption_exact_any_order']:.2f} "
        f"({model['n']} test records, 95% intervals over records).",
        '',
        f"On Pokémon species held out of training{', captioned by their Pokédex entry (colour, shape, types) and a flavour text' if attrs else ''}, "
        f"the reference LSTM reads their captions at {_ci(lstm, 'bits_per_byte')} bits "
        f"per byte against {_ci(ngram, 'bits_per_byte')} for a byte {ngram['model'].split()[0]} model, and their sprites at "
        f"{_ci(lstm, 'bits_per_pixel')} bits per pixel against {_ci(ngram, 'bits_per_pixel')} for copying the pixel above or left."]
    swap, named, drawn = attrs.get(('text→image', 'colour word (swap)')), attrs.get(('image→text', 'colour')), attrs.get(('text→image', 'colour'))
    naming = (f"Its captions for {named['n']} unseen sprites name the right colour for {_ci(named, 'accuracy')} of them (the most common "
              f"colour: {named['baseline']:.2f}; the sprite's mean colour, classified: {named['oracle']:.2f}).") if named else ''
    if swap and _above(swap, 'bits_saved', 0):
        lines += ['', f"Its Pokédex entry steers the drawing: the true colour word saves {_ci(swap, 'bits_saved')} bits per sprite over the "
                      f"other colours and leaves the fewest bits for {_ci(swap, 'accuracy')} of the {swap['n']} test species (chance "
                      f"{swap['baseline']:.2f})" + (f"; the sprites it draws have the colour their caption names for {_ci(drawn, 'accuracy')} "
                      f"(chance {drawn['baseline']:.2f})" if drawn and drawn.get('baseline') is not None else '') + f". {naming}"]
    if not _above(t2i, 'specificity_bits', 0):
        lines += ['', "**Not yet:** its sprites barely depend on which description it read"
                      + (f": swapping the entry's colour word for another leaves a sprite's bits within a thousandth of a bit for "
                         f"{swap['ties']:.2f} of the {swap['n']} test species" if swap and not _above(swap, 'bits_saved', 0) and 'ties' in swap else '')
                      + f"; the true description saves {_ci(t2i, 'specificity_bits')} bits per sprite (of {t2i['bits_given_partner']:.0f}) over "
                      f"another species', and a species' own description is among the five of {pool} that leave its sprite the fewest bits for {t2i['retrieval_top5']:.2f} of the species "
                      f"(chance {t2i['chance_top5']:.2f}). " + (naming if not (swap and _above(swap, 'bits_saved', 0)) else '')]
    elif not _above(t2i, 'retrieval_top5', t2i['chance_top5']):
        lines += ['', f"**Not yet:** a description does not single out its species: its own is among the five of {pool} descriptions that leave its sprite the fewest bits for "
                      f"{_ci(t2i, 'retrieval_top5')} of the species (chance {t2i['chance_top5']:.2f}), though it saves "
                      f"{_ci(t2i, 'specificity_bits')} bits per sprite over another species' description."]
    else:
        lines += ['', f"**Not yet:** of the {t2i['bits_given_partner']:.0f} bits a sprite costs, its own description saves "
                      f"{_ci(t2i, 'specificity_bits')} over another species', a small share of what it costs."]
    return '\n'.join(lines)


if __name__ == '__main__': print(headline())
