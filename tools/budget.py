"""What the demo's five minutes buy on this machine, on the toy set split by composition: the demo itself (its step count
fitted to five minutes) on the test and systematic splits, levers of its recipe one at a time at equal wall time (scored on
the validation split), and each target against the demo's wall time, with the setting and time at which the toy set is
essentially solved, or the statement that it is not.

    python tools/budget.py                 # about 2 hours on 2 CPU cores from nothing; finished runs are kept
    python tools/budget.py --report-only   # only gather the finished runs

Writes results/toy-budget/: budget.{csv,json,tex} (the levers), curve.{csv,json,tex}, the demo's tables and figures, and
README.md (the book's page). Only validation figures choose; the test and systematic splits are read by the demo runs. A
finished run's row is kept in results/toy-budget/*.json, so a run whose outputs are gone (another clone) is gathered from
there, with the machine it ran on, instead of being trained again. The rows of this tool's runs on the toy split by record
(before issue 29) are kept in results/toy-split-by-record/.
"""
import argparse, json, shutil, subprocess, sys, time
import numpy as np
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT)); sys.path.insert(0, str(ROOT/'tools'))
from pixelbytes.demo import DEMO, DEMO_TARGETS, TARGET_NAMES, demo_configs, run_demo   # noqa: E402
from results_page import machine                                               # noqa: E402

# each a change to the demo's settings (DEMO in pixelbytes.demo), trained for the time the demo's five minutes leave it;
# two_shapes and clause_order change its data (the splits stay: a composition's split is the same in every toy build).
# The demo described two-shape captions in random order until this comparison chose raster order (over three seeds):
# the changes measured against it keep its order.
BEFORE = {'clause_order': 'random'}
SETTINGS = {'demo': ('the demo (two-shape clauses in raster order)', {}),
            'random': ('clauses in random order (the demo before)', BEFORE),
            'two-shapes-0.6': ('60% two-shape records (instead of 40%)', {**BEFORE, 'two_shapes': 0.6}),
            'width192': ('width 192 (instead of 128)', {**BEFORE, 'd_model': 192}),
            'layers4': ('4 layers (instead of 3)', {**BEFORE, 'n_layers': 4}),
            **{f'{name}-seed{s}': (f'{label}, seed {s}', {**change, 'seed': s}) for s in (1, 2)
               for name, label, change in (('demo', 'the demo', {}), ('random', 'clauses in random order (the demo before)', BEFORE))}}
SEEDED = ('demo', 'random')    # a change and what it is compared with, paired by seed (seed 0: the rows above)
SEED_KEYS = ('t2i_pixel_accuracy', 't2i_exact', 'caption_exact_any_order')   # compared seed by seed (bits differ by the order's own entropy)
# the demo given more minutes (and a larger batch), and the demo before (random clause order) at five minutes: each target
# against the demo's wall time on this machine, as (minutes, batch, learning rate, clause order)
LONGER = ((DEMO['minutes'], DEMO['batch_size'], DEMO['lr'], 'random'), (10, DEMO['batch_size'], DEMO['lr'], DEMO['clause_order']),
          (20, DEMO['batch_size'], DEMO['lr'], DEMO['clause_order']))   # run in this order (10 minutes solved the test split: 20 show the systematic one)
CURVE_KEY = lambda r: (r['minutes'], r['batch_size'], r['lr'], r.get('clause_order', 'random'))
TARGETS = DEMO_TARGETS
SOLVED = {'t2i_exact': 0.9, 'caption_exact_any_order': 0.95}                                 # "essentially solved"
GENERATED = DEMO['samples']                    # validation records generated from: as many as the demo's test
DATA_SETTINGS = ('two_shapes', 'clause_order')


def data_of(out:Path, two_shapes:float, clause_order:str) -> Path:
    "The toy set built with these options (built once, beside the runs)."
    return out/f'data-{two_shapes:g}-{clause_order}'


def build(data:Path, two_shapes:float, clause_order:str):
    from pixelbytes.dataset import build_data
    if not (data/'hf').exists():
        build_data(data, 'toy', n=4000, preview=0, progress=False, two_shapes=two_shapes, clause_order=clause_order)


def model_row(path:Path) -> dict:
    "The model's row over all records of an evaluation table (after the baselines'), with its subsets' figures under `subsets`."
    from pixelbytes.evaluate import overall
    rows = json.loads(path.read_text())
    main = overall(rows)[-1]
    return {**main, 'subsets': {r['subset']: r for r in rows if r.get('model') == main['model'] and r.get('subset', 'all') != 'all'}}


