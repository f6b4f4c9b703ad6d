"""B4s for r = 1 and r = 2 (item c), and the B5 unconditional form (item d).

D_r(lambda) = 1 - E[cos psi], w ~ N(lambda e, I_r). Exact values: r = 1: 2 Q(lambda);
r = 2: 1 - sqrt(pi/8) lambda e^{-lambda^2/4} (I_0 + I_1)(lambda^2/4); general r by (X3) quadrature.
Checks: the r = 2 bound 2Q + 1/(2 lambda^2) + 3/(2 lambda^4) >= D_2 everywhere, its ratio -> 1,
the inequality 1 - sqrt(1-y) <= y/2 + y^2/2 on [0,1], Monte Carlo of E[excess | U]."""
import numpy as np
from scipy.special import i0e, i1e
from scipy.integrate import quad
from common import Q, phi

def D_exact(lam, r):
    if r == 1:
        return 2 * Q(lam)
    if r == 2:
        x = lam * lam / 4
        return 1 - np.sqrt(np.pi / 8) * lam * (i0e(x) + i1e(x))
    f = lambda th: (1 - np.cos(th) ** (r - 1)) * np.exp(-lam * lam * np.sin(th) ** 2 / 2) * np.cos(th)
    return 2 * Q(lam) + 2 * lam / np.sqrt(2 * np.pi) * quad(f, 0, np.pi / 2, epsabs=0, epsrel=1e-12, limit=200)[0]

def D2_bound_model(lam):
    return 2 * Q(lam) + 1 / (2 * lam ** 2) + 3 / (2 * lam ** 4)

def D2_bound_theory(lam):  # THEORY.md's B4s at r = 2: max((r-1)/2, 1) = 1
    return 2 * Q(lam) + 1 / lam ** 2

# inequality on [0, 1]
y = np.linspace(0, 1, 100001)
gap = y / 2 + y ** 2 / 2 - (1 - np.sqrt(1 - y))
print("min over [0,1] of y/2 + y^2/2 - (1 - sqrt(1-y)):", gap.min(), "(>= 0 means the inequality holds; equality at y = 0 and y = 1)")
# r = 2 closed form vs quadrature
for lam in [0.3, 1, 3, 10]:
    f = lambda th: (1 - np.cos(th)) * np.exp(-lam * lam * np.sin(th) ** 2 / 2) * np.cos(th)
    q = 2 * Q(lam) + 2 * lam / np.sqrt(2 * np.pi) * quad(f, 0, np.pi / 2, epsrel=1e-13)[0]
    assert abs(q - D_exact(lam, 2)) < 1e-10 * max(1, 1 / q), (lam, q, D_exact(lam, 2))
print("r = 2 Bessel closed form agrees with (X3) quadrature")
lams = np.concatenate([np.linspace(0.05, 5, 100), np.geomspace(5, 1000, 60)])
viol_m = viol_t = 0
print(" lambda   D2 exact      MODEL r=2 bound  ratio  | THEORY (1/lam^2) ratio | min of both ratio")
for lam in lams:
    ex = D_exact(lam, 2)
    bm, bt = D2_bound_model(lam), D2_bound_theory(lam)
    viol_m += bm < ex * (1 - 1e-12)
    viol_t += bt < ex * (1 - 1e-12)
    if lam in lams[[0, 19, 39, 59, 79, 99, 110, 130, 159]]:
        print(f"{lam:8.3f} {ex:.6e} {bm:.6e} {bm/ex:7.4f} | {bt/ex:7.4f} | {min(bm, bt)/ex:7.4f}")
print("violations: MODEL r=2 bound", viol_m, " THEORY bound", viol_t)
cross = lams[np.argmax([D2_bound_model(l) < D2_bound_theory(l) for l in lams])]
print("MODEL's r = 2 form is smaller than 1/lambda^2 form exactly when lambda^2 > 3 (lambda > 1.732); first grid point:", round(cross, 3))

# Monte Carlo of E[excess | U] at fixed a (r = 1, 2): excess = ||mu0|| - <a, u>/||u||
rng = np.random.default_rng(3)
print("\nMonte Carlo check of E[excess | U] (500k target draws), mu0Norm = 1.5, sigma = 1")
for r in [1, 2]:
    for n0, cosphi in [(20, 0.9), (5, 0.5), (200, 0.99), (1, 0.3)]:
        mu0 = 1.5
        tau0 = 1 / np.sqrt(n0)
        an = mu0 * cosphi
        a = np.zeros(r); a[0] = an
        u = a + tau0 * rng.standard_normal((500000, r))
        exc = mu0 - (u @ a) / np.linalg.norm(u, axis=1)
        lam = an / tau0
        exact = mu0 - an + an * D_exact(lam, r)
        if r == 1:
            bnd = exact
            label = "r=1 exact closed form"
        else:
            bnd = mu0 - an + an * min(D2_bound_model(lam), D2_bound_theory(lam))
            label = "r=2 B4s (min of both forms)"
        theory_b4s = mu0 - an + 2 * an * Q(lam) + max((r - 1) / 2, 1) * tau0 ** 2 / an
        print(f"r={r} n0={n0} cos(phi)={cosphi}: MC {exc.mean():.5f} +- {exc.std()/np.sqrt(len(exc)):.5f} | exact {exact:.5f} | {label} {min(bnd, mu0):.5f} | THEORY B4s {min(theory_b4s, mu0):.5f}")

# B5: monotonicity of the exact E[excess | U] in ||a|| (so the exact value at ||a|| = ||mu0|| c_min is a valid B5 conditional bound)
print("\nExact E[excess|U] as a function of ||a|| is non-increasing (checked on a grid, r = 1..6):")
for r in range(1, 7):
    mu0, tau0 = 1.5, 1 / np.sqrt(20)
    al = np.linspace(0, mu0, 301)
    X = np.array([mu0 - x + x * D_exact(x / tau0, r) for x in al])
    print(f"  r={r}: max increase along the grid {np.max(np.diff(X)):.2e}")
