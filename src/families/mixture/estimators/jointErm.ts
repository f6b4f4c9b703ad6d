/**
 * Joint ERM for the representation (MODEL §3.2 variant): maximise F(U) = sum_t ||U^T v_t|| over
 * d x r matrices with orthonormal columns. With the heads at their optimum
 * w_t = U^T v_t / ||U^T v_t||, this is the joint minimiser of the summed linear losses
 * sum_t -<U w_t, v_t> over U and ||w_t|| <= 1, which is not the top-r SVD of [v_1 .. v_T].
 * F is convex, so maximising it over the Stiefel manifold has many local maxima: the estimator
 * returns the local maximiser that gradient ascent reaches from the SVD.
 */
import { type Mat, column, times, transposeTimes, zeros } from "../../../core/linalg/mat.js";
import { thinQR, topLeftSingularVectors } from "../../../core/linalg/decompositions.js";
import { representationFromDirections } from "./representation.js";
import { ConfigError, rejectUnknownKeys } from "../../../core/config/parse.js";
import type { MixtureEstimator } from "./estimator.js";

/** F(U) = sum_t ||U^T v_t|| for the columns v_t of V. */
export function jointErmObjective(basis: Mat, stats: Mat): number {
  const proj = transposeTimes(basis, stats);
  const r = basis.cols;
  let f = 0;
  for (let t = 0; t < stats.cols; t++) {
    let s = 0;
    for (let i = 0; i < r; i++) s += proj.data[i + t * r] ** 2;
    f += Math.sqrt(s);
  }
  return f;
}

/** Options of the Stiefel ascent. */
export interface JointErmOptions {
  /** Maximum number of ascent steps. */
  readonly maxIterations?: number;
  /** Stop when a step raises F by less than this relative amount. */
  readonly tolerance?: number;
}

/**
 * Riemannian gradient ascent on the Stiefel manifold from the SVD start. The Euclidean gradient
 * of F is G = sum_t v_t (U^T v_t)^T / ||U^T v_t||; its tangent part is G - U sym(U^T G); a step
 * U + h (tangent) is retracted to orthonormal columns by QR. The step h starts at 1/sigma_1(V)
 * and is halved until F increases (Armijo-free backtracking: ascent is monotone by
 * construction). Cost O(d T r) per step; no d x d matrix.
 */
export function jointErmBasis(stats: Mat, r: number, options: JointErmOptions = {}): Mat {
  const { maxIterations = 500, tolerance = 1e-12 } = options;
  const start = topLeftSingularVectors(stats, r);
  let u = start.u;
  let f = jointErmObjective(u, stats);
  let step = 1 / Math.max(start.values[0], 1e-300);
  const d = stats.rows;
  for (let iter = 0; iter < maxIterations; iter++) {
    const proj = transposeTimes(u, stats); // r x T
    const coef = zeros(stats.cols, r); // T x r: (U^T v_t)^T / ||U^T v_t||
    for (let t = 0; t < stats.cols; t++) {
      let s = 0;
      for (let i = 0; i < r; i++) s += proj.data[i + t * r] ** 2;
      const len = Math.sqrt(s);
      if (len === 0) continue;
      for (let i = 0; i < r; i++) coef.data[t + i * stats.cols] = proj.data[i + t * r] / len;
    }
    const g = times(stats, coef); // d x r
    const utg = transposeTimes(u, g); // r x r
    const sym = zeros(r, r);
    for (let i = 0; i < r; i++) for (let j = 0; j < r; j++) sym.data[i + j * r] = 0.5 * (utg.data[i + j * r] + utg.data[j + i * r]);
    const usym = times(u, sym);
    const tangent = zeros(d, r);
    for (let k = 0; k < tangent.data.length; k++) tangent.data[k] = g.data[k] - usym.data[k];
    let improved = false;
    for (let halvings = 0; halvings < 40; halvings++) {
      const trial = zeros(d, r);
      for (let k = 0; k < trial.data.length; k++) trial.data[k] = u.data[k] + step * tangent.data[k];
      const next = thinQR(trial, 0).q;
      const fNext = jointErmObjective(next, stats);
      if (fNext > f) {
        const gain = (fNext - f) / Math.abs(f);
        u = next;
        f = fNext;
        step *= 1.5;
        improved = gain >= tolerance;
        break;
      }
      step /= 2;
    }
    if (!improved) break;
  }
  return u;
}

/**
 * The joint-ERM representation estimator (MODEL §3.2 variant), standard training only: the heads'
 * optimum separates in closed form only without an attack, so it takes no parameters. Reports
 * rank deficiency and zero statistics like the SVD estimators.
 */
export const jointErmEstimator: MixtureEstimator<Record<string, never>> = {
  name: "joint-erm",
  description: "joint ERM: maximise sum_t ||U^T v_t|| over orthonormal U by Stiefel ascent from the SVD (MODEL §3.2, standard training)",
  parameters(raw, field) {
    if (raw.attack !== undefined && raw.attack !== "none") {
      throw new ConfigError(`${field}.attack`, raw.attack, 'must be "none" with estimator "joint-erm" (joint ERM is defined for standard training)');
    }
    rejectUnknownKeys(field, raw as Record<string, unknown>, ["attack"]);
    return {};
  },
  echo: () => ({}),
  label: () => "joint-erm",
  tags: () => ({ attacks: [], pseudoLabelling: false, svdOfColumns: false, labelledOnly: true, columns: "unnormalised", rule: null }),
  fit({ data, r }) {
    const stats = data.sourceStatistics;
    const directions = [];
    for (let t = 0; t < stats.cols; t++) directions.push(Float64Array.from(column(stats, t)));
    const svd = representationFromDirections(directions, r, "unnormalised");
    if (!svd.ok) return svd;
    return { ...svd, basis: jointErmBasis(svd.columns, r) };
  },
  examples: [{}],
};
