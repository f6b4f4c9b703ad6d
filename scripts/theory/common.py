"""Shared helpers for the numerical checks of docs/THEORY.md (sharper bounds, limits) (numpy + scipy.special only)."""
import numpy as np
from scipy.special import ndtr, comb

SQRT2PI = np.sqrt(2 * np.pi)


def phi(x):
    return np.exp(-0.5 * np.asarray(x, float) ** 2) / SQRT2PI


def Q(x):
    return ndtr(-np.asarray(x, float))


def Phi(x):
    return ndtr(np.asarray(x, float))


def trunc_moments(u, kmax=4):
    """T_k(u) = E[z^k 1{z > u}], k = 0..kmax (z ~ N(0,1))."""
    u = np.asarray(u, float)
    p, q = phi(u), Q(u)
    T = [q, p, u * p + q, (u ** 2 + 2) * p, (u ** 3 + 3 * u) * p + 3 * q]
    return T[: kmax + 1]


def J(k, u):
    """J_k(u) = E[(z - u)_+^k]."""
    u = np.asarray(u, float)
    p, q = phi(u), Q(u)
    if k == 0:
        return q
    if k == 1:
        return p - u * q
    if k == 2:
        return (1 + u ** 2) * q - u * p
    if k == 3:
        return (u ** 2 + 2) * p - (u ** 3 + 3 * u) * q
    if k == 4:
        return (u ** 4 + 6 * u ** 2 + 3) * q - (u ** 3 + 5 * u) * p
    raise ValueError


def _H(k, u, g):
    """E[(z - g)^k 1{z > u}]."""
    T = trunc_moments(u, k)
    out = np.zeros(np.broadcast(u, g).shape)
    for i in range(k + 1):
        out = out + comb(k, i) * T[i] * (-g) ** (k - i)
    return out


def st_moments(a, tau, eps):
    """Mean and central moments 2,3,4 of S_eps(a + tau z), entrywise (arrays broadcast).

    Returns (mean, var, k3, m4)."""
    a = np.asarray(a, float)
    if eps == 0:
        z = np.zeros_like(a)
        return a.copy(), z + tau ** 2, z, z + 3 * tau ** 4
    al = a / tau
    e = eps / tau
    u = e - al
    w = e + al
    mu = J(1, u) - J(1, w)  # mean of Y = S_e(al + z)
    mid = np.clip(Phi(u) - Phi(-w), 0, 1)  # P(-w <= z <= u)
    res = []
    for k in (2, 3, 4):
        up = _H(k, u, u + mu)
        lo = (-1) ** k * _H(k, w, w - mu)
        res.append(up + lo + (-mu) ** k * mid)
    var, k3, m4 = res
    var = np.maximum(var, 0)
    m4 = np.maximum(m4, 0)
    return tau * mu, tau ** 2 * var, tau ** 3 * k3, tau ** 4 * m4


def st_mean(a, tau, eps):
    a = np.asarray(a, float)
    if eps == 0:
        return a.copy()
    u = (eps - a) / tau
    w = (eps + a) / tau
    return tau * (J(1, u) - J(1, w))


def soft(x, eps):
    return np.sign(x) * np.maximum(np.abs(x) - eps, 0)


def haar(k, r, rng):
    g = rng.standard_normal((k, r))
    q, rr = np.linalg.qr(g)
    return q * np.sign(np.diag(rr))


def draw_instance(d, s, r, T, snr, rng, heads=None):
    """B* (d x r, support s, Haar block), W (r x T) with ||w_t|| = snr, w0 (r,)."""
    S = rng.choice(d, size=s, replace=False)
    B = np.zeros((d, r))
    B[S] = haar(s, r, rng)
    Wall = rng.standard_normal((r, T + 1))
    Wall *= snr / np.linalg.norm(Wall, axis=0)
    return B, S, Wall[:, 1:], Wall[:, 0]


def top_r(M, r):
    """Top-r left singular vectors of M (..., d, T)."""
    U, sv, _ = np.linalg.svd(M, full_matrices=False)
    return U[..., :r], sv


def sin_theta(U, B):
    """Spectral and Frobenius sinTheta between d x r orthonormal U and B (batched)."""
    C = np.swapaxes(U, -1, -2) @ B
    cs = np.linalg.svd(C, compute_uv=False)
    cs = np.clip(cs, 0, 1)
    r = B.shape[-1]
    spec = np.sqrt(np.maximum(0, 1 - cs[..., -1] ** 2))
    frob = np.sqrt(np.maximum(0, r - np.sum(cs ** 2, axis=-1)))
    return spec, frob


def normalise_cols(M):
    nr = np.linalg.norm(M, axis=-2, keepdims=True)
    out = np.where(nr > 0, M / np.where(nr > 0, nr, 1), 0.0)
    return out, nr[..., 0, :]
