"The rendered home page in a headless browser (Debian's chromium): it loads, shows the sample image, links every chapter."
import os, shutil, subprocess
from pathlib import Path
import pytest, yaml

ROOT = Path(__file__).resolve().parents[1]
HOME = ROOT/'_build'/'html'/'index.html'
REQUIRED = os.environ.get('PIXELBYTES_REQUIRE_BOOK') == '1'    # set by `make book-check`, after `make book`

def _need(ok, why):
    if ok: return
    if REQUIRED: pytest.fail(why)
    pytest.skip(why)

def test_home_page_renders_with_sample_and_every_chapter():
    _need(HOME.exists(), f'{HOME} not built (make book)')
    browser = next((b for b in (shutil.which('chromium'), shutil.which('chromium-browser')) if b), None)
    _need(browser is not None, 'chromium not installed (apt-get install chromium)')
    r = subprocess.run([browser, '--headless', '--no-sandbox', '--disable-gpu', '--virtual-time-budget=5000', '--dump-dom', HOME.as_uri()],
                       capture_output=True, text=True, timeout=180)
    dom = r.stdout
    assert '<title>' in dom and 'PixelBytes' in dom, r.stderr[-500:]
    assert 'text2image.png' in dom                                      # the generated sample on the home page
    img = next(ROOT.glob('_build/html/_images/text2image*.png'), None)
    assert img is not None and img.stat().st_size > 1000
    toc = yaml.safe_load((ROOT/'_toc.yml').read_text())
    for part in toc['parts']:
        for ch in part['chapters']:
            assert f'{Path(ch["file"]).name}.html"' in dom, f'no link to {ch["file"]}'   # hrefs are relative to the page
