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
