"""LSTM against Transformer against Mamba at equal CPU time (issue 34): learning rates chosen on validation, three sizes
matched in parameters, several seeds, on the toy set (split by composition, and its systematic split) and on Pokémon
(Pokédex-entry captions).

    python tools/study.py run                 # train and evaluate every unfinished run, in order (resumable; hours)
    python tools/study.py run --data toy --stage lr      # only these (stages: lr, grid, minutes)
    python tools/study.py status              # the plan: which runs are finished, which wait
    python tools/study.py compile             # does torch.compile pay within a run's minutes? (per backbone; compile.json)
    python tools/study.py calibrate           # each configuration's seconds per step (done by `run` when missing)
    python tools/study.py report              # gather the finished runs into report/results/study

Every configuration trains for the same wall-clock seconds on this machine: its pace is calibrated once (`calibrate`: every
configuration timed in rounds, so that a drift of the machine falls on all alike) and the seconds become a step count, the
same for each of its seeds, with a learning-rate schedule that runs to its end (a per-run fit at the run's start, as the
demo does, gave the runs of one configuration different shares of their time on this shared machine and cut many
before their schedule's end: timefit-runs.json). Each run is then scored on validation (which chooses the learning rate) and on
test (what the report shows). Runs live in
outputs/study/runs/<name>/; a finished run's row (row.json) is also kept in report/results/study/runs.json, so a clone
without the runs gathers them instead of training again. One run trains at a time: the process training and scoring a run
holds outputs/study/train.lock, so `flock outputs/study/train.lock make test` waits for the run in hand; one runner at a time.
"""
import argparse, fcntl, json, os, subprocess, sys, time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT)); sys.path.insert(0, str(ROOT/'tools'))

BACKBONES = ('lstm', 'transformer', 'mamba')
LAYERS = {'lstm': 2, 'transformer': 3, 'mamba': 4}                  # depth fixed per backbone; the width sets the size
SIZES = {'small': 200_000, 'middle': 700_000, 'large': 2_000_000}   # target parameters (matched within MATCH)
MATCH = 0.10
LRS = (1e-3, 3e-3, 6e-3)                                            # tried per backbone at the middle size, seed 0
SEEDS = {'toy': {'small': (0, 1), 'middle': (0, 1, 2), 'large': (0, 1)}, 'pokemon': {'middle': (0, 1, 2)}}
MINUTES = {'toy': (1, 2, 8)}      # then each backbone at its best size (validation), seed 0, trained this many minutes instead
TRAIN_SECONDS = {'toy': 240, 'pokemon': 900}     # toy: what the demo's five minutes leave for training; Pokémon: the reference's
POKEMON = ROOT.parent/'shared'/'data'/'pokemon'
OUT = ROOT/'outputs'/'study'
RESULTS = ROOT/'report'/'results'/'study'
# the demo's model settings on the toy set; the Pokémon reference's (make pokemon) on Pokémon
TOY_EVAL = dict(n=100, n_retrieval=100, sampling={'temperature': 0.0}, guidance=(1.0,))
PK_EVAL = dict(n=32, n_retrieval=1000, sampling={'temperature': 0.7}, guidance=(1.0, 2.0))
PK_MODEL = dict(k=5, pos2d=True, dropout=0.1, n_heads=2)
TOY_N = 4000                                    # toy records built (the demo's)
PK_TRAIN = dict(batch_size=16, redraw_layouts=True, eval_every=100, uncond=0.15)
TOY_EVAL_EVERY = 250     # validation (20 batches) every so many steps: the learning curves, and best/ chosen on validation



def _apply_overrides():
    "PIXELBYTES_STUDY, a JSON object, replaces settings of this module (the tests' tiny study: its folders, sizes, seconds, rates, seeds)."
    raw = os.environ.get('PIXELBYTES_STUDY')
    if not raw: return
    for k, v in json.loads(raw).items():
        if k not in globals() or not k.isupper(): raise SystemExit(f'PIXELBYTES_STUDY: {k} is not a setting of tools/study.py')
        cur = globals()[k]
        globals()[k] = Path(v) if isinstance(cur, Path) else tuple(v) if isinstance(cur, tuple) else v



