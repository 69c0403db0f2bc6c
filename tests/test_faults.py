"""The fault suite: for every task, each bad argument, unsafe output path and disk fault gives exactly one line on stderr
(`pixelbytes TASK: ...`), the documented exit status (2: usage, 1: anything else), no traceback, and leaves every file that
was on disk before byte-identical, with no new folder left behind.

Most cases run `main()` in-process (fast, and faults can be injected by patching a writer); a few run the real console
command in a subprocess (signals, import cost)."""
import contextlib, errno, hashlib, io, os, signal, subprocess, sys, time
from pathlib import Path
from unittest import mock
import pytest
from conftest import ROOT

sys.path.insert(0, str(ROOT))
from pixelbytes.cli import main


def run(*argv, cwd=None):
    "Run the command line in-process: (status, stdout, stderr)."
    out, err = io.StringIO(), io.StringIO()
    old = os.getcwd()
    try:
        if cwd: os.chdir(cwd)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try: code = main([str(a) for a in argv])
            except SystemExit as e: code = e.code
    finally: os.chdir(old)
    return code, out.getvalue(), err.getvalue()


def snapshot(root: Path) -> dict:
    "Every file under `root` with the hash of its bytes."
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(root.rglob('*')) if p.is_file()}


def assert_one_line(code, err, status, contains):
    lines = err.strip().splitlines()
    assert code == status, (code, err)
    assert len(lines) == 1 and 'Traceback' not in err, err
    assert lines[0].startswith('pixelbytes ') and contains in lines[0], (contains, err)


@pytest.fixture(scope='module')
def world(tmp_path_factory):
    "What a user has on disk: a toy build, an LSTM run, a small transformer checkpoint, a sprite, an evaluation, their own files."
    d = tmp_path_factory.mktemp('world')
    assert run('build', '--n', '60', '--out', d/'toy', '--quiet', '--preview', '2')[0] == 0
    code, _, err = run('train', '--model', 'lstm', '--data', d/'toy', '--out', d/'run', '--max-steps', '4', '--batch-size', '4',
                       '--d-model', '16', '--n-layers', '1', '--eval-every', '2', '--device', 'cpu', '--quiet')
    assert code == 0, err
    assert run('evaluate', '--checkpoint', d/'run'/'best', '--metrics', 'bits', '--out', d/'eval', '--quiet', '--no-baselines')[0] == 0
    from pixelbytes.models import ModelConfig, PixelBytesModel
    from pixelbytes.train import load_checkpoint, save_checkpoint
    _, tok, saved = load_checkpoint(d/'run'/'best')
    tf = PixelBytesModel(ModelConfig(vocab_size=tok.vocab_size, pad_id=tok.pad_id, backbone='transformer', d_model=16, n_layers=1, max_len=512))
    save_checkpoint(d/'tf', tf, tok, meta={'step': 0, 'data': saved['data']})
    from pixelbytes.render import to_png
    import numpy as np
    to_png(np.zeros((16, 16), np.uint8), path=d/'sprite.png', scale=1)
    (d/'thesis').mkdir(); (d/'thesis'/'thesis.tex').write_text('\\documentclass{article}')
    (d/'notes.txt').write_text('my notes')
    (d/'corrupt.png').write_bytes(b'\x89PNG\r\n\x1a\n not really')
    return d


