"""Normalised columns for B3': only the B1-type form (B3' main) may be multiplied by kappa (the
Wedin form bounds sinTheta directly, not the B1 ratio). Median ratios on MODEL section 7's scenario."""
import numpy as np
from common import draw_instance, soft, top_r, sin_theta, normalise_cols
from b3p_lib import entry_stats, b3p_bound, b3p_wedin_bound
rng = np.random.default_rng(99)
d, s, r, T, snr, t = 500, 20, 4, 20, 1.5, 2.5
for n, epss in [(40, [0.1, 0.3]), (20480, [0.02, 0.0345, 0.05])]:
    tau = 1 / np.sqrt(n)
    for eps in epss:
        ru, rn, rw, cu, cn, vals, valsn = [], [], [], 0, 0, [], []
        for _ in range(200):
            B, S, W, _ = draw_instance(d, s, r, T, snr, rng)
            Mth = soft(B @ W + tau * rng.standard_normal((d, T)), eps)
            U, _ = top_r(Mth, r); stv = sin_theta(U, B)[0]
            Mn, nrm = normalise_cols(Mth); keep = nrm > 0
            Un, _ = top_r(Mn[:, keep], r); stn = sin_theta(Un, B)[0]
            kappa = nrm[keep].max() / nrm[keep].min()
            st = entry_stats(B, S, W, tau, eps)
            bm = b3p_bound(B, S, W, tau, eps, t, False, d)['bound']
            bw = b3p_wedin_bound(B, S, W, tau, eps, t, False, d, st=st)['bound']
            bu = min(bm, bw)
            ru.append(bu / stv); rn.append(kappa * bm / stn); rw.append(bw / stv)
            cu += stv <= min(bu, 1); cn += stn <= min(kappa * bm, 1)
            vals.append(bu); valsn.append(kappa * bm)
        print(f"n={n} eps={eps}: unnorm min(B3',Wedin) median {np.median(vals):.4f} ratio {np.median(ru):.3f} (Wedin alone {np.median(rw):.3f}); "
              f"norm kappa*B3' median {np.median(valsn):.4f} ratio {np.median(rn):.3f}; coverage {cu}/200, {cn}/200")
