"""L2 prediction variants for l-inf training (and eps = 0: L1 / variance-profile L1).

Inputs per replicate: B (d x r), S, W (r x T), tau, eps, normalised (bool).
Signal m_S = E S_eps(B W + tau Z) on the S rows; noise variance profile V_S (s x T) on the S rows and
v0 on every off-support row (closed forms, common.st_moments). Normalised columns: divide column t of
signal and noise by D_t = sqrt(E ||S_eps(v_t)||^2) = sqrt(sum_j m_jt^2 + V_jt) (all d rows).
Variants:
  'hom'  : homogeneous Gaussian equivalent: every entry variance vbar (average of the profile over all
           d x T entries), BGN closed form for the signal's singular values, and the signal's own
           left singular vectors B_m (bias): K = diag(cos_i) B_m^T B*, sinTheta = sqrt(1 - smin(K)^2).
  'full' : the full variance profile, deterministic-equivalent spiked model (limits_lib).
  'row'  : row-averaged profile (V_jt -> mean_t V_jt), same solver.
"""
import numpy as np
from common import st_moments
from limits_lib import Profile, spiked_predict, bgn_sin2


def profile_pieces(B, S, W, tau, eps, normalised):
    d = B.shape[0]
    s = len(S)
    T = W.shape[1]
    m, V, _, _ = st_moments((B @ W)[S], tau, eps)
    _, v0, _, _ = st_moments(np.zeros(1), tau, eps)
    v0 = float(v0[0])
    v0t = np.full(T, v0)
    if normalised:
        Dt = np.sqrt(np.sum(m ** 2 + V, axis=0) + (d - s) * v0)
        m = m / Dt
        V = V / Dt ** 2
        v0t = v0t / Dt ** 2
    return m, V, v0t, d - s


def predict(B, S, W, tau, eps, normalised, variant):
    r = B.shape[1]
    d = B.shape[0]
    m, V, v0t, D = profile_pieces(B, S, W, tau, eps, normalised)
    s, T = m.shape
    BS = B[S]
    if variant == 'hom':
        vbar = (V.sum() + D * v0t.sum()) / (d * T)
        Um, th, _ = np.linalg.svd(m, full_matrices=False)
        theta = th[:r] / np.sqrt(vbar * d)
        s2 = bgn_sin2(theta, T / d)
        K = np.sqrt(1 - s2)[:, None] * (Um[:, :r].T @ BS)
        cs = np.clip(np.linalg.svd(K, compute_uv=False), 0, 1)
        return np.sqrt(max(0.0, 1 - cs[-1] ** 2))
    if variant == 'nested':
        # stage 1: the s x T support block m_S + N_S alone (profile V on its rows)
        inner = spiked_predict(m, Profile(V, np.ones(s)), BS, r, None)
        K1 = inner['K']
        xs = np.array(inner['xs'])
        k = len(xs)
        if k == 0:
            return 1.0, 1.0
        if D > 0:
            # stage 2: signal with singular values sqrt(xs) on noise-free rows, noise on the D off rows
            Cr = inner['C'][:, :k]
            Xo = np.sqrt(xs)[:, None] * Cr.T
            prof = Profile(np.vstack([np.zeros((k, T)), v0t[None, :]]), np.r_[np.ones(k), D])
            outer = spiked_predict(Xo, prof, np.eye(k), k, None)
            Ko = np.zeros((r, r))
            Ko[:, :k] = np.pad(outer['K'], ((0, r - k), (0, 0)))[:r, :k] if k < r else outer['K'][:r, :k]
        else:
            Ko = np.eye(r)
        G = K1.T @ Ko.T @ Ko @ K1
        w2 = np.sum(Ko ** 2, axis=0)
        for l, Cl in enumerate(inner['Covs']):
            G = G + w2[l] * Cl
        ev = np.clip(np.linalg.eigvalsh(0.5 * (G + G.T)), 0, 1)
        GK = K1.T @ Ko.T @ Ko @ K1
        ev0 = np.clip(np.linalg.eigvalsh(0.5 * (GK + GK.T)), 0, 1)
        return np.sqrt(max(0.0, 1 - ev0[0])), np.sqrt(max(0.0, 1 - ev[0]))
    if variant == 'row':
        V = np.repeat(V.mean(axis=1, keepdims=True), T, axis=1)
        v0t = np.full(T, v0t.mean())
    if D > 0:
        prof = Profile(np.vstack([V, v0t[None, :]]), np.r_[np.ones(s), D])
    else:
        prof = Profile(V, np.ones(s))
    o = spiked_predict(m, prof, BS, r, None)
    return o['spec'], o['spec_plus']