# (argv with {d} for the world folder, exit status, text the one line must contain)
BAD_ARGUMENTS = [
    # build
    ('build --size 0', 2, '--size: must be in 4..128, got 0'), ('build --size -5', 2, 'must be in 4..128'), ('build --size 1', 2, 'must be in 4..128'),
    ('build --size 1000', 2, 'one token per pixel'), ('build --size big', 2, "expected an integer, got 'big'"),
    ('build --palette kmeans:0', 2, '2..256 colours'), ('build --palette kmeans:300', 2, '2..256 colours'),
    ('build --palette kmeans:x', 2, 'kmeans:N with an integer N'), ('build --background zzz', 2, 'hex colour'),
    ('build --n 0', 2, '--n: must be in 1..'), ('build --limit 0', 2, '--limit'), ('build --preview -1', 2, '--preview'),
    ('build --dither nan', 2, '--dither'), ('build --seed -1', 2, '--seed'), ('build --captions-per-record 0', 2, '--captions-per-record'),
    ('build --source folder', 2, '--source folder needs --path'), ('build --source nowhere', 2, "invalid choice: 'nowhere'"),
    ('build --bogus', 2, '--bogus'),
    # scrape (refused before any request)
    ('scrape --limit 0', 2, '--limit'), ('scrape --min-interval -1', 2, '--min-interval'), ('scrape --min-interval inf', 2, '--min-interval'),
    # demo (refused before training, not after)
    ('demo --samples 0', 2, '--samples: must be in 1..1024, got 0'), ('demo --n 5', 2, '--n: must be in 20..'), ('demo --max-steps 0', 2, '--max-steps'),
    ('demo --model gpt', 2, "invalid choice: 'gpt'"), ('demo --minutes 0.5', 2, '--minutes: must be in [1, 10000], got 0.5'),
    # train
    ('train --data {d}/toy --batch-size 0', 2, '--batch-size: must be >= 1, got 0'), ('train --data {d}/toy --max-minutes 0', 2, '--max-minutes: must be in (0, ∞)'), ('train --data {d}/toy --learning-rate -1', 2, '--learning-rate'),
    ('train --data {d}/toy --learning-rate nan', 2, '--learning-rate'), ('train --data {d}/toy --learning-rate inf', 2, '--learning-rate'),
    ('train --data {d}/toy --learning-rate 0', 2, '--learning-rate'), ('train --data {d}/toy --k 4', 2, '4 is even'),
    ('train --data {d}/toy --k 0', 2, '--k: must be in 1..15, got 0'), ('train --data {d}/toy --model transformer --d-model 30', 2, 'not a multiple of --n-heads'),
    ('train --data {d}/toy --d-model 4', 2, '--d-model'), ('train --data {d}/toy --n-layers 0', 2, '--n-layers'),
    ('train --data {d}/toy --seq-len 1', 2, '--seq-len: must be >= 2, got 1'), ('train --data {d}/toy --seq-len 100 --out {d}/new', 2, 'shorter than the longest record'),
    ('train --data {d}/toy --epochs 0', 2, '--epochs'), ('train --data {d}/toy --dropout 1', 2, '--dropout'), ('train --data {d}/toy --grad-accum 0', 2, '--grad-accum'),
    ('train --data {d}/toy --eval-every 0', 2, '--eval-every'), ('train --data {d}/toy --layouts text2sound', 2, 'layouts are'),
    ('train --data {d}/toy --uncond 1', 2, '--uncond'), ('train --data {d}/toy --uncond -0.1', 2, '--uncond'),
    ('train --data {d}/toy --layouts text2image:x', 2, 'optional :weight'), ('train --data {d}/toy --stride 0', 2, '--stride'), ('train --data {d}/toy --seq-len 400 --stride 500 --out {d}/new', 2, 'would skip tokens'),
    ('train --data {d}/toy --resume --overwrite', 2, 'not allowed with argument'), ('train --data {d}/toy --model gpt', 2, "invalid choice: 'gpt'"),
    ('train --data {d}/missing --out {d}/new', 1, 'data set not found'), ('train --out {d}/new --resume', 1, 'nothing to resume'),
    ('train --data {d}/thesis --out {d}/new', 1, 'not a built PixelBytes data set'),
    # evaluate
    ('evaluate --checkpoint {d}/run/best --n 0', 2, '--n: must be in 1..'), ('evaluate --checkpoint {d}/run/best --batch-size 0', 2, '--batch-size'),
    ('evaluate --checkpoint {d}/run/best --top-p 0', 2, '--top-p'), ('evaluate --checkpoint {d}/run/best --top-k 0', 2, '--top-k'),
    ('evaluate --checkpoint {d}/run/best --temperature -1', 2, '--temperature'), ('evaluate --checkpoint {d}/run/best --layouts nope', 2, 'layouts are'),
    ('evaluate --checkpoint {d}/run/best --guidance -1', 2, '--guidance'), ('evaluate --checkpoint {d}/run/best --guidance 1 nan', 2, '--guidance'),
    ('evaluate --checkpoint {d}/run/best --metrics bogus', 2, 'bogus'), ('evaluate --checkpoint {d}/run/best --split nosuch --out {d}/new', 2, '--split nosuch'),
    ('evaluate', 2, '--checkpoint'), ('evaluate --checkpoint {d}/nowhere --out {d}/new', 1, 'not a checkpoint'),
    ('evaluate --checkpoint {d}/run/best --data {d}/nodata --out {d}/new', 1, 'data set not found'),
    # generate
    ('generate --checkpoint {d}/run/best --guidance 21', 2, '--guidance: must be in [0, 20], got 21'), ('demo --guidance x', 2, '--guidance'),
    ('generate --checkpoint {d}/run/best --width 0', 2, '--width: must be in 1..128, got 0'), ('generate --checkpoint {d}/run/best --height 0', 2, '--height'),
    ('generate --checkpoint {d}/run/best --width 1000', 2, 'one token per pixel'), ('generate --checkpoint {d}/run/best --n 0', 2, '--n'),
    ('generate --checkpoint {d}/run/best --keep-rows -1', 2, '--keep-rows'), ('generate --checkpoint {d}/run/best --max-new-tokens 0', 2, '--max-new-tokens'),
    ('generate --checkpoint {d}/run/best --keep-rows 3 --prompt x --out {d}/new', 2, '--keep-rows goes with --complete'),
    ('generate --checkpoint {d}/run/best --format bmp', 2, "invalid choice: 'bmp'"), ('generate --checkpoint {d}/run/best --prompt a --image b', 2, 'not allowed'),
    ('generate --checkpoint {d}/tf --prompt ' + 'x' * 10_000 + ' --out {d}/new', 2, "more than this transformer handles (max_len=512)"),
    ('generate --checkpoint {d}/tf --width 64 --height 64 --prompt x --out {d}/new', 2, 'max_len=512'),
    ('generate --checkpoint {d}/run/best --complete {d}/sprite.png --keep-rows 99 --out {d}/new', 2, '--keep-rows 99'),
    ('generate --checkpoint {d}/run/best --image {d}/missing.png --out {d}/new', 1, 'missing.png'),
    ('generate --checkpoint {d}/run/best --image {d}/corrupt.png --out {d}/new', 1, 'corrupt.png'),
    ('generate --checkpoint {d}/nowhere --out {d}/new', 1, 'not a checkpoint'),
]

