"""Self-test: the variance-profile solver with a constant profile must reproduce BGN's closed form."""
import numpy as np
from limits_lib import Profile, spiked_predict, bgn_sin2
from common import draw_instance
rng = np.random.default_rng(0)
for d, s, r, T, tau in [(500, 500, 4, 20, 0.158), (100, 100, 2, 80, 0.3), (2000, 80, 4, 10, 0.05), (500, 20, 4, 20, 0.158)]:
    B, S, W, _ = draw_instance(d, s, r, T, 1.5, rng)
    sw = np.linalg.svd(W, compute_uv=False)
    theta = sw / (tau * np.sqrt(d))
    s2 = bgn_sin2(theta, T / d)
    XS = (B @ W)[S]
    if s < d:
        prof = Profile(np.vstack([np.full((s, T), tau ** 2), np.full((1, T), tau ** 2)]), np.r_[np.ones(s), d - s])
    else:
        prof = Profile(np.full((s, T), tau ** 2), np.ones(s))
    out = spiked_predict(XS, prof, B[S], r, None)
    edge_mp = tau ** 2 * (np.sqrt(d) + np.sqrt(T)) ** 2
    print(f"d={d} s={s} T={T}: edge solver {out['x_edge']:.6f} MP {edge_mp:.6f} | sin^2 BGN {np.round(s2, 5)} | solver 1-cos2 {np.round(1 - np.array(out['cos2_signal']), 5)}")
    print(f"   predicted spec sinTheta: BGN {np.sqrt(s2.max()):.5f} solver {out['spec']:.5f}; frob BGN {np.sqrt(s2.sum()):.5f} solver {out['frob']:.5f}")
    # singular value location check: BGN rho^2 = tau^2 d (1+th^2)(c+th^2)/th^2
    c = T / d
    rho2 = tau ** 2 * d * (1 + theta ** 2) * (c + theta ** 2) / theta ** 2
    print("   outlier x: BGN", np.round(rho2[theta ** 4 > c], 5), " solver", np.round(out['xs'], 5))
