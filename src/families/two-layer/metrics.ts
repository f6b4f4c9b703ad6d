/**
 * Metrics of the two-layer family (MODEL §4, last paragraph): the representation's principal
 * angles to the truth, and target risks by Monte Carlo on a fresh test sample, each with its
 * standard error.
 *
 * - Row spaces: span of W's rows (= columns of W^T, d x r) against span(B*) = row space of W*.
 *   sinTheta = ||(I - U U^T) B*||_2 with U an orthonormal basis of W's row space; a rank-deficient
 *   W (fewer than r independent rows) has sinTheta = 1 and principal angles pi/2 for the missing
 *   directions.
 * - Regression: excess risk E_x (f_hat(x) - f_0(x))^2 (the noise cancels from the prediction risk).
 * - Classification with flip rate rho: the clean error P(sign f_hat(x) != sign f_0(x)) and the
 *   excess 0-1 risk (1 - 2 rho) times it (a flip independent of x turns an error rate q against
 *   the clean label into rho + (1 - 2 rho) q, and the Bayes error is rho).
 * - Robust risks under an attack of radius eps on the input: the largest value over PGD's
 *   iterates, a lower bound on the supremum over the ball. Regression: E sup (f_hat(x + delta) -
 *   f_0(x))^2; classification: P(some iterate has sign f_hat(x + delta) != sign f_0(x)), the attack
 *   ascending the logistic loss against the clean label.
 */
import { type Mat, transposeTimes } from "../../core/linalg/mat.js";
import { orthonormalise, principalAngles, sinTheta, sinThetaFrobenius, singularValues } from "../../core/linalg/decompositions.js";
import type { Activation } from "./activation.js";
import type { TwoLayerAttack } from "./estimators/jointTraining.js";
import type { Rng } from "../../core/random/rng.js";
import { attackInputs } from "./estimators/attack.js";
import { summary } from "../../core/stats.js";
import { networkWithHeads, predict, type TwoLayerNet } from "./estimators/network.js";
import { featureMatrix, leastSquaresHead, logisticLoss, logisticNewtonHead } from "./estimators/targetHead.js";

/** A Monte Carlo mean with its standard error sd / sqrt(N) (sd with N - 1 in the denominator). */
export interface MonteCarloEstimate {
  readonly mean: number;
  readonly se: number;
}

/** Mean and standard error of the values (core/stats; at least 2 values, a RangeError otherwise). */
export function meanAndStandardError(values: ArrayLike<number>): MonteCarloEstimate {
  const s = summary(values);
  if (s.se === null) throw new RangeError(`meanAndStandardError: ${values.length} values, need at least 2`);
  return { mean: s.mean, se: s.se };
}

export interface RowSpaceAngles {
  readonly sinTheta: number;
  readonly sinThetaFrobenius: number;
  /** Principal angles, ascending, in [0, pi/2] (length r). */
  readonly angles: Float64Array;
  /** Number of independent rows of W. */
  readonly rank: number;
}

/** Principal angles between the row space of W (row-major r x d) and span(B*) (d x r). */
export function rowSpaceAngles(w: Float64Array, r: number, d: number, bStar: Mat): RowSpaceAngles {
  // A row-major r x d array is the column-major d x r matrix W^T.
  const u = orthonormalise({ rows: d, cols: r, data: w }, 1e-10);
  const rank = u.cols;
  if (rank === r) {
    return { sinTheta: sinTheta(u, bStar), sinThetaFrobenius: sinThetaFrobenius(u, bStar), angles: principalAngles(u, bStar), rank };
  }
  const cos = rank === 0 ? new Float64Array(0) : singularValues(transposeTimes(u, bStar));
  const angles = new Float64Array(r).fill(Math.PI / 2);
  for (let k = 0; k < cos.length; k++) angles[k] = Math.acos(Math.min(1, cos[k]));
  angles.sort();
  let ss = 0;
  for (let k = 0; k < r; k++) ss += Math.sin(angles[k]) ** 2;
  return { sinTheta: 1, sinThetaFrobenius: Math.sqrt(ss), angles, rank };
}

/** Test inputs of the target task with teacher outputs f_0(x). */
export interface TargetTestSet {
  readonly count: number;
  /** Row-major count x d. */
  readonly x: Float64Array;
  /** f_0(x), noise free. */
  readonly clean: Float64Array;
}

function zeroTasks(count: number): Int32Array {
  return new Int32Array(count);
}

