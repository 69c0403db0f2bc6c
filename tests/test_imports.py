"Module layering: the tokenizer stands alone (no data set or torch import), and the data sets use it, not the reverse."
import subprocess, sys
from conftest import ROOT


def test_tokenizer_imports_neither_dataset_nor_torch():
    code = ('import sys, pixelbytes.tokenizer\n'
            'bad = [m for m in ("pixelbytes.dataset", "datasets", "torch") if m in sys.modules]\n'
            'assert not bad, bad\n')
    r = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert r.returncode == 0, r.stderr
    assert 'pixelbytes.dataset' not in (ROOT/'pixelbytes'/'tokenizer.py').read_text()   # not even lazily: no cycle
