"""B2'' (standard training, unnormalised / normalised / l2-dropped columns): verification.

For each configuration: draw heads W (fixed per replicate), Z fresh; check
 (i) the deterministic chain  sigma_r(M) >= sigma_r(M V_W),  sigma_r(M V_W)^2 >= smin(A)^2 + smin(C)^2,
 (ii) the three Gaussian events' empirical failure rates against exp(-t^2/2),
 (iii) coverage of the final bound against 1 - 3 exp(-t^2/2),
 (iv) median bound / measured on MODEL section 7's scenario at n = 40 and n = 20480.
"""
import numpy as np
from common import draw_instance, top_r, sin_theta, normalise_cols

rng = np.random.default_rng(13)


def b2pp_value(sr, tau, d, r, T, t):
    num = tau * (np.sqrt(d - r) + np.sqrt(T) + t)
    den2 = np.maximum(sr - tau * (2 * np.sqrt(r) + t), 0) ** 2 + tau ** 2 * max(np.sqrt(d - r) - np.sqrt(r) - t, 0) ** 2
    return num / np.sqrt(den2)


def b2pp_uniform_value(sr, tau, d, r, T, t):
    """Version for a data-dependent kept set (l2 training): sigma_r of the kept heads, T of all tasks."""
    num = tau * (np.sqrt(d - r) + np.sqrt(T) + t)
    den2 = np.maximum(sr - tau * (np.sqrt(r) + np.sqrt(T) + t), 0) ** 2 + tau ** 2 * max(np.sqrt(d - r) - np.sqrt(T) - t, 0) ** 2
    return num / np.sqrt(den2)


def b2_value(sr, tau, d, r, T, t):
    den = sr - tau * (np.sqrt(r) + np.sqrt(T) + t)
    return np.where(den > 0, tau * (np.sqrt(d - r) + np.sqrt(T) + t) / np.where(den > 0, den, 1), np.inf)


def run_config(d, s, r, T, n, snr, t, R, sigma=1.0, l2eps=None):
    tau = sigma / np.sqrt(n)
    out = dict(chain_fail=0, evA=0, evB=0, evC=0, cover=0, cover_n=0, cover_l2=0, n_l2=0, R=R)
    ratios, ratios_n, vals, meas = [], [], [], []
    for _ in range(R):
        B, S, W, w0 = draw_instance(d, s, r, T, snr, rng)
        Z = rng.standard_normal((d, T))
        M = B @ W + tau * Z
        Aw, sw, VwT = np.linalg.svd(W, full_matrices=False)
        Vw = VwT[:r].T  # T x r
        sr = sw[r - 1]
        # blocks
        Gpar = B.T @ Z
        PpZ = Z - B @ Gpar
        G1 = Gpar @ Vw
        nPerp = np.linalg.norm(PpZ, 2)
        nG1 = np.linalg.norm(G1, 2)
        smG2 = np.linalg.svd(PpZ @ Vw, compute_uv=False)[-1] if d - r >= r else 0.0
        # deterministic chain
        svM = np.linalg.svd(M, compute_uv=False)
        MV = M @ Vw
        svMV = np.linalg.svd(MV, compute_uv=False)
        Ablk = B.T @ MV
        Cblk = MV - B @ Ablk
        sA = np.linalg.svd(Ablk, compute_uv=False)[-1]
        sC = np.linalg.svd(Cblk, compute_uv=False)[-1] if d - r >= r else 0.0
        if not (svM[r - 1] >= svMV[-1] * (1 - 1e-12) and svMV[-1] ** 2 >= (sA ** 2 + sC ** 2) * (1 - 1e-10)):
            out["chain_fail"] += 1
        out["evA"] += nPerp > np.sqrt(d - r) + np.sqrt(T) + t
        out["evB"] += nG1 > 2 * np.sqrt(r) + t
        out["evC"] += smG2 < np.sqrt(d - r) - np.sqrt(r) - t
        bnd = b2pp_value(sr, tau, d, r, T, t)
        U, _ = top_r(M, r)
        st, _ = sin_theta(U, B)
        out["cover"] += st <= bnd
        Mn, nrm = normalise_cols(M)
        Un, _ = top_r(Mn, r)
        stn, _ = sin_theta(Un, B)
        kappa = nrm.max() / nrm.min()
        out["cover_n"] += stn <= kappa * bnd
        ratios.append(bnd / st)
        ratios_n.append(kappa * bnd / stn)
        vals.append(bnd)
        meas.append(st)
        if l2eps is not None:
            keep = nrm > l2eps
            if keep.sum() >= r and keep.sum() < T:
                out["n_l2"] += 1
                srK = np.linalg.svd(W[:, keep], compute_uv=False)[r - 1]
                Uk, _ = top_r(Mn[:, keep], r)
                stk, _ = sin_theta(Uk, B)
                kK = nrm[keep].max() / nrm[keep].min()
                out["cover_l2"] += stk <= kK * b2pp_uniform_value(srK, tau, d, r, T, t)
    out["ratio_med"] = float(np.median(ratios))
    out["ratio_n_med"] = float(np.median(ratios_n))
    out["bound_med"] = float(np.median(vals))
    out["meas_mean"] = float(np.mean(meas))
    return out


