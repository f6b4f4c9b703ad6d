/**
 * Entrywise moments of the soft threshold of a Gaussian, S_eps(a + tau z) with z ~ N(0, 1): the
 * exact mean and central moments that B3' and the limit L2 use (MODEL §6.1, §8; docs/THEORY.md,
 * "B3'": "Entrywise moments").
 *
 * With alpha = a / tau, e = eps / tau, u = e - alpha and w = e + alpha,
 * S_eps(a + tau z) = tau [(z - u)_+ - (-z - w)_+], two parts with disjoint supports, so with
 * J_k(x) = E (z - x)_+^k:
 *
 *   E S = tau [J_1(u) - J_1(w)],      J_1(x) = phi(x) - x Q(x),
 *   E S^2 = tau^2 [J_2(u) + J_2(w)],  J_2(x) = (1 + x^2) Q(x) - x phi(x).
 *
 * Central moments are computed without cancellation: on each branch, E[(z - g)^k 1{z > x}] =
 * sum_i binom(k, i) T_i(x) (-g)^{k-i} with T_i(x) = E[z^i 1{z > x}] and the shift g = x + mean/tau,
 * which is near 0 on the branch that carries the mass.
 */
import { normalCdf, normalPdf } from "../../../core/linalg/normal.js";
import { requireNumber } from "../../../core/config/parse.js";

/** Mean and central moments 2-4 of one entry. */
export interface SoftThresholdMoments {
  readonly mean: number;
  readonly variance: number;
  /** E (S - mean)^3. */
  readonly third: number;
  /** E (S - mean)^4. */
  readonly fourth: number;
}

/** Q(x) = 1 - Phi(x), accurate in the upper tail. */
function q(x: number): number {
  return normalCdf(-x);
}

/**
 * J_1(x) = E (z - x)_+ = phi(x) - x Q(x) >= 0, without cancellation for large x (through the
 * Mills ratio Q(x)/phi(x), accurate to ~1e-15 relative).
 * @example meanExcess(0) // 1 / Math.sqrt(2 * Math.PI)
 */
export function meanExcess(x: number): number {
  if (x <= 3) return normalPdf(x) - x * q(x);
  const p = normalPdf(x);
  if (p === 0) return 0;
  return Math.max(0, p * (1 - (x * q(x)) / p));
}

/** J_2(x) = E (z - x)_+^2 = (1 + x^2) Q(x) - x phi(x) >= 0. */
export function squaredExcess(x: number): number {
  if (x <= 3) return Math.max(0, (1 + x * x) * q(x) - x * normalPdf(x));
  const p = normalPdf(x);
  if (p === 0) return 0;
  return Math.max(0, p * ((1 + x * x) * (q(x) / p) - x));
}

/** J_1 from precomputed phi(x) and Q(x) (the same arithmetic as meanExcess). */
function j1(x: number, p: number, qx: number): number {
  if (x <= 3) return p - x * qx;
  if (p === 0) return 0;
  return Math.max(0, p * (1 - (x * qx) / p));
}

/** E[(z - g)^k 1{z > x}] for k = 2, 3, 4, from T_i(x) = E[z^i 1{z > x}] (phi(x) and Q(x) given). */
function shiftedBranch(x: number, g: number, p: number, t0: number): [number, number, number] {
  const t1 = p;
  const t2 = x * p + t0;
  const t3 = (x * x + 2) * p;
  const t4 = (x * x * x + 3 * x) * p + 3 * t0;
  const h = -g;
  const k2 = t2 + 2 * h * t1 + h * h * t0;
  const k3 = t3 + 3 * h * t2 + 3 * h * h * t1 + h * h * h * t0;
  const k4 = t4 + 4 * h * t3 + 6 * h * h * t2 + 4 * h * h * h * t1 + h * h * h * h * t0;
  return [k2, k3, k4];
}

/**
 * The exact mean and central moments of S_eps(a + tau z), z ~ N(0, 1) (file comment). Edge
 * cases: eps = 0 gives (a, tau^2, 0, 3 tau^4); tau = 0 gives the point mass at S_eps(a). The mean
 * is odd in a and shrinks a towards 0 by at most eps; the variance is at most tau^2 (S_eps is
 * 1-Lipschitz: Poincare). Four evaluations of phi and Q per entry.
 * @throws RangeError when tau < 0 or eps < 0 or a is not finite.
 * At a = 0 the mean is 0 by symmetry and the variance is E S_1(Z)^2 = 2 [2 Q(1) - phi(1)], with
 * Q(1) = 0.15865525393145705 (erfc(1 / sqrt 2) / 2):
 * @example softThresholdMoments(0, 1, 1).variance // 4 * 0.15865525393145705 - 2 * Math.exp(-0.5) / Math.sqrt(2 * Math.PI)
 */
export function softThresholdMoments(a: number, tau: number, eps: number): SoftThresholdMoments {
  requireNumber("a", a);
  requireNumber("tau", tau, { min: 0 });
  requireNumber("eps", eps, { min: 0 });
  if (tau === 0) {
    const v = a > eps ? a - eps : a < -eps ? a + eps : 0;
    return { mean: v, variance: 0, third: 0, fourth: 0 };
  }
  if (eps === 0) return { mean: a, variance: tau * tau, third: 0, fourth: 3 * tau ** 4 };
  const alpha = a / tau;
  const e = eps / tau;
  const u = e - alpha;
  const w = e + alpha;
  const pu = normalPdf(u);
  const pw = normalPdf(w);
  const qu = q(u);
  const qw = q(w);
  const mu = j1(u, pu, qu) - j1(w, pw, qw); // mean of S / tau
  // P(-w <= z <= u) = Phi(u) - Phi(-w) (u + w = 2e >= 0): the zeroed middle, where S - mean = -mean.
  // Written so that neither form subtracts two numbers near 1 (Phi(u) = 1 - Q(u) only where Q(u) <= 1/2).
  const mid = Math.max(0, u < 0 ? normalCdf(u) - qw : w < 0 ? normalCdf(w) - qu : 1 - qu - qw);
  const up = shiftedBranch(u, u + mu, pu, qu);
  const lo = shiftedBranch(w, w - mu, pw, qw);
  const m = -mu;
  const variance = Math.max(0, up[0] + lo[0] + m * m * mid);
  const third = up[1] - lo[1] + m * m * m * mid;
  const fourth = Math.max(0, up[2] + lo[2] + m * m * m * m * mid);
  return { mean: tau * mu, variance: tau * tau * variance, third: tau ** 3 * third, fourth: tau ** 4 * fourth };
}

/**
 * The mean of S_eps(a + tau z) alone: tau [J_1(u) - J_1(w)] (MODEL §6.1's closed form, whose signs
 * THEORY.md checks); S_eps(a) when tau = 0.
 */
export function softThresholdMean(a: number, tau: number, eps: number): number {
  if (tau === 0) return a > eps ? a - eps : a < -eps ? a + eps : 0;
  if (eps === 0) return a;
  return tau * (meanExcess((eps - a) / tau) - meanExcess((eps + a) / tau));
}
