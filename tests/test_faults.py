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
    # folders a user owns that hold names PixelBytes writes, but no proof of being PixelBytes's (issue 30)
    (d/'myproj'/'data').mkdir(parents=True); (d/'myproj'/'README.md').write_text('my project'); (d/'myproj'/'data'/'results.csv').write_text('a,b')
    (d/'mydata').mkdir(); (d/'mydata'/'README.md').write_text('my data')
    (d/'mysamples').mkdir(); to_png(np.zeros((4, 4), np.uint8), path=d/'mysamples'/'sample-00.png', scale=1)
    (d/'mylogs'/'tensorboard'/'other_project').mkdir(parents=True); (d/'mylogs'/'tensorboard'/'other_project'/'events').write_text('x')
    (d/'mylogs'/'eval').mkdir(); (d/'mylogs'/'eval'/'notes.md').write_text('my notes')
    (d/'scraped'/'images').mkdir(parents=True); (d/'scraped'/'captions.csv').write_text('image,caption\nimages/a.png,a sprite\n')
    to_png(np.zeros((8, 8), np.uint8), path=d/'scraped'/'images'/'a.png', scale=1)
    (d/'pokemon').mkdir(); (d/'pokemon'/'pokemon.csv').write_text('id,sprite_box68x56,description_en,name_en\n1,a.png,a sprite,A\n')
    import shutil, json, socket
    shutil.copytree(d/'eval', d/'eval-notes'); (d/'eval-notes'/'notes.md').write_text('my reading of the tables')
    shutil.copytree(d/'eval', d/'eval-damaged'); (d/'eval-damaged'/'pixelbytes-manifest.json').write_text('{"format": ')
    assert run('evaluate', '--checkpoint', d/'tf', '--metrics', 'bits', '--out', d/'eval-tf', '--quiet', '--no-baselines', '--data', d/'toy')[0] == 0
    shutil.copytree(d/'run', d/'busy'); (d/'busy'/'.pixelbytes-lock').write_text(json.dumps({'pid': os.getpid(), 'host': socket.gethostname(), 'since': 'now'}))
    os.symlink(d/'nowhere', d/'dangling')
    (d/'dotted').mkdir(); (d/'dotted'/'.draft.tmp-1').write_text('a draft')                 # dot-names that only look like ours
    shutil.copytree(d/'toy', d/'toy-env'); (d/'toy-env'/'.env.old-2023').write_text('SECRET=1')
    shutil.copytree(d/'toy', d/'toy-damaged'); arrow = next((d/'toy-damaged'/'hf'/'test').glob('*.arrow')); arrow.write_bytes(arrow.read_bytes()[:200])
    shutil.copytree(d/'run'/'best', d/'edited'); cfg = json.loads((d/'edited'/'config.json').read_text())
    cfg['model']['d_model'] = -5; (d/'edited'/'config.json').write_text(json.dumps(cfg))
    shutil.copytree(d/'eval', d/'eval-garbled'); (d/'eval-garbled'/'teacher_forced.json').write_text('[{"model": ')
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
    ('train --data {d}/toy --batch-size 0', 2, '--batch-size: must be >= 1, got 0'), ('train --data {d}/toy --max-minutes 0', 2, '--max-minutes: must be in (0, 1000000], got 0'), ('train --data {d}/toy --learning-rate -1', 2, '--learning-rate'),
    ('train --data {d}/toy --learning-rate nan', 2, '--learning-rate'), ('train --data {d}/toy --learning-rate inf', 2, '--learning-rate'),
    ('train --data {d}/toy --learning-rate 0', 2, '--learning-rate'), ('train --data {d}/toy --k 4', 2, '4 is even'),
    ('train --data {d}/toy --k 0', 2, '--k: must be in 1..15, got 0'), ('train --data {d}/toy --model transformer --d-model 30', 2, 'not a multiple of --n-heads'),
    ('train --data {d}/toy --d-model 4', 2, '--d-model'), ('train --data {d}/toy --n-layers 0', 2, '--n-layers'),
    ('train --data {d}/toy --seq-len 1', 2, '--seq-len: must be in 2..1048576, got 1'), ('train --data {d}/toy --seq-len 100 --out {d}/new', 2, 'shorter than the longest record'),
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
    # issue 30: no flag silently ignored, numbers bounded, degenerate evaluations refused
    ('build --source toy --path {d}/thesis --out {d}/new', 2, '--path does not apply to --source toy'),
    ('build --source folder --path {d}/pokemon --text-col x --out {d}/new', 2, '--text-col does not apply to the Pokémon folder'),
    ('build --source folder --path {d}/scraped --extra-captions --out {d}/new', 2, '--extra-captions does not apply to a folder source'),
    ('build --source folder --path {d}/scraped --captions-per-record 2 --out {d}/new', 2, '--captions-per-record does not apply'),
    ('build --source folder --path {d}/scraped --sprites bw --out {d}/new', 2, '--sprites does not apply'),
    ('build --source folder --path {d}/scraped --n 10 --out {d}/new', 2, '--n does not apply to a folder source'),
    ('build --source hub --path {d}/toy/parquet --limit 5 --out {d}/new', 2, '--limit does not apply'),
    ('build --source hub --path {d}/toy --palette kmeans:4 --out {d}/new', 2, '--palette does not apply'),
    ('build --source toy --two-shapes 0.5 --source folder --path {d}/scraped --out {d}/new', 2, '--two-shapes does not apply'),
    ('train --data {d}/toy --layouts text2image:1e308,image2text --out {d}/new', 2, 'layouts are'),
    ('train --data {d}/toy --layouts text2image:inf --out {d}/new', 2, 'layouts are'),
    ('generate --checkpoint {d}/run/best --temperature 1e308', 2, '--temperature'), ('generate --checkpoint {d}/run/best --temperature 1e-300', 2, 'use 0 for greedy'),
    ('generate --checkpoint {d}/run/best --seed 100000000000000000000000', 2, '--seed'), ('train --data {d}/toy --seed 1e23', 2, '--seed'),
    ('evaluate --checkpoint {d}/run/best --metrics information --n 1 --out {d}/new', 2, 'fewer than 2'),
    ('push --checkpoint {d}/run/best --repo u/.. --dry-run {d}/new', 2, 'Hub repository'),
    ('push --checkpoint {d}/run/best --repo u/' + 'x' * 200 + ' --dry-run {d}/new', 2, 'Hub repository'),
    ('push --checkpoint {d}/run/best --repo u/n --subfolder . --dry-run {d}/new', 2, 'folder name'),
    ('push --checkpoint {d}/run/best --repo u/n --eval {d}/eval-tf --dry-run {d}/new', 1, 'not an evaluation of'),
    ('train --out {d}/run --resume --learning-rate 0.1', 2, '--learning-rate does not apply with --resume'),
    ('train --out {d}/run --resume --model transformer', 2, '--model does not apply with --resume'),
    ('train --out {d}/run --resume --d-model 32', 2, '--d-model does not apply with --resume'),
    ('train --out {d}/run --resume --max-steps 2', 2, 'at step 4 already'),
    ('train --data {d}/toy --d-model 8192 --n-layers 256 --out {d}/new', 2, 'GiB'),
    ('generate --checkpoint {d}/notes.txt --out {d}/new', 1, 'notes.txt: is a file, not a checkpoint folder'),
    ('generate --checkpoint {d}/run/best --prompt x --out $PIXELBYTES_UNSET_VARIABLE/x', 2, 'names an environment variable that is not set'),
    ('evaluate --checkpoint {d}/run/best --data {d}/toy-damaged --out {d}/new', 1, 'toy-damaged/hf: damaged'),
    ('generate --checkpoint {d}/edited --prompt x --out {d}/new', 1, 'config.json: bad model config'),
    ('push --checkpoint {d}/run/best --repo u/n --eval {d}/eval-garbled --dry-run {d}/new', 1, 'teacher_forced.json: damaged'),
    ('train --data {d}/toy --max-steps 99999999999999999999 --out {d}/new', 2, '--max-steps'), ('train --data {d}/toy --seq-len 99999999 --out {d}/new', 2, '--seq-len'),
    ('train --data {d}/toy --max-minutes 1e308 --out {d}/new', 2, '--max-minutes'), ('train --data {d}/toy --epochs 1e9 --out {d}/new', 2, '--epochs'),
    ('train --data {d}/toy --model lstm --n-heads 2 --out {d}/new', 2, '--n-heads does not apply to --model lstm'),
    ('train --data {d}/toy --epochs 3 --max-steps 2 --out {d}/new', 2, '--epochs does not apply with --max-steps'),
    ('build --lang fr --n 20 --out {d}/new', 2, '--lang does not apply to --source toy'), ('build --flip --n 20 --out {d}/new', 2, '--flip does not apply to --source toy: a mirrored toy sprite is another composition'),
    ('push --data {d}/toy --repo u/n --private --dry-run {d}/new', 2, '--private does not apply with --dry-run'),
    # issue 33: Pokédex-entry captions
    ('build --caption-form entry --n 20 --out {d}/new', 2, '--caption-form does not apply to --source toy'),
    ('build --source folder --path {d}/pokemon --caption-form poem --out {d}/new', 2, "invalid choice: 'poem'"),
    ('build --source folder --path {d}/pokemon --caption-form entry --out {d}/new', 1, 'pokemon/pokedex.csv: not found'),
    ('build --source folder --path {d}/pokemon --caption-form attributes --extra-captions --out {d}/new', 1, 'holds no flavour text'),
    ('evaluate --checkpoint {d}/run/best --metrics attributes --out {d}/new', 2, 'no test caption starts with a Pokédex entry'),
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
    # issue 30: a folder is PixelBytes's only if it proves it (a manifest, or a file only that kind writes), whatever names it holds
    ('push --data {d}/toy --repo u/n --dry-run {d}/myproj', 'not a PixelBytes hub upload folder (nothing in it proves it is one'),
    ('build --n 30 --out {d}/mydata', 'not a PixelBytes build folder (nothing in it proves it is one'),
    ('generate --checkpoint {d}/run/best --prompt x --out {d}/mysamples', 'not a PixelBytes generation folder (nothing in it proves it is one'),
    ('train --data {d}/toy --out {d}/mylogs --overwrite', 'not a PixelBytes run folder (holds eval)'),
    ('scrape --out {d}/scraped', 'not a PixelBytes scrape folder'), ('build --source pokepedia --path {d}/thesis --out {d}/new', 'not a PixelBytes scrape folder'),
    ('evaluate --checkpoint {d}/run/best --out {d}/eval-notes', 'also holds notes.md, which PixelBytes did not write'),
    ('evaluate --checkpoint {d}/run/best --out {d}/eval-damaged', 'pixelbytes-manifest.json: damaged'),
    ('evaluate --checkpoint {d}/run/best --out {d}/run', 'holds a PixelBytes run, not an evaluation'),
    ('generate --checkpoint {d}/run/best --prompt x --out {d}/dangling', 'is a link to'),
    ('train --data {d}/toy --out {d}/busy --overwrite', 'in use by another run (process'),
    ('train --out {d}/busy --resume', 'in use by another run (process'),
    ('build --n 30 --out {d}/dotted', 'not a PixelBytes build folder (holds .draft.tmp-1)'),
    ('build --n 30 --out {d}/toy-env', 'also holds .env.old-2023'),
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
    from pixelbytes.files import _TEMP, _OLD_TEMP                  # PixelBytes's temporary names (a user's .env.old-2023 is not one)
    ours = lambda name: bool(_TEMP.match(name) or _OLD_TEMP.match(name))
    assert not new or new == {'fresh'} and not any(p.is_file() and ours(p.name) for p in (world/'fresh').rglob('*'))
    assert not any(ours(p.name) for p in world.rglob('*')), 'temporary files were left'
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