@dataclass(frozen=True)
class Spec:
    "One run of the study."
    data: str; backbone: str; size: str; lr: float; seed: int
    minutes: float|None = None        # None: the data set's TRAIN_SECONDS
    @property
    def name(self) -> str: return f'{self.data}-{self.backbone}-{self.size}-lr{self.lr:g}-s{self.seed}' + (f'-m{self.minutes:g}' if self.minutes else '')
    @property
    def seconds(self) -> float: return self.minutes * 60 if self.minutes else TRAIN_SECONDS[self.data]
    @property
    def folder(self) -> Path: return OUT/'runs'/self.name


def model_config(data:str, backbone:str, d_model:int, vocab:dict|None=None):
    "The ModelConfig of a run of `backbone` at width `d_model` on `data` (the demo's on the toy set, the reference's on Pokémon)."
    from pixelbytes.config import ModelConfig
    from pixelbytes.demo import DEMO
    base = {k: DEMO[k] for k in ('k', 'pos2d', 'n_heads')} if data == 'toy' else PK_MODEL
    return ModelConfig(backbone=backbone, d_model=d_model, n_layers=LAYERS[backbone], **base, **(vocab or {}))


def count_parameters(cfg) -> int:
    from pixelbytes.models import PixelBytesModel
    return sum(p.numel() for p in PixelBytesModel(cfg).parameters())


def width_for(data:str, backbone:str, target:int, multiple:int=4) -> int:
    "The width (a multiple of `multiple`) whose parameter count is nearest `target` (parameters grow with the width)."
    lo, hi = 1, 1024 // multiple
    while lo < hi:                                         # the smallest width with at least `target` parameters
        mid = (lo + hi) // 2
        if count_parameters(model_config(data, backbone, mid * multiple)) >= target: hi = mid
        else: lo = mid + 1
    near = [w * multiple for w in (lo - 1, lo) if w >= 1]
    return min(near, key=lambda d: abs(count_parameters(model_config(data, backbone, d)) - target))


def sizes(data:str) -> dict:
    "{size: {backbone: (width, parameters)}} with every size's counts within MATCH of each other (checked); cached in outputs/study."
    cache = OUT/f'sizes-{data}.json'
    if cache.exists(): return {s: {b: tuple(v) for b, v in r.items()} for s, r in json.loads(cache.read_text()).items()}
    out = {}
    for size, target in SIZES.items():
        out[size] = {b: (d := width_for(data, b, target), count_parameters(model_config(data, b, d))) for b in BACKBONES}
        counts = [n for _, n in out[size].values()]
        if max(counts) > (1 + MATCH) * min(counts): raise SystemExit(f'{size}: parameters {counts} are not within {MATCH:.0%} of each other')
    cache.parent.mkdir(parents=True, exist_ok=True); cache.write_text(json.dumps(out, indent=1))
    return out


def data_folder(data:str) -> Path: return OUT/'data'/data


def build(data:str) -> Path:
    "The study's data set, built once: the demo's toy set, or the Pokémon reference's (entry captions, mirrored training sprites)."
    folder = data_folder(data)
    if (folder/'hf').exists(): return folder
    if data == 'toy':
        from pixelbytes.dataset import build_data
        from pixelbytes.demo import DEMO
        build_data(folder, 'toy', n=TOY_N, preview=0, progress=False, two_shapes=DEMO['two_shapes'], clause_order=DEMO['clause_order'])
    else:
        if not POKEMON.is_dir(): raise SystemExit(f'{POKEMON}: Pokémon data not found; the Pokémon runs need it')
        subprocess.run([sys.executable, '-m', 'pixelbytes', 'build', '--source', 'folder', '--path', str(POKEMON), '--extra-captions',
                        '--captions-per-record', '3', '--caption-form', 'entry', '--flip', '--quiet', '--out', str(folder)], check=True, cwd=ROOT)
    return folder