def score_validation(ckpt:Path, ev:Path, data:Path, best_of:int) -> tuple[dict, dict]:
    "Teacher-forced bits on the whole validation split of `data` (both directions) and greedy generation on its first records."
    from pixelbytes.evaluate import evaluate_checkpoint
    if not (ev/'generation.json').exists():
        evaluate_checkpoint(ckpt, ev, data, 'validation', ('bits', 'chrf', 'ssim'), n=GENERATED, batch_size=64, baselines=False,
                            sampling={'temperature': 0.0}, best_of=best_of, device='cpu', progress=False)
    return model_row(ev/'teacher_forced.json'), model_row(ev/'generation.json')


def train_one(name:str, out:Path, runs:Path, seconds:float):
    "Train one setting (in its own process: `--one NAME`) on its toy set."
    from pixelbytes.train import train
    d = {**DEMO, **SETTINGS[name][1]}
    data = data_of(out, d['two_shapes'], d['clause_order']); build(data, d['two_shapes'], d['clause_order'])
    mcfg, tcfg = demo_configs(data, runs/name/'run', seconds, progress=False, **SETTINGS[name][1])
    train(mcfg, tcfg)


def kept_rows(path:Path, key) -> dict:
    "Rows an earlier run of this tool wrote to `path` (a results table's JSON), by `key(row)`."
    return {key(r): r for r in json.loads(path.read_text())} if path.exists() else {}


def by_shapes(row:dict, key:str) -> str:
    "A figure over one-shape and over two-shape records, as the tables show it ('0.95 / 0.40')."
    sub = row.get('subsets', {})
    return ' / '.join(f"{sub[k][key]:.2f}" if key in sub.get(k, {}) else '–' for k in ('one shape', 'two shapes'))


def figures(tf:dict|None, g:dict) -> dict:
    "What a row of the tables keeps of a teacher-forced and a generation row (and their subsets)."
    out = {k: tf[k] for k in ('bits_per_record', 'bits_per_record_ci', 'bits_per_byte', 'bits_per_byte_ci', 'bits_per_pixel', 'bits_per_pixel_ci')} if tf else {}
    out.update({k: g[k] for k in g if k.startswith(('t2i_', 'caption_'))})
    out['subsets'] = {k: {m: v for m, v in r.items() if m.startswith(('t2i_', 'caption_', 'n'))} for k, r in g.get('subsets', {}).items()}
    for key in ('t2i_exact', 'caption_exact_any_order'): out[f'{key}_by_shapes'] = by_shapes(out, key)
    return out


def setting_row(name:str, out:Path, runs:Path, seconds:float, report_only:bool, kept:dict) -> dict|None:
    "One setting's validation figures; a row kept from an earlier run when its outputs are gone."
    run = runs/name/'run'
    if not (run/'best'/'config.json').exists():
        if name in kept: return kept[name]
        if report_only: return None
        print(f'{name}: training for {seconds / 60:.2f} minutes…', flush=True)
        subprocess.run([sys.executable, __file__, '--one', name, '--seconds', str(seconds), '--out', str(out)], check=True, cwd=ROOT)
    settings = {**DEMO, **SETTINGS[name][1]}
    # scored on the demo's validation records (its share of two-shape records), with the setting's clause order
    data = data_of(out, DEMO['two_shapes'], settings['clause_order']); build(data, DEMO['two_shapes'], settings['clause_order'])
    tf, g = score_validation(run/'best', runs/name/'eval-validation', data, settings['best_of'])
    cfg = json.loads((run/'best'/'config.json').read_text())
    return {'change': SETTINGS[name][0], 'setting': name, 'lr': settings['lr'], 'steps': cfg['step'], 'best_of': settings['best_of'], 'machine': machine(),
            'parameters': n_parameters(run/'best'), **figures(tf, g)}


def short_machine(name:str) -> str:
    "A machine's name as a table shows it: its processor, and AMX where it has it (what sets its bf16 pace)."
    return name.split(',')[0].replace('(R)', '') + (' (AMX)' if 'amx' in name else '')


def seed_rows(rows:list[dict]) -> list[dict]:
    "The change in SEEDED against its base, seed by seed (validation generation), and their differences."
    by = {r['setting']: r for r in rows}; change, base = SEEDED
    name = lambda setting, s: setting if s == 0 else f'{setting}-seed{s}'
    out = [{'seed': s, **{f'{k}_{side}': by[name(st, s)][k] for k in SEED_KEYS + ('steps',) for side, st in (('change', change), ('base', base))}}
           for s in (0, 1, 2) if name(change, s) in by and name(base, s) in by]
    for r in out: r.update({f'{k}_difference': r[f'{k}_change'] - r[f'{k}_base'] for k in SEED_KEYS})
    return out


def mean_with_t_interval(v) -> tuple[float, list[float]]:
    "Mean of a few seeds' values and its 95% Student-t interval (the seeds are the only replication)."
    from scipy import stats
    v = np.asarray(v, float); h = stats.t.ppf(0.975, len(v) - 1) * v.std(ddof=1) / np.sqrt(len(v))
    return float(v.mean()), [float(v.mean() - h), float(v.mean() + h)]


