"""Exact high-dimensional limits L1, L1t, L2 (predictions, not bounds).

L1: Benaych-Georges & Nadakuditi (2012) for M = X + tau Z (d x T, iid noise):
    theta_i = sigma_i(X) / (tau sqrt d), c = T / d,
    sin^2_i = (c + theta_i^2) / (theta_i^2 (1 + theta_i^2)) if theta_i^4 > c, else 1.
L2 / variance-profile: Gaussian-equivalent spiked model M = X + Y, Y independent centred Gaussian
entries with variance profile V (d x T). Deterministic equivalents (Hachem-Loubaton-Najim):
    p_j = 1 / (1 - sum_t V_jt pt_t / x),  pt_t = 1 / (1 - sum_j V_jt p_j / x),
with p_j = x [(x - YY^T)^{-1}]_jj, pt_t = x [(x - Y^T Y)^{-1}]_tt, x = sigma^2 above the bulk.
Spikes: X = B Theta C^T; H(x) = (1/x) Theta C^T diag(pt) C Theta B^T diag(p) B; an outlier at x_i
where an eigenvalue of H equals 1; left vector u_i ~ R1 (sigma B eta + Y C xi), whose B*-part is
sigma B*^T diag(p/x) B eta, eta normalised by 1 = -x eta^T A' eta - xi^T (C^T diag(pt') C) xi,
A = B^T diag(p/x) B, xi = sigma Theta A eta.
Rows are grouped: the S rows individually and one off-support group of multiplicity D with
variance vector v0 (T,), so the cost is O((s + 1) T) per Newton step."""
import numpy as np
from scipy.optimize import brentq


def bgn_sin2(theta, c):
    theta = np.asarray(theta, float)
    th2 = theta ** 2
    with np.errstate(divide='ignore', invalid='ignore'):
        s2 = (c + th2) / (th2 * (1 + th2))
    return np.where(th2 ** 2 > c, np.minimum(s2, 1.0), 1.0)


class Profile:
    """Variance profile with row groups: Vr ((g, T)) row variances, w (g,) multiplicities."""

    def __init__(self, Vr, w):
        self.V = np.asarray(Vr, float)
        self.w = np.asarray(w, float)
        self.T = self.V.shape[1]
        self.cache = []  # list of (x, pt)

    def _jac(self, x, p, F):
        V, w = self.V, self.w
        return np.eye(self.T) - (F ** 2)[:, None] * ((V.T * (w * p ** 2)) @ V) / x ** 2

    def _newton(self, x, pt, tol=1e-11, maxit=40):
        """Chord-Newton: Jacobian refreshed only when the contraction is slow."""
        V, w = self.V, self.w
        Jinv = None
        prev = np.inf
        for it in range(maxit):
            q = 1 - V @ pt / x
            if np.any(q <= 0):
                return None
            p = 1 / q
            qt = 1 - V.T @ (w * p) / x
            if np.any(qt <= 0):
                return None
            F = 1 / qt
            G = pt - F
            res = np.max(np.abs(G)) / np.max(np.abs(pt))
            if res < tol:
                K = np.eye(self.T) - self._jac(x, p, F)
                Fs = np.sqrt(F ** 2)
                # symmetric form diag(F) V^T W P^2 V diag(F) / x^2 has the eigenvalues of K
                Ks = K / (F ** 2)[:, None] * F[:, None] * F[None, :]
                lam = np.linalg.eigvalsh(0.5 * (Ks + Ks.T))[-1]
                if lam >= 1:
                    return None
                return p, F, lam
            if Jinv is None or res > 0.3 * prev:
                try:
                    Jinv = np.linalg.inv(self._jac(x, p, F))
                except np.linalg.LinAlgError:
                    return None
            prev = res
            pt = pt - Jinv @ G
            if not np.all(np.isfinite(pt)):
                return None
        return None

    def solve(self, x):
        """(p, pt) at x, warm-started from the cached solution with the nearest larger x."""
        cands = [c for c in self.cache if c[0] >= x]
        pt0 = min(cands, key=lambda c: c[0])[1] if cands else np.ones(self.T)
        res = self._newton(x, pt0.copy())
        if res is None and cands:
            res = self._newton(x, np.ones(self.T))
        if res is None:
            return None
        p, pt, lam = res
        self.cache.append((x, pt))
        return p, pt

    def edge(self):
        V, w = self.V, self.w
        x = 2.0 * (np.sqrt(np.max(V.T @ w)) + np.sqrt(np.max(V.sum(axis=1)))) ** 2 + 1e-300
        while self.solve(x) is None:
            x *= 2
        lo = None
        hi = x
        while True:
            x2 = hi * 0.8
            if self.solve(x2) is None:
                lo = x2
                break
            hi = x2
            if hi < 1e-300:
                return 0.0
        for _ in range(60):
            mid = 0.5 * (lo + hi)
            if self.solve(mid) is None:
                lo = mid
            else:
                hi = mid
            if hi - lo < 1e-7 * hi:
                break
        self.x_edge = hi
        return hi

    def derivs(self, x):
        """p, pt and their x-derivatives by implicit differentiation."""
        p, pt = self.solve(x)
        V, w = self.V, self.w
        Vp = V @ pt
        F = pt
        dp_dx_part = -p ** 2 * Vp / x ** 2  # at fixed pt
        dqt_dx = (V.T @ (w * p)) / x ** 2 - (V.T @ (w * dp_dx_part)) / x
        dF_dx = -F ** 2 * dqt_dx
        J = np.eye(self.T) - (F ** 2)[:, None] * ((V.T * (w * p ** 2)) @ V) / x ** 2
        dpt = np.linalg.solve(J, dF_dx)
        dp = dp_dx_part + p ** 2 * (V @ dpt) / x
        return p, pt, dp, dpt


