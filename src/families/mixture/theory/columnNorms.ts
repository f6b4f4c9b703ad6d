/**
 * The column-norm ratio kappa = max_t ||c_t|| / min_t ||c_t|| that normalising the columns of the
 * representation matrix costs in MODEL §6 B2-B3, measured on data and bounded from the model
 * parameters (THEORY.md B2, "Model-only bound on kappa", and B3, "Model-only kappa for l-inf").
 */
import { type Mat, column, norm2 } from "../../../core/linalg/mat.js";
import { normalCdf, normalPdf } from "../../../core/linalg/normal.js";
import { requireNumber } from "../../../core/config/parse.js";

/**
 * kappa of a matrix's columns over its nonzero columns (zero columns, i.e. dropped tasks, do not
 * enter the SVD of MODEL §3.2 and are skipped). Null when no column is nonzero.
 */
export function columnNormRatio(m: Mat): number | null {
  let lo = Infinity;
  let hi = 0;
  for (let j = 0; j < m.cols; j++) {
    const nrm = norm2(column(m, j));
    if (nrm === 0) continue;
    if (nrm < lo) lo = nrm;
    if (nrm > hi) hi = nrm;
  }
  return hi === 0 ? null : hi / lo;
}

/**
 * E||v_t||^2 for standard training (E1): ||mu_t||^2 + d tau^2, tau = sigma / sqrt(n).
 */
export function expectedSquaredNormStandard(muNorm: number, tau: number, d: number): number {
  requireNumber("muNorm", muNorm, { min: 0 });
  requireNumber("tau", tau, { min: 0 });
  requireNumber("d", d, { min: 0 });
  return muNorm * muNorm + d * tau * tau;
}

/**
 * E||S_eps(mu_S + tau z)||^2 over the support coordinates mu_S of a task mean (l-inf training,
 * MODEL §3.1; on the event E0 of B3 the off-support coordinates are zero). Per coordinate m, with
 * a = (eps - m)/tau and b = (eps + m)/tau (THEORY.md B3):
 *
 *   E S_eps(m + tau Z)^2 = tau^2 [(1 + a^2) Q(a) - a phi(a) + (1 + b^2) Q(b) - b phi(b)].
 *
 * eps = 0 gives sum (m^2 + tau^2); tau = 0 gives sum max(|m| - eps, 0)^2.
 */
export function expectedSquaredNormSoftThreshold(meanOnSupport: ArrayLike<number>, tau: number, eps: number): number {
  requireNumber("tau", tau, { min: 0 });
  requireNumber("eps", eps, { min: 0 });
  let sum = 0;
  for (let j = 0; j < meanOnSupport.length; j++) {
    const m = meanOnSupport[j];
    if (tau === 0) {
      const k = Math.max(Math.abs(m) - eps, 0);
      sum += k * k;
      continue;
    }
    sum += softThresholdSide(eps - m, tau) + softThresholdSide(eps + m, tau);
  }
  return sum;
}

/**
 * tau^2 [(1 + x^2) Q(x) - x phi(x)] at x = u / tau. Beyond |x| = 40, Q(x) and phi(x) are below
 * the smallest double (Q(40) ~ 1e-350), so the term is exactly 0 for x > 40 and tau^2 + u^2 for
 * x < -40; written so, it has no Infinity * 0 when u / tau overflows (tau tiny, |u| huge).
 */
function softThresholdSide(u: number, tau: number): number {
  const x = u / tau;
  if (x > 40) return 0;
  if (x < -40) return tau * tau + u * u;
  return tau * tau * Math.max(0, (1 + x * x) * normalCdf(-x) - x * normalPdf(x));
}

/** A model-only bound on kappa and the probability it costs. */
export interface ColumnNormRatioBound {
  /** The bound on kappa; null when the lower end of some column norm's range is not positive, or an expected squared norm overflows. */
  readonly value: number | null;
  /** kappa <= value fails with probability at most this: 2 T exp(-x^2/2). */
  readonly probabilityCost: number;
}

/**
 * kappa <= max_t (sqrt(e_t) + tau x) / min_t (sqrt(max(e_t - tau^2, 0)) - tau x) with probability
 * at least 1 - 2 T exp(-x^2/2), where e_t = E ||c_t||^2 and each column norm ||c_t|| is a
 * tau-Lipschitz function of a standard Gaussian vector (THEORY.md B2: Gaussian concentration and
 * the Poincare inequality sqrt(e_t - tau^2) <= E||c_t|| <= sqrt(e_t)).
 */
export function columnNormRatioBound(expectedSquaredNorms: ArrayLike<number>, tau: number, x: number): ColumnNormRatioBound {
  requireNumber("tau", tau, { min: 0 });
  requireNumber("x", x, { min: 0 });
  const T = expectedSquaredNorms.length;
  const probabilityCost = Math.min(1, 2 * T * Math.exp(-0.5 * x * x));
  if (T === 0) return { value: null, probabilityCost };
  let hi = 0;
  let lo = Infinity;
  for (let t = 0; t < T; t++) {
    // An expected squared norm beyond the largest double (a mean of norm ~1e154 or more) leaves
    // the ratio undetermined in floating point: the bound is unavailable, not NaN.
    if (expectedSquaredNorms[t] === Infinity) return { value: null, probabilityCost };
    const e = requireNumber(`expectedSquaredNorms[${t}]`, expectedSquaredNorms[t], { min: 0 });
    hi = Math.max(hi, Math.sqrt(e) + tau * x);
    lo = Math.min(lo, Math.sqrt(Math.max(e - tau * tau, 0)) - tau * x);
  }
  return { value: lo > 0 ? hi / lo : null, probabilityCost };
}
