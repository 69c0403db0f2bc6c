"""README.md is written from nbs/index.ipynb: its markdown cells, in order, and the headline its first code cell computes
from the result files (other code cells feed the book only).
Usage: python tools/readme.py --write | --check"""
import json, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HEADER = '<!-- Written from nbs/index.ipynb by `make readme`; edit the notebook, not this file. -->\n\n'

def render(nb_path=ROOT/'nbs'/'index.ipynb') -> str:
    "The README text for the index notebook."
    nb = json.loads(Path(nb_path).read_text(encoding='utf-8'))
    sys.path.insert(0, str(ROOT/'tools'))
    from headline import headline                # the one code cell the README shows: the home page's first words
    cells = [''.join(c['source']).strip() if c['cell_type'] == 'markdown' else headline() if 'headline()' in ''.join(c['source']) else ''
             for c in nb['cells']]
    text = HEADER + '\n\n'.join(c for c in cells if c) + '\n'
    return text.replace('](../', '](')       # links written relative to nbs/ point from the root in README.md

if __name__ == '__main__':
    text, readme = render(), ROOT/'README.md'
    if '--write' in sys.argv: readme.write_text(text, encoding='utf-8'); print(f'wrote {readme}')
    elif readme.read_text(encoding='utf-8') != text: sys.exit('README.md is out of date with nbs/index.ipynb: run `make readme`')