if __name__ == "__main__":
    print("== event rates / coverage over random configurations ==")
    print("cfg (d,s,r,T,n,snr,t) | chain fails | evA evB evC rate (promised each <= e^{-t^2/2}) | coverage unnorm, norm (promised) | l2-dropped coverage")
    cfgs = []
    for d, r, T in [(50, 2, 10), (100, 4, 20), (500, 4, 20), (200, 1, 5), (300, 8, 80), (2000, 4, 10)]:
        for n in [10, 160, 5000]:
            for snr in [0.7, 2.0]:
                for t in [0.0, 1.0, 2.0]:
                    cfgs.append((d, d, r, T, n, snr, t))
    rows = []
    tot_fail_events = 0
    for (d, s, r, T, n, snr, t) in cfgs:
        tau = 1 / np.sqrt(n)
        l2eps = np.sqrt(snr ** 2 + d * tau ** 2)  # about half the tasks dropped
        o = run_config(d, s, r, T, n, snr, t, R=150, l2eps=l2eps)
        p1 = np.exp(-t * t / 2)
        R = o["R"]
        rates = [o["evA"] / R, o["evB"] / R, o["evC"] / R]
        se = np.sqrt(p1 * (1 - p1) / R) + 1e-9
        flag = any(rt > p1 + 3 * se for rt in rates)
        tot_fail_events += flag
        prom = max(0, 1 - 3 * p1)
        rows.append((d, r, T, n, snr, t, o["chain_fail"], rates, o["cover"] / R, o["cover_n"] / R, prom, o["cover_l2"], o["n_l2"], flag))
        print(f"({d},{s},{r},{T},{n},{snr},{t}) | {o['chain_fail']} | {rates[0]:.3f} {rates[1]:.3f} {rates[2]:.3f} (<= {p1:.3f}){' !!' if flag else ''} | {o['cover']/R:.3f} {o['cover_n']/R:.3f} ({prom:.3f}) | {o['cover_l2']}/{o['n_l2']}")
    print("configurations with an event rate above its promise + 3 SE:", tot_fail_events)
    print("min coverage (unnorm, norm) among t = 2 configurations:",
          min(r_[8] for r_ in rows if r_[5] == 2.0), min(r_[9] for r_ in rows if r_[5] == 2.0))
    print()
    print("== MODEL section 7 scenario (d=500, r=4, T=20, snr=1.5), t = 2.5 (promise 1-3e^{-3.125} = 0.868) ==")
    for n in [40, 20480]:
        o = run_config(500, 20, 4, 20, n, 1.5, 2.5, R=400)
        tau = 1 / np.sqrt(n)
        print(f"n={n}: mean sinTheta {o['meas_mean']:.4f}; B2'' median value {o['bound_med']:.4f}; median ratio unnorm {o['ratio_med']:.3f}, norm (x kappa) {o['ratio_n_med']:.3f}; coverage {o['cover']}/{o['R']}, norm {o['cover_n']}/{o['R']}")
    for n in [40, 20480]:
        o = run_config(500, 20, 4, 20, n, 1.5, 0.0, R=200)
        print(f"n={n}, t=0 (no probability promise): median ratio unnorm {o['ratio_med']:.3f}, norm {o['ratio_n_med']:.3f}, median value {o['bound_med']:.3f}")
