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
    return with_interval(row, key, '{:.2f}')


def headline(root:Path=ROOT) -> str:
    "Markdown: two results with their baselines and intervals, and one line on what does not work yet."
    toy = json.loads((root/'results'/'toy-budget'/'generation.json').read_text())
    pk_tf = json.loads((root/'results'/'pokemon-reference'/'teacher_forced.json').read_text())
    pk_info = json.loads((root/'results'/'pokemon-reference'/'information.json').read_text())
    model, near = _row(toy), _row(toy, 'nearest training record')
    lstm, ngram = pk_tf[-1], next(r for r in pk_tf if '-gram' in r['model'])
    steps = int(re.search(r'(\d+) steps', model['model'])[1])
    t2i = next(r for r in pk_info if r['direction'] == 'text→image' and r.get('subset', 'all') == 'all')
    return '\n'.join([
        f"**Does it work?** On the toy set, whose captions say exactly what to draw, the demo's transformer "
        f"({steps:,} training steps on a CPU) draws {_ci(model, 't2i_exact')} of the test sprites exactly from their captions "
        f"and writes {_ci(model, 'caption_exact_any_order')} of the captions exactly (in any clause order), for compositions it never "
        f"saw; the nearest training record gets {near['t2i_exact']:.2f} and {near['caption_exact_any_order']:.2f} "
        f"({model['n']} test records, 95% intervals over records).",
        '',
        f"On Pokémon species held out of training, the reference LSTM reads their Pokédex texts at {_ci(lstm, 'bits_per_byte')} bits "
        f"per byte against {_ci(ngram, 'bits_per_byte')} for a byte {ngram['model'].split()[0]} model, and their sprites at "
        f"{_ci(lstm, 'bits_per_pixel')} bits per pixel against {_ci(ngram, 'bits_per_pixel')} for copying the pixel above or left.",
        '',
        f"**Not yet:** its sprites barely depend on the text it read: the true description saves {_ci(t2i, 'specificity_bits')} bits "
        f"per sprite (of {t2i['bits_given_partner']:.0f}) over another species' description, and the true sprite is among the "
        f"top 5 of {t2i['n_retrieval']} for {t2i['retrieval_top5']:.2f} of the species (chance {t2i['chance_top5']:.2f}). "
        "The Pokédex texts barely describe how a Pokémon looks.",
    ])


if __name__ == '__main__': print(headline())