# ---- issue 30: artefacts that prove what they are, runs that lock, resume that checks its data, evaluations of one checkpoint

def test_generate_rerun_replaces_its_folder_whole(world, tmp_path):
    "A rerun with fewer samples leaves no stale sample of the earlier prompt beside the new grid."
    assert run('generate', '--checkpoint', world/'run'/'best', '--prompt', 'a', '--n', '3', '--out', tmp_path/'g', '--quiet')[0] == 0
    assert run('generate', '--checkpoint', world/'run'/'best', '--prompt', 'b', '--out', tmp_path/'g', '--quiet')[0] == 0
    import json
    names = sorted(os.listdir(tmp_path/'g'))
    assert names == ['grid.png', 'pixelbytes-manifest.json', 'sample-00.png'], names
    assert json.loads((tmp_path/'g'/'pixelbytes-manifest.json').read_text())['files'] == ['grid.png', 'sample-00.png']


def test_out_through_a_link_writes_its_target(world, tmp_path):
    (tmp_path/'real').mkdir(); os.symlink(tmp_path/'real', tmp_path/'link')
    assert run('generate', '--checkpoint', world/'run'/'best', '--prompt', 'x', '--out', tmp_path/'link', '--quiet')[0] == 0
    assert (tmp_path/'link').is_symlink() and (tmp_path/'real'/'grid.png').exists()
    assert not [p for p in os.listdir(tmp_path) if p.startswith('.')], 'a temporary or old copy was left'