UNSAFE_OUTPUTS = [
    ('build --n 30 --out {d}/thesis', 'not a PixelBytes build folder (holds thesis.tex)'), ('build --n 30 --out {d}/notes.txt', 'is a file, not a folder'),
    ('build --n 30 --out {d}/notes.txt/sub', 'notes.txt is a file'), ('build --n 30 --out {d}/run', 'holds a PixelBytes run, not a build'),
    ('build --n 30 --out {d}/eval', 'holds a PixelBytes evaluation, not a build'), ('build --n 30 --out {d}', 'not a PixelBytes build folder'),
    ('train --data {d}/toy --out {d}/run', 'holds a training run (step 4'), ('train --data {d}/toy --out {d}/thesis --overwrite', 'not a PixelBytes run folder'),
    ('train --data {d}/toy --out {d}/toy --overwrite', 'holds a PixelBytes build, not a run'), ('train --data {d}/toy --out {d}/notes.txt', 'is a file'),
    ('evaluate --checkpoint {d}/run/best --out {d}/thesis', 'not a PixelBytes evaluation folder'), ('evaluate --checkpoint {d}/run/best --out {d}/notes.txt', 'is a file'),
    ('generate --checkpoint {d}/run/best --prompt x --out {d}/thesis', 'not a PixelBytes generation folder'),
    ('generate --checkpoint {d}/run/best --prompt x --out {d}/notes.txt', 'is a file'),
    ('demo --out {d}/thesis', 'not a PixelBytes demo folder'), ('demo --out {d}/toy', 'holds a PixelBytes build, not a demo'),
    ('scrape --out {d}/thesis', 'not a PixelBytes scrape folder'), ('scrape --out {d}/notes.txt', 'is a file'),
]


def check_case(world, argv, status, contains, **patches):
    before, entries = snapshot(world), sorted(os.listdir(world))
    code, out, err = run(*argv)
    assert_one_line(code, err, status, contains)
    after = snapshot(world)
    assert {k: after.get(k) for k in before} == before, 'a file that was there before changed'
    assert sorted(os.listdir(world)) == entries, 'a failed task left something behind'


