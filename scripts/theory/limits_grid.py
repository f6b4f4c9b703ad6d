"""Grid comparisons of the limits with Monte Carlo (paired: prediction and measurement on the same
replicate, so the SE is that of the paired difference).
  python3 limits_grid.py L1   -> L1 (standard, unnormalised / normalised) and L1t (target) on d x T x n
  python3 limits_grid.py L2   -> L2 variants on d x T x n x s/d x eps
  python3 limits_grid.py U    -> the U-curve on MODEL section 7's scenario, eps = 0 .. 0.6 step 0.05
Results are appended as JSON lines to results_<mode>.jsonl."""
import sys, json, time
import numpy as np
from scipy.integrate import quad
from common import draw_instance, soft, top_r, sin_theta, normalise_cols, Q
from limits_lib import bgn_sin2
from l2_models import predict

mode = sys.argv[1]
rng = np.random.default_rng({"L1": 11, "L2": 22, "U": 33}[mode])
out = open(f"results_{mode}.jsonl", "a")


def D_r(lam, r):
    if lam == 0:
        return 1.0
    if r == 1:
        return 2 * Q(lam)
    f = lambda th: (1 - np.cos(th) ** (r - 1)) * np.exp(-lam * lam * np.sin(th) ** 2 / 2) * np.cos(th)
    up = np.pi / 2 if 40 / lam >= 1 else np.arcsin(40 / lam)
    return 2 * Q(lam) + 2 * lam / np.sqrt(2 * np.pi) * quad(f, 0, up, epsrel=1e-10, limit=200)[0]


def excess(aN, mu0N, tau0, r):
    return mu0N - aN + aN * D_r(aN / tau0, r)


def summ(x):
    x = np.asarray(x, float)
    return float(x.mean()), float(x.std(ddof=1) / np.sqrt(len(x)))


if mode == "L1":
    r, snr, n0 = 4, 1.5, 20
    for d in [100, 500, 2000]:
        for T in [10, 20, 80]:
            for n in [20, 40, 160, 640]:
                R = 100 if d < 2000 else 60
                tau = 1 / np.sqrt(n)
                rec = {k: [] for k in ["mu", "mn", "pred", "pfrob", "mfrob", "cos2m", "cos2p", "exm", "exp"]}
                t0 = time.time()
                for _ in range(R):
                    B, S, W, w0 = draw_instance(d, d, r, T, snr, rng)
                    M = B @ W + tau * rng.standard_normal((d, T))
                    U, _ = top_r(M, r)
                    sp, fr = sin_theta(U, B)
                    Mn, _ = normalise_cols(M)
                    Un, _ = top_r(Mn, r)
                    spn, _ = sin_theta(Un, B)
                    A, sw, _ = np.linalg.svd(W, full_matrices=False)
                    s2 = bgn_sin2(sw / (tau * np.sqrt(d)), T / d)
                    rec["mu"].append(sp); rec["mn"].append(spn); rec["mfrob"].append(fr)
                    rec["pred"].append(np.sqrt(s2.max())); rec["pfrob"].append(np.sqrt(s2.sum()))
                    mu0 = B @ w0
                    mu0N = np.linalg.norm(mu0)
                    aN = np.linalg.norm(Un.T @ mu0)  # normalised columns (the paper's algorithm)
                    c2p = np.sum((1 - s2) * (A.T @ w0) ** 2) / np.sum(w0 ** 2)
                    rec["cos2m"].append((aN / mu0N) ** 2); rec["cos2p"].append(c2p)
                    tau0 = 1 / np.sqrt(n0)
                    rec["exm"].append(excess(aN, mu0N, tau0, r)); rec["exp"].append(excess(mu0N * np.sqrt(c2p), mu0N, tau0, r))
                res = dict(d=d, T=T, n=n, R=R)
                for k in ["mu", "mn", "mfrob", "cos2m", "exm"]:
                    res[k] = summ(rec[k])
                res["pred"] = summ(rec["pred"]); res["pfrob"] = summ(rec["pfrob"])
                res["cos2p"] = summ(rec["cos2p"]); res["exp"] = summ(rec["exp"])
                res["diff_u"] = summ(np.array(rec["mu"]) - rec["pred"]); res["diff_n"] = summ(np.array(rec["mn"]) - rec["pred"])
                res["diff_frob"] = summ(np.array(rec["mfrob"]) - rec["pfrob"])
                res["diff_cos2"] = summ(np.array(rec["cos2m"]) - rec["cos2p"]); res["diff_ex"] = summ(np.array(rec["exm"]) - rec["exp"])
                out.write(json.dumps(res) + "\n"); out.flush()
                print(d, T, n, f"meas {res['mu'][0]:.3f}/{res['mn'][0]:.3f} pred {res['pred'][0]:.3f} diff_u {res['diff_u'][0]:+.3f}+-{res['diff_u'][1]:.3f} | cos2 {res['cos2m'][0]:.3f} vs {res['cos2p'][0]:.3f} | excess {res['exm'][0]:.3f} vs {res['exp'][0]:.3f} | {time.time()-t0:.0f}s", flush=True)

