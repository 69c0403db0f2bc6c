"README.md is generated from nbs/index.ipynb and names the two set-up commands that CI and users run."
import subprocess, sys, re
from pathlib import Path
ROOT = Path(__file__).resolve().parents[1]

def test_readme_in_sync_with_index():
    r = subprocess.run([sys.executable, str(ROOT/'tools'/'readme.py'), '--check'], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr

def test_readme_commands_are_make_targets_and_ci_runs_the_test_one():
    readme = (ROOT/'README.md').read_text(encoding='utf-8')
    cmds = re.findall(r'^make (\w+)', readme, flags=re.M)
    assert cmds[:2] == ['demo', 'test']
    makefile = (ROOT/'Makefile').read_text()
    for c in cmds: assert re.search(rf'^{c}:', makefile, flags=re.M), f'make {c} is not a Makefile target'
    ci = (ROOT/'.ci'/'run').read_text()
    assert re.search(r'^make test$', ci, flags=re.M), '.ci/run must call the README test command verbatim'