def n_parameters(ckpt:Path) -> int:
    "Parameters of a checkpoint's model, counted from its safetensors header."
    from safetensors import safe_open
    with safe_open(str(ckpt/'model.safetensors'), 'pt') as f: return sum(int(np.prod(f.get_slice(k).get_shape())) for k in f.keys())


def demo_row(m, b, lr, order, d:Path) -> dict:
    "A demo run's row of the curve: its budget, and its test and systematic figures (one shape and two shapes apart)."
    cfg = json.loads((d/'run'/'best'/'config.json').read_text())
    sysg, syst = (d/'eval-systematic'/'generation.json'), (d/'eval-systematic'/'teacher_forced.json')
    systematic = figures(model_row(syst) if syst.exists() else None, model_row(sysg)) if sysg.exists() else {}
    return {'minutes': m, 'batch_size': b, 'lr': lr, 'clause_order': order, 'seconds': json.loads((d/'seconds.json').read_text())['seconds'], 'steps': cfg['step'],
            'train_seconds': cfg['train']['max_minutes'] * 60, 'machine': machine(), 'parameters': n_parameters(d/'run'/'best'),
            'tokens': (cfg.get('budget') or {}).get('tokens'), **figures(model_row(d/'eval'/'teacher_forced.json'), model_row(d/'eval'/'generation.json')),
            **{f'systematic_{k}': v for k, v in systematic.items() if k != 'subsets'}}


def check_subsets(rows:list[dict], key:str, goal:float) -> str:
    "A target over all records, and what it is over one-shape and two-shape records."
    from results_page import check
    line = check(rows[:1], f'{key}>={goal}')
    return line + ' (' + ', '.join(f"{r['subset']} {r[key]:.3f}" for r in rows[1:] if key in r) + ')' if line else ''


def before_and_after(before:Path, five:dict, gen:list[dict], curve:list[dict], res:Path) -> list[str]:
    "The old and the new figures side by side, once: the same runs on the toy set split by record (before issue 29) and by composition."
    from pixelbytes.evaluate import markdown_table
    old_curve = json.loads((before/'curve.json').read_text()); old_gen = json.loads((before/'generation.json').read_text())
    keys = ('t2i_pixel_accuracy', 't2i_exact', 'caption_exact_any_order')
    pick = lambda rows, key: next((r for r in rows if CURVE_KEY(r) == key), None)
    lines = []
    random5 = (DEMO['minutes'], DEMO['batch_size'], DEMO['lr'], 'random')
    old, new = pick(old_curve, random5), pick(curve, random5)
    if old and new:
        lines += [{'row': 'the demo before (random clause order, 5 minutes), split by record', **{k: old[k] for k in keys}, 'where': old.get('where', '')},
                  {'row': 'the same, split by composition', **{k: new[k] for k in keys}, 'where': new.get('where', '')}]
    lines.append({'row': 'the demo now (raster clause order, 5 minutes), split by composition', **{k: five[k] for k in keys}, 'where': five.get('where', '')})
    near = lambda rows: next(r for r in rows if r['model'] == 'nearest training record' and r.get('subset', 'all') == 'all')
    lines += [{'row': 'nearest training record, split by record', **{k: near(old_gen)[k] for k in keys}},
              {'row': 'nearest training record, split by composition', **{k: near(gen)[k] for k in keys}}]
    cols = [('row', 'test split, first 100 records', '{}'), ('where', 'machine', '{}'), ('t2i_pixel_accuracy', 't→i acc.', '{:.3f}'),
            ('t2i_exact', 't→i exact', '{:.2f}'), ('caption_exact_any_order', 'captions, any order', '{:.2f}')]
    from pixelbytes.evaluate import save_table
    save_table(lines, res/'before', cols)
    return ['## Before and after: the toy set split by record, then by composition', '',
            'Until issue 29 the toy records were split by record id, so most single-shape test records were verbatim training records '
            'and looking the answer up in the training set was right on many of them. The same settings on the split by record '
            '(`results/toy-split-by-record/`, as `tools/budget.py` wrote them then) and on the split by composition, and the demo '
            'as it is now:', '',
            markdown_table(lines, cols), '',
            'What the look-up got right was recall; on the split by composition it can no longer be exactly right, by construction.', '']


def split_by_record_overlap(n:int=4000) -> float:
    "Share of the test records whose sprite (so composition) is a training one, when the toy set is split by record as it was before issue 29."
    from pixelbytes.sources import toy_source
    from pixelbytes.dataset import split_species
    recs = list(toy_source(n)); assign = split_species([r.id for r in recs], (0.8, 0.1, 0.1), 0)   # the split then: by record id, seed 0
    train = {np.asarray(r.image).tobytes() for r in recs if assign[r.id] == 'train'}
    return float(np.mean([np.asarray(r.image).tobytes() in train for r in recs if assign[r.id] == 'test']))


