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
