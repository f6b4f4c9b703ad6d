/**
 * Target step of the two-layer family (MODEL §2.3, the analogue of §3.4 and §3.5's target step):
 * W is frozen and only a head w in R^r is fitted on the n0 target samples' features
 * a_i = phi(W x_i):
 *   least-squares (regression):  w = argmin sum_i (y_i - <w, a_i>)^2, by thin QR of the n0 x r
 *     feature matrix; a feature column that is zero or dependent on earlier ones (a dead relu
 *     unit) gets weight 0, which is still a least-squares solution;
 *   linear (classification, the paper's loss): w = argmin_{||w|| <= B} -(1/n0) sum_i y_i <w, a_i>
 *     = B m / ||m|| with m = (1/n0) sum_i y_i a_i, and w = 0 when m = 0;
 *   logistic (classification): w = argmin_{||w|| <= B} (1/n0) sum_i log(1 + exp(-y_i <w, a_i>)),
 *     by projected gradient descent from 0 with step 1/L, L = ||A||_F^2 / (4 n0) (an upper bound
 *     on the gradient's Lipschitz constant), 1000 iterations; the objective is convex.
 */
import { type Mat, zeros } from "../../../core/linalg/mat.js";
import { thinQR } from "../../../core/linalg/decompositions.js";
import type { Activation } from "../activation.js";
import type { TwoLayerTargetFit } from "../config.js";
import { sigmoid } from "./kernels.js";
import { hiddenFeatures, type TwoLayerNet } from "./network.js";

/** The count x r feature matrix phi(W x_i) (column-major Mat) of the rows of x. */
export function featureMatrix(net: TwoLayerNet, activation: Activation, x: Float64Array, count: number): Mat {
  const { r, d } = net;
  const out = zeros(count, r);
  const a = new Float64Array(r);
  for (let i = 0; i < count; i++) {
    hiddenFeatures(net, activation, x, i * d, a);
    for (let k = 0; k < r; k++) out.data[i + k * count] = a[k];
  }
  return out;
}

/** Least squares min_w ||y - A w||^2 (A n x r, n >= r); dependent columns get weight 0. */
export function leastSquaresHead(a: Mat, y: ArrayLike<number>): Float64Array {
  const n = a.rows;
  const r = a.cols;
  if (n < r) throw new RangeError(`leastSquaresHead: ${n} samples < r = ${r}`);
  const { q, r: rr, dependent } = thinQR(a, 1e-10);
  const c = new Float64Array(r);
  for (let k = 0; k < r; k++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += q.data[i + k * n] * y[i];
    c[k] = s;
  }
  const w = new Float64Array(r);
  for (let k = r - 1; k >= 0; k--) {
    if (dependent.includes(k)) continue;
    let s = c[k];
    for (let j = k + 1; j < r; j++) s -= rr.data[k + j * r] * w[j];
    w[k] = s / rr.data[k + k * r];
  }
  return w;
}

/** The linear-loss head B m / ||m||, m = (1/n) sum_i y_i a_i (0 when m = 0). */
export function linearLossHead(a: Mat, y: ArrayLike<number>, bound: number): Float64Array {
  const n = a.rows;
  const r = a.cols;
  const m = new Float64Array(r);
  for (let k = 0; k < r; k++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += y[i] * a.data[i + k * n];
    m[k] = s / n;
  }
  let nrm = 0;
  for (let k = 0; k < r; k++) nrm += m[k] * m[k];
  nrm = Math.sqrt(nrm);
  if (nrm === 0) return m;
  for (let k = 0; k < r; k++) m[k] *= bound / nrm;
  return m;
}

/** The norm-bounded logistic head by projected gradient descent (see the file comment). */
export function logisticHead(a: Mat, y: ArrayLike<number>, bound: number, iterations = 1000): Float64Array {
  const n = a.rows;
  const r = a.cols;
  let fro = 0;
  for (let i = 0; i < a.data.length; i++) fro += a.data[i] * a.data[i];
  const w = new Float64Array(r);
  if (fro === 0) return w;
  const step = (4 * n) / fro;
  const g = new Float64Array(r);
  for (let it = 0; it < iterations; it++) {
    g.fill(0);
    for (let i = 0; i < n; i++) {
      let z = 0;
      for (let k = 0; k < r; k++) z += w[k] * a.data[i + k * n];
      const c = (-y[i] * sigmoid(-y[i] * z)) / n;
      for (let k = 0; k < r; k++) g[k] += c * a.data[i + k * n];
    }
    let nrm = 0;
    for (let k = 0; k < r; k++) {
      w[k] -= step * g[k];
      nrm += w[k] * w[k];
    }
    nrm = Math.sqrt(nrm);
    if (nrm > bound) for (let k = 0; k < r; k++) w[k] *= bound / nrm;
  }
  return w;
}

/** The target head of the given fit on features `a` and labels y. */
export function fitTwoLayerHead(a: Mat, y: ArrayLike<number>, fit: TwoLayerTargetFit, bound: number): Float64Array {
  switch (fit) {
    case "least-squares":
      return leastSquaresHead(a, y);
    case "linear":
      return linearLossHead(a, y, bound);
    case "logistic":
      return logisticHead(a, y, bound);
  }
}
