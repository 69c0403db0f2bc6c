"""Benchmark: causal k×k context construction throughput (target >= 1 M tokens/s for k=3 on this machine).
Uses the toy set's real streams (and the Pokémon data when present). Run: make bench"""
import time, os
import numpy as np
from pixelbytes.tokenizer import Tokenizer, layout, contexts_reference
from pixelbytes.sources import toy_source, folder_source, TOY_BUILD
from pixelbytes.dataset import build_dataset
from pixelbytes.pixelate import find_shared_data

def stream(dsd, tok):
    return np.concatenate([tok.encode(layout(r, 'text2image')) for s in dsd.values() for r in s.select_columns(['caption', 'pixels'])])

def rate(tok, ids, k, repeats=3):
    best = 0.0
    for _ in range(repeats):
        t = time.perf_counter(); tok.contexts(ids, k); best = max(best, len(ids) / (time.perf_counter() - t))
    return best

def main():
    tok = Tokenizer()
    sets = {'toy': build_dataset(toy_source(4000), **TOY_BUILD, progress=False)[0]}
    pk = find_shared_data('pokemon')
    if pk: sets['pokemon'] = build_dataset(folder_source(pk), progress=False)[0]
    for name, dsd in sets.items():
        ids = stream(dsd, tok)
        sample = ids[:3000]
        t = time.perf_counter(); contexts_reference(tok, sample, 3); ref = len(sample) / (time.perf_counter() - t)
        r3, r5 = rate(tok, ids, 3), rate(tok, ids, 5)
        print(f'contexts on {name} ({len(ids):,} tokens, {os.cpu_count()} cores): k=3 {r3/1e6:.2f} M tokens/s, k=5 {r5/1e6:.2f} M tokens/s; '
              f'{r3/ref:,.0f}× the per-token Python reference; target k=3 >= 1 M/s: {"met" if r3 >= 1e6 else "MISSED"}')

if __name__ == '__main__': main()