@pytest.mark.parametrize('case', BAD_ARGUMENTS, ids=[c[0][:70] for c in BAD_ARGUMENTS])
def test_bad_argument_is_one_line(world, case):
    template, status, contains = case
    check_case(world, [a.replace('{d}', str(world)) for a in template.split(' ')], status, contains)


@pytest.mark.parametrize('case', UNSAFE_OUTPUTS, ids=[c[0] for c in UNSAFE_OUTPUTS])
def test_unsafe_output_is_refused_untouched(world, case):
    template, contains = case
    check_case(world, [a.replace('{d}', str(world)) for a in template.split(' ')], 1, contains)


def test_build_into_the_current_folder_is_refused(world, tmp_path):
    before = snapshot(world)
    code, _, err = run('build', '--n', '30', '--out', '.', cwd=world/'thesis')
    assert_one_line(code, err, 1, 'is the current folder')
    code, _, err = run('build', '--n', '30', '--out', '.', cwd=world/'toy')        # standing inside a build: not renamed away
    assert_one_line(code, err, 1, 'is the current folder')
    assert snapshot(world) == before
    (tmp_path/'empty').mkdir()
    assert_one_line(*run('build', '--n', '30', '--out', '.', cwd=tmp_path/'empty')[::2], 1, 'is the current folder')
    assert (tmp_path/'empty').is_dir() and not any((tmp_path/'empty').iterdir())


def test_edited_checkpoint_is_a_checkpoint_error(world, tmp_path):
    import json, shutil
    ck = tmp_path/'ck'; shutil.copytree(world/'run'/'best', ck)
    t = json.loads((ck/'tokenizer.json').read_text()); t['k'] = 5; (ck/'tokenizer.json').write_text(json.dumps(t))
    code, _, err = run('generate', '--checkpoint', ck, '--prompt', 'x', '--out', tmp_path/'g')
    assert_one_line(code, err, 1, 'tokenizer.json: does not match the model')
    (ck/'tokenizer.json').write_text('{"format": ')
    assert_one_line(*run('evaluate', '--checkpoint', ck, '--out', tmp_path/'e')[::2], 1, 'tokenizer.json')
    shutil.rmtree(ck); shutil.copytree(world/'run'/'best', ck)
    w = ck/'model.safetensors'; w.write_bytes(w.read_bytes()[:100])
    assert_one_line(*run('evaluate', '--checkpoint', ck, '--out', tmp_path/'e')[::2], 1, 'truncated or damaged')
    assert not (tmp_path/'g').exists() and not (tmp_path/'e').exists()


# Disk faults, injected where the bytes are written: (task argv, what to patch, the error it raises, text of the one line)
def _enospc(*a, **k): raise OSError(errno.ENOSPC, 'No space left on device')
def _erofs(path, *a, **k): raise OSError(errno.EROFS, 'Read-only file system', str(path))
def _eacces(path, *a, **k): raise PermissionError(errno.EACCES, 'Permission denied', str(path))
def _ebusy(path, *a, **k): raise OSError(errno.EBUSY, 'Device or resource busy', str(path))
def _eexist(path, *a, **k): raise FileExistsError(errno.EEXIST, 'File exists', str(path))
def _torch_full(*a, **k): raise RuntimeError('[enforce fail at inline_container.cc:603] . unexpected pos 18112 vs 18000')