def test_tilde_is_the_home_folder(world, tmp_path, monkeypatch):
    monkeypatch.setenv('HOME', str(tmp_path/'home'))
    (tmp_path/'home').mkdir(); (tmp_path/'cwd').mkdir()
    code, out, err = run('generate', '--checkpoint', world/'run'/'best', '--prompt', 'x', '--out', '~/gen', '--quiet', cwd=tmp_path/'cwd')
    assert code == 0, err
    assert (tmp_path/'home'/'gen'/'grid.png').exists() and os.listdir(tmp_path/'cwd') == [] and str(tmp_path/'home'/'gen') in out


def test_leftovers_of_a_killed_writer_are_cleaned(world, tmp_path):
    "A temporary folder (or file) left by a process that no longer runs goes at the next write; one of a live process stays."
    from pixelbytes.files import HOST
    dead = tmp_path/f'.g.tmp-{HOST}-999999999-0123abcd'; dead.mkdir(); (dead/'half.png').write_bytes(b'x')
    live = tmp_path/f'.g.tmp-{HOST}-{os.getpid()}-0123abcd'; live.mkdir()
    elsewhere = tmp_path/'.g.tmp-000000-999999999-0123abcd'; elsewhere.mkdir()       # another machine's: it may be alive there
    assert run('generate', '--checkpoint', world/'run'/'best', '--prompt', 'x', '--out', tmp_path/'g', '--quiet')[0] == 0
    assert sorted(os.listdir(tmp_path)) == sorted(['g', live.name, elsewhere.name])


