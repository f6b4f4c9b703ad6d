"""Reference timing: a vectorised numpy implementation of the mixture pipeline's sample-level
path (MODEL §2.1, §3.1-§3.4) for the five demonstration methods, to compare with
`npm run bench`. Prints seconds per replicate. Usage: python3 scripts/bench_mixture_numpy.py [R]"""
import sys
import time

import numpy as np


def replicate(rng, d=500, s=20, r=4, T=20, n=40, m=1000, n0=20, sigma=1.0, snr=1.5, eps=0.3):
    support = rng.choice(d, s, replace=False)
    q, _ = np.linalg.qr(rng.standard_normal((s, r)))
    B = np.zeros((d, r))
    B[support] = q
    W = rng.standard_normal((r, T))
    W *= snr / np.linalg.norm(W, axis=0)
    mu = B @ W  # d x T
    w0 = rng.standard_normal(r)
    mu0 = B @ (w0 * snr / np.linalg.norm(w0))
    # Labelled samples: x = y mu + sigma g, statistic v_t = mean(y x).
    y = rng.choice([-1.0, 1.0], size=(T, n))
    X = y[:, :, None] * mu.T[:, None, :] + sigma * rng.standard_normal((T, n, d))
    V = np.einsum("tn,tnd->dt", y, X) / n
    yu = rng.choice([-1.0, 1.0], size=(T, m))
    Xu = yu[:, :, None] * mu.T[:, None, :] + sigma * rng.standard_normal((T, m, d))
    y0 = rng.choice([-1.0, 1.0], size=n0)
    X0 = y0[:, None] * mu0[None, :] + sigma * rng.standard_normal((n0, d))
    v0 = X0.T @ y0 / n0

    def soft(v, e):
        return np.sign(v) * np.maximum(np.abs(v) - e, 0)

    def rep(M):
        U, _, _ = np.linalg.svd(M / np.linalg.norm(M, axis=0), full_matrices=False)
        return U[:, :r]

    def evaluate(U):
        u = U.T @ v0
        beta = U @ (u / np.linalg.norm(u))
        st = np.linalg.norm(B - U @ (U.T @ B), 2)
        return st, np.linalg.norm(mu0) - beta @ mu0

    def ssl(teacher_cols, student_eps, adv):
        beta = teacher_cols / np.linalg.norm(teacher_cols, axis=0)
        yhat = np.sign(np.einsum("tmd,dt->tm", Xu, beta))
        yhat[yhat == 0] = 1
        S = np.einsum("tm,tmd->dt", yhat, Xu)
        pooled = (n * V + S) / (n + m)
        return soft(pooled, student_eps) if adv else pooled

    out = []
    out.append(evaluate(rep(V)))
    out.append(evaluate(rep(soft(V, eps))))
    keep = np.linalg.norm(V, axis=0) > eps
    out.append(evaluate(rep(V[:, keep])))
    out.append(evaluate(rep(ssl(V, 0.0, False))))
    out.append(evaluate(rep(ssl(soft(V, eps), eps * np.sqrt(n / (n + m)), True))))
    return out


def main():
    reps = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    rng = np.random.default_rng(1)
    replicate(rng)  # warm-up
    t0 = time.perf_counter()
    c0 = time.process_time()
    for _ in range(reps):
        replicate(rng)
    dt = (time.perf_counter() - t0) / reps
    dc = (time.process_time() - c0) / reps
    print(f"numpy sample-level pipeline, five demo methods, d=500 T=20 n=40 m=1000: {dt:.3f} s per replicate (cpu {dc:.3f} s)")


if __name__ == "__main__":
    main()
