#!/usr/bin/env python3
"""Whole-replicate numpy reference of the two-layer family, for `npm run bench`.

One replicate of one method, the same algorithm as the TypeScript family (docs/TWO_LAYER.md),
vectorised over samples the way numpy code is written:
  draw     support S (s of d), B*[S, :] Haar (QR of a Gaussian), heads N(0, I_r) rescaled to
           headNorm; T n source, n0 target and testSize test samples x ~ N(0, I_d), y = f + sigma xi;
           W ~ N(0, 1/d), heads ~ N(0, 1/r)
  train    full-batch Adam (b1 0.9, b2 0.999, 1e-8) on [W | heads], squared loss with weights
           1/(T n); method "standard", or "linf": each step PGD with K steps of 2.5 eps / K from a
           uniform start in the l-inf ball, sign ascent and clipping, then the gradient at the last
           iterate; the stopping rule of estimators/train.ts (windows of 20 steps, tolerance)
  measure  sinTheta (QR of W^T, SVD), unit collapse, loss at W* (per-task least squares), target
           head by least squares on phi(W x) of the n0 target samples, test excess risk, robust
           excess by a 10-step l-inf PGD from x (largest loss over the iterates)
Relu activation, regression labels. Prints seconds per replicate (wall and CPU) and the mean
number of training steps taken.

Usage: python3 scripts/bench_twolayer_numpy.py METHOD REPLICATES d s r T n n0 testSize
           steps lr tolerance eps
"""
import sys
import time

import numpy as np

WINDOW = 20


def draw(rng, d, s, r, T, n, n0, test_size, sigma=0.5, head_norm=1.0):
    support = np.sort(rng.choice(d, size=s, replace=False))
    q, rr = np.linalg.qr(rng.standard_normal((s, r)))
    q = q * np.sign(np.diag(rr))
    w_star = np.zeros((r, d))
    w_star[:, support] = q.T
    heads = rng.standard_normal((T + 1, r))
    heads *= head_norm / np.linalg.norm(heads, axis=1, keepdims=True)

    def sample(count, head_rows):
        x = rng.standard_normal((count, d))
        f = np.einsum("ij,ij->i", np.maximum(x @ w_star.T, 0.0), head_rows)
        return x, f

    task = np.repeat(np.arange(T), n)
    xs, fs = sample(T * n, heads[1:][task])
    ys = fs + sigma * rng.standard_normal(T * n)
    xt, ft = sample(n0, np.broadcast_to(heads[0], (n0, r)))
    yt = ft + sigma * rng.standard_normal(n0)
    xe, fe = sample(test_size, np.broadcast_to(heads[0], (test_size, r)))
    w0 = rng.standard_normal((r, d)) / np.sqrt(d)
    v0 = rng.standard_normal((T, r)) / np.sqrt(r)
    return w_star, (xs, ys, task), (xt, yt), (xe, fe), (w0, v0)


def loss_grad(x, y, task, n, W, V, weight):
    h = x @ W.T
    a = np.maximum(h, 0.0)
    vt = V[task]
    res = np.einsum("ij,ij->i", a, vt) - y
    loss = weight * float(res @ res)
    g = 2.0 * weight * res
    gv = (g[:, None] * a).reshape(V.shape[0], n, -1).sum(axis=1)
    u = (g[:, None] * vt) * (h > 0)
    return loss, u.T @ x, gv


def pgd_linf(x, y, task, W, V, eps, steps, alpha, rng):
    delta = rng.uniform(-eps, eps, size=x.shape)
    vt = V[task]
    for _ in range(steps):
        h = (x + delta) @ W.T
        res = np.einsum("ij,ij->i", np.maximum(h, 0.0), vt) - y
        u = ((2.0 * res)[:, None] * vt) * (h > 0)
        delta = np.clip(delta + alpha * np.sign(u @ W), -eps, eps)
    return x + delta


