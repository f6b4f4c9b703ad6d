#!/usr/bin/env python3
"""Reference timing and reference numbers for the `regression` family (MODEL §2.2, §3.5): a
vectorised numpy implementation of the method of moments (MoM) and of ERM by alternating
minimisation (AltMin) started from MoM, in the prior-work setting, for a TypeScript
implementation to mirror (same algorithm, same stopping rules, same sizes) and to compare with
in distribution (sinTheta per replicate is printed).

Setting (MODEL §2.2 `prior-work`): d = 100, r = 5, n = 25 samples per source task, sigma = 1,
B* = left singular vectors of a d x r standard Gaussian, heads w_t ~ N(0, I_r / r) i.i.d.,
x ~ N(0, I_d), y = <B* w_t, x> + sigma xi. Target: w_0 ~ N(0, I_r / r), n0 samples (--n0).

One replicate, timed as a whole and by stage:
1. data: B*, W, and for each task X_t (n x d), y_t (n), drawn task by task (task-major order).
2. MoM: M = (1/(nT)) sum_t X_t^T diag(y_t^2) X_t, accumulated task by task (memory d^2; the
   samples are never needed again by MoM); U0 = eigenvectors of the r largest eigenvalues
   (symmetric eigendecomposition).
3. AltMin on F(U, W) = sum_t ||y_t - X_t U w_t||^2 from U = orthonormalised U0. Precomputed once:
   z_t = X_t^T y_t (the d x T matrix Zy) and ||y_t||^2. Each outer iteration k = 1, 2, ...:
   a. W-step (exact): A_t = X_t U (n x r), G_t = A_t^T A_t, c_t = A_t^T y_t, w_t = G_t^{-1} c_t;
      F_k = sum_t (||y_t||^2 - c_t^T w_t) (the least-squares residual, no extra pass).
   b. Stop if F_{k-1} - F_k <= 1e-8 F_k (relative decrease over one outer iteration, a negative
      decrease included) or k = 100 (the cap; reported as hit_cap). The returned U is the current
      one and W the one just computed.
   c. U-step (inexact, warm start): preconditioned conjugate gradients on the dr x dr normal
      equations H vec(U) = vec(b), H = sum_t (w_t w_t^T) kron (X_t^T X_t), b = Zy W^T (d x r),
      with matrix-free products H(V) = sum_t X_t^T (X_t (V w_t)) w_t^T (two passes over X_t, 2nd
      mult-adds per task) and the preconditioner P = (n W W^T) kron I_d (exact for the population
      H when Sigma = I), i.e. P^{-1}(R) = R (n W W^T)^{-1}. The initial residual
      R0 = b - sum_t X_t^T (A_t w_t) w_t^T reuses A_t. Stop when ||R_j||_F <= 0.1 ||R0||_F or
      j = 20 CG steps. CG from a warm start decreases the quadratic at every step, so F is
      non-increasing whatever the number of steps (checked: `monotone` in the output).
   d. U <- Q factor of U (thin QR): the fit U w_t is invariant under U -> U R, w_t -> R^{-1} w_t.
   sinTheta = ||(I - U U^T) B*||_2 (spectral), for MoM's U0 and AltMin's U.
4. target: least squares of y on U^T x from n0 fresh target samples; excess = ||U w_hat - beta_0||^2
   (= E_x (f_hat - f_0)^2 for Sigma = I), printed beside MODEL E3's exact E[excess | U].

Memory: the samples X (T n d doubles: 16M = 128 MB at T = 6400) are stored, because AltMin
revisits every X_t in every pass; everything else is O(d T + d^2 + T n r). With --regenerate,
X_t is instead regenerated from a per-chunk seed at every pass (memory O(d T + d^2 + chunk n d)),
which costs one regeneration of all samples per pass (2 + k passes per outer iteration with k CG
steps, plus one for MoM); both modes give identical numbers for a given seed.

Output: JSON lines. Per replicate: {"what": "replicate-detail", ...}. Per T, one line per stage
{"what": "data" | "mom" | "altmin" | "target" | "replicate", "T", "seconds_per_replicate",
"cpu_seconds" (process CPU seconds per replicate), "sinTheta" (mean over replicates, for mom and
altmin), ...}. BLAS is pinned to one thread (OPENBLAS_NUM_THREADS=1 etc., unless already set) so
that the timing is single-core like the TypeScript kernels.

Usage: python3 scripts/bench_regression_numpy.py [--T 1600 6400] [--reps 3] [--n0 25] [--seed 1]
       [--regenerate] [--n 25] [--d 100] [--r 5]
"""
import os

for _v in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_v, "1")

import argparse  # noqa: E402
import json  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402