def test_stale_lock_is_taken_over(world, tmp_path):
    import json, shutil, socket
    shutil.copytree(world/'run', tmp_path/'run')
    (tmp_path/'run'/'.pixelbytes-lock').write_text(json.dumps({'pid': 999999999, 'host': socket.gethostname(), 'since': 'then'}))
    code, _, err = run('train', '--out', tmp_path/'run', '--resume', '--max-steps', '6', '--quiet')
    assert code == 0, err
    assert json.loads((tmp_path/'run'/'last'/'config.json').read_text())['step'] == 6 and not (tmp_path/'run'/'.pixelbytes-lock').exists()


def ctrl_c_at_step(step:int):
    "Ctrl-C inside training, as the schedule steps past `step` (its learning rate is read twice a step: two parameter groups)."
    from pixelbytes import train as T
    calls, real = [0], T.lr_factor
    def interrupt(*a, **k):
        calls[0] += 1
        if calls[0] == 2 * (step + 1): raise KeyboardInterrupt
        return real(*a, **k)
    return mock.patch('pixelbytes.train.lr_factor', interrupt)


def test_overwrite_interrupted_before_its_first_checkpoint_keeps_the_old_run(world, tmp_path):
    "Ctrl-C a moment after `train --overwrite` starts: the earlier run comes back byte for byte, nothing of the new one left."
    import shutil
    shutil.copytree(world/'run', tmp_path/'run'); before = snapshot(tmp_path/'run')
    with ctrl_c_at_step(3):
        code, _, err = run('train', '--data', world/'toy', '--out', tmp_path/'run', '--overwrite', '--max-steps', '50', '--eval-every', '1000',
                           '--batch-size', '4', '--d-model', '16', '--n-layers', '1', '--model', 'lstm', '--device', 'cpu', '--quiet')
    assert code == 130 and len(err.strip().splitlines()) == 1 and 'holds the earlier run, as it was' in err, err
    assert snapshot(tmp_path/'run') == before and sorted(os.listdir(tmp_path/'run')) == sorted(os.listdir(world/'run'))