def rates_tried(data:str, backbone:str, rows:dict) -> tuple:
    "LRS, and one rate beyond them (twice the highest, or half the lowest) when the best of them is at an edge: the rate chosen is then inside what was tried, or at its wider edge."
    got = {lr: rows.get(Spec(data, backbone, 'middle', lr, 0).name) for lr in LRS}
    if not all(got.values()): return tuple(LRS)
    best = min(got, key=lambda lr: got[lr]['val_bits_per_record'])
    return tuple(LRS) + ((max(LRS) * 2,) if best == max(LRS) else (min(LRS) / 2,) if best == min(LRS) else ())


def chosen_rates(data:str, rows:dict) -> dict:
    "{backbone: learning rate} with the fewest validation bits per record among the rates tried (middle size, seed 0), once all have finished."
    out = {}
    for b in BACKBONES:
        got = [rows.get(Spec(data, b, 'middle', lr, 0).name) for lr in rates_tried(data, b, rows)]
        if all(got): out[b] = min(got, key=lambda r: r['val_bits_per_record'])['lr']
    return out


def plan(data:str, rows:dict) -> list[Spec]:
    "The study's runs on `data`, in the order they run: the rates, then the grid at each backbone's chosen rate (once chosen)."
    specs = [Spec(data, b, 'middle', lr, 0) for b in BACKBONES for lr in rates_tried(data, b, rows)]
    rates = chosen_rates(data, rows)
    for size, seeds in SEEDS[data].items():
        for seed in seeds:
            specs += [Spec(data, b, size, rates[b], seed) for b in BACKBONES if b in rates]
    best = best_sizes(data, rows)
    specs += [Spec(data, b, best[b], rates[b], 0, m) for b in BACKBONES if b in best for m in MINUTES.get(data, ())]
    return list(dict.fromkeys(specs))                       # the chosen rate's run at seed 0 is the rates' own


def best_sizes(data:str, rows:dict) -> dict:
    "{backbone: size} with the fewest validation bits per record (mean over seeds), once every size's seeds have finished."
    rates, out = chosen_rates(data, rows), {}
    for b in rates:
        got = {size: [rows.get(Spec(data, b, size, rates[b], s).name) for s in seeds] for size, seeds in SEEDS[data].items()}
        if all(all(g) for g in got.values()):
            out[b] = min(got, key=lambda size: sum(r['val_bits_per_record'] for r in got[size]) / len(got[size]))
    return out


def base_configs(spec:Spec, data_path:Path):
    "Model and training settings of a run, before its step count: the demo's on the toy set, the Pokémon reference's on Pokémon."
    from dataclasses import replace
    from pixelbytes.config import TrainConfig
    width = sizes(spec.data)[spec.size][spec.backbone][0]
    mcfg = model_config(spec.data, spec.backbone, width)
    if spec.data == 'toy':
        from pixelbytes.demo import demo_configs
        _, tcfg = demo_configs(data_path, spec.folder/'run', None, max_steps=1, progress=False, lr=spec.lr, seed=spec.seed)
        tcfg = replace(tcfg, reserve_steps=0, eval_every=TOY_EVAL_EVERY)
    else:
        from pixelbytes.machine import cpu_bf16
        tcfg = TrainConfig(data=str(data_path), out=str(spec.folder/'run'), lr=spec.lr, seed=spec.seed, max_steps=1, device='cpu', progress=False,
                           mixed_precision='bf16' if cpu_bf16() else 'no', overwrite=True, **PK_TRAIN)
    return mcfg, (replace(tcfg, compile=True) if uses_compile(spec.data, spec.backbone) else tcfg)


def train_configs(spec:Spec, data_path:Path):
    "Model and training settings of a run: the steps its configuration's calibrated pace fits into the run's seconds (`calibrate`)."
    from dataclasses import replace
    mcfg, tcfg = base_configs(spec, data_path)
    return mcfg, replace(tcfg, max_steps=calibrated_steps(spec, data_path))