/** The regression excess risk E (f_hat - f_0)^2 of a one-head network, by Monte Carlo. */
export function regressionExcessRisk(net: TwoLayerNet, activation: Activation, test: TargetTestSet): MonteCarloEstimate {
  const f = predict(net, activation, test.x, zeroTasks(test.count));
  for (let i = 0; i < f.length; i++) {
    const e = f[i] - test.clean[i];
    f[i] = e * e;
  }
  return meanAndStandardError(f);
}

/** The clean error P(sign f_hat != sign f_0) (sign(0) = +1) of a one-head network, by Monte Carlo. */
export function classificationError(net: TwoLayerNet, activation: Activation, test: TargetTestSet): MonteCarloEstimate {
  const f = predict(net, activation, test.x, zeroTasks(test.count));
  for (let i = 0; i < f.length; i++) f[i] = (f[i] >= 0) !== (test.clean[i] >= 0) ? 1 : 0;
  return meanAndStandardError(f);
}

/**
 * The robust target risk of a one-head network under `attack` (see the file comment): regression
 * attacks the squared deviation from f_0, classification the logistic loss against sign f_0.
 */
export function robustTargetRisk(
  net: TwoLayerNet,
  activation: Activation,
  test: TargetTestSet,
  attack: TwoLayerAttack,
  labels: "regression" | "classification",
  rng: Rng,
): MonteCarloEstimate {
  const count = test.count;
  const record = { maxLoss: new Float64Array(count), outputAtMax: new Float64Array(count), signError: new Uint8Array(count) };
  const y = labels === "regression" ? test.clean : Float64Array.from(test.clean, (v) => (v >= 0 ? 1 : -1));
  attackInputs(net, activation, labels === "regression" ? "squared" : "logistic", attack, { x: test.x, y, task: zeroTasks(count) }, rng, undefined, record);
  return meanAndStandardError(labels === "regression" ? record.maxLoss : Float64Array.from(record.signError));
}

/**
 * Unit collapse: max_{k < l} |cos(w_k, w_l)| over pairs of rows of W (r x d, row-major), 0 for
 * r = 1 or when a row is zero. 1 means two hidden units point along one direction.
 */
export function unitCollapse(w: Float64Array, r: number, d: number): number {
  const norms = new Float64Array(r);
  for (let k = 0; k < r; k++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += w[k * d + j] * w[k * d + j];
    norms[k] = Math.sqrt(s);
  }
  let worst = 0;
  for (let k = 0; k < r; k++) {
    for (let l = k + 1; l < r; l++) {
      if (norms[k] === 0 || norms[l] === 0) continue;
      let s = 0;
      for (let j = 0; j < d; j++) s += w[k * d + j] * w[l * d + j];
      worst = Math.max(worst, Math.min(1, Math.abs(s) / (norms[k] * norms[l])));
    }
  }
  return worst;
}

/**
 * The clean source loss at the true first layer with the best heads: the average over tasks of
 * min_v (1/n_t) sum_{i in t} l(<v, phi(W* x_i)>, y_i), on the labelled source sample (grouped by
 * task, `perTask` rows each). Regression: per-task least squares (thin QR); classification:
 * per-task logistic regression by Newton's method (targetHead.ts; on separable data an upper
 * bound on the infimum); null when a task has fewer than r samples. The found minimum's loss
 * minus this is the metric lossGap: negative
 * when training fits the noise better than the truth can, positive when it misses W*'s basin.
 */
export function lossAtTruth(truth: { readonly bStar: Mat }, activation: Activation, labels: "regression" | "classification", sample: { readonly x: Float64Array; readonly y: Float64Array; readonly perTask: number; readonly tasks: number }): number | null {
  const r = truth.bStar.cols;
  const d = truth.bStar.rows;
  if (sample.perTask < r) return null;
  const net = networkWithHeads(truth.bStar.data, r, d, new Float64Array(r));
  const n = sample.perTask;
  let total = 0;
  for (let t = 0; t < sample.tasks; t++) {
    const x = sample.x.subarray(t * n * d, (t + 1) * n * d);
    const y = sample.y.subarray(t * n, (t + 1) * n);
    const a = featureMatrix(net, activation, x, n);
    if (labels === "regression") {
      const v = leastSquaresHead(a, y);
      let rss = 0;
      for (let i = 0; i < n; i++) {
        let f = 0;
        for (let k = 0; k < r; k++) f += v[k] * a.data[i + k * n];
        rss += (y[i] - f) ** 2;
      }
      total += rss / n;
    } else {
      total += logisticLoss(a, y, logisticNewtonHead(a, y));
    }
  }
  return total / sample.tasks;
}
