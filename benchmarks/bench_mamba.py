"""Benchmark: Mamba on CPU. Training tokens/s of our MambaBackbone vs mambapy's Mamba at the same config
(targets: >= 2x mambapy), and batch-1 cached generation with `step` vs re-running `forward` on the whole prefix
(target: >= 500 tokens/s). Run: python benchmarks/bench_mamba.py [--d_model 128 --n_layers 4 --d_state 16]"""
import argparse, time, statistics
import numpy as np
import torch
import torch.nn.functional as F
from torch import nn
from pixelbytes.mamba import MambaBackbone, MambaConfig

def n_params(m): return sum(p.numel() for p in m.parameters())

def train_stepper(backbone, d_model, vocab, batch, seq):
    "A closure doing one AdamW step of backbone + linear head on a fixed random batch."
    head = nn.Linear(d_model, vocab)
    params = [*backbone.parameters(), *head.parameters()]
    opt = torch.optim.AdamW(params, lr=1e-4)
    x, y = torch.randn(batch, seq, d_model), torch.randint(0, vocab, (batch, seq))
    def step():
        loss = F.cross_entropy(head(backbone(x)).reshape(-1, vocab), y.reshape(-1))
        opt.zero_grad(set_to_none=True); loss.backward(); opt.step()
    return step

def time_train(steppers, warmup, steps):
    "Median seconds per step for each stepper, timed interleaved so machine noise hits all of them alike."
    for s in steppers.values():
        for _ in range(warmup): s()
    ts = {k: [] for k in steppers}
    for _ in range(steps):
        for k, s in steppers.items():
            t = time.perf_counter(); s(); ts[k].append(time.perf_counter() - t)
    return {k: statistics.median(v) for k, v in ts.items()}

@torch.inference_mode()
def time_generation(bb, d_model, n_tokens, sample_lengths):
    "Seconds to generate n_tokens at batch 1: with the cached `step`, and (integrated) re-running forward on each prefix."
    xs = torch.randn(1, n_tokens, d_model)
    st = bb.init_state(1)
    for t in range(16): bb.step(xs[:, t], st)                   # warm-up
    runs = []
    for _ in range(3):                                          # best of 3 full generations
        st, t0 = bb.init_state(1), time.perf_counter()
        for t in range(n_tokens): y, st = bb.step(xs[:, t], st)
        runs.append(time.perf_counter() - t0)
    cached = min(runs)
    per = []
    for L in sample_lengths:                                    # forward over the prefix of length L: best of 3
        bb(xs[:, :L]); r = []
        for _ in range(3):
            t0 = time.perf_counter(); bb(xs[:, :L]); r.append(time.perf_counter() - t0)
        per.append(min(r))
    lengths = np.arange(1, n_tokens + 1)
    uncached = float(np.interp(lengths, sample_lengths, per).sum())   # one forward per generated token
    return cached, uncached, per[-1]

def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--d_model', type=int, default=128); ap.add_argument('--n_layers', type=int, default=4)
    ap.add_argument('--d_state', type=int, default=16); ap.add_argument('--batch', type=int, default=16)
    ap.add_argument('--seq', type=int, default=256); ap.add_argument('--warmup', type=int, default=2)
    ap.add_argument('--steps', type=int, default=5); ap.add_argument('--gen_tokens', type=int, default=1024)
    ap.add_argument('--threads', type=int, default=2)
    a = ap.parse_args()
    torch.set_num_threads(a.threads); torch.manual_seed(0)
    V, tokens = 256, a.batch * a.seq
    ours = MambaBackbone(MambaConfig(d_model=a.d_model, n_layers=a.n_layers, d_state=a.d_state, backend='torch'))
    print(f'Mamba on CPU ({a.threads} threads), d_model={a.d_model} n_layers={a.n_layers} d_state={a.d_state}, '
          f'training batch {a.batch} x {a.seq} tokens, AdamW, median of {a.steps} steps after {a.warmup} warm-up')
    steppers = {'ours': train_stepper(ours, a.d_model, V, a.batch, a.seq)}
    try:
        from mambapy.mamba import Mamba, MambaConfig as PyCfg
        ref = Mamba(PyCfg(d_model=a.d_model, n_layers=a.n_layers, d_state=a.d_state))
        steppers['mambapy'] = train_stepper(ref, a.d_model, V, a.batch, a.seq)
    except ImportError: ref = None; print('mambapy not installed (pip install mambapy): skipping the comparison')
    ts = time_train(steppers, a.warmup, a.steps)
    print(f'  ours    ({n_params(ours):,} params): {tokens / ts["ours"]:8,.0f} tokens/s ({ts["ours"] * 1e3:.0f} ms/step)')
    if ref is not None:
        print(f'  mambapy ({n_params(ref):,} params): {tokens / ts["mambapy"]:8,.0f} tokens/s ({ts["mambapy"] * 1e3:.0f} ms/step)')
        r = ts['mambapy'] / ts['ours']
        print(f'  training speed ratio ours / mambapy: {r:.1f}x (target >= 2x: {"met" if r >= 2 else "MISSED"})')
    n = a.gen_tokens
    samples = sorted({1, *range(64, n, 128), n})
    cached, uncached, last_fwd = time_generation(ours.eval(), a.d_model, n, samples)
    step_s = cached / n
    print(f'Generation at batch 1, {n} tokens (best of 3): cached step {n / cached:,.0f} tokens/s '
          f'(target >= 500: {"met" if n / cached >= 500 else "MISSED"}); re-running forward on the prefix each token '
          f'{n / uncached:,.0f} tokens/s (integrated over {len(samples)} sampled lengths)')
    print(f'  cached vs uncached: {uncached / cached:,.0f}x over all {n} tokens; at the {n}-token mark one step takes '
          f'{step_s * 1e3:.2f} ms vs {last_fwd * 1e3:.1f} ms for a forward over the prefix ({last_fwd / step_s:,.0f}x)')

if __name__ == '__main__': main()
