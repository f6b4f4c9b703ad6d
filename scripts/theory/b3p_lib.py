"""B3' (l-inf training) bound pieces: closed-form entrywise moments, mean bounds on the noise
spectral norm (Frobenius, Gram second moment, symmetrisation + contraction), and the final bound."""
import numpy as np
from common import st_moments


def entry_stats(B, S, W, tau, eps):
    """Entrywise mean/var/k3/m4 of S_eps(B W + tau Z): on-support block (s x T) and the
    common off-support values (scalars)."""
    a = (B @ W)[S]  # s x T
    m, v, k3, m4 = st_moments(a, tau, eps)
    _, v0, k30, m40 = st_moments(np.zeros(1), tau, eps)
    return dict(m=m, v=v, k3=k3, m4=m4, v0=float(v0[0]), m40=float(m40[0]))


def gram_second_moment(Pi, A, v, k3, m4, off=None):
    """Upper bound on E||X||_2^2 for X = Pi (A0 + N) restricted to the S rows,
    where Pi is s x s symmetric idempotent, A = Pi A0 (s x T), N independent entries with
    var v, third central k3, fourth central m4 (s x T). Lemma G5:
      E||X||^2 <= || A^T A + diag(c) ||_2 + sqrt(F),
    c_t = sum_j Pi_jj v_jt, F = sum_{t,t'} Var(x_t^T x_t').
    off = (D, v0, m40): D extra rows with Pi = I, zero mean, iid var v0 (the off-support block).
    Returns (bound on E||X||^2, c vector, F)."""
    s, T = v.shape
    dg = np.diag(Pi)
    P2 = Pi * Pi
    c = dg @ v  # (T,)
    rv = v.sum(axis=1)  # (s,)
    # sum_{t != t'} sum_jk P2_jk v_jt v_kt'
    tot = rv @ P2 @ rv
    same = float(np.sum(v * (P2 @ v)))
    F = tot - same
    # diagonal t = t': 2 sum_jk P2 v v + sum_j (m4 - 3 v^2) Pi_jj^2
    F += 2 * same + np.sum((m4 - 3 * v ** 2) * (dg ** 2)[:, None])
    # mean cross terms
    if A is not None:
        A2 = A ** 2
        colA = A2.sum(axis=0)  # unused
        # sum_{t != t'} [ sum_j a_jt^2 v_jt' + sum_j a_jt'^2 v_jt ] = 2 * sum_{t != t'} sum_j a_jt^2 v_jt'
        tot2 = np.sum(A2.sum(axis=1) * rv) - np.sum(A2 * v)
        F += 2 * tot2
        F += 4 * np.sum(A2 * v) + 4 * np.sum(A * dg[:, None] * k3)
        G = A.T @ A + np.diag(c)
    else:
        G = None
    if off is not None:
        D, v0, m40 = off
        c = c + D * v0
        F += T * (T - 1) * D * v0 ** 2 + T * (2 * D * v0 ** 2 + D * (m40 - 3 * v0 ** 2))
        if G is not None:
            G = G + D * v0 * np.eye(T)
            # cross terms of the off rows with A vanish (A is zero there); but sum_j a_jt^2 v_jt' over
            # off rows is zero as well.
    F = max(F, 0.0)
    if G is None:
        return c.max() + np.sqrt(F), c, F
    return np.linalg.norm(G, 2) + np.sqrt(F), c, F


def noise_mean_bounds(Pi, v, k3, m4, tau, rank, off=None):
    """Bounds on E||Pi N||_2 (N: independent mean-zero entries on the S rows, plus optional off block).
    Returns dict with 'frob', 'gram', 'sym' (symmetrisation + contraction), 'best', and the matching
    bounds on E||Pi N||^2 (for combining row blocks)."""
    T = v.shape[1]
    dg = np.diag(Pi)
    c = dg @ v
    frob2 = c.sum()
    g2, _, _ = gram_second_moment(Pi, None, v, k3, m4, off=off)
    if off is not None:
        D, v0, m40 = off
        frob2 += D * T * v0
        rank = rank + D
    sym = np.sqrt(2) * tau * (np.sqrt(rank) + np.sqrt(T))
    sym2 = sym ** 2 + tau ** 2  # E X^2 = (E X)^2 + Var X, Var <= tau^2 (Poincare, tau-Lipschitz)
    out = dict(frob=np.sqrt(frob2), gram=np.sqrt(g2), sym=sym)
    out['best'] = min(out.values())
    out['best2'] = min(frob2, g2, sym2)
    return out