CHUNK = 256  # tasks per chunk (regeneration unit and streaming unit)
ALTMIN_RTOL = 1e-8
ALTMIN_MAX_OUTER = 100
CG_REL_TOL = 0.1
CG_MAX = 20


class TaskData:
    """Source samples, stored (default) or regenerated chunk by chunk from per-chunk seeds."""

    def __init__(self, seed, rep, B, W, n, sigma, regenerate):
        self.B, self.W, self.n, self.sigma = B, W, n, sigma
        self.d, self.T = B.shape[0], W.shape[1]
        self.seed, self.rep, self.regenerate = seed, rep, regenerate
        self.beta = (B @ W).T  # T x d
        self.chunks = [(s, min(s + CHUNK, self.T)) for s in range(0, self.T, CHUNK)]
        if not regenerate:
            parts = [self._draw(i) for i in range(len(self.chunks))]
            self.X = np.concatenate([p[0] for p in parts])
            self.y = np.concatenate([p[1] for p in parts])
        else:
            self.y = np.concatenate([self._draw(i)[1] for i in range(len(self.chunks))])

    def _draw(self, i):
        s, e = self.chunks[i]
        g = np.random.default_rng([self.seed, self.rep, 1000003 + i])
        X = g.standard_normal((e - s, self.n, self.d))
        y = np.einsum("tnd,td->tn", X, self.beta[s:e]) + self.sigma * g.standard_normal((e - s, self.n))
        return X, y

    def iter_chunks(self):
        """Yields (s, e, X_chunk, y_chunk) over all tasks."""
        for i, (s, e) in enumerate(self.chunks):
            if self.regenerate:
                X, y = self._draw(i)
            else:
                X, y = self.X[s:e], self.y[s:e]
            yield s, e, X, y


def method_of_moments(data, r):
    d = data.d
    M = np.zeros((d, d))
    Zy = np.zeros((d, data.T))  # X_t^T y_t, reused by AltMin
    for s, e, X, y in data.iter_chunks():
        Z = (X * y[:, :, None]).reshape(-1, d)
        M += Z.T @ Z
        Zy[:, s:e] = np.einsum("tnd,tn->dt", X, y)
    M /= data.n * data.T
    vals, vecs = np.linalg.eigh(M)
    return vecs[:, ::-1][:, :r], Zy


def altmin(data, U0, Zy):
    T, n = data.T, data.n
    yy = np.sum(data.y**2, axis=1)
    U = np.linalg.qr(U0)[0]
    F_prev = np.inf
    Fs, cg_steps = [], []
    hit_cap = True
    for k in range(1, ALTMIN_MAX_OUTER + 1):
        # W-step; keep A_t w_t (n-vectors) for the U-step's initial residual
        W = np.empty((U.shape[1], T))
        Aw = np.empty((T, n))
        F = 0.0
        for s, e, X, y in data.iter_chunks():
            A = X @ U  # (t, n, r)
            G = A.transpose(0, 2, 1) @ A
            c = np.einsum("tnk,tn->tk", A, y)
            w = np.linalg.solve(G, c[:, :, None])[:, :, 0]
            W[:, s:e] = w.T
            Aw[s:e] = np.einsum("tnk,tk->tn", A, w)
            F += float(np.sum(yy[s:e]) - np.sum(c * w))
        Fs.append(F)
        if F_prev - F <= ALTMIN_RTOL * F:
            hit_cap = False
            break
        if k == ALTMIN_MAX_OUTER:
            break
        F_prev = F
        # U-step: PCG, warm start
        b = Zy @ W.T
        HU = np.zeros_like(U)
        for s, e, X, y in data.iter_chunks():
            HU += np.einsum("tnd,tn->dt", X, Aw[s:e]) @ W[:, s:e].T
        R = b - HU
        Pinv = np.linalg.inv(n * (W @ W.T))
        Zc = R @ Pinv
        P = Zc.copy()
        rz = float(np.sum(R * Zc))
        r0 = np.linalg.norm(R)
        j = 0
        while j < CG_MAX and np.linalg.norm(R) > CG_REL_TOL * r0:
            PW = P @ W  # d x T
            HP = np.zeros_like(U)
            for s, e, X, y in data.iter_chunks():
                p = np.einsum("tnd,dt->tn", X, PW[:, s:e])
                HP += np.einsum("tnd,tn->dt", X, p) @ W[:, s:e].T
            alpha = rz / float(np.sum(P * HP))
            U = U + alpha * P
            R = R - alpha * HP
            Zc = R @ Pinv
            rz_new = float(np.sum(R * Zc))
            P = Zc + (rz_new / rz) * P
            rz = rz_new
            j += 1
        cg_steps.append(j)
        U = np.linalg.qr(U)[0]
    Fs = np.array(Fs)
    monotone = bool(np.all(np.diff(Fs) <= 1e-12 * Fs[1:]))
    return U, W, {"outer": len(Fs), "cg_steps": int(sum(cg_steps)), "hit_cap": hit_cap, "monotone": monotone, "F": float(Fs[-1])}


