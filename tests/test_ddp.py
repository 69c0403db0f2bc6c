"Two CPU processes (torchrun, gloo) with the same global batch follow the one-process run."
import json, shutil, subprocess, sys
import pytest
from conftest import run_cli

ARGS = ['--model', 'rnn', '--d-model', '32', '--n-layers', '1', '--batch-size', '8', '--max-steps', '20', '--eval-every', '10',
        '--device', 'cpu', '--quiet']          # windows: the longest record (the default)

def final_val(run):
    "The last validation loss, and how many tokens it counted."
    rows = [json.loads(l) for l in (run/'metrics.jsonl').read_text().splitlines()]
    val = [r for r in rows if 'val_loss' in r][-1]
    return val['val_loss'], val['val_tokens']

# 290 toy records give 23 validation windows: the last batch (23 mod 8 = 7) is padded with a duplicate to split it over
# two processes, which validation must not count twice (gather_for_metrics)
N = '290'

def test_two_processes_match_one(tmp_path):
    torchrun = shutil.which('torchrun')
    if torchrun is None: pytest.skip('torchrun not on PATH')
    assert run_cli('build', '--n', N, '--out', tmp_path/'toy', '--quiet', '--preview', '0').returncode == 0
    one = run_cli('train', '--data', tmp_path/'toy', '--out', tmp_path/'one', *ARGS)
    assert one.returncode == 0, one.stderr
    two = subprocess.run([torchrun, '--nproc_per_node', '2', '-m', 'pixelbytes', 'train', '--data', str(tmp_path/'toy'),
                          '--out', str(tmp_path/'two'), *ARGS], capture_output=True, text=True, timeout=600)
    assert two.returncode == 0, two.stderr[-2000:]
    assert '2 process(es)' in two.stdout
    (a, ta), (b, tb) = final_val(tmp_path/'one'), final_val(tmp_path/'two')
    assert ta == tb, (ta, tb)                         # every validation token counted once
    assert abs(a - b) < 0.01 * a, (a, b)

LAUNCH = '''
import sys
from accelerate import debug_launcher
from pixelbytes.models import ModelConfig
from pixelbytes.train import TrainConfig, train
cfg = TrainConfig(data=sys.argv[1], out=sys.argv[2], batch_size=8, max_steps=20, eval_every=10, device='cpu', progress=False)
debug_launcher(train, (ModelConfig(backbone='lstm', d_model=32, n_layers=1), cfg), num_processes=2)
'''

def test_in_process_launcher_matches_one_process(tmp_path):
    "accelerate's fork-based launcher (what notebook_launcher uses on Kaggle's two GPUs; debug_launcher is its CPU twin)."
    assert run_cli('build', '--n', N, '--out', tmp_path/'toy', '--quiet', '--preview', '0').returncode == 0
    one = run_cli('train', '--data', tmp_path/'toy', '--out', tmp_path/'one', *ARGS)
    assert one.returncode == 0, one.stderr
    two = subprocess.run([sys.executable, '-c', LAUNCH, str(tmp_path/'toy'), str(tmp_path/'two')], capture_output=True, text=True, timeout=600)
    assert two.returncode == 0, two.stderr[-2000:]
    assert '2 process(es)' in two.stdout, two.stdout
    (a, ta), (b, tb) = final_val(tmp_path/'one'), final_val(tmp_path/'two')
    assert ta == tb, (ta, tb)                         # every validation token counted once
    assert abs(a - b) < 0.01 * a, (a, b)