def b3p_bound(B, S, W, tau, eps, t, on_E0, d, k=None):
    """The B3' bound (unnormalised thresholded columns).
    on_E0=True: the E0 form (off-support rows zero), probability P(E0) (1 - 2 e^{-t^2/2}).
    on_E0=False: the free form (off-support noise included), probability 1 - 2 e^{-t^2/2}.
    Returns dict with numerator/denominator pieces and the bound (inf when undefined)."""
    r = B.shape[1]
    s = len(S)
    st = entry_stats(B, S, W, tau, eps)
    BS = B[S]
    Ppar = BS @ BS.T
    Pperp = np.eye(s) - Ppar
    m = st['m']
    A = Pperp @ m
    Anorm = np.linalg.norm(A, 2)
    sr_m = np.linalg.svd(BS.T @ m, compute_uv=False)[r - 1]
    off = None if (on_E0 or s == d) else (d - s, st['v0'], st['m40'])
    nb = noise_mean_bounds(Pperp, st['v'], st['k3'], st['m4'], tau, s - r, off=off)
    # full-mean Gram version of E||A + Pi N||
    g2full, _, _ = gram_second_moment(Pperp, A, st['v'], st['k3'], st['m4'], off=off)
    num_tri = Anorm + nb['best']
    num_gram = np.sqrt(g2full)
    num_mean = min(num_tri, num_gram)
    pb = noise_mean_bounds(Ppar, st['v'], st['k3'], st['m4'], tau, r, off=None)
    den = sr_m - pb['best'] - tau * t
    num = num_mean + tau * t
    bound = num / den if den > 0 else np.inf
    # MODEL's form: tau sqrt((s-r)T), tau sqrt(rT) (valid on E0)
    T = W.shape[1]
    den_model = sr_m - tau * (np.sqrt(r * T) + t)
    num_model = Anorm + tau * (np.sqrt((s - r) * T) + t)
    bound_model = num_model / den_model if den_model > 0 else np.inf
    return dict(bound=bound, num=num, den=den, Anorm=Anorm, sr_m=sr_m, noise=nb, par=pb,
                num_tri=num_tri, num_gram=num_gram, bound_model=bound_model, stats=st)


def b3p_bias_bound(B, S, W, tau, eps, t, on_E0, d, st=None):
    """B3'-bias variant: triangle inequality for the sin-theta metric through B_m, the top-r left
    singular space of the mean m:
      sinTheta(U, B*) <= sinTheta(B_m, B*) + [sigma_{r+1}(m) + E||P_{Bm}^perp N|| + tau t] / [sigma_r(m) - E||B_m^T N|| - tau t].
    Deterministic pieces from the model; same two Lipschitz events as b3p_bound."""
    r = B.shape[1]
    s = len(S)
    if st is None:
        st = entry_stats(B, S, W, tau, eps)
    m = st['m']
    Um, svm, _ = np.linalg.svd(m, full_matrices=False)
    Bm = Um[:, :r]
    BS = B[S]
    cs = np.clip(np.linalg.svd(Bm.T @ BS, compute_uv=False), 0, 1)
    sin_bias = np.sqrt(max(0.0, 1 - cs[-1] ** 2))
    sr1 = svm[r] if len(svm) > r else 0.0
    Pm = Bm @ Bm.T
    Pmp = np.eye(s) - Pm
    off = None if (on_E0 or s == d) else (d - s, st['v0'], st['m40'])
    nb = noise_mean_bounds(Pmp, st['v'], st['k3'], st['m4'], tau, s - r, off=off)
    pb = noise_mean_bounds(Pm, st['v'], st['k3'], st['m4'], tau, r, off=None)
    # the rest of the mean, m - Bm Bm^T m, has norm sigma_{r+1}(m); Gram form with that mean too
    Arest = Pmp @ m
    g2full, _, _ = gram_second_moment(Pmp, Arest, st['v'], st['k3'], st['m4'], off=off)
    num_mean = min(sr1 + nb['best'], np.sqrt(g2full))
    den = svm[r - 1] - pb['best'] - tau * t
    num = num_mean + tau * t
    bound = sin_bias + num / den if den > 0 else np.inf
    return dict(bound=bound, sin_bias=sin_bias, sr1=sr1, sr=svm[r - 1], num=num, den=den, noise=nb, par=pb)


def b3p_wedin_bound(B, S, W, tau, eps, t, on_E0, d, st=None):
    """B3'-Wedin: sinTheta(U, B*) <= sinTheta(B_m, B*) + R / (sigma_r(m) - sigma_{r+1}(m) - R),
    on the single event ||N||_2 <= R := E-bound(||N||) + tau t (N = S_eps(M) - m, all rows that
    are not zero on the event). Wedin's theorem with delta = sigma_r(M_th) - sigma_{r+1}(m) and
    Weyl sigma_r(M_th) >= sigma_r(m) - ||N||."""
    r = B.shape[1]
    s = len(S)
    if st is None:
        st = entry_stats(B, S, W, tau, eps)
    m = st['m']
    Um, svm, _ = np.linalg.svd(m, full_matrices=False)
    Bm = Um[:, :r]
    cs = np.clip(np.linalg.svd(Bm.T @ B[S], compute_uv=False), 0, 1)
    sin_bias = np.sqrt(max(0.0, 1 - cs[-1] ** 2))
    sr1 = svm[r] if len(svm) > r else 0.0
    off = None if (on_E0 or s == d) else (d - s, st['v0'], st['m40'])
    nb = noise_mean_bounds(np.eye(s), st['v'], st['k3'], st['m4'], tau, s, off=off)
    R = nb['best'] + tau * t
    den = svm[r - 1] - sr1 - R
    bound = sin_bias + R / den if den > 0 else np.inf
    return dict(bound=bound, sin_bias=sin_bias, R=R, den=den, sr=svm[r - 1], sr1=sr1, noise=nb)
