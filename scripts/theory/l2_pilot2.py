import sys, time
import numpy as np
from common import draw_instance, soft, top_r, sin_theta, normalise_cols
from l2_models import predict
rng = np.random.default_rng(78)
cells = [(100, 4, 4, 10, 40, e) for e in [0.2, 0.4, 0.6]] + [(100, 20, 4, 10, 40, e) for e in [0.3, 0.5]] + [(500, 20, 4, 20, 40, e) for e in [0.3, 0.5, 0.6]] + [(100, 100, 4, 10, 20, 0.2), (500, 100, 4, 20, 160, 0.3)]
R = 30
print("cell | measured norm (SE) | predictions | paired diff nested+: mean +- SE")
for (d, s, r, T, n, eps) in cells:
    tau = 1 / np.sqrt(n)
    mn, f, fp, nn = [], [], [], []
    for _ in range(R):
        B, S, W, _ = draw_instance(d, s, r, T, 1.5, rng)
        M = soft(B @ W + tau * rng.standard_normal((d, T)), eps)
        Mn, nr = normalise_cols(M); keep = nr > 0
        U, _ = top_r(Mn[:, keep], r); mn.append(sin_theta(U, B)[0])
        a, b = predict(B, S, W, tau, eps, True, 'full'); f.append(b); c1, c2 = predict(B, S, W, tau, eps, True, 'nested'); fp.append(c2); nn.append(c1)
    dd = np.array(mn) - np.array(fp)
    print(f"({d},{s},{r},{T},{n},{eps}) | {np.mean(mn):.3f} ({np.std(mn)/np.sqrt(R):.3f}) | full+ {np.mean(f):.3f} nested {np.mean(nn):.3f} nested+ {np.mean(fp):.3f} | {dd.mean():+.3f} +- {dd.std(ddof=1)/np.sqrt(R):.3f}", flush=True)
