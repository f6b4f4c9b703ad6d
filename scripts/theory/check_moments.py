"""Check the closed-form moments of S_eps(a + tau z) against Monte Carlo."""
import numpy as np
from common import st_moments, soft

rng = np.random.default_rng(1)
z = rng.standard_normal(4_000_000)
worst = 0
print(" a      tau   eps  | mean cf / mc        | var cf / mc         | k3 cf / mc          | m4 cf / mc")
for a in [0.0, 0.05, 0.3, -0.7, 2.0, 8.0]:
    for tau in [0.158, 0.5, 1.0]:
        for eps in [0.0, 0.1, 0.3, 0.6]:
            x = soft(a + tau * z, eps)
            mc = [x.mean()]
            c = x - x.mean()
            mc += [np.mean(c ** 2), np.mean(c ** 3), np.mean(c ** 4)]
            cf = [float(v) for v in st_moments(np.array(a), tau, eps)]
            # standard errors
            se = [x.std() / 2000, np.std(c ** 2) / 2000, np.std(c ** 3) / 2000, np.std(c ** 4) / 2000]
            zs = [abs(cf[i] - mc[i]) / max(se[i], 1e-300) for i in range(4)]
            worst = max(worst, max(zs))
            if a in (0.0, 0.3, 8.0) and tau == 0.158:
                print(f"{a:5.2f} {tau:6.3f} {eps:4.1f} | " + " | ".join(f"{cf[i]: .3e}/{mc[i]: .3e}" for i in range(4)))
print("worst |cf - mc| / SE over the grid:", round(worst, 2))
# Var <= tau^2 (Poincare) check
a = np.linspace(-5, 5, 2001)
for tau in [0.1, 1.0]:
    for eps in [0.05, 0.3, 1.0]:
        m, v, k3, m4 = st_moments(a, tau, eps)
        assert np.all(v <= tau ** 2 * (1 + 1e-12)), "Poincare violated"
print("Var S_eps(a + tau z) <= tau^2 on a grid: ok")