def report_values(five:dict|None, curve:list[dict], rows:list[dict], splits:dict|None, res:Path) -> dict:
    "The figures the report's prose cites, formatted as it prints them."
    from pixelbytes.sources import TOY_SHAPES, TOY_COLORS, TOY_POSITIONS
    from pixelbytes.evaluate import overall
    v = {'OneShapeCompositions': f'{len(TOY_SHAPES) * len(TOY_COLORS) * (2 * len(TOY_POSITIONS) + 1):,}',   # small and medium anywhere, large centred
         'OldOverlap': f'{split_by_record_overlap():.0%}'.replace('%', '\\%')}
    if splits: v.update({k.capitalize(): f'{n:,}' for k, n in splits['splits'].items()})
    if splits: v.update(HeldOutPairs=len(splits['systematic_pairs']), HeldOutExtra=f"{splits['held_out_extra']:,}")
    info = ROOT/'results'/'toy-transformer'/'information.json'
    if info.exists():
        rows_ = {r['direction']: r for r in overall(json.loads(info.read_text()))}
        v.update(ToyInfoTI=f"{rows_['text→image']['information_bits']:.1f}", ToyInfoIT=f"{rows_['image→text']['information_bits']:.1f}",
                 ToyNoneTI=f"{rows_['text→image']['bits_given_none']:.1f}", ToyNoneIT=f"{rows_['image→text']['bits_given_none']:.1f}",
                 ToyRetrieval=f"{min(r['retrieval_top1'] for r in rows_.values()):.2f}", ToyRetrievalN=rows_['text→image']['n_retrieval'])
    if five:
        v.update(DemoSteps=f"{five['steps']:,}", DemoMinutes=f"{five['seconds'] / 60:.1f}", DemoAcc=f"{five['t2i_pixel_accuracy']:.3f}",
                 DemoExact=f"{five['t2i_exact']:.2f}", DemoCaptions=f"{five['caption_exact_any_order']:.2f}", DemoParameters=f"{five['parameters']:,}")
        for kind, name in (('one shape', 'One'), ('two shapes', 'Two')):
            sub = five.get('subsets', {}).get(kind, {})
            if sub: v.update({f'DemoExact{name}': f"{sub['t2i_exact']:.2f}", f'DemoCaptions{name}': f"{sub['caption_exact_any_order']:.2f}"})
        if 'systematic_t2i_exact' in five:
            v.update(SysExact=f"{five['systematic_t2i_exact']:.2f}", SysCaptions=f"{five['systematic_caption_exact_any_order']:.2f}",
                     SysAcc=f"{five['systematic_t2i_pixel_accuracy']:.3f}")
    if (res/'generation.json').exists():
        near = next(r for r in json.loads((res/'generation.json').read_text()) if r['model'] == 'nearest training record' and r.get('subset', 'all') == 'all')
        v.update(NearestExact=f"{near['t2i_exact']:.2f}", NearestCaptions=f"{near['caption_exact_any_order']:.2f}")
    before = ROOT/'results'/'toy-split-by-record'/'toy-budget'
    if (before/'generation.json').exists():
        old = json.loads((before/'generation.json').read_text())
        near = next(r for r in old if r['model'] == 'nearest training record'); demo = overall(old)[-1]
        v.update(OldNearestExact=f"{near['t2i_exact']:.2f}", OldNearestCaptions=f"{near['caption_exact_any_order']:.2f}",
                 OldDemoExact=f"{demo['t2i_exact']:.2f}", OldDemoCaptions=f"{demo['caption_exact_any_order']:.2f}")
    random5 = next((r for r in curve if CURVE_KEY(r) == (DEMO['minutes'], DEMO['batch_size'], DEMO['lr'], 'random')), None)
    if random5:
        v.update(RandomExact=f"{random5['t2i_exact']:.2f}", RandomCaptions=f"{random5['caption_exact_any_order']:.2f}", RandomAcc=f"{random5['t2i_pixel_accuracy']:.3f}")
        sub = random5.get('subsets', {}).get('two shapes', {})
        if sub: v.update(RandomExactTwo=f"{sub['t2i_exact']:.2f}", RandomCaptionsTwo=f"{sub['caption_exact_any_order']:.2f}")
    if len(seeds := seed_rows(rows)) > 1:
        m, (lo, hi) = mean_with_t_interval([r['caption_exact_any_order_difference'] for r in seeds])
        me, (elo, ehi) = mean_with_t_interval([r['t2i_exact_difference'] for r in seeds])
        v.update(SeedCount=len(seeds), SeedCaptionGain=f'{m:+.2f}', SeedCaptionLow=f'{lo:+.2f}', SeedCaptionHigh=f'{hi:+.2f}',
                 SeedExactGain=f'{me:+.2f}', SeedExactLow=f'{elo:+.2f}', SeedExactHigh=f'{ehi:+.2f}',
                 SeedCaptionWins=sum(r['caption_exact_any_order_difference'] > 0 for r in seeds))
    curve = [r for r in curve if r.get('clause_order', 'random') == DEMO['clause_order']]     # the demo as it is, given longer
    if curve:
        longest = max(curve, key=lambda r: r['minutes'])
        v.update(LongestMinutes=f"{longest['minutes']:g}", LongestBatch=longest['batch_size'], LongestExact=f"{longest['t2i_exact']:.2f}",
                 LongestCaptions=f"{longest['caption_exact_any_order']:.2f}")
        if 'systematic_t2i_exact' in longest:
            v.update(LongestSysExact=f"{longest['systematic_t2i_exact']:.2f}", LongestSysCaptions=f"{longest['systematic_caption_exact_any_order']:.2f}")
        for kind, name in (('one shape', 'One'), ('two shapes', 'Two')):
            sub = longest.get('subsets', {}).get(kind, {})
            if sub: v.update({f'LongestExact{name}': f"{sub['t2i_exact']:.2f}", f'LongestCaptions{name}': f"{sub['caption_exact_any_order']:.2f}"})
    if five: v['TargetsSentence'] = targets_sentence(five)
    v['SolvedSentence'] = solved_sentence(curve).replace('≥', '$\\geq$').replace('%', '\\%')
    v['LeversSentence'] = levers_sentence(rows)
    return v


