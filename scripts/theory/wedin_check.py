"""Deterministic check of the two facts B3'-Wedin uses, on random matrices:
 (i) Wedin: sinTheta(U_r(A+E), U_r(A)) <= ||E|| / (sigma_r(A+E) - sigma_{r+1}(A)) when the gap is > 0,
 (ii) triangle inequality of the sin-theta (projection) distance."""
import numpy as np
from common import sin_theta
rng = np.random.default_rng(5)
viol_w = viol_t = checked = 0
worst = 0
for it in range(20000):
    p, q, r = rng.integers(3, 30), rng.integers(3, 30), None
    r = int(rng.integers(1, min(p, q)))
    A = rng.standard_normal((p, q)) * rng.uniform(0.1, 3, q) @ np.diag(rng.uniform(0.1, 3, q)) if rng.random() < 0.5 else rng.standard_normal((p, q))
    E = rng.standard_normal((p, q)) * 10 ** rng.uniform(-3, 0.5)
    Ua, sa, _ = np.linalg.svd(A, full_matrices=False)
    Ub, sb, _ = np.linalg.svd(A + E, full_matrices=False)
    gap = sb[r - 1] - (sa[r] if r < len(sa) else 0)
    if gap > 0:
        checked += 1
        lhs = sin_theta(Ub[:, :r], Ua[:, :r])[0]
        rhs = np.linalg.norm(E, 2) / gap
        if lhs > rhs * (1 + 1e-10) + 1e-12:
            viol_w += 1
        worst = max(worst, lhs / rhs)
    # triangle
    X = np.linalg.qr(rng.standard_normal((p, r)))[0]; Y = np.linalg.qr(rng.standard_normal((p, r)))[0]; Zm = np.linalg.qr(rng.standard_normal((p, r)))[0]
    if sin_theta(X, Zm)[0] > sin_theta(X, Y)[0] + sin_theta(Y, Zm)[0] + 1e-12:
        viol_t += 1
print(f"Wedin checked on {checked} random pairs: violations {viol_w}, max lhs/rhs {worst:.3f}; triangle violations {viol_t}/20000")
