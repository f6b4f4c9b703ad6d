/**
 * Exact metrics of the mixture family (MODEL §4) and their test-set Monte Carlo counterparts,
 * which exist to cross-check the closed forms.
 */
import { type Mat, dot, floats, frobenius, norm2 } from "../../core/linalg/mat.js";
import { type PerturbationNorm, dualNorm } from "../../core/model/perturbation.js";
import { normalCdf } from "../../core/linalg/normal.js";
import { residualOutside, singularValues } from "../../core/linalg/decompositions.js";
import type { Rng } from "../../core/random/rng.js";
import { summary } from "../../core/stats.js";

/** sinTheta(U, B*) spectral and Frobenius (MODEL §1, §4). */
export function representationError(basis: Mat, trueBasis: Mat): { sinTheta: number; sinThetaFrobenius: number } {
  // sinTheta and sinThetaFrobenius of core/linalg from one residual (I - U U^T) B*.
  const residual = residualOutside(basis, trueBasis);
  const top = singularValues(residual)[0] ?? 0;
  return { sinTheta: Math.min(1, top), sinThetaFrobenius: frobenius(residual) };
}

/**
 * Target excess linear risk E(beta) = ||mu_0|| - <beta, mu_0> for ||beta||_2 <= 1 (MODEL §4):
 * the linear risk -E[y <beta, x>] = -<beta, mu_0> minus its minimum -||mu_0|| over the unit
 * ball. In [0, 2 ||mu_0||]. Computed without cancellation: with m = mu_0 / ||mu_0||,
 * E = ||mu_0|| (||beta - m||^2 + 1 - ||beta||^2) / 2, and for a unit beta (||beta|| within 1e-12
 * of 1, as the target step's beta_0 always is) E = ||mu_0|| ||beta - m||^2 / 2, non-negative and
 * accurate to relative rounding even when E is tiny next to ||mu_0||.
 * @throws RangeError when ||beta|| > 1 + 1e-12 (outside the unit ball).
 */
export function excessLinearRisk(beta: ArrayLike<number>, mu0: ArrayLike<number>): number {
  const len = norm2(mu0);
  if (len === 0) return 0;
  const nb = norm2(beta);
  if (nb > 1 + 1e-12) throw new RangeError(`excessLinearRisk: ||beta|| = ${nb} > 1`);
  let dm = 0;
  for (let i = 0; i < mu0.length; i++) {
    const e = beta[i] - mu0[i] / len;
    dm += e * e;
  }
  const slack = Math.abs(1 - nb) <= 1e-12 ? 0 : (1 - nb) * (1 + nb);
  return (len * (dm + slack)) / 2;
}

/**
 * 0-1 error of x -> sign(<beta, x>) on the target: P(y <beta, x> < 0) = Phi(-<beta, mu_0> / (sigma ||beta||))
 * (MODEL §4). A zero beta predicts +1 always: error 1/2.
 */
export function zeroOneError(beta: ArrayLike<number>, mu0: ArrayLike<number>, sigma: number): number {
  const len = norm2(beta);
  if (len === 0) return 0.5;
  return normalCdf(-dot(beta, mu0) / (sigma * len));
}

/** Bayes error Phi(-||mu_0|| / sigma) (MODEL §4). */
export function bayesError(mu0: ArrayLike<number>, sigma: number): number {
  return normalCdf(-norm2(mu0) / sigma);
}

/**
 * Robust 0-1 error under a p-attack of radius e: P(y <beta, x> - e ||beta||_q <= 0)
 * = Phi((e ||beta||_q - <beta, mu_0>) / (sigma ||beta||_2)) (MODEL §4); q = 1 for p = inf,
 * q = 2 for p = 2. A zero beta: 1/2 at e = 0 (ties broken by sign(0) = +1) and 1 for e > 0.
 */
export function robustError(beta: ArrayLike<number>, mu0: ArrayLike<number>, sigma: number, attack: PerturbationNorm, e: number): number {
  const len = norm2(beta);
  if (len === 0) return e > 0 ? 1 : 0.5;
  const q = dualNorm(beta, attack);
  return normalCdf((e * q - dot(beta, mu0)) / (sigma * len));
}

/**
 * sin(phi) = ||(I - U U^T) mu_0|| / ||mu_0||: the sine of the angle between mu_0 and span(U)
 * (MODEL §6 B4). At most sinTheta(U, B*) since mu_0 lies in span(B*).
 */
export function targetAngleSine(basis: Mat, mu0: Float64Array): number {
  const len = norm2(mu0);
  if (len === 0) return 0;
  const res = residualOutside(basis, { rows: mu0.length, cols: 1, data: mu0 });
  return Math.min(1, norm2(res.data) / len);
}

/** A Monte Carlo estimate with its standard error. */
export interface Estimate {
  readonly mean: number;
  readonly se: number;
  readonly n: number;
}

function estimate(values: Float64Array): Estimate {
  const s = summary(values);
  return { mean: s.mean, se: s.se ?? Infinity, n: s.n };
}

/**
 * Test-set Monte Carlo of the target metrics of beta: `size` fresh samples x = y mu_0 + sigma g.
 * Per sample: excess linear loss ||mu_0|| - y <beta, x>, the 0-1 loss 1[y <beta, x> < 0], and the
 * robust 0-1 loss 1[y <beta, x> - e ||beta||_q <= 0]. Their means estimate excessLinearRisk,
 * zeroOneError and robustError.
 */
export function monteCarloTargetMetrics(
  beta: Float64Array,
  mu0: Float64Array,
  sigma: number,
  size: number,
  rng: Rng,
  attack: PerturbationNorm = "linf",
  e = 0,
): { excess: Estimate; error: Estimate; robustError: Estimate } {
  const d = mu0.length;
  const muNorm = norm2(mu0);
  const q = dualNorm(beta, attack);
  const g = floats(d);
  const excess = floats(size);
  const error = floats(size);
  const robust = floats(size);
  for (let i = 0; i < size; i++) {
    rng.fillNormal(g);
    const y = rng.sign();
    let s = 0;
    for (let k = 0; k < d; k++) s += beta[k] * (y * mu0[k] + sigma * g[k]);
    const margin = y * s;
    excess[i] = muNorm - margin;
    error[i] = margin < 0 ? 1 : 0;
    robust[i] = margin - e * q <= 0 ? 1 : 0;
  }
  return { excess: estimate(excess), error: estimate(error), robustError: estimate(robust) };
}