def targets_sentence(row:dict) -> str:
    "Each of the demo's targets on test, its rate and 95% interval, and whether the whole interval, the mean only, or neither meets it."
    out = []
    for key, goal in TARGETS.items():
        lo, hi = row.get(f'{key}_ci') or [row[key]] * 2
        how = ('met by its whole interval' if lo >= goal else 'met by its mean, not by its whole interval' if row[key] >= goal else
               'below on the mean, its interval holding the target' if hi >= goal else 'missed by its whole interval')
        out.append(f'{TARGET_NAMES[key]} $\\geq$ {goal:g}: {row[key]:.2f} [{lo:.2f}, {hi:.2f}], {how}')
    return '; '.join(out) + '.'


def solved_sentence(curve:list[dict]) -> str:
    "Where the toy set is first essentially solved on test, or how far the longest run falls short."
    curve = [r for r in curve if r.get('clause_order', 'random') == DEMO['clause_order']]
    if not curve: return 'no run of the demo yet.'
    goal = f"≥ {SOLVED['t2i_exact']:.0%} exact sprites and ≥ {SOLVED['caption_exact_any_order']:.0%} exact captions in any order"
    solved = sorted((r for r in curve if all(r[k] >= x for k, x in SOLVED.items())), key=lambda r: r['seconds'])
    if solved:
        r = solved[0]
        tried = ', '.join(f"{m:g}" for m in sorted({x['minutes'] for x in curve}))
        return (f"of the times tried ({tried} minutes; one seed each, the first 100 test records), {r['minutes']:g} minutes with batches of "
                f"{r['batch_size']} is the shortest that essentially solves the test split ({goal}), by the means.")
    r = max(curve, key=lambda r: r['minutes'])
    return (f"no run essentially solves the set ({goal}); the longest, {r['minutes']:g} minutes with batches of {r['batch_size']}, draws "
            f"{r['t2i_exact']:.2f} of the sprites and writes {r['caption_exact_any_order']:.2f} of the captions exactly "
            f"(two shapes: {r['subsets']['two shapes']['t2i_exact']:.2f} and {r['subsets']['two shapes']['caption_exact_any_order']:.2f})"
            + (f", and on the systematic split {r['systematic_t2i_exact']:.2f} and {r['systematic_caption_exact_any_order']:.2f}." if 'systematic_t2i_exact' in r else '.'))


