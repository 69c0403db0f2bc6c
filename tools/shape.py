"""The package's shape, read from its source: which module imports which (imports inside functions included), the
layers that follow from it, and the longest functions.

    python tools/shape.py            # the layers, bottom first, and the 15 longest functions
"""
import ast, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT/'pixelbytes'
SKIP = ('_modidx', '__init__', '__main__')


def modules(package:Path=PACKAGE) -> dict[str, ast.Module]:
    "Each module of the package (by name) and its syntax tree."
    return {f.stem: ast.parse(f.read_text(), str(f)) for f in sorted(package.glob('*.py')) if f.stem not in SKIP}


def imported(tree:ast.Module, names) -> set[str]:
    "The package's modules that `tree` imports anywhere (at the top, in functions, in classes), absolute or relative."
    out = set()
    for n in ast.walk(tree):
        if isinstance(n, ast.ImportFrom):
            mod = n.module or ''
            if n.level or mod == 'pixelbytes' or mod.startswith('pixelbytes.'):
                head = mod.split('.')[1] if mod.startswith('pixelbytes.') else mod.split('.')[0] if n.level and mod else ''
                out |= {head} if head else {a.name for a in n.names}
        elif isinstance(n, ast.Import):
            out |= {a.name.split('.')[1] for a in n.names if a.name.startswith('pixelbytes.')}
    return out & set(names)


def import_graph(package:Path=PACKAGE) -> dict[str, set[str]]:
    "Module → the package's modules it imports (itself excluded)."
    trees = modules(package)
    return {m: imported(t, trees) - {m} for m, t in trees.items()}


def cycle(graph:dict) -> list[str]|None:
    "One import cycle of `graph` as a path (first module repeated at its end), or None."
    state, stack = {}, []
    def visit(m):
        state[m] = 'open'; stack.append(m)
        for n in sorted(graph[m]):
            if state.get(n) == 'open': return stack[stack.index(n):] + [n]
            if n not in state and (found := visit(n)): return found
        state[m] = 'done'; stack.pop()
    for m in sorted(graph):
        if m not in state and (found := visit(m)): return found
    return None


def layers(graph:dict) -> list[list[str]]:
    "The modules by layer, bottom first: a module's layer is one above the highest of those it imports (graph without cycles)."
    level = {}
    def of(m): 
        if m not in level: level[m] = 1 + max((of(n) for n in graph[m]), default=-1)
        return level[m]
    for m in graph: of(m)
    return [sorted(m for m in graph if level[m] == i) for i in range(max(level.values()) + 1)]


def function_sizes(package:Path=PACKAGE) -> list[tuple[int, str]]:
    "(lines, module.function) of every function and method, longest first."
    out = []
    for m, t in modules(package).items():
        for n in ast.walk(t):
            if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)): out.append((n.end_lineno - n.lineno + 1, f'{m}.{n.name}'))
    return sorted(out, reverse=True)


def main(argv=None):
    graph = import_graph()
    if (c := cycle(graph)): print('import cycle: ' + ' → '.join(c)); return 1
    for i, layer in enumerate(layers(graph)): print(f'layer {i}: ' + ', '.join(layer))
    print('\nlongest functions:')
    for n, name in function_sizes()[:15]: print(f'{n:5d}  {name}')
    return 0


if __name__ == '__main__': sys.exit(main(sys.argv[1:]))