def test_a_new_run_stopped_early_keeps_what_it_learnt_and_can_start_again(world, tmp_path):
    "With --overwrite but nothing to replace, Ctrl-C saves `last` as usual; a folder whose run never saved a checkpoint is simply replaced."
    args = ['--data', world/'toy', '--max-steps', '50', '--eval-every', '1000', '--batch-size', '4', '--d-model', '16', '--n-layers', '1',
            '--model', 'lstm', '--device', 'cpu', '--quiet']
    with ctrl_c_at_step(3):
        code, _, err = run('train', '--out', tmp_path/'new', '--overwrite', *args)
    assert code == 130 and 'continue with --resume' in err and (tmp_path/'new'/'last'/'train_state.pt').exists(), err
    (tmp_path/'stopped').mkdir(); (tmp_path/'stopped'/'metrics.jsonl').write_text('{"step": 1, "loss": 5.0}\n')   # no checkpoint: nothing to keep
    code, _, err = run('train', '--out', tmp_path/'stopped', *args[:2], '--max-steps', '2', *args[6:])
    assert code == 0, err
    assert (tmp_path/'stopped'/'last').exists() and '"loss": 5.0' not in (tmp_path/'stopped'/'metrics.jsonl').read_text()


def test_a_killed_overwrite_is_put_back_without_touching_a_users_file(world, tmp_path):
    "A run killed outright while its predecessor was aside: the next command puts the old run back, keeps the user's file, and refuses the folder."
    import json, shutil
    from pixelbytes.files import HOST
    run_dir = tmp_path/'run'; shutil.copytree(world/'run', run_dir); old = snapshot(run_dir)
    aside = run_dir/f'.run.prev-{HOST}-999999999-0123abcd'; aside.mkdir()
    for e in list(run_dir.iterdir()):
        if e != aside: e.rename(aside/e.name)
    (run_dir/'metrics.jsonl').write_text('{"step": 1, "loss": 9.0}\n')                 # what the killed run wrote, and its manifest
    (run_dir/'pixelbytes-manifest.json').write_text(json.dumps({'format': 'pixelbytes-manifest', 'version': 1, 'kind': 'run', 'source': {},
                                                                'files': ['metrics.jsonl', 'loss.png', 'best', 'last']}))
    (run_dir/'notes.txt').write_text('my notes')
    code, _, err = run('train', '--out', run_dir, '--resume', '--max-steps', '8', '--quiet')
    assert_one_line(code, err, 1, 'also holds notes.txt')
    assert (run_dir/'notes.txt').read_text() == 'my notes' and {k: v for k, v in snapshot(run_dir).items() if k != 'notes.txt'} == old