def train(data, init, method, steps, lr, tolerance, eps, rng):
    x, y, task = data
    W, V = init[0].copy(), init[1].copy()
    T = V.shape[0]
    n = x.shape[0] // T
    weight = 1.0 / (T * n)
    m = [np.zeros_like(W), np.zeros_like(V)]
    s = [np.zeros_like(W), np.zeros_like(V)]
    history = np.empty(steps)
    b1k = b2k = 1.0
    taken = 0
    for k in range(steps):
        xa = x if method == "standard" else pgd_linf(x, y, task, W, V, eps, 3, 2.5 * eps / 3, rng)
        loss, gw, gv = loss_grad(xa, y, task, n, W, V, weight)
        history[k] = loss
        b1k *= 0.9
        b2k *= 0.999
        for p, g, mk, sk in ((W, gw, m[0], s[0]), (V, gv, m[1], s[1])):
            mk *= 0.9
            mk += 0.1 * g
            sk *= 0.999
            sk += 0.001 * g * g
            p -= lr * (mk / (1 - b1k)) / (np.sqrt(sk / (1 - b2k)) + 1e-8)
        taken = k + 1
        if tolerance > 0 and taken >= 2 * WINDOW and taken % WINDOW == 0:
            last = history[taken - WINDOW:taken].mean()
            prev = history[taken - 2 * WINDOW:taken - WINDOW].mean()
            if prev - last <= tolerance * abs(last):
                break
    return W, V, taken


def measure(w_star, data, target, test, W, V):
    x, y, task = data
    r, d = W.shape
    q = np.linalg.qr(W.T)[0]
    resid = w_star.T - q @ (q.T @ w_star.T)
    sin_theta = np.linalg.svd(resid, compute_uv=False)[0]
    nrm = np.linalg.norm(W, axis=1)
    cos = np.abs(W @ W.T) / np.outer(nrm, nrm)
    collapse = float(np.max(cos[np.triu_indices(r, 1)])) if r > 1 else 0.0
    T = V.shape[0]
    n = x.shape[0] // T
    a = np.maximum(x @ w_star.T, 0.0).reshape(T, n, r)
    yy = y.reshape(T, n)
    at_truth = 0.0
    for t in range(T):
        coef = np.linalg.lstsq(a[t], yy[t], rcond=None)[0]
        at_truth += float(np.mean((yy[t] - a[t] @ coef) ** 2)) / T
    xt, yt = target
    head = np.linalg.lstsq(np.maximum(xt @ W.T, 0.0), yt, rcond=None)[0]
    xe, fe = test
    excess = float(np.mean((np.maximum(xe @ W.T, 0.0) @ head - fe) ** 2))
    eps, steps = 0.05, 10
    alpha = 2.5 * eps / steps
    delta = np.zeros_like(xe)
    best = np.full(xe.shape[0], -np.inf)
    for k in range(steps + 1):
        h = (xe + delta) @ W.T
        res = np.maximum(h, 0.0) @ head - fe
        best = np.maximum(best, res * res)
        if k == steps:
            break
        u = (2.0 * res)[:, None] * head[None, :] * (h > 0)
        delta = np.clip(delta + alpha * np.sign(u @ W), -eps, eps)
    return sin_theta, collapse, at_truth, excess, float(best.mean())


def main():
    method = sys.argv[1]
    reps = int(sys.argv[2])
    d, s, r, T, n, n0, test_size, steps = (int(v) for v in sys.argv[3:11])
    lr, tolerance, eps = (float(v) for v in sys.argv[11:14])
    total_steps = 0
    for k in range(reps + 1):
        rng = np.random.default_rng(1000 + k)
        if k == 1:
            t0 = time.perf_counter()
            c0 = time.process_time()
        w_star, data, target, test, init = draw(rng, d, s, r, T, n, n0, test_size)
        W, V, taken = train(data, init, method, steps, lr, tolerance, eps, rng)
        measure(w_star, data, target, test, W, V)
        if k >= 1:
            total_steps += taken
    wall = (time.perf_counter() - t0) / reps
    cpu = (time.process_time() - c0) / reps
    print(f"numpy {np.__version__} {method}: {wall:.4f} s per replicate (cpu {cpu:.4f} s), {total_steps / reps:.1f} steps")


if __name__ == "__main__":
    main()
