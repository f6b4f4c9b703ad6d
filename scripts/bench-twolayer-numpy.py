#!/usr/bin/env python3
"""Reference timing of one two-layer forward-backward pass over all source samples with numpy.

The same pass as the TypeScript kernel (src/estimators/twoLayer/kernels.ts, lossAndGradient):
  H = X W^T (N x r), A = phi(H), f_i = <v_{t(i)}, A_i>, squared loss w_i (f_i - y_i)^2,
  g_i = 2 w_i (f_i - y_i), grad V_t = sum_{i in t} g_i A_i, U = (g V_{t(i)}) * phi'(H),
  grad W = U^T X (r x d).
FLOPs counted: the two skinny products, 2 N r d each, i.e. 4 N r d per pass (the elementwise
work is O(N r) and not counted). Usage: python3 scripts/bench-twolayer-numpy.py [T n d r reps]
Run it with `env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE` so OpenBLAS picks its own kernel.
"""
import sys
import time

import numpy as np


def forward_backward(X, y, w, task, W, V):
    H = X @ W.T
    A = np.maximum(H, 0.0)
    Vt = V[task]
    f = np.einsum("ij,ij->i", A, Vt)
    res = f - y
    loss = float(np.dot(w, res * res))
    g = 2.0 * w * res
    gV = np.zeros_like(V)
    np.add.at(gV, task, g[:, None] * A)
    U = (g[:, None] * Vt) * (H > 0)
    gW = U.T @ X
    return loss, gW, gV


def main():
    args = [int(a) for a in sys.argv[1:]]
    T, n, d, r, reps = (args + [20, 40, 500, 4, 2000][len(args):])[:5]
    N = T * n
    rng = np.random.default_rng(1)
    X = rng.standard_normal((N, d))
    y = rng.standard_normal(N)
    w = np.full(N, 1.0 / N)
    task = np.repeat(np.arange(T), n)
    W = rng.standard_normal((r, d)) / np.sqrt(d)
    V = rng.standard_normal((T, r))
    for _ in range(50):
        forward_backward(X, y, w, task, W, V)
    # Full pass (products and elementwise work) and the two products alone.
    best_full = best_prod = float("inf")
    for _ in range(5):
        t0 = time.perf_counter()
        for _ in range(reps):
            forward_backward(X, y, w, task, W, V)
        best_full = min(best_full, (time.perf_counter() - t0) / reps)
        U = rng.standard_normal((N, r))
        t0 = time.perf_counter()
        for _ in range(reps):
            H = X @ W.T
            gW = U.T @ X
        best_prod = min(best_prod, (time.perf_counter() - t0) / reps)
    flops = 4.0 * N * r * d
    print(f"numpy {np.__version__}, T={T} n={n} N={N} d={d} r={r}")
    print(f"full pass:       {best_full * 1e6:9.1f} us  {flops / best_full / 1e9:6.2f} GFLOP/s")
    print(f"two products:    {best_prod * 1e6:9.1f} us  {flops / best_prod / 1e9:6.2f} GFLOP/s")


if __name__ == "__main__":
    main()