def test_resume_refuses_data_that_changed(world, tmp_path):
    "A rebuilt data set (another palette) is not the run's: resume says so, and the run is untouched."
    args = ['--batch-size', '4', '--d-model', '16', '--n-layers', '1', '--model', 'lstm', '--device', 'cpu', '--quiet']
    assert run('build', '--n', '60', '--out', tmp_path/'toy', '--quiet', '--preview', '0')[0] == 0
    assert run('train', '--data', tmp_path/'toy', '--out', tmp_path/'run', '--max-steps', '2', *args)[0] == 0
    before = snapshot(tmp_path/'run')
    assert run('build', '--n', '60', '--out', tmp_path/'toy', '--quiet', '--preview', '0', '--palette', 'kmeans:8')[0] == 0
    code, _, err = run('train', '--out', tmp_path/'run', '--resume', '--max-steps', '4', '--quiet')
    assert_one_line(code, err, 1, 'not the data this run trained on')
    assert snapshot(tmp_path/'run') == before
    assert run('build', '--n', '60', '--out', tmp_path/'toy', '--quiet', '--preview', '0')[0] == 0      # rebuilt as it was: the same fingerprint
    code, _, err = run('train', '--out', tmp_path/'run', '--resume', '--max-steps', '4', '--quiet')
    assert code == 0, err


def test_evaluation_interrupted_leaves_the_earlier_one_whole(world, tmp_path):
    import shutil
    shutil.copytree(world/'eval', tmp_path/'eval'); before = snapshot(tmp_path/'eval')
    with mock.patch('pixelbytes.evaluate.save_table', side_effect=KeyboardInterrupt):
        code, _, err = run('evaluate', '--checkpoint', world/'tf', '--data', world/'toy', '--metrics', 'bits', '--out', tmp_path/'eval', '--quiet')
    assert code == 130, err
    assert snapshot(tmp_path/'eval') == before and sorted(os.listdir(tmp_path)) == ['eval']


def test_card_reads_only_evaluations_of_its_checkpoint(world, tmp_path):
    "eval-tf evaluates another checkpoint: a run's card never shows its tables; the run's own evaluation is shown."
    import shutil
    shutil.copytree(world/'run', tmp_path/'run'); shutil.copytree(world/'eval-tf', tmp_path/'run'/'eval-best')
    assert run('push', '--checkpoint', tmp_path/'run'/'best', '--repo', 'u/n', '--dry-run', tmp_path/'up', '--quiet')[0] == 0
    assert 'Not evaluated yet' in (tmp_path/'up'/'README.md').read_text()
    shutil.rmtree(tmp_path/'run'/'eval-best'); shutil.copytree(world/'eval', tmp_path/'run'/'eval-best')
    assert run('push', '--checkpoint', tmp_path/'run'/'best', '--repo', 'u/n', '--dry-run', tmp_path/'up', '--quiet')[0] == 0
    assert 'Not evaluated yet' not in (tmp_path/'up'/'README.md').read_text()


def test_training_without_validation_says_why_there_is_no_best(world, tmp_path):
    from pixelbytes.dataset import load_built, save_dataset
    import datasets
    dsd = load_built(world/'toy'); save_dataset(datasets.DatasetDict({'train': dsd['train']}), tmp_path/'train-only')
    code, out, err = run('train', '--data', tmp_path/'train-only', '--out', tmp_path/'run', '--max-steps', '2', '--batch-size', '4', '--d-model', '16',
                         '--n-layers', '1', '--model', 'lstm', '--device', 'cpu', '--quiet')
    assert code == 0, err
    assert 'no validation split, so no best/ checkpoint is kept' in out and not (tmp_path/'run'/'best').exists() and (tmp_path/'run'/'last').exists()


def test_hub_source_of_a_build_keeps_its_splits(world, tmp_path):
    "Reading a build's parquet files back keeps each record in its split (re-splitting them would leak test rows into training)."
    from pixelbytes.dataset import load_built
    assert run('build', '--source', 'hub', '--path', world/'toy'/'parquet', '--out', tmp_path/'re', '--quiet')[0] == 0
    a, b = load_built(world/'toy'), load_built(tmp_path/'re')
    assert list(a) == list(b) and all(a[k]['caption'] == b[k]['caption'] for k in a)