def spiked_predict(XS, prof, BstarS, r, S_rows_index):
    """Predicted sinTheta (spectral, Frobenius) of the top-r left singular space of X + Y with respect to
    B* (supported on the S rows), for a signal XS (s x T) on the S rows. prof's first s row groups are
    the S rows (multiplicity 1), in the order of XS's rows; any further groups are noise-only rows.
    Returns dict(spec, frob, n_out, xs (outlier locations), cos2_signal (alignment with the signal's
    own left singular vectors))."""
    s, T = XS.shape
    Bm, th, Ct = np.linalg.svd(XS, full_matrices=False)
    keep = th > th[0] * 1e-10
    Bm, th, C = Bm[:, keep], th[keep], Ct[keep].T
    k = len(th)
    xe = prof.edge()

    def Hs_eigs(x):
        p, pt = prof.solve(x)
        A = (Bm.T * (p[:s] / x)) @ Bm
        At = (C.T * (pt / x)) @ C
        ev, U = np.linalg.eigh(A)
        L = (U * np.sqrt(np.maximum(ev, 0))) @ U.T
        Hs = x * L @ (th[:, None] * At * th[None, :]) @ L
        e, vec = np.linalg.eigh(0.5 * (Hs + Hs.T))
        return e[::-1], vec[:, ::-1], L, A, At

    xe_eval = xe * (1 + 2e-7)
    e_edge, _, _, _, _ = Hs_eigs(xe_eval)
    xs = []
    K = np.zeros((r, r))
    Cov = np.zeros((r, r))
    Covs = []
    cos2s = []
    for i in range(min(r, k)):
        if e_edge[i] <= 1:
            break
        xbig = max(2 * th[0] ** 2, xe) * 4
        while Hs_eigs(xbig)[0][i] >= 1:
            xbig *= 2
        f = lambda x: Hs_eigs(x)[0][i] - 1
        xi = brentq(f, xe_eval, xbig, xtol=1e-12 * xbig, rtol=1e-10, maxiter=200)
        e, vec, L, A, At = Hs_eigs(xi)
        eta = np.linalg.solve(L, vec[:, i])
        p, pt, dp, dpt = prof.derivs(xi)
        sig = np.sqrt(xi)
        dA = (Bm.T * (dp[:s] / xi - p[:s] / xi ** 2)) @ Bm
        dxAt = (C.T * dpt) @ C
        xiv = sig * th * (A @ eta)
        nrm = -xi * eta @ dA @ eta - xiv @ dxAt @ xiv
        if not nrm > 0:
            break
        eta = eta / np.sqrt(nrm)
        kvec = sig * BstarS.T @ ((p[:s] / xi) * (Bm @ eta))
        K[i] = kvec
        # random part r_i = R1 Y C xi: its S-row entries are ~ independent, mean zero, with
        # E r_ij^2 ~ p_j^2 sum_t V_jt (pt_t / x)^2 (C xi)_t^2; its B*-projection adds Cov_i.
        wv = C @ (th * (A @ eta)) * sig
        er2 = p[:s] ** 2 * (prof.V[:s] @ ((pt / xi) ** 2 * wv ** 2))
        Ci = (BstarS.T * er2) @ BstarS
        Cov += Ci
        Covs.append(Ci)
        cos2s.append(xi * eta @ A @ A @ eta)
        xs.append(xi)
    cs = np.clip(np.linalg.svd(K, compute_uv=False), 0, 1)
    spec = np.sqrt(max(0.0, 1 - cs[-1] ** 2))
    frob = np.sqrt(max(0.0, r - np.sum(cs ** 2)))
    G = K.T @ K + Cov
    ev = np.clip(np.linalg.eigvalsh(0.5 * (G + G.T)), 0, 1)
    spec_plus = np.sqrt(max(0.0, 1 - ev[0]))
    frob_plus = np.sqrt(max(0.0, r - ev.sum()))
    return dict(spec=spec, frob=frob, spec_plus=spec_plus, frob_plus=frob_plus, n_out=len(xs), xs=xs,
                cos2_signal=cos2s, x_edge=xe, K=K, Cov=Cov, Covs=Covs, C=C)