FULL_DISK = mock.Mock(free=0)
DISK_FAULTS = [
    ('build --n 30 --out {d}/toy --quiet', 'datasets.Dataset.to_parquet', _enospc, None, 'toy: no space left on device'),
    ('build --n 30 --out {d}/toy --quiet', 'datasets.DatasetDict.save_to_disk', _torch_full, FULL_DISK, 'toy: no space left on device'),
    ('build --n 30 --out {d}/fresh/toy --quiet', 'datasets.DatasetDict.save_to_disk', lambda self, p, *a, **k: _erofs(p), None, 'read-only file system'),
    ('train --data {d}/toy --out {d}/fresh/run --max-steps 2 --eval-every 1 --batch-size 4 --d-model 16 --n-layers 1 --model lstm --device cpu --quiet',
     'safetensors.torch.save_file', _torch_full, FULL_DISK, 'no space left on device'),
    ('train --data {d}/toy --out {d}/fresh/run --max-steps 2 --eval-every 1 --batch-size 4 --d-model 16 --n-layers 1 --model lstm --device cpu --quiet',
     'pixelbytes.train._log', _eacces, None, 'permission denied'),
    ('evaluate --checkpoint {d}/run/best --metrics bits --out {d}/eval --quiet', 'pixelbytes.files._write_bytes', _enospc, None, 'eval: no space left on device'),
    ('evaluate --checkpoint {d}/run/best --metrics bits --out {d}/fresh/deeper --quiet', 'pixelbytes.files._write_bytes', _erofs, None, 'read-only file system'),
    ('generate --checkpoint {d}/run/best --prompt x --out {d}/fresh/gen --quiet', 'PIL.Image.Image.save', lambda self, p, *a, **k: _ebusy(p), None, 'busy'),
    ('generate --checkpoint {d}/run/best --image {d}/sprite.png --out {d}/fresh/cap --quiet', 'pixelbytes.files._write_bytes', _eacces, None, 'permission denied'),
    ('generate --checkpoint {d}/run/best --image {d}/sprite.png --out {d}/fresh/cap --quiet', 'pixelbytes.files._write_bytes', _eexist, None, 'already exists'),
    ('demo --n 40 --max-steps 1 --samples 1 --out {d}/fresh/demo --quiet', 'datasets.Dataset.to_parquet', _enospc, None, 'no space left on device'),
]


@pytest.mark.parametrize('case', DISK_FAULTS, ids=[f'{c[0].split()[0]}-{c[1]}-{c[2].__name__}' for c in DISK_FAULTS])
def test_disk_fault_is_one_line_and_loses_nothing(world, case):
    template, target, fault, usage, contains = case
    before, entries = snapshot(world), sorted(os.listdir(world))
    with contextlib.ExitStack() as stack:
        stack.enter_context(mock.patch(target, fault))
        if usage is not None: stack.enter_context(mock.patch('shutil.disk_usage', return_value=usage))
        code, out, err = run(*[a.replace('{d}', str(world)) for a in template.split(' ')])
    assert_one_line(code, err, 1, contains)
    after = snapshot(world)
    assert {k: after.get(k) for k in before} == before, 'a file that was there before changed'
    new = set(os.listdir(world)) - set(entries)
    assert not new or new == {'fresh'} and not any(p.is_file() and '.tmp-' in p.name for p in (world/'fresh').rglob('*'))
    assert not any('.tmp-' in p.name or '.old-' in p.name for p in world.rglob('*')), 'temporary files were left'
    if (world/'fresh').exists():                    # what a failed task created holds no empty folder
        assert not any(p.is_dir() and not any(p.iterdir()) for p in [world/'fresh', *(world/'fresh').rglob('*')])
        import shutil; shutil.rmtree(world/'fresh')


def test_unexpected_error_is_one_line_unless_debug(world, monkeypatch):
    import pixelbytes.cli as cli
    def boom(args): raise TypeError('something nobody expected')
    monkeypatch.setitem(cli.TASKS, 'build', boom)
    code, _, err = run('build', '--out', world/'nope')
    assert_one_line(code, err, 1, 'TypeError: something nobody expected (unexpected: rerun with --debug')
    with pytest.raises(TypeError): run('build', '--out', world/'nope', '--debug')
    monkeypatch.setenv('PIXELBYTES_DEBUG', '1')
    with pytest.raises(TypeError): run('build', '--out', world/'nope')


def test_bad_flags_fail_before_any_heavy_import():
    "Usage errors are found by argparse types, before torch is imported: they cost a fraction of a second, not a model load."
    code = ('import sys\nfrom pixelbytes.cli import main\n'
            'for argv in (["train", "--k", "4"], ["generate", "--checkpoint", "x", "--width", "0"], ["build", "--size", "0"], '
            '["evaluate", "--checkpoint", "x", "--n", "0"], ["demo", "--samples", "0"]):\n'
            '    try: main(argv)\n    except SystemExit as e: assert e.code == 2, argv\n'
            'assert "torch" not in sys.modules, "torch was imported"\n')
    r = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert r.returncode == 0, r.stderr
    assert len(r.stderr.strip().splitlines()) == 5


