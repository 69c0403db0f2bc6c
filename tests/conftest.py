import os, sys
from pathlib import Path
import pytest

ROOT = Path(__file__).resolve().parents[1]

@pytest.fixture(scope='session')
def pokemon_dir():
    "The shared Pokémon research data, or skip with the reason."
    sys.path.insert(0, str(ROOT))
    from pixelbytes.pixelate import find_shared_data
    p = find_shared_data('pokemon')
    if p is None: pytest.skip('../shared/data/pokemon not found (research data is optional; set PIXELBYTES_DATA)')
    return p

def run_cli(*args, cwd=None, console=False):
    "Run the real command line in a subprocess; return CompletedProcess."
    import subprocess, shutil
    cmd = [shutil.which('pixelbytes') or 'pixelbytes'] if console else [sys.executable, '-m', 'pixelbytes']
    env = {**os.environ, 'HF_HUB_OFFLINE': '1', 'HF_DATASETS_OFFLINE': '1'}
    return subprocess.run(cmd + [str(a) for a in args], cwd=cwd, capture_output=True, text=True, env=env, timeout=600)

def sprite_folder(path, n:int=40) -> Path:
    "A folder source of `n` toy sprites, each captioned with its name only (nothing a mirror makes false), with its captions.csv."
    sys.path.insert(0, str(ROOT))
    from pixelbytes.sources import toy_record
    path = Path(path); path.mkdir(parents=True)
    rows = ['id,name,image,caption']
    for i in range(n):
        r = toy_record(i); r.image.save(path/f'{i}.png'); rows.append(f'{i},{r.name},{i}.png,{r.name}')
    (path/'captions.csv').write_text('\n'.join(rows) + '\n')
    return path

def pokedex_folder(path, n:int=40) -> Path:
    "A folder laid out like ../shared/data/pokemon (pokemon.csv, pokedex.csv, sprites): `n` species, each a block of one of four colours its Pokédex row names."
    from PIL import Image
    colours = [('Red', (248, 56, 0)), ('Green', (0, 168, 0)), ('Blue', (0, 88, 248)), ('Yellow', (248, 184, 0))]
    path = Path(path); (path/'s').mkdir(parents=True)
    rows, dex = ['id,name_en,genus_en,description_en,sprite_box68x56'], ['id,color_en,shape_en,type1_en,type2_en,height_m,weight_kg']
    for i in range(1, n + 1):
        name, rgb = colours[i % 4]; im = Image.new('RGBA', (12, 12), (0, 0, 0, 0))
        im.paste(Image.new('RGBA', (4 + i % 5, 6), (*rgb, 255)), (2, 3)); im.save(path/'s'/f'{i:04d}.png')
        rows.append(f'{i},Mon{i},Test Pokémon,It is number {i}.,s/{i:04d}.png')
        dex.append(f'{i},{name},{"Ball" if i % 2 else "Fish"},{"Water" if i % 3 else "Fire"},,{i / 10},{i}')
    (path/'pokemon.csv').write_text('\n'.join(rows) + '\n', encoding='utf-8'); (path/'pokedex.csv').write_text('\n'.join(dex) + '\n', encoding='utf-8')
    return path
