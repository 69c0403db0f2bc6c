"The rendered book in a headless browser (Debian's chromium): home page, report page with its PDF, experiments with the GIF."
import os, re, shutil, subprocess
from pathlib import Path
import pytest, yaml

ROOT = Path(__file__).resolve().parents[1]
HOME = ROOT/'_build'/'html'/'index.html'
REQUIRED = os.environ.get('PIXELBYTES_REQUIRE_BOOK') == '1'    # set by `make book-check`, after `make book`

def _need(ok, why):
    if ok: return
    if REQUIRED: pytest.fail(why)
    pytest.skip(why)

def _browser() -> str:
    "Debian's Chromium, or skip (fail under make book-check) naming what to install."
    browser = next((b for b in (shutil.which('chromium'), shutil.which('chromium-browser')) if b), None)
    _need(browser is not None, 'chromium not installed (apt-get install chromium)')
    return browser

def _dom(page:Path) -> str:
    "The page as the browser renders it."
    browser = _browser()
    r = subprocess.run([browser, '--headless', '--no-sandbox', '--disable-gpu', '--virtual-time-budget=5000', '--dump-dom', page.as_uri()],
                       capture_output=True, text=True, timeout=180)
    return r.stdout

def test_home_page_renders_with_sample_and_every_chapter():
    _need(HOME.exists(), f'{HOME} not built (make book)')
    dom = _dom(HOME)
    assert '<title>' in dom and 'PixelBytes' in dom
    assert 'text2image.png' in dom                                      # the generated sample on the home page
    img = next(ROOT.glob('_build/html/_images/text2image*.png'), None)
    assert img is not None and img.stat().st_size > 1000
    toc = yaml.safe_load((ROOT/'_toc.yml').read_text())
    for part in toc['parts']:
        for ch in part['chapters']:
            href = os.path.relpath(ch['file'], 'nbs') + '.html"'         # relative to the home page, nbs/index.html
            assert href in dom, f'no link to {ch["file"]}'

def test_report_page_embeds_and_links_the_pdf():
    page = ROOT/'_build'/'html'/'report'/'README.html'
    _need(page.exists(), f'{page} not built (make book)')
    pdf = ROOT/'_build'/'html'/'pixelbytes.pdf'
    assert pdf.exists() and pdf.read_bytes()[:5] == b'%PDF-', f'{pdf} missing or not a PDF'
    dom = _dom(page)
    assert 'src="../pixelbytes.pdf"' in dom                              # shown on the page
    assert any(a.endswith('pixelbytes.pdf') for a in re.findall(r'href="([^"]+)"', dom))   # and downloadable
    assert next(ROOT.glob('_build/html/_downloads/*/pixelbytes.pdf'), None) is not None

def test_experiments_page_shows_the_drawing_gif_and_executed_comparisons():
    page = ROOT/'_build'/'html'/'experiments'/'README.html'
    _need(page.exists(), f'{page} not built (make book)')
    dom = _dom(page)
    gif = next(ROOT.glob('_build/html/_images/sample-00*.gif'), None)
    assert gif is not None and gif.read_bytes()[:6] in (b'GIF87a', b'GIF89a') and gif.name in dom
    for grid in ('embeddings', 'layouts'):     # (the backbones: the study at equal CPU time, its own page)
        html = (ROOT/'_build'/'html'/'report'/'results'/grid/'compare.html')
        assert html.exists(), f'no page for the {grid} comparison'
        assert '<table' in html.read_text(), f'the {grid} comparison page has no table'
    study = ROOT/'_build'/'html'/'report'/'results'/'study'/'README.html'
    assert study.exists() and 'equal CPU time' in study.read_text(), 'no page for the backbones at equal CPU time'


# --- every page in a real browser: no console error, nothing wider than the column, no raw markup, every figure drawn ---
PROBE = """<script>
window.__errors = [];
window.addEventListener('error', e => window.__errors.push(String(e.message || e.target && e.target.src || e)), true);
const _err = console.error; console.error = (...a) => { window.__errors.push(a.join(' ')); _err(...a); };
window.addEventListener('load', () => setTimeout(() => {
  const col = document.querySelector('article.bd-article') || document.querySelector('main') || document.body;
  const right = col.getBoundingClientRect().right + 1, wide = [];
  for (const el of col.querySelectorAll('*')) {
    const r = el.getBoundingClientRect(), s = getComputedStyle(el);
    if (r.width === 0 || s.visibility === 'hidden' || el.closest('.toggle-hidden, details:not([open]), .cell_input.hide, .sd-tab-content')) continue;
    const scrolls = el.scrollWidth > el.clientWidth + 2 && ['auto', 'scroll'].includes(s.overflowX);
    if (scrolls || r.right > right) wide.push(el.tagName.toLowerCase() + '.' + el.className + ' ' + Math.round(Math.max(r.right - right, el.scrollWidth - el.clientWidth)) + 'px');
  }
  const prose = col.cloneNode(true); prose.querySelectorAll('pre, code, mjx-container').forEach(e => e.remove());
  const code = [...col.querySelectorAll('div.cell_input pre')].map(e => e.innerText).join('\\n');
  const mathjax = !!window.MathJax && !!window.MathJax.startup;            // offline, the CDN's MathJax cannot load: no math check
  const raw = [...(/^#\\|/m.test(code) ? ['#|'] : []), ...(mathjax ? ['\\\\(', '\\\\['].filter(t => prose.innerText.includes(t)) : [])];
  const errors = window.__errors.filter(e => !e.includes('mathjax'));
  document.body.setAttribute('data-check', JSON.stringify({errors: errors, wide: wide.slice(0, 5), n_wide: wide.length, raw: raw}));
}, 500));
</script>"""