def test_train_twice_refuses_then_overwrite_replaces(world, tmp_path):
    import shutil, json
    run_dir = tmp_path/'run'; shutil.copytree(world/'run', run_dir)
    before = snapshot(run_dir)
    args = ['train', '--data', world/'toy', '--out', run_dir, '--max-steps', '2', '--batch-size', '4', '--d-model', '16',
            '--n-layers', '1', '--model', 'lstm', '--device', 'cpu', '--quiet']
    code, _, err = run(*args)
    assert_one_line(code, err, 1, 'continue it with --resume, or replace it with --overwrite')
    assert snapshot(run_dir) == before
    code, _, err = run(*args, '--overwrite')
    assert code == 0, err
    rows = [json.loads(l) for l in (run_dir/'metrics.jsonl').read_text().splitlines()]
    assert max(r['step'] for r in rows) == 2 and not (run_dir/'eval').exists()


def test_checkpoint_works_from_any_folder(world, tmp_path):
    "generate and evaluate find what they need without the training folder: the checkpoint carries it."
    elsewhere = tmp_path/'elsewhere'; elsewhere.mkdir()
    code, _, err = run('generate', '--checkpoint', world/'run'/'best', '--image', world/'sprite.png', '--out', 'cap', '--quiet', cwd=elsewhere)
    assert code == 0, err
    assert (elsewhere/'cap'/'captions.tsv').exists()
    code, _, err = run('generate', '--checkpoint', world/'run'/'best', '--complete', world/'sprite.png', '--out', 'cmp', '--quiet', cwd=elsewhere)
    assert code == 0, err
    code, _, err = run('evaluate', '--checkpoint', world/'run'/'best', '--metrics', 'bits', '--out', 'ev', '--quiet', '--no-baselines', cwd=elsewhere)
    assert code == 0, err


def test_sigterm_saves_last_and_resume_continues(tmp_path, world):
    "A scheduler's SIGTERM stops training like Ctrl-C: one line, `last` saved at the step reached; --resume goes on without duplicate rows."
    import json
    args = ['train', '--model', 'lstm', '--data', world/'toy', '--out', tmp_path/'run', '--max-steps', '300', '--batch-size', '4',
            '--d-model', '16', '--n-layers', '1', '--eval-every', '1000', '--device', 'cpu', '--quiet']
    env = {**os.environ, 'HF_HUB_OFFLINE': '1', 'HF_DATASETS_OFFLINE': '1'}
    p = subprocess.Popen([sys.executable, '-m', 'pixelbytes', *map(str, args)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    metrics, t0 = tmp_path/'run'/'metrics.jsonl', time.time()
    while not (metrics.exists() and metrics.read_text().count('\n') >= 2):
        assert p.poll() is None and time.time() - t0 < 300, p.stderr.read() if p.poll() is not None else 'no progress'
        time.sleep(0.05)
    p.send_signal(signal.SIGTERM)
    _, err = p.communicate(timeout=120)
    assert p.returncode == 143, err
    assert len(err.strip().splitlines()) == 1 and 'terminated (SIGTERM)' in err and 'continue with --resume' in err, err
    step = json.loads((tmp_path/'run'/'last'/'config.json').read_text())['step']
    assert step >= 20
    code, _, err = run('train', '--out', tmp_path/'run', '--resume', '--quiet')         # with the run's own settings
    assert code == 0, err
    steps = [json.loads(l)['step'] for l in metrics.read_text().splitlines() if '"loss"' in l]
    assert steps == sorted(set(steps)) and steps[-1] == 300, steps                     # each step logged once, to the end


@pytest.mark.skipif(hasattr(os, 'geteuid') and os.geteuid() == 0, reason='root writes into read-only folders; the patched faults above cover it')
def test_read_only_folder_is_one_line(world, tmp_path):
    ro = tmp_path/'ro'; ro.mkdir(); ro.chmod(0o555)
    try:
        for argv in (('build', '--n', '30', '--out', ro/'toy'), ('evaluate', '--checkpoint', world/'run'/'best', '--out', ro/'ev'),
                     ('generate', '--checkpoint', world/'run'/'best', '--prompt', 'x', '--out', ro/'gen')):
            code, _, err = run(*argv, '--quiet')
            assert_one_line(code, err, 1, 'permission denied')
        assert os.listdir(ro) == []
    finally: ro.chmod(0o755)