def test_images_outside_the_folder_or_too_large_are_skipped_with_their_reason(tmp_path):
    from PIL import Image
    import json
    src = tmp_path/'src'; (src/'img').mkdir(parents=True)
    rows = ['image,caption']
    for i in range(8):
        Image.new('RGB', (8, 8), (40 * i, 0, 0)).save(src/'img'/f'{i}.png'); rows.append(f'img/{i}.png,sprite {i}')
    Image.new('1', (5000, 5000)).save(tmp_path/'outside.png')                  # tiny on disk, 25 million pixels decoded
    Image.new('1', (5000, 5000)).save(src/'img'/'huge.png')
    rows += [f'{tmp_path/"outside.png"},absolute', '../outside.png,relative', 'img/huge.png,huge']
    (src/'captions.csv').write_text('\n'.join(rows) + '\n')
    code, _, err = run('build', '--source', 'folder', '--path', src, '--out', tmp_path/'ds', '--quiet', '--preview', '0')
    assert code == 0, err
    report = json.loads((tmp_path/'ds'/'build_report.json').read_text())
    assert report['n_kept'] == 8 and report['n_skipped'] == 3, report
    text = ' '.join(report['skipped'])
    assert text.count(f'outside {src}') == 2 and 'huge.png: 5000×5000 pixels, more than' in text


def test_every_make_target_checks_its_outputs_before_working(tmp_path):
    "On this clone each target's outputs are its own (`tools/outputs.py check`, nothing trained); each target begins with that check."
    import re, shutil
    r = subprocess.run([sys.executable, 'tools/outputs.py', 'check'], capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 0, r.stderr
    sys.path.insert(0, str(ROOT/'tools')); import outputs
    make = (ROOT/'Makefile').read_text()
    for target in outputs.OUTPUTS:
        recipe = re.search(rf'^{re.escape(target)}:.*\n((?:\t.*\n)+)', make, re.M)
        if target == 'experiments': assert 'check_results' in (ROOT/'tools'/'experiments.py').read_text(); continue
        assert recipe and f'tools/outputs.py begin {target}' in recipe.group(1).split('\n')[1 if recipe.group(1).startswith('\t@test') else 0], target
    # a results folder with a file its manifest does not list is refused, untouched; another target's is refused too
    res = tmp_path/'results'/'pokemon-reference'; shutil.copytree(ROOT/'results'/'pokemon-reference', res)
    (res/'my-notes.md').write_text('mine'); before = snapshot(tmp_path)
    with pytest.raises(ValueError, match='also holds my-notes.md'): outputs.check('pokemon', tmp_path)
    assert snapshot(tmp_path) == before
    (res/'my-notes.md').unlink()
    with pytest.raises(ValueError, match='results of make pokemon, not of make toy'): outputs.check_results(res, 'toy')
    outputs.begin('pokemon', tmp_path)                                             # its own: replaced by the target
    (res/'samples'/'mine.png').write_bytes(b'x')                                    # inside a folder it lists: still a user's file
    with pytest.raises(ValueError, match='samples/mine.png'): outputs.check('pokemon', tmp_path)
    (res/'samples'/'mine.png').unlink()
    (tmp_path/'results'/'toy-recipe').mkdir(); (tmp_path/'results'/'toy-recipe'/'recipe.csv').write_text('x')   # a first run stopped before its seal
    with pytest.raises(ValueError, match='adopt them with'): outputs.check('recipe', tmp_path)
    outputs.seal('recipe', tmp_path/'results'/'toy-recipe'); outputs.check('recipe', tmp_path)
    (tmp_path/'eval').mkdir(); (tmp_path/'eval'/'generation.json').write_text('[]')
    outputs.publish('pokemon', res, [f'{tmp_path/"eval"}/.', f'{ROOT/"results"/"pokemon-reference"/"loss.png"}=curve.png'])
    assert sorted(os.listdir(res)) == ['curve.png', 'generation.json', 'pixelbytes-manifest.json']
