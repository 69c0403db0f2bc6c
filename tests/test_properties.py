"Property tests: palettes round-trip through every file format; palette pixel art pixelates losslessly."
import json
import numpy as np
from hypothesis import given, settings, strategies as st, HealthCheck
from pixelbytes.palette import Palette, load_palette, quantize
from pixelbytes.pixelate import pixelate

palettes = st.lists(st.tuples(*[st.integers(0, 255)] * 3), min_size=2, max_size=64, unique=True).map(lambda c: Palette(c))

@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(palettes, st.sampled_from(['json', 'gpl', 'hex', 'py']))
def test_palette_file_round_trip(tmp_path, pal, fmt):
    p = tmp_path/f'p.{fmt}'
    cols = pal.colors.tolist()
    if fmt == 'json': pal.save(p)
    elif fmt == 'gpl': p.write_text('GIMP Palette\nName: t\n' + '\n'.join(f'{r} {g} {b}\tc{i}' for i, (r, g, b) in enumerate(cols)))
    elif fmt == 'hex': p.write_text('\n'.join(h[1:] for h in pal.hex))
    else: p.write_text(f'PALETTE = {cols!r}\n')
    assert load_palette(p) == pal

@settings(max_examples=40, deadline=None)
@given(palettes, st.integers(1, 12), st.integers(1, 12), st.integers(0, 2**32 - 1))
def test_transparent_palette_art_is_lossless_and_palette_colours_are_fixed_points(pal, h, w, seed):
    assert (quantize(pal.colors, pal) == np.arange(len(pal))).all()
    rng = np.random.default_rng(seed)
    bg = int(quantize(np.array([[252, 252, 252]], np.uint8), pal)[0])
    idx = rng.integers(0, len(pal), (h, w))
    idx.flat[rng.integers(idx.size)] = bg  # sprites have transparent background somewhere
    rgba = np.concatenate([pal.colors[idx], np.where(idx == bg, 0, 255)[..., None]], -1).astype(np.uint8)
    sp = pixelate(rgba, pal, size=None, crop=False)
    assert (sp.pixels == idx).all() and sp.background == bg
