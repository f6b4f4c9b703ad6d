/**
 * Exact target risks of the regression family (MODEL §4, §5 E3 and E4; docs/THEORY.md R6).
 */
import { type Mat, column } from "../../../core/linalg/mat.js";
import { requireInteger, requireNumber } from "../../../core/config/parse.js";
import type { PerturbationNorm } from "../../../core/model/perturbation.js";
import { solveSpd } from "../linalg.js";
import type { Design } from "../scenario.js";

/** ||beta||_q for the attack norm p: l1 for an l-inf attack, l2 for an l2 attack. */
export function attackDualNorm(beta: ArrayLike<number>, norm: PerturbationNorm): number {
  let s = 0;
  if (norm === "linf") {
    for (let j = 0; j < beta.length; j++) s += Math.abs(beta[j]);
    return s;
  }
  for (let j = 0; j < beta.length; j++) s += beta[j] * beta[j];
  return Math.sqrt(s);
}

/**
 * The excess prediction risk E_x (<beta_hat, x> - <beta_0, x>)^2 = (beta_hat - beta_0)^T Sigma
 * (beta_hat - beta_0) of a linear predictor (MODEL §4), exact.
 */
export function excessRisk(betaHat: ArrayLike<number>, beta0: ArrayLike<number>, design: Design): number {
  const diff = Float64Array.from(betaHat, (v, i) => v - beta0[i]);
  return design.quadratic(diff);
}

/**
 * b^2 = min_w (beta_0 - U w)^T Sigma (beta_0 - U w): the approximation error of the best head on U,
 * computed as e^T Sigma e at e = beta_0 - U w*, w* = (U^T Sigma U)^{-1} U^T Sigma beta_0.
 * @throws RangeError when U^T Sigma U is singular (U of rank < r).
 */
export function approximationError(basis: Mat, beta0: ArrayLike<number>, design: Design): number {
  const { rows: d, cols: r } = basis;
  const su: Float64Array[] = [];
  for (let k = 0; k < r; k++) su.push(design.times(column(basis, k)));
  const g = new Float64Array(r * r);
  const h = new Float64Array(r);
  for (let a = 0; a < r; a++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += su[a][j] * beta0[j];
    h[a] = s;
    for (let c = 0; c < r; c++) {
      let t = 0;
      const uc = column(basis, c);
      for (let j = 0; j < d; j++) t += su[a][j] * uc[j];
      g[a * r + c] = t;
    }
  }
  const w = solveSpd(g, r, h);
  if (w === null) throw new RangeError("approximationError: U^T Sigma U is singular");
  const e = Float64Array.from(beta0);
  for (let k = 0; k < r; k++) for (let j = 0; j < d; j++) e[j] -= basis.data[k * d + j] * w[k];
  return design.quadratic(e);
}

/**
 * MODEL §5 E3 (THEORY R6): with U fixed, Gaussian target samples and least squares on U^T x from
 * n0 > r + 1 samples, E[excess | U] = b^2 + (sigma^2 + b^2) r / (n0 - r - 1), exactly.
 * @throws RangeError unless n0 > r + 1 (the expectation is infinite at n0 = r + 1) and sigma >= 0.
 * @example expectedTargetExcess({ b2: 0, sigma: 1, r: 2, n0: 8 }) // 2 / 5
 */
export function expectedTargetExcess(args: { b2: number; sigma: number; r: number; n0: number }): number {
  const b2 = requireNumber("b2", args.b2, { min: 0 });
  const sigma = requireNumber("sigma", args.sigma, { min: 0 });
  const r = requireInteger("r", args.r, 1);
  const n0 = requireInteger("n0", args.n0, r + 2);
  return b2 + ((sigma * sigma + b2) * r) / (n0 - r - 1);
}

/**
 * MODEL §5 E4 (THEORY R6): the adversarial population risk of beta under a p-attack of radius eps,
 * for x ~ N(0, Sigma) and y = <beta*, x> + xi: with s^2 = (beta - beta*)^T Sigma (beta - beta*) + sigma^2
 * and N = ||beta||_q, E(|r| + eps N)^2 = s^2 + 2 sqrt(2/pi) eps N s + eps^2 N^2.
 * At beta = beta* (s = sigma = 1), ||beta||_2 = 1, eps = 0.5: 1 + 2 sqrt(2/pi) 0.5 + 0.25.
 * @example adversarialRisk(Float64Array.of(1), Float64Array.of(1), { quadratic: () => 0 }, 1, 0.5, "l2") // 1.25 + Math.sqrt(2 / Math.PI)
 */
export function adversarialRisk(beta: ArrayLike<number>, betaStar: ArrayLike<number>, design: Pick<Design, "quadratic">, sigma: number, eps: number, norm: PerturbationNorm): number {
  const diff = Float64Array.from(beta, (v, i) => v - betaStar[i]);
  const s2 = design.quadratic(diff) + sigma * sigma;
  const s = Math.sqrt(s2);
  const N = attackDualNorm(beta, norm);
  return s2 + 2 * Math.sqrt(2 / Math.PI) * eps * N * s + eps * eps * N * N;
}
