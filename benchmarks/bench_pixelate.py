"""Benchmark: pixelate + quantize throughput on the 922 box sprites of ../shared/data/pokemon (target >= 500 sprites/s).
Images are decoded first so the figure measures pixelation, not PNG decoding. Run: make bench"""
import time, sys, platform, os
from pixelbytes.pixelate import find_shared_data, load_image, pixelate

def main():
    root = find_shared_data('pokemon')
    if root is None: print('bench_pixelate: skipped, ../shared/data/pokemon not found (set PIXELBYTES_DATA)'); return
    images = [load_image(f) for f in sorted((root/'sprites_box68x56').glob('*.png'))]
    pixelate(images[0])  # warm-up
    best = 0.0
    for _ in range(3):
        t = time.perf_counter()
        for im in images: pixelate(im)
        best = max(best, len(images) / (time.perf_counter() - t))
    print(f'pixelate+quantize: {best:,.0f} sprites/s on {len(images)} box sprites (best of 3; {os.cpu_count()} cores, {platform.processor() or platform.machine()}); target >= 500: {"met" if best >= 500 else "MISSED"}')

if __name__ == '__main__': main()
