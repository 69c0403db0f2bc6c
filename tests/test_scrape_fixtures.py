"""Integration test of `scrape_pokepedia` on the hand-written Poképédia fixtures, through a fake `requests` adapter (no network)."""
import csv, json
from pathlib import Path

import requests
from PIL import Image

from pixelbytes.scrape import PoliteSession, scrape_pokepedia

FIX = Path(__file__).parent/'fixtures'/'pokepedia'


class FixtureAdapter(requests.adapters.BaseAdapter):
    "Serves fixture files by URL (404 for anything else) and records every request."
    def __init__(self):
        super().__init__()
        routes = json.loads((FIX/'routes.json').read_text(encoding='utf-8'))
        self.routes = {u: (FIX/f).read_bytes() for u, f in routes.items() if not u.startswith('_')}
        self.calls = []

    def send(self, request, **kw):
        self.calls.append(request)
        r = requests.Response()
        r.url, r.request, r.reason = request.url, request, 'fixture'
        r.status_code, r._content = (200, self.routes[request.url]) if request.url in self.routes else (404, b'not found')
        return r

    def close(self): pass


def _session(cache):
    s, adapter = requests.Session(), FixtureAdapter()
    s.mount('https://', adapter)
    s.mount('http://', adapter)
    return PoliteSession(cache, session=s, min_interval=0), adapter


def test_scrape_pokepedia_on_fixtures(tmp_path):
    ps, adapter = _session(tmp_path/'http_cache')
    res = scrape_pokepedia(tmp_path, session=ps, progress=False)

    assert (res['n_entries'], res['n_written'], res['n_skipped'], res['n_malformed_rows']) == (4, 2, 2, 1)
    assert all(c.headers['User-Agent'].startswith('PixelBytes/') for c in adapter.calls)

    with open(tmp_path/'captions.csv', newline='', encoding='utf-8') as f:
        rows = list(csv.DictReader(f))
    assert list(rows[0]) == ['id', 'name', 'caption', 'lang', 'image', 'page_url']
    assert [(r['id'], r['name'], r['lang'], r['image'], r['page_url']) for r in rows] == [
        ('1', 'Bulbizarre', 'fr', 'images/0001.png', 'https://www.pokepedia.fr/Bulbizarre'),
        ('4', 'Salamèche', 'fr', 'images/0004.png', 'https://www.pokepedia.fr/Salam%C3%A8che')]
    assert rows[0]['caption'] == 'Texte de test le plus récent : la graine de son dos grandit en même temps que lui.'
    assert rows[1]['caption'].startswith('Texte de test Ultra')

    for r in rows:
        with Image.open(tmp_path/r['image']) as im:
            assert im.format == 'PNG' and im.size == (16, 16) and im.mode == 'P'
    assert sorted(p.name for p in (tmp_path/'images').iterdir()) == ['0001.png', '0004.png']

    with open(tmp_path/'skipped.csv', newline='', encoding='utf-8') as f:
        skipped = {r['name']: r['reason'] for r in csv.DictReader(f)}
    assert skipped['Florizarre'] == 'no description'
    assert skipped['Herbizarre'].startswith('image:')

    # Rerun: everything comes from the cache or is already done, so not a single request.
    n = len(adapter.calls)
    res2 = scrape_pokepedia(tmp_path, session=PoliteSession(tmp_path/'http_cache', session=ps.session), progress=False)
    assert len(adapter.calls) == n and res2['n_requests'] == 0
    assert (res2['n_resumed'], res2['n_written'], res2['n_captions']) == (2, 0, 2)
