"""Module layering: every import in the package, those inside functions included, points down. No cycle; the leaves
import nothing of the package; the settings and the tokenizer load without torch; a bad flag never imports torch."""
import ast, subprocess, sys
from conftest import ROOT
sys.path.insert(0, str(ROOT/'tools'))
from shape import import_graph, cycle, imported, layers, modules                       # noqa: E402


def test_the_import_graph_reads_every_kind_of_import():
    tree = ast.parse('from . import files\nfrom .palette import Palette\nimport pixelbytes.models\n'
                     'def f():\n    from pixelbytes.train import train\n    from pixelbytes import hub\n'
                     'class C:\n    def g(self):\n        from pixelbytes.demo import DEMO\n')
    names = ('files', 'palette', 'models', 'train', 'hub', 'demo', 'cli')
    assert imported(tree, names) == {'files', 'palette', 'models', 'train', 'hub', 'demo'}


def test_a_cycle_is_found_and_named():
    assert cycle({'a': {'b'}, 'b': {'c'}, 'c': {'a'}, 'd': set()}) == ['a', 'b', 'c', 'a']
    assert cycle({'a': {'b'}, 'b': set()}) is None


def test_no_import_cycle_in_the_package():
    graph = import_graph()
    assert set(graph) >= {'files', 'config', 'checkpoint', 'models', 'mamba', 'train', 'hub', 'resolve', 'cli', 'demo'}
    found = cycle(graph)
    assert found is None, 'import cycle: ' + ' → '.join(found)


def test_the_layers_the_design_names():
    graph = import_graph()
    for leaf in ('files', 'machine', 'resolve'): assert graph[leaf] == set(), (leaf, graph[leaf])   # import nothing of the package
    level = {m: i for i, layer in enumerate(layers(graph)) for m in layer}
    def reaches(a, b): return b in graph[a] or any(reaches(n, b) for n in graph[a])
    below = lambda a, b: level[a] < level[b] and not reaches(a, b)
    for low, high in (('resolve', 'checkpoint'), ('checkpoint', 'models'), ('config', 'checkpoint'), ('machine', 'mamba'),
                      ('models', 'train'), ('checkpoint', 'train'), ('train', 'hub'), ('evaluate', 'demo'), ('demo', 'cli')):
        assert below(low, high), f'{low} should sit below {high}'
    assert graph['cli'] - {'files', 'config', 'demo', 'checkpoint', 'dataset', 'evaluate', 'render', 'train', 'models', 'hub', 'resolve',
                           'scrape', 'sources', 'tokenizer'} == set()


def test_tokenizer_and_settings_import_neither_datasets_nor_torch():
    code = ('import sys, pixelbytes.tokenizer, pixelbytes.config, pixelbytes.demo\n'
            'bad = [m for m in ("pixelbytes.dataset", "datasets", "torch") if m in sys.modules]\n'
            'assert not bad, bad\n')
    r = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert r.returncode == 0, r.stderr
    assert 'dataset' not in import_graph()['tokenizer']                     # not even lazily: no cycle


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


def test_no_private_name_crosses_modules():
    "A name starting with _ is its module's own: no other module of the package imports it."
    bad = []
    for m, tree in modules().items():
        for n in ast.walk(tree):
            if isinstance(n, ast.ImportFrom) and (n.level or (n.module or '').startswith('pixelbytes')):
                bad += [f'{m} imports {a.name} from {n.module}' for a in n.names if a.name.startswith('_') and a.name != '__version__']
    assert not bad, bad


def test_names_printed_by_model_cards_still_import():
    "Model cards already pushed print `from pixelbytes.train import load_checkpoint` and `PixelBytesModel.from_pretrained`."
    from pixelbytes.train import load_checkpoint, TrainConfig, save_checkpoint, CheckpointError
    from pixelbytes.models import PixelBytesModel, ModelConfig, load_checkpoint as load
    from pixelbytes.config import TrainConfig as T, ModelConfig as M
    from pixelbytes.checkpoint import save_checkpoint as save, CheckpointError as E
    assert load_checkpoint is load and TrainConfig is T and ModelConfig is M and save_checkpoint is save and CheckpointError is E
    assert callable(PixelBytesModel.from_pretrained)
