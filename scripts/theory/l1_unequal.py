"""L1 for normalised columns when the task norms differ: compare predictions with Monte Carlo.
Heads: w_t = c_t g_t/||g_t||, c_t uniform on [lo, hi] (so ||mu_t|| = c_t)."""
import numpy as np
from common import haar, top_r, sin_theta, normalise_cols
from limits_lib import bgn_sin2, Profile, spiked_predict
rng = np.random.default_rng(8)
r = 4
print("d T n [lo,hi] | measured unnorm, norm | L1(W) | hom(W D^-1, tau_eff) | profile(W D^-1, tau^2/D_t^2)")
for d, T, n, lo, hi in [(500, 20, 40, 0.5, 3.0), (500, 20, 160, 0.5, 3.0), (500, 80, 40, 0.3, 4.0), (2000, 20, 160, 0.5, 3.0), (100, 10, 40, 0.5, 3.0)]:
    tau = 1 / np.sqrt(n)
    R = 100 if d < 2000 else 40
    mu, mn, p1, p2, p3 = [], [], [], [], []
    for _ in range(R):
        B = haar(d, r, rng)
        G = rng.standard_normal((r, T)); G /= np.linalg.norm(G, axis=0)
        W = G * rng.uniform(lo, hi, T)
        M = B @ W + tau * rng.standard_normal((d, T))
        U, _ = top_r(M, r); mu.append(sin_theta(U, B)[0])
        Mn, _ = normalise_cols(M); U, _ = top_r(Mn, r); mn.append(sin_theta(U, B)[0])
        sw = np.linalg.svd(W, compute_uv=False)
        p1.append(np.sqrt(bgn_sin2(sw / (tau * np.sqrt(d)), T / d).max()))
        Dt = np.sqrt(np.sum(W ** 2, axis=0) + d * tau ** 2)
        WD = W / Dt
        teff = tau * np.sqrt(np.mean(1 / Dt ** 2))
        swd = np.linalg.svd(WD, compute_uv=False)
        p2.append(np.sqrt(bgn_sin2(swd / (teff * np.sqrt(d)), T / d).max()))
        prof = Profile(np.tile(tau ** 2 / Dt ** 2, (r + 1, 1)), np.r_[np.ones(r), d - r])
        # rotate so that B* is the first r coordinates (the noise is isotropic): signal rows = W D^-1
        out = spiked_predict(WD, prof, np.eye(r), r, None)
        p3.append(out['spec'])
    se = np.std(np.array(mn) - np.array(p3), ddof=1) / np.sqrt(R)
    print(f"{d} {T} {n} [{lo},{hi}] | {np.mean(mu):.3f}, {np.mean(mn):.3f} | {np.mean(p1):.3f} | {np.mean(p2):.3f} | {np.mean(p3):.3f} (paired SE of norm - profile {se:.3f})")