if mode in ("L2", "U"):
    r, snr = 4, 1.5
    if mode == "L2":
        cells = [(d, max(r, int(round(f * d))), T, n, eps) for d in [100, 500, 2000] for T in [10, 20, 80] for n in [20, 40, 160, 640]
                 for f in [0.04, 0.2, 1.0] for eps in [0.1, 0.2, 0.3, 0.4, 0.5, 0.6]]
        Rfun = lambda d: 10 if d < 2000 else 6
    else:
        cells = [(500, 20, 20, 40, round(e, 2)) for e in np.arange(0, 0.6001, 0.05)]
        Rfun = lambda d: 100
    done = set()
    try:
        for line in open(f"results_{mode}.jsonl"):
            j = json.loads(line); done.add((j['d'], j['s'], j['T'], j['n'], j['eps']))
    except FileNotFoundError:
        pass
    for (d, s, T, n, eps) in cells:
        if (d, s, T, n, eps) in done:
            continue
        tau = 1 / np.sqrt(n)
        R = Rfun(d)
        rec = {k: [] for k in ["mu", "mn", "hu", "hn", "fn", "fpn", "drop"]}
        t0 = time.time()
        for _ in range(R):
            B, S, W, w0 = draw_instance(d, s, r, T, snr, rng)
            M = soft(B @ W + tau * rng.standard_normal((d, T)), eps)
            U, _ = top_r(M, r)
            rec["mu"].append(sin_theta(U, B)[0])
            Mn, nr = normalise_cols(M)
            keep = nr > 0
            rec["drop"].append(T - keep.sum())
            if keep.sum() >= r:
                Un, _ = top_r(Mn[:, keep], r)
                rec["mn"].append(sin_theta(Un, B)[0])
            else:
                rec["mn"].append(1.0)
            rec["hu"].append(predict(B, S, W, tau, eps, False, "hom"))
            rec["hn"].append(predict(B, S, W, tau, eps, True, "hom"))
            try:
                a, b = predict(B, S, W, tau, eps, True, "full")
            except Exception as ex:  # report, never hide
                print("solver failure", d, s, T, n, eps, repr(ex), flush=True)
                a, b = np.nan, np.nan
            rec["fn"].append(a); rec["fpn"].append(b)
        res = dict(d=d, s=s, T=T, n=n, eps=eps, R=R, drops=float(np.mean(rec["drop"])))
        for k in ["mu", "mn", "hu", "hn", "fn", "fpn"]:
            res[k] = summ(rec[k])
        for meas, pk in [("mu", "hu"), ("mn", "hn"), ("mn", "fn"), ("mn", "fpn")]:
            res["d_" + pk] = summ(np.array(rec[meas]) - np.array(rec[pk]))
        out.write(json.dumps(res) + "\n"); out.flush()
        print(d, s, T, n, eps, f"meas {res['mu'][0]:.3f}/{res['mn'][0]:.3f} | hom {res['hu'][0]:.3f}/{res['hn'][0]:.3f} full/full+ (norm) {res['fn'][0]:.3f}/{res['fpn'][0]:.3f} | d_fn {res['d_fn'][0]:+.3f}+-{res['d_fn'][1]:.3f} | {time.time()-t0:.0f}s", flush=True)