def sin_theta(U, B):
    return float(np.linalg.norm(B - U @ (U.T @ B), 2))


def replicate(seed, rep, d, r, n, T, n0, sigma, regenerate):
    t = {}
    c = {}
    t0, c0 = time.perf_counter(), time.process_time()
    g = np.random.default_rng([seed, rep])
    B = np.linalg.svd(g.standard_normal((d, r)), full_matrices=False)[0]
    W = g.standard_normal((r, T)) / np.sqrt(r)
    data = TaskData(seed, rep, B, W, n, sigma, regenerate)
    t["data"], c["data"] = time.perf_counter() - t0, time.process_time() - c0
    t0, c0 = time.perf_counter(), time.process_time()
    U0, Zy = method_of_moments(data, r)
    t["mom"], c["mom"] = time.perf_counter() - t0, time.process_time() - c0
    t0, c0 = time.perf_counter(), time.process_time()
    U, _, info = altmin(data, U0, Zy)
    t["altmin"], c["altmin"] = time.perf_counter() - t0, time.process_time() - c0
    t0, c0 = time.perf_counter(), time.process_time()
    w0 = g.standard_normal(r) / np.sqrt(r)
    beta0 = B @ w0
    X0 = g.standard_normal((n0, d))
    y0 = X0 @ beta0 + sigma * g.standard_normal(n0)
    what = np.linalg.lstsq(X0 @ U, y0, rcond=None)[0]
    excess = float(np.sum((U @ what - beta0) ** 2))
    b2 = float(np.sum((beta0 - U @ (U.T @ beta0)) ** 2))
    e3 = b2 + (sigma**2 + b2) * r / (n0 - r - 1) if n0 > r + 1 else float("inf")
    t["target"], c["target"] = time.perf_counter() - t0, time.process_time() - c0
    out = {"what": "replicate-detail", "T": T, "n": n, "d": d, "r": r, "rep": rep,
           "sinTheta_mom": sin_theta(U0, B), "sinTheta_altmin": sin_theta(U, B),
           "target_excess": excess, "target_expected_excess_E3": e3, **info,
           "seconds": t, "cpu_seconds": c}
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--T", type=int, nargs="+", default=[1600, 6400])
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--n0", type=int, default=25)
    ap.add_argument("--n", type=int, default=25)
    ap.add_argument("--d", type=int, default=100)
    ap.add_argument("--r", type=int, default=5)
    ap.add_argument("--sigma", type=float, default=1.0)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--regenerate", action="store_true")
    a = ap.parse_args()
    for T in a.T:
        rows = [replicate(a.seed, k, a.d, a.r, a.n, T, a.n0, a.sigma, a.regenerate) for k in range(a.reps)]
        for row in rows:
            print(json.dumps(row), flush=True)
        common = {"T": T, "n": a.n, "d": a.d, "r": a.r, "reps": a.reps, "regenerate": a.regenerate}
        for stage in ("data", "mom", "altmin", "target"):
            line = {"what": stage, **common,
                    "seconds_per_replicate": float(np.mean([x["seconds"][stage] for x in rows])),
                    "cpu_seconds": float(np.mean([x["cpu_seconds"][stage] for x in rows]))}
            if stage in ("mom", "altmin"):
                v = [x[f"sinTheta_{stage}"] for x in rows]
                line["sinTheta"] = float(np.mean(v))
                line["sinTheta_all"] = v
            if stage == "altmin":
                line["outer_iterations"] = [x["outer"] for x in rows]
                line["cg_steps"] = [x["cg_steps"] for x in rows]
                line["hit_cap"] = [x["hit_cap"] for x in rows]
                line["monotone"] = all(x["monotone"] for x in rows)
            if stage == "target":
                line["excess_mean"] = float(np.mean([x["target_excess"] for x in rows]))
                line["E3_mean"] = float(np.mean([x["target_expected_excess_E3"] for x in rows]))
            print(json.dumps(line), flush=True)
        print(json.dumps({"what": "replicate", **common,
                          "seconds_per_replicate": float(np.mean([sum(x["seconds"].values()) for x in rows])),
                          "cpu_seconds": float(np.mean([sum(x["cpu_seconds"].values()) for x in rows])),
                          "sinTheta": {"mom": float(np.mean([x["sinTheta_mom"] for x in rows])),
                                       "altmin": float(np.mean([x["sinTheta_altmin"] for x in rows]))}}), flush=True)


if __name__ == "__main__":
    main()