CALIBRATION = {'rounds': 3, 'seconds': {'toy': 5.0, 'pokemon': 20.0}}     # rounds over every configuration; seconds timed each time


def calibrate(data:str, data_path:Path) -> dict:
    """Seconds per training step of each configuration of `data` (every backbone at every size), timed by the demo's probe
    (`train.seconds_per_step`: a throwaway copy, steps of lengths not met before not counted) in rounds over all
    configurations, so that a drift of the shared machine's pace falls on all of them alike; the median over rounds.
    The wall-clock budget becomes a step count once per configuration (`calibrated_steps`), the same for every seed, with a
    schedule that runs to its end; the seconds each run took are recorded beside it. Cached in calibration-<data>.json."""
    import numpy as np, torch
    from pixelbytes.models import PixelBytesModel
    from pixelbytes.train import make_accelerator, run_data, seconds_per_step, start_run
    from results_page import machine
    path = RESULTS/f'calibration-{data}.json'
    if path.exists():
        got = json.loads(path.read_text())
        if got['machine'] != machine():
            raise SystemExit(f"{path}: calibrated on {got['machine']}, this is {machine()}: a study runs on one machine (move {RESULTS} aside to start one here)")
        return got
    print(f'calibrating the pace of every {data} configuration ({CALIBRATION["rounds"]} rounds)…', flush=True)
    setups = {}
    for size in SEEDS[data]:
        for b in BACKBONES:
            mcfg, tcfg = base_configs(Spec(data, b, size, 1e-3, 0), data_path)
            acc = make_accelerator(tcfg)
            mcfg, _, tok, _, _, has_val = start_run(mcfg, tcfg, main=False)
            rd = run_data(tcfg, tok, has_val, main=False)
            val_batches = min(tcfg.eval_batches or 10**9, -(-len(rd.val) // tcfg.batch_size)) if rd.val is not None else 0
            setups[f'{b}-{size}'] = (mcfg, tcfg, acc, rd.epoch(0), val_batches)
    paces = {k: [] for k in setups}
    for _ in range(CALIBRATION['rounds']):
        for k, (mcfg, tcfg, acc, windows, _) in setups.items():
            torch.manual_seed(0); model = PixelBytesModel(mcfg)
            if tcfg.compile: model.compile()
            paces[k].append(seconds_per_step(model, windows, tcfg, acc, seconds=CALIBRATION['seconds'][data]))
            torch._dynamo.reset()
    out = {'machine': machine(), 'rounds': CALIBRATION['rounds'], 'configurations': {
        k: {'seconds_per_step': float(np.median(paces[k])), 'rounds': paces[k], 'val_batches': setups[k][4], 'eval_every': setups[k][1].eval_every}
        for k in setups}}
    from outputs import check_results, seal
    check_results(RESULTS, 'study'); RESULTS.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(out, indent=1)); seal('study', RESULTS)
    return out


def calibrated_steps(spec:Spec, data_path:Path) -> int:
    "The steps of a run: what its seconds hold at its configuration's calibrated pace, validations included (as the demo's fit counts them)."
    from pixelbytes.train import TimeBudget
    c = calibrate(spec.data, data_path)['configurations'][f'{spec.backbone}-{spec.size}']
    return TimeBudget(spec.seconds, c['val_batches'], c['eval_every'], 0, cap=10**9).fit(0.0, c['seconds_per_step'])


def uses_compile(data:str, backbone:str) -> bool:
    "Whether compile.json (`study.py compile`, this machine) found torch.compile to pay within a run's minutes for `backbone` on `data`."
    path = RESULTS/'compile.json'
    if not path.exists(): return False
    return any((r['data'], r['backbone']) == (data, backbone) and r['pays'] for r in json.loads(path.read_text())['rows'])


def evaluations(spec:Spec, rows:dict) -> list[tuple[str, str, tuple, dict]]:
    """(folder, split, metrics, options) of each scoring of a run: validation first (it chooses), then test (and systematic),
    which a rate's trial is scored on only once it is the rate chosen (the others are never read)."""
    if spec.data == 'toy':       # validation generation: what the demo's choice of backbone and size reads (its targets)
        val = [('eval-validation', 'validation', ('bits',), dict(baselines=False)),
               ('eval-validation-generation', 'validation', ('chrf', 'ssim'), dict(TOY_EVAL, n_retrieval=None, baselines=False))]
        test = [('eval-test', 'test', ('bits', 'chrf', 'ssim', 'information'), TOY_EVAL),
                ('eval-systematic', 'systematic', ('bits', 'chrf', 'ssim'), {**TOY_EVAL, 'n_retrieval': None})]
    else:
        val = [('eval-validation', 'validation', ('bits',), dict(baselines=False))]
        test = [('eval-test', 'test', ('bits', 'information', 'attributes', 'completion'), PK_EVAL)]
    trial = spec.size == 'middle' and spec.seed == 0 and not spec.minutes and chosen_rates(spec.data, rows).get(spec.backbone) != spec.lr
    return val if trial else val + test


def run_one(name:str):
    "Train (or resume) one run and score it; its row in row.json (in its own process: `study.py one NAME`)."
    with TrainLock(): _run_one(spec_named(name))


def _run_one(spec:Spec):
    from pixelbytes.train import train
    from pixelbytes.evaluate import evaluate_checkpoint
    folder, run, name = spec.folder, spec.folder/'run', spec.name
    data = build(spec.data)
    if not (folder/'trained.json').exists():
        mcfg, tcfg = train_configs(spec, data)
        if (run/'last'/'config.json').exists():
            from dataclasses import replace
            tcfg = replace(tcfg, resume=True, overwrite=False); mcfg = None
            print(f'{name}: resuming from {run/"last"}', flush=True)
        cpu0 = time.process_time()
        got = train(mcfg, tcfg)
        (folder/'trained.json').write_text(json.dumps({**{k: got[k] for k in ('step', 'seconds', 'best_val_loss') if k in got},
                                                       'cpu_seconds': round(time.process_time() - cpu0, 1)}, indent=1))
    from pixelbytes.dataset import load_built
    splits = set(load_built(data))
    for sub, split, metrics, options in evaluations(spec, finished_rows()):
        if (folder/sub/'pixelbytes-manifest.json').exists() or split not in splits: continue    # a small toy set may hold no systematic record
        evaluate_checkpoint(run/'best', folder/sub, data, split, metrics, batch_size=64, device='cpu', progress=False, **options)
    row = run_row(spec)
    (folder/'row.json').write_text(json.dumps(row, indent=1, ensure_ascii=False))
    print(f"{name}: done ({row['steps']} steps, {row['seconds']:.0f} s, validation {row['val_bits_per_record']:.1f} bits/record)", flush=True)


def spec_named(name:str) -> Spec:
    data, backbone, size, lr, seed, *minutes = name.split('-')
    return Spec(data, backbone, size, float(lr[2:]), int(seed[1:]), float(minutes[0][1:]) if minutes else None)


def run_row(spec:Spec) -> dict:
    "A finished run's row: what it is, what it cost, and its validation and test figures (row_metrics)."
    from pixelbytes.bench import train_flops_per_token
    from pixelbytes.models import load_checkpoint
    from results_page import machine
    folder = spec.folder; cfg = json.loads((folder/'run'/'last'/'config.json').read_text())
    model, _, _ = load_checkpoint(folder/'run'/'best')
    budget, trained = cfg.get('budget') or {}, json.loads((folder/'trained.json').read_text())
    seq_len = cfg['train'].get('seq_len') or 384
    return {'name': spec.name, 'data': spec.data, 'backbone': spec.backbone, 'size': spec.size, 'd_model': model.cfg.d_model,
            'n_layers': model.cfg.n_layers, 'params': sum(p.numel() for p in model.parameters()), 'seed': spec.seed, 'lr': spec.lr,
            'minutes': spec.seconds / 60,
            'seconds': budget.get('seconds'), 'cpu_seconds': trained.get('cpu_seconds'), 'tokens': budget.get('tokens'), 'steps': cfg['step'],
            'best_step': json.loads((folder/'run'/'best'/'config.json').read_text())['step'], 'schedule_steps': cfg['train'].get('max_steps'),
            'flops_per_token': train_flops_per_token(model, seq_len), 'compiled': bool(cfg['train'].get('compile')),
            'machine': machine(), **row_metrics(spec)}


def row_metrics(spec:Spec) -> dict:
    "Validation bits per record; test (and systematic) figures of the model, over all records and over each kind of record."
    from pixelbytes.evaluate import overall
    f = spec.folder; out = {}
    val = overall(json.loads((f/'eval-validation'/'teacher_forced.json').read_text()))[-1]
    out.update(val_bits_per_record=val['bits_per_record'], val_bits_per_byte=val['bits_per_byte'], val_bits_per_pixel=val['bits_per_pixel'])
    for sub, prefix in (('eval-test', ''), ('eval-systematic', 'systematic_'), ('eval-validation-generation', 'val_')):
        if not (f/sub).exists(): continue
        out.update({prefix + k: v for k, v in split_metrics(f/sub).items()})
    return out


KEPT_FIELDS = ('data', 'backbone', 'size', 'd_model', 'n_layers', 'params', 'seed', 'lr', 'minutes', 'seconds', 'cpu_seconds', 'tokens', 'steps',
               'best_step', 'schedule_steps', 'flops_per_token', 'compiled', 'machine', 'val_bits_per_record', 'val_bits_per_byte',
               'val_bits_per_pixel', 'split', 'grid')     # a run's own fields, in each of its rows of runs.json
TF_KEYS = ('bits_per_record', 'bits_per_byte', 'bits_per_pixel')
GEN_KEYS = ('t2i_pixel_accuracy', 't2i_exact', 'caption_exact_any_order', 'caption_chrf', 'completion_pixel_accuracy')
INFO_KEYS = ('bits_given_partner', 'information_bits', 'specificity_bits', 'retrieval_top1', 'retrieval_top5', 'chance_top1', 'chance_top5')
DIRECTIONS = {'text→image': 't2i', 'image→text': 'i2t'}


def split_metrics(ev:Path) -> dict:
    "The model's figures in one evaluation folder (with their record-level intervals, `_ci`): teacher-forced, generation, information, attributes."
    from pixelbytes.evaluate import overall
    out = {}
    def take(row, keys, prefix=''):
        for k in keys:
            if row.get(k) is not None: out[prefix + k] = row[k]
            if row.get(f'{k}_ci') is not None: out[f'{prefix}{k}_ci'] = row[f'{k}_ci']
    if (p := ev/'teacher_forced.json').exists():
        rows = json.loads(p.read_text()); take(overall(rows)[-1], TF_KEYS)
        for r in rows:                                      # the baselines, scored on exactly the model's tokens
            if r['model'] != overall(rows)[-1]['model'] and r.get('subset', 'all') == 'all':
                take(r, TF_KEYS, prefix=f"baseline:{r['model']}:")
    if (p := ev/'generation.json').exists():
        rows = json.loads(p.read_text()); model = overall(rows)[-1]
        take(model, GEN_KEYS)
        for r in rows:
            if r['model'] == model['model'] and r.get('subset', 'all') != 'all': take(r, GEN_KEYS, prefix=f"{r['subset']}:")
            elif r['model'] != model['model'] and r.get('subset', 'all') == 'all': take(r, GEN_KEYS, prefix=f"baseline:{r['model']}:")
    if (p := ev/'information.json').exists():
        for r in json.loads(p.read_text()):
            if r.get('subset', 'all') == 'all': take(r, INFO_KEYS, prefix=f"{DIRECTIONS[r['direction']]}_")
    if (p := ev/'attributes.json').exists():
        for r in json.loads(p.read_text()):
            take(r, ('accuracy', 'baseline', 'oracle', 'bits_saved', 'ties'), prefix=f"attr:{r['direction']} {r['attribute']}:")
    return out


def kept_rows() -> dict:
    "{name: row} of the runs report/results/study/runs.json keeps (one row per run and split there: merged back into one per run)."
    if not (RESULTS/'runs.json').exists(): return {}
    rows = {}
    for r in json.loads((RESULTS/'runs.json').read_text()):
        r = {k: v for k, v in r.items() if k not in ('split', 'grid')} if r['split'] == 'test' else \
            {f'systematic_{k}': v for k, v in r.items() if k not in KEPT_FIELDS}
        rows.setdefault(r.get('name') or r['systematic_name'], {}).update(r)
    return {n: {k: v for k, v in r.items() if k != 'systematic_name'} for n, r in rows.items()}


def finished_rows() -> dict:
    "{name: row} of every finished run: the runs here, and the rows kept in the results (of runs whose folders are elsewhere)."
    rows = {n: r for n, r in kept_rows().items() if not (OUT/'runs'/n).exists()}      # a run folder here speaks for itself
    for p in sorted((OUT/'runs').glob('*/row.json')):
        r = json.loads(p.read_text()); rows[r['name']] = r
    return rows


class TrainLock:
    """outputs/study/train.lock, held by the process that trains and scores a run (a runner killed meanwhile leaves it to
    finish, still holding the lock): no two trainings at once; other torch work can wait for it (`flock`)."""
    def __init__(self): (OUT).mkdir(parents=True, exist_ok=True); self.path = OUT/'train.lock'
    def __enter__(self):
        self.f = open(self.path, 'w'); fcntl.flock(self.f, fcntl.LOCK_EX); self.f.write(str(os.getpid())); self.f.flush(); return self
    def __exit__(self, *exc): fcntl.flock(self.f, fcntl.LOCK_UN); self.f.close()


def queue(datas, stages):
    "Run every unfinished run of `datas` in plan order (each in its own process, one at a time); the plan is redrawn after each run."
    runner = open(OUT/'runner.lock', 'w') if OUT.mkdir(parents=True, exist_ok=True) is None else None
    try: fcntl.flock(runner, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError: raise SystemExit(f'{OUT/"runner.lock"}: another study runner is at work; one at a time') from None
    while True:
        rows = finished_rows()
        todo = [s for d in datas for s in plan(d, rows) if (s.name not in rows or unscored(s, rows)) and stage_of(s) in stages]
        if not todo: print('study: every planned run is finished' + ('' if 'grid' in stages else ' (of these stages)'), flush=True); return
        spec = todo[0]
        print(f'{time.strftime("%H:%M:%S")} {spec.name} ({len(todo)} planned runs left)', flush=True)
        done = subprocess.run([sys.executable, __file__, 'one', spec.name], cwd=ROOT).returncode     # it holds the train lock
        if done: raise SystemExit(f'{spec.name}: failed (exit {done}); its folder {spec.folder} is kept: rerun to resume it')
        time.sleep(3)                                      # someone waiting on the lock gets it before the next run


def unscored(spec:Spec, rows:dict) -> bool:
    "A finished run here that lacks a scoring added to `evaluations` since it ran (scored, not trained, again)."
    if not (spec.folder/'row.json').exists(): return False
    return any(not (spec.folder/sub/'pixelbytes-manifest.json').exists() for sub, split, _, _ in evaluations(spec, rows)
               if split != 'systematic' or (spec.folder/'eval-systematic').exists())


def stage_of(spec:Spec) -> str: return 'minutes' if spec.minutes else 'lr' if spec.size == 'middle' and spec.seed == 0 else 'grid'


def status(datas):
    rows = finished_rows()
    for d in datas:
        specs = plan(d, rows); done = [s for s in specs if s.name in rows]
        print(f'{d}: {len(done)} of {len(specs)} planned runs finished (rates chosen: {chosen_rates(d, rows) or "not yet"})')
        for s in specs: print(f"  {'done' if s.name in rows else ('training' if (s.folder/'run').exists() else 'waits'):8} {s.name}")


def step_times(model, batches, n:int, bf16:bool) -> list[float]:
    "Wall seconds of `n` training steps of `model` (AdamW, bf16 autocast when `bf16`), one per step."
    import torch
    from pixelbytes.train import trim_batch
    opt, times = torch.optim.AdamW(model.parameters(), lr=1e-3), []
    for _ in range(n):
        b = trim_batch(next(batches)); t = time.perf_counter()
        with torch.autocast('cpu', dtype=torch.bfloat16, enabled=bf16): _, loss = model(b['contexts'], b['targets'])
        loss.backward(); opt.step(); opt.zero_grad(set_to_none=True)
        times.append(time.perf_counter() - t)
    return times


COMPILE_STEPS = {'toy': (8, 40), 'pokemon': (4, 12)}    # steps that compile (and meet new lengths), then steps timed


def measure_compile(datas=('toy', 'pokemon')):
    """Per backbone at the middle size, on each data set's training windows and batch: seconds per step eager and compiled
    (`model.compile()`, as --compile does), and the seconds the first steps took (compiling). torch.compile pays within a run
    when the time it saves over the steps that follow exceeds the time its compiling takes. Written to compile.json."""
    import numpy as np, torch
    from pixelbytes.machine import cpu_bf16
    from pixelbytes.models import PixelBytesModel
    from pixelbytes.train import make_loader, run_data, start_run
    from results_page import machine
    rows = []
    with TrainLock():
        for data in datas:
            if data == 'pokemon' and not POKEMON.is_dir(): print(f'{POKEMON}: not found, Pokémon not measured'); continue
            path = build(data); first, timed = COMPILE_STEPS[data]
            for b in BACKBONES:
                mcfg, tcfg = base_configs(Spec(data, b, 'middle', 1e-3, 0), path)
                mcfg, _, tok, _, _, has_val = start_run(mcfg, tcfg, main=False)
                windows = run_data(tcfg, tok, has_val, main=False).epoch(0)
                got = {}
                for mode in ('eager', 'compiled'):
                    torch.manual_seed(0); model = PixelBytesModel(mcfg).train()
                    if mode == 'compiled': model.compile()
                    batches = iter(make_loader(windows, tcfg.batch_size, 0, 0))
                    t = step_times(model, batches, first + timed, cpu_bf16())
                    got[mode] = (sum(t[:first]), float(np.median(t[first:])))
                    torch._dynamo.reset()
                saved = got['eager'][1] - got['compiled'][1]          # seconds per step
                overhead = got['compiled'][0] - first * got['eager'][1]
                seconds = TRAIN_SECONDS[data]
                rows.append({'data': data, 'backbone': b, 'eager_s_per_step': got['eager'][1], 'compiled_s_per_step': got['compiled'][1],
                             'speedup': got['eager'][1] / got['compiled'][1], 'compile_seconds': overhead,
                             'pays': saved > 0 and overhead < saved * seconds / got['compiled'][1]})
                print(json.dumps(rows[-1]), flush=True)
    from outputs import check_results, seal
    check_results(RESULTS, 'study'); RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS/'compile.json').write_text(json.dumps({'machine': machine(), 'torch': torch.__version__, 'rows': rows}, indent=1))
    seal('study', RESULTS)


_apply_overrides()          # (after every setting above is defined)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('command', choices=('run', 'status', 'report', 'compile', 'calibrate', 'one'))
    ap.add_argument('name', nargs='?', help=argparse.SUPPRESS)
    ap.add_argument('--data', nargs='+', default=['toy', 'pokemon'], choices=('toy', 'pokemon'))
    ap.add_argument('--stage', nargs='+', default=['lr', 'grid', 'minutes'], choices=('lr', 'grid', 'minutes'))
    args = ap.parse_args(argv)
    if args.command == 'one': return run_one(args.name)
    if args.command == 'run': return queue(args.data, args.stage)
    if args.command == 'status': return status(args.data)
    if args.command == 'compile': return measure_compile(args.data)
    if args.command == 'calibrate':
        with TrainLock():
            for d in args.data: calibrate(d, build(d))
        return
    from study_report import report
    report()


if __name__ == '__main__':
    main()