def _pages() -> list[Path]:
    "The book's pages: every chapter of the table of contents (and its sections)."
    toc = yaml.safe_load((ROOT/'_toc.yml').read_text())
    files = [toc['root']] + [e['file'] for p in toc['parts'] for ch in p['chapters'] for e in [ch, *ch.get('sections', [])]]
    return [ROOT/'_build'/'html'/(f + '.html') for f in files]


def _probe(page:Path) -> dict:
    "What the probe found on `page`, opened in Chromium at 1,400 px."
    import json
    browser = _browser()
    probe = page.with_name('.probe-' + page.name)
    probe.write_text(page.read_text(encoding='utf-8').replace('<head>', '<head>' + PROBE, 1), encoding='utf-8')
    try:
        r = subprocess.run([browser, '--headless', '--no-sandbox', '--disable-gpu', '--window-size=1400,900', '--virtual-time-budget=8000',
                            '--dump-dom', probe.as_uri()], capture_output=True, text=True, timeout=180)
    finally: probe.unlink()
    m = re.search(r'data-check="([^"]*)"', r.stdout)
    assert m, f'{page}: the probe did not report'
    import html
    return json.loads(html.unescape(m.group(1)))


def test_every_page_opens_clean_and_fits_its_column():
    _need(HOME.exists(), f'{HOME} not built (make book)')
    bad = {}
    for page in _pages():
        assert page.exists(), f'{page} not built'
        got = _probe(page)
        if got['errors'] or got['n_wide'] or got['raw']: bad[str(page.relative_to(ROOT/'_build'/'html'))] = got
    assert not bad, bad


def test_every_figure_cell_draws_its_figure():
    "A cell that plots (plot_…, a grid, plt) without saving to a file shows an image in the executed chapter."
    import json
    executed = sorted((ROOT/'_build'/'jupyter_execute').rglob('*.ipynb'))
    _need(bool(executed), 'no executed notebooks in _build (make book)')
    missing = []
    for nb_path in executed:
        nb = json.loads(nb_path.read_text(encoding='utf-8'))
        for cell in nb['cells']:
            src = ''.join(cell['source']) if isinstance(cell['source'], list) else cell['source']
            if cell['cell_type'] != 'code' or 'remove-output' in cell.get('metadata', {}).get('tags', []): continue
            last = [l for l in src.strip().splitlines() if l.strip() and not l.startswith('#')][-1:] or ['']
            draws = re.match(r'\s*(\w+\s*=\s*)?(plot_\w+|\w*_grid|plt\.\w+|display)\(', last[0]) and 'Markdown(' not in last[0]
            if draws and not any('image/png' in o.get('data', {}) or 'image/gif' in o.get('data', {}) for o in cell.get('outputs', [])):
                missing.append(f'{nb_path.name}: {last[0][:80]}')
    assert not missing, missing


def test_screenshots_of_the_home_page_and_a_results_page_are_kept():
    "For the notes: the first screen of the home page and of the Pokémon reference page, as the browser draws them."
    _need(HOME.exists(), f'{HOME} not built (make book)')
    browser = _browser()
    shots = ROOT/'_build'/'html'/'_static'/'screenshots'; shots.mkdir(parents=True, exist_ok=True)
    for page, name in ((ROOT/'_build'/'html'/'nbs'/'index.html', 'home.png'), (ROOT/'_build'/'html'/'results'/'pokemon-reference'/'README.html', 'pokemon-reference.png')):
        subprocess.run([browser, '--headless', '--no-sandbox', '--disable-gpu', '--window-size=1400,900', '--hide-scrollbars', '--virtual-time-budget=5000',
                        f'--screenshot={shots/name}', page.as_uri()], capture_output=True, timeout=180)
        assert (shots/name).exists() and (shots/name).read_bytes()[:4] == b'\x89PNG', name


def test_no_report_table_is_set_below_7pt():
    "The report scales a table only when 8 pt does not fit (report/pixelbytes.tex, \\fitinput), and never below 7 pt."
    log = ROOT/'report'/'pixelbytes.log'
    _need(log.exists(), f'{log} not written (make report)')
    text = log.read_text(errors='replace').replace('\n', '')
    scaled = re.findall(r'fitinput: (\S+) scaled to ([\d.]+)pt from ([\d.]+)pt', text)
    small = [(f, round(8 * float(a) / float(b), 1)) for f, a, b in scaled if 8 * float(a) / float(b) < 7]
    assert not small, small
