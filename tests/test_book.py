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

def _dom(page:Path) -> str:
    "The page as the browser renders it."
    browser = next((b for b in (shutil.which('chromium'), shutil.which('chromium-browser')) if b), None)
    _need(browser is not None, 'chromium not installed (apt-get install chromium)')
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
    for grid in ('backbones', 'embeddings', 'layouts'):
        html = (ROOT/'_build'/'html'/'report'/'results'/grid/'compare.html')
        assert html.exists(), f'no page for the {grid} comparison'
        assert '<table' in html.read_text(), f'the {grid} comparison page has no table'
