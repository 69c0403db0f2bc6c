"""How the book reads a notebook (jupyter-book's `nb_custom_formats` for .ipynb): the notebook as its author meant it to
be read, not as nbdev and papermill store it.

- nbdev directives (`#| export`, `#| hide`, …) are comments for nbdev: they are taken out of the code shown;
- `#| hide` cells (imports and helpers of the tests) run but are not shown; `#| default_exp` cells are not shown;
- `#| output: false` cells run and show their code, not their output (training logs of the tests);
- `#| echo: false` cells show their output only (a table computed from the result files);
- exported cells longer than FOLD lines are folded (one click shows them);
- a papermill run shows its parameters once: the injected cell, not the defaults it replaced;
- a markdown table (a page's, a cell's or an output's) wider than the column is split into narrower ones, each
  repeating the first column; floats printed with many digits in stored outputs are shown to four decimals.

Nothing here changes what runs: only tags (myst-nb's remove-cell, remove-output, remove-input, hide-input) and
comment lines removed.
"""
import nbformat

FOLD = 40
WIDE = 100          # characters a table's row may take at 1,400 px before it would scroll: wider ones are split


def directives(source:str) -> dict:
    "The `#| key: value` (or `#| key`) lines of a cell's source."
    out = {}
    for line in source.splitlines():
        if line.startswith('#|'):
            key, _, value = line[2:].strip().partition(':')
            out[key.strip()] = value.strip() if value else True
    return out


def book_cell(cell) -> None:
    "Tag one code cell for the book, and drop its directive lines."
    d = directives(cell.source)
    tags = cell.setdefault('metadata', {}).setdefault('tags', [])
    lines = [l for l in cell.source.splitlines() if not l.startswith('#|')]
    if 'hide' in d or 'default_exp' in d: tags.append('remove-cell')
    if d.get('output') == 'false': tags.append('remove-output')
    if d.get('echo') == 'false': tags.append('remove-input')
    if 'export' in d and len(lines) > FOLD: tags.append('hide-input')
    cell.source = '\n'.join(lines)


def split_wide_tables(text:str) -> str:
    "The package's rule (evaluate.split_wide_tables) at the book's width."
    from pixelbytes.evaluate import split_wide_tables as split
    return split(text, WIDE)


def rounded(text:str) -> str:
    "Printed floats cut to four decimals (2.4028918623501876 → 2.4029): a stored output read by people, not parsed."
    import re
    return re.sub(r'(?<![\w.])(-?\d+\.\d{4})\d{3,}(?![\d])', lambda m: f'{float(m.group(0)):.4f}', text)


def read_notebook(text:str, **kwargs):
    "The notebook in `text`, prepared for the book."
    nb = nbformat.reads(text, as_version=4)
    injected = any('injected-parameters' in c.get('metadata', {}).get('tags', []) for c in nb.cells)
    for cell in nb.cells:
        if cell.cell_type == 'markdown': cell.source = split_wide_tables(cell.source)
        if cell.cell_type != 'code': continue
        book_cell(cell)
        for o in cell.get('outputs', []):
            md = o.get('data', {}).get('text/markdown')
            if md: o['data']['text/markdown'] = split_wide_tables(md if isinstance(md, str) else ''.join(md))
            if 'text' in o: o['text'] = rounded(o['text'] if isinstance(o['text'], str) else ''.join(o['text']))
            if 'text/plain' in o.get('data', {}): o['data']['text/plain'] = rounded(''.join(o['data']['text/plain']))
        if injected and 'parameters' in cell.metadata.get('tags', []): cell.metadata['tags'].append('remove-cell')
    return nb


def _dedupe_inline_scripts(app, exception):
    """Each inline script once per page: sphinx-thebe and sphinx-togglebutton are set up twice (by jupyter-book and by the
    theme), and the second copy of thebe's `const`s throws in the browser."""
    import re
    from pathlib import Path
    if exception is not None or app.builder.format != 'html': return
    for page in Path(app.outdir).rglob('*.html'):
        html, seen = page.read_text(encoding='utf-8'), set()
        def once(m):
            if m.group(0) in seen: return ''
            seen.add(m.group(0)); return m.group(0)
        new = re.sub(r'[ \t]*<script>[^<]*</script>\n?', once, html)
        if new != html: page.write_text(new, encoding='utf-8')


def setup(app):
    "The book's Sphinx extension: importable reader (above), and each page's scripts deduplicated."
    app.connect('build-finished', _dedupe_inline_scripts)
    app.connect('source-read', lambda app, docname, source: source.__setitem__(0, split_wide_tables(source[0]))
                if str(app.env.doc2path(docname)).endswith('.md') else None)
    return {'parallel_read_safe': True}
