"""What every make target writes, checked before its first expensive step and sealed as its own when it is done.

    python tools/outputs.py begin TARGET                 # check every output of TARGET (one line and exit 1 if one is not its own)
    python tools/outputs.py publish TARGET FOLDER SRC[=NAME]...   # replace FOLDER whole by these files and folders, sealed
    python tools/outputs.py seal TARGET FOLDER           # seal a results folder a tool wrote in place
    python tools/outputs.py check [TARGET...]            # the checks of every target (or those named); nothing written but the
                                                         # cleaning of what a killed command left (see files.clean_leftovers)

A target's results folder carries a manifest of kind `results` naming the target (`pixelbytes/files.py`). `make pokemon`
finds `results/pokemon-reference` its own and replaces it; a folder of another target, of another kind, or holding a file
its manifest does not list is refused before anything runs. A target killed before it sealed a folder it writes in
place may leave files its manifest does not list: the check names them, and `seal` adopts them once they are looked at.
"""
import argparse, shutil, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from pixelbytes.files import MANIFEST, OutputError, check_output, describe_os_error, read_manifest, staged_folder, write_manifest

# make target -> (kind, folder) of everything it writes, relative to the repository
OUTPUTS = {
    'pokemon': [('build', 'data/pokemon-reference'), ('run', 'runs/pokemon-reference'), ('results', 'results/pokemon-reference')],
    'pokemon-flavour': [('build', 'data/pokemon-reference-flavour'), ('run', 'runs/pokemon-reference-flavour'), ('results', 'results/pokemon-flavour')],
    'pokemon-flip': [('build', 'data/pokemon-reference-noflip'), ('run', 'runs/pokemon-reference-noflip'), ('results', 'results/pokemon-flip')],
    'pokemon-dropout': [('run', 'runs/pokemon-reference-nodropout'), ('results', 'results/pokemon-dropout')],
    'toy': [('demo', 'outputs/toy-results'), ('results', 'results/toy-transformer')],
    'recipe': [('results', 'results/toy-recipe')],
    'toy-budget': [('results', 'results/toy-budget')],
    'experiments': [('results', 'outputs/experiments/results'), *(('results', f'report/results/{g}') for g in ('backbones', 'embeddings', 'layouts'))],
    'bench': [('results', 'outputs/bench')],
    'study': [('results', 'report/results/study')],
}


def check_results(folder, target:str, adopt:bool=False) -> Path:
    """`folder` as a Path if `target` may write its results there: missing, empty, or its own (the manifest names it); else an
    OutputError. `adopt`: also a folder without a manifest (its files, once looked at, become the target's)."""
    p = Path(folder); m = read_manifest(p) if p.is_dir() else None
    if m is not None and (m['kind'] != 'results' or m['source'].get('target') != target):
        raise OutputError(f'{p}: holds {"the results of make " + str(m["source"].get("target")) if m["kind"] == "results" else "a PixelBytes " + m["kind"]}, '
                          f'not of make {target}; nothing was changed')
    if adopt: return p
    if m is None and p.is_dir() and any(p.iterdir()):
        raise OutputError(f'{p}: holds files but no manifest of make {target} (a first run that was stopped, or files of your own?); look at them, then '
                          f'adopt them with `python tools/outputs.py seal {target} {p}` or move them away; nothing was changed')
    return check_output(p, 'results')                  # holding what its manifest does not list: refused


def check(target:str, root:Path=ROOT) -> list[Path]:
    "Every output folder of `target` checked (nothing written); the first that may not be written raises OutputError."
    if target not in OUTPUTS: raise SystemExit(f'{target}: not a target with outputs ({", ".join(OUTPUTS)})')
    return [check_results(root/f, target) if kind == 'results' else check_output(root/f, kind) for kind, f in OUTPUTS[target]]


def seal(target:str, folder) -> Path:
    "Seal `folder` as `target`'s results: its manifest lists what it holds now (a folder of another target or kind is refused)."
    p = check_results(folder, target, adopt=True); p.mkdir(parents=True, exist_ok=True)
    return write_manifest(p, 'results', {'target': target})


def begin(target:str, root:Path=ROOT):
    "Check every output of `target` before its first expensive step (nothing written)."
    check(target, root)


def publish(target:str, folder, sources:list[str]) -> Path:
    "Replace `folder` whole by copies of `sources` (`PATH` or `PATH=NAME`; a folder's own manifest is left out), sealed as `target`'s."
    # DIR/. copies what DIR holds (Path would drop the /.), DIR the folder itself, PATH=NAME under another name
    pairs = [(Path(s.split('=', 1)[0]), s.split('=', 1)[1] if '=' in s else None, s.split('=', 1)[0].endswith(('/.', '/'))) for s in sources]
    missing = [str(s) for s, _, _ in pairs if not s.exists()]
    if missing: raise OutputError(f'{missing[0]}: not found; nothing was changed')
    check_results(folder, target)
    with staged_folder(folder, 'results', {'target': target}) as tmp:
        for src, name, inside in pairs:
            entries = [(e, e.name) for e in src.iterdir() if e.name != MANIFEST] if src.is_dir() and inside else [(src, name or src.name)]
            for e, n in entries:                       # a folder keeps its own manifest: what it holds stays checked, all the way down
                if e.is_dir(): shutil.copytree(e, tmp/n)
                else: shutil.copy2(e, tmp/n)
    return Path(folder)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('action', choices=['begin', 'check', 'publish', 'seal'])
    ap.add_argument('target', nargs='?')
    ap.add_argument('rest', nargs='*')
    args = ap.parse_args(argv)
    if args.action != 'check' and (not args.target or (args.action != 'begin' and not args.rest)):
        ap.error(f'{args.action} needs a target' + (' and a folder' if args.action != 'begin' else ''))
    try:
        if args.action == 'check':
            for t in ([args.target, *args.rest] if args.target else OUTPUTS): check(t)
        elif args.action == 'begin': begin(args.target)
        elif args.action == 'seal': seal(args.target, args.rest[0])
        else: publish(args.target, args.rest[0], args.rest[1:])
    except (OutputError, OSError) as e:
        msg = str(e) if isinstance(e, OutputError) else describe_os_error(e)
        sys.stderr.write(f'make {args.target or ""}: {" ".join(msg.split())}\n'); return 1
    return 0


if __name__ == '__main__': sys.exit(main())
