import sys, time
import numpy as np
from common import draw_instance, soft, top_r, sin_theta, normalise_cols
from l2_models import predict
rng = np.random.default_rng(77)
cells = [(500, 20, 4, 20, 40, e) for e in [0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6]]
cells += [(500, 100, 4, 20, 40, 0.2), (500, 500, 4, 20, 40, 0.2), (100, 4, 4, 10, 20, 0.3), (2000, 80, 4, 80, 160, 0.2), (500, 20, 4, 20, 640, 0.1)]
R = int(sys.argv[1]) if len(sys.argv) > 1 else 30
print("cell (d,s,r,T,n,eps) | measured unnorm, norm (SE) | hom / full / row (unnorm) | hom / full / row (norm) | time")
for (d, s, r, T, n, eps) in cells:
    tau = 1 / np.sqrt(n)
    t0 = time.time()
    mu, mn = [], []
    P = {k: [] for k in ['hu', 'fu', 'ru', 'hn', 'fn', 'rn']}
    for _ in range(R):
        B, S, W, _ = draw_instance(d, s, r, T, 1.5, rng)
        M = soft(B @ W + tau * rng.standard_normal((d, T)), eps)
        U, _ = top_r(M, r); mu.append(sin_theta(U, B)[0])
        Mn, nr = normalise_cols(M); keep = nr > 0
        U, _ = top_r(Mn[:, keep], r); mn.append(sin_theta(U, B)[0])
        for norm, tag in [(False, 'u'), (True, 'n')]:
            P['h' + tag].append(predict(B, S, W, tau, eps, norm, 'hom'))
            P['f' + tag].append(predict(B, S, W, tau, eps, norm, 'full')[0])
            P['r' + tag].append(predict(B, S, W, tau, eps, norm, 'row')[0])
    f = lambda k: f"{np.mean(P[k]):.3f}"
    print(f"({d},{s},{r},{T},{n},{eps}) | {np.mean(mu):.3f}, {np.mean(mn):.3f} ({np.std(mu)/np.sqrt(R):.3f}) | {f('hu')} / {f('fu')} / {f('ru')} | {f('hn')} / {f('fn')} / {f('rn')} | {time.time()-t0:.0f}s", flush=True)