def levers_sentence(rows:list[dict]) -> str:
    "What each lever buys on validation against the demo before (random clause order): exact sprites and captions, over all and over two-shape records."
    by = {r['setting']: r for r in rows if '-seed' not in r['setting']}
    if 'random' not in by: return ''
    d = by['random']; two = lambda r, k: r.get('subsets', {}).get('two shapes', {}).get(k, float('nan'))
    parts = [f"{r['change']}: {r['t2i_exact']:.2f} and {r['caption_exact_any_order']:.2f} (two shapes "
             f"{two(r, 't2i_exact'):.2f} and {two(r, 'caption_exact_any_order'):.2f})" for name, r in by.items() if name != 'random']
    return (f"On validation the demo before (random clause order) draws {d['t2i_exact']:.2f} of the sprites and writes {d['caption_exact_any_order']:.2f} "
            f"of the captions exactly (two shapes {two(d, 't2i_exact'):.2f} and {two(d, 'caption_exact_any_order'):.2f}); " + '; '.join(parts) + '.').replace('%', '\\%')


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--out', default='outputs/budget', help='runs and data (default: outputs/budget)')
    ap.add_argument('--results', default='results/toy-budget', help='tables, figures and page (default: results/toy-budget)')
    ap.add_argument('--report-only', action='store_true', help='only gather finished runs')
    ap.add_argument('--one', default=None, help=argparse.SUPPRESS)           # train one setting, in its own process
    ap.add_argument('--seconds', type=float, default=None, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    from pixelbytes.evaluate import save_table, markdown_table, with_subset, latex_macros, GENERATION_COLUMNS, INFORMATION_COLUMNS, TABLE_COLUMNS
    out, res = ROOT/args.out, ROOT/args.results
    runs, demo = out/'runs', out/'demo'
    if args.one: return train_one(args.one, out, runs, args.seconds)
    res.mkdir(parents=True, exist_ok=True)
    if (demo/'data'/'build_report.json').exists():     # the split sizes of the demo's toy set, kept for a clone without the data
        rep = json.loads((demo/'data'/'build_report.json').read_text())
        (res/'splits.json').write_text(json.dumps({k: rep[k] for k in ('splits', 'split_rule', 'systematic_pairs', 'held_out_extra')}, indent=1))
    # the demo, then with more minutes M, batch B and learning rate LR; the demo first: it times the settings' training
    demos = [(DEMO['minutes'], DEMO['batch_size'], DEMO['lr'], DEMO['clause_order'], demo)] + \
            [(m, b, lr, order, out/(f'demo-{m:g}min' + ('' if b == DEMO['batch_size'] else f'-b{b}') + ('' if lr == DEMO['lr'] else f'-lr{lr:g}')
                                    + ('' if order == DEMO['clause_order'] else f'-{order}')))
             for m, b, lr, order in LONGER]
    kept_curve = kept_rows(res/'curve.json', CURVE_KEY)
    def run_demos(which) -> list[dict]:
        got = []
        for m, b, lr, order, d in which:
            if not (d/'seconds.json').exists():
                if (m, b, lr, order) in kept_curve and (d != demo or args.report_only):   # the demo itself is rerun: it times the settings' training
                    got.append(kept_curve[m, b, lr, order]); continue
                if args.report_only: continue
                t = time.perf_counter()
                run_demo(d, minutes=m, batch_size=b, lr=lr, clause_order=order, progress=False)
                (d/'seconds.json').write_text(json.dumps({'seconds': round(time.perf_counter() - t, 1)}))
            got.append(demo_row(m, b, lr, order, d))
            if d == demo:                         # its evaluation and pictures are the page's test section
                for src, dst in ((demo/'eval', res), (demo/'eval-systematic', res/'systematic')):
                    dst.mkdir(exist_ok=True)
                    for f in ('generation.json', 'generation.csv', 'generation.tex', 'teacher_forced.json', 'teacher_forced.tex', 'information.json',
                              'information.tex', 'text2image.png', 'image2text.png', 'completion.png', 'information.png', 'drawing.gif'):
                        if (src/f).exists(): shutil.copy(src/f, dst/f)
                shutil.copy(demo/'run'/'loss.png', res/'loss.png')
        return got
    curve = run_demos(demos[:1])                  # the demo first: it times the settings' training
    five = next((r for r in curve if CURVE_KEY(r) == (DEMO['minutes'], DEMO['batch_size'], DEMO['lr'], DEMO['clause_order'])), None)
    seconds = five.get('train_seconds') if five else None          # the training time the demo's five minutes left: every setting gets it
    kept = kept_rows(res/'budget.json', lambda r: r['setting'])
    rows = [r for name in SETTINGS if (r := setting_row(name, out, runs, seconds, args.report_only or seconds is None, kept))]
    curve = sorted(curve + run_demos(demos[1:]), key=CURVE_KEY)   # then the demo before, and the demo given longer
    for r in rows + curve: r['where'] = short_machine(r.get('machine', machine()))
    shapes = [('t2i_exact_by_shapes', 'exact, 1 / 2 shapes', '{}'), ('caption_exact_any_order_by_shapes', 'captions, 1 / 2 shapes', '{}')]
    cols = [('change', 'change', '{}'), ('where', 'machine', '{}'), ('steps', 'steps', '{}'), ('parameters', 'parameters', '{:,}'),
            ('bits_per_record', 'bits/record', '{:.1f}'), ('t2i_pixel_accuracy', 't→i acc.', '{:.3f}'), ('t2i_exact', 't→i exact', '{:.2f}'), shapes[0],
            ('caption_exact_any_order', 'captions, any order', '{:.2f}'), shapes[1], ('caption_chrf', 'chrF', '{:.1f}')]
    if rows: save_table(rows, res/'budget', cols)
    here = machine()
    elsewhere = sorted({r['machine'] for r in rows + curve if r.get('machine', here) != here})
    splits = json.loads((res/'splits.json').read_text()) if (res/'splits.json').exists() else None
    page = ['# What five minutes buy: the demo on the toy set split by composition', '',
            f'Written by `tools/budget.py` (`make toy-budget`) on {here}' +
            (f"; rows kept from an earlier run of it on {'; '.join(elsewhere)} are marked with their machine" if elsewhere else '') +
            ". The toy set (4,000 records, seed 0) split " + (splits['split_rule'] if splits else 'by composition') +
            (' (' + ', '.join(f'{k} {v}' for k, v in splits['splits'].items()) + ' records; held-out pairs: ' +
             ', '.join(' '.join(p) for p in splits['systematic_pairs']) + ')' if splits else '') +
            f". The demo's transformer ({DEMO['d_model']} wide, {DEMO['n_layers']} layers, k={DEMO['k']}, row and column embeddings, "
            f"layouts redrawn each epoch, batches of {DEMO['batch_size']}, learning rate {DEMO['lr']:g}), bf16 autocast where the CPU has native bf16, "
            'else fp32. One seed per row. Every figure is split into one-shape and two-shape records: binding a colour and a shape '
            'to the right object is what two-shape records test.', '']
    if five and (res/'generation.json').exists():
        gen = json.loads((res/'generation.json').read_text()); info = json.loads((res/'information.json').read_text())
        gcols = with_subset([c for c in GENERATION_COLUMNS if any(c[0] in r for r in gen) and c[0] not in ('guidance', 'best_of')], gen)
        model = [r for r in gen if r['model'] not in ('blank / top caption', 'nearest training record')]
        page += ['## The demo, five minutes in all (test and systematic)', '',
                 f"`pixelbytes demo` with its defaults: {five['steps']:,} training steps of {five['parameters']:,} parameters fitted to what building "
                 f"the data and the evaluations left of five minutes; the whole demo took {five['seconds'] / 60:.1f} minutes here. Test split, first "
                 f"{model[0]['n']} records, greedy decoding, 95% bootstrap intervals over records:", '', markdown_table(gen, gcols), '',
                 'The targets (issue 13), each against its interval, over all records (one shape and two shapes in brackets):', '',
                 '\n'.join(check_subsets(model, k, v) for k, v in TARGETS.items()), '']
        if (res/'systematic'/'generation.json').exists():
            sg = json.loads((res/'systematic'/'generation.json').read_text())
            page += ["**The systematic split**: records holding a colour–shape pair that no training, validation or test record holds. "
                     'Can the model draw and name a colour and a shape it has seen only apart?', '',
                     markdown_table(sg, with_subset([c for c in GENERATION_COLUMNS if any(c[0] in r for r in sg) and c[0] not in ('guidance', 'best_of')], sg)), '']
        page += ['What each modality tells the other (test split):', '', markdown_table(info, with_subset(INFORMATION_COLUMNS, info)), '']
    page += ['## Levers of the recipe, one at a time at equal wall time (validation)', '',
             "The first row is the demo now; the second, the demo before (two-shape clauses in random order, its order until the seeds "
             "below chose raster order); each row after them changes one setting of the demo before. Every row trains under the demo's "
             "training cap, the same wall time "
             f"({f'{seconds / 60:.2f} minutes' if seconds else 'as long as the demo trained'}, a cap from which the reserve for its evaluation is kept; the step count fitted "
             "to this machine). Scored on the validation split of the demo's toy set (the clause order of the row's own): bits teacher-forced "
             f'on every record both ways, greedy generation on the first {GENERATED}; 95% bootstrap intervals over records (in the JSON). '
             '*1 / 2 shapes*: the figure over one-shape and over two-shape records.', '',
             markdown_table(rows, cols) if rows else '(no finished runs)', '',
             '*captions, any order* accepts the clauses of a two-shape caption in either order. With clauses in raster order a caption is a '
             'function of its sprite, so its bits per record drop by about the bit the random order costs and are not comparable with the '
             "others'. A row's difference from the demo also holds the noise of training (one seed), which the intervals over records do not "
             "cover; rows naming a seed repeat the first two with it.", '']
    if len(seeds := seed_rows(rows)) > 1:       # seed 0 alone is already the table above
        scols = [('seed', 'seed', '{}')] + [(f'{k}_{side}', f'{label}, {side}', f) for k, label, f in
                 (('steps', 'steps', '{}'), ('t2i_exact', 't→i exact', '{:.2f}'), ('caption_exact_any_order', 'captions', '{:.2f}')) for side in ('change', 'base')] + \
                [('caption_exact_any_order_difference', 'captions, difference', '{:+.2f}')]
        save_table(seeds, res/'seeds', scols)
        summary = {k: mean_with_t_interval([r[f'{k}_difference'] for r in seeds]) for k in SEED_KEYS}
        change, base = (SETTINGS[x][0] for x in SEEDED)
        page += [f'## {change[0].upper() + change[1:]} against {base}, seed by seed (validation)', '',
                 f'The same comparison repeated with other seeds (weights, data order and layouts; each pair shares its seed; every run '
                 "trains for the same wall time, so its steps follow this shared machine's pace), "
                 f'{len(seeds)} seeds; *change* is {change}, *base* {base}:', '', markdown_table(seeds, scols), '',
                 f'Mean difference over the {len(seeds)} seeds (change − base), with its 95% Student-t interval over seeds '
                 f'({len(seeds) - 1} degrees of freedom; the seeds are the replication, records the same in every run): ' +
                 '; '.join(f"{k.replace('_', ' ')} {m:+.3f} [{a:+.3f}, {b:+.3f}]" for k, (m, (a, b)) in summary.items()) +
                 '. Intervals above or below 0: ' + (', '.join(k.replace('_', ' ') for k, (_, (a, b)) in summary.items() if a > 0 or b < 0) or 'none') +
                 f". {sum(r['caption_exact_any_order_difference'] > 0 for r in seeds)} of the {len(seeds)} seeds wrote more captions exactly with the change. "
                 "Bits per record are not compared: a caption in raster order is a function of its sprite, one in random order carries "
                 "the order's own entropy.", '']
    if curve:
        ccols = [('minutes', 'demo minutes', '{:g}'), ('batch_size', 'batch', '{}'), ('clause_order', 'clauses', '{}'), ('where', 'machine', '{}'), ('seconds', 'took (s)', '{:.0f}'), ('steps', 'steps', '{}'),
                 ('t2i_pixel_accuracy', 't→i acc.', '{:.3f}'), ('t2i_exact', 't→i exact', '{:.2f}'), shapes[0],
                 ('caption_exact_any_order', 'captions, any order', '{:.2f}'), shapes[1],
                 ('systematic_t2i_exact', 'systematic: exact', '{:.2f}'), ('systematic_caption_exact_any_order', 'systematic: captions', '{:.2f}')]
        save_table(curve, res/'curve', ccols)
        ours = [r for r in curve if r.get('clause_order', 'random') == DEMO['clause_order']]     # the demo as it is, given longer
        solved = sorted((r for r in ours if all(r[k] >= v for k, v in SOLVED.items())), key=lambda r: r['seconds'])
        goal = f"≥ {SOLVED['t2i_exact']:.0%} exact sprites and ≥ {SOLVED['caption_exact_any_order']:.0%} exact captions, any order"
        longest = max((r['minutes'] for r in ours), default=0)
        gaps = lambda r: ', '.join(f"{TARGET_NAMES[k]} {r[k]:.2f} (gap {v - r[k]:.2f})" for k, v in SOLVED.items() if r[k] < v)
        page += ['## Each target against minutes (test)', '',
                 "The demo given more wall time (`pixelbytes demo --minutes M --batch-size B`; each its own run, step count and schedule; "
                 f"test split, first {GENERATED} records; the systematic split beside it):", '', markdown_table(curve, ccols), '',
                 ('No run of the demo as it is yet.' if not ours else
                  f"Essentially solved ({goal}) first at {solved[0]['minutes']:g} minutes with batches of {solved[0]['batch_size']} "
                  f"({solved[0]['steps']:,} steps, `pixelbytes demo --minutes {solved[0]['minutes']:g} --batch-size {solved[0]['batch_size']}`), by the means." if solved else
                  f"Not essentially solved ({goal}) by any run here; the longest, {longest:g} minutes, falls short: " +
                  gaps(max(ours, key=lambda r: r['minutes'])) + '.' + ('' if longest >= 40 else ' The 40-minute run is not made yet.')), '']
    before = ROOT/'results'/'toy-split-by-record'/'toy-budget'
    if five and (before/'curve.json').exists() and (res/'generation.json').exists():
        page += before_and_after(before, five, json.loads((res/'generation.json').read_text()), curve, res)
    if five and (res/'text2image.png').exists():
        page += ['![caption to sprite, test](text2image.png)', '', '![sprite to caption, test](image2text.png)', '', '![loss](loss.png)', '']
    (res/'macros.tex').write_text(latex_macros(report_values(five, curve, rows, splits, res), 'toy'))   # the report's toy figures, \toyName
    (res/'README.md').write_text('\n'.join(page))
    print('\n'.join(page))


if __name__ == '__main__': sys.exit(main())
