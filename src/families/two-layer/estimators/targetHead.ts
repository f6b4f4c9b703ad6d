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

/** Solves the symmetric positive definite system H x = g (r x r, row-major) by Cholesky; null when H is not positive definite. */
function choleskySolve(h: Float64Array, g: Float64Array, r: number): Float64Array | null {
  const l = new Float64Array(r * r);
  for (let i = 0; i < r; i++) {
    for (let j = 0; j <= i; j++) {
      let s = h[i * r + j];
      for (let k = 0; k < j; k++) s -= l[i * r + k] * l[j * r + k];
      if (i === j) {
        if (!(s > 0)) return null;
        l[i * r + i] = Math.sqrt(s);
      } else l[i * r + j] = s / l[j * r + j];
    }
  }
  const z = new Float64Array(r);
  for (let i = 0; i < r; i++) {
    let s = g[i];
    for (let k = 0; k < i; k++) s -= l[i * r + k] * z[k];
    z[i] = s / l[i * r + i];
  }
  for (let i = r - 1; i >= 0; i--) {
    let s = z[i];
    for (let k = i + 1; k < r; k++) s -= l[k * r + i] * z[k];
    z[i] = s / l[i * r + i];
  }
  return z;
}

/** (1/n) sum_i log(1 + exp(-y_i <w, a_i>)) for features a (n x r, column-major). */
export function logisticLoss(a: Mat, y: ArrayLike<number>, w: ArrayLike<number>): number {
  const n = a.rows;
  const r = a.cols;
  let total = 0;
  for (let i = 0; i < n; i++) {
    let z = 0;
    for (let k = 0; k < r; k++) z += w[k] * a.data[i + k * n];
    const m = -y[i] * z;
    total += m > 0 ? m + Math.log1p(Math.exp(-m)) : Math.log1p(Math.exp(m));
  }
  return total / n;
}

/**
 * The unconstrained logistic head argmin_w (1/n) sum_i log(1 + exp(-y_i <w, a_i>)) by Newton's
 * method with backtracking (halving the step until the loss decreases), from w = 0, at most
 * `iterations` steps, stopping when a step lowers the loss by less than 1e-14. A tiny ridge
 * (1e-10 times the trace) keeps the Hessian invertible. On separable data the infimum is 0 and
 * not attained: the loss reached is then an upper bound on it.
 */
export function logisticNewtonHead(a: Mat, y: ArrayLike<number>, iterations = 50): Float64Array {
  const n = a.rows;
  const r = a.cols;
  const w = new Float64Array(r);
  let value = logisticLoss(a, y, w);
  const g = new Float64Array(r);
  const h = new Float64Array(r * r);
  for (let it = 0; it < iterations; it++) {
    g.fill(0);
    h.fill(0);
    for (let i = 0; i < n; i++) {
      let z = 0;
      for (let k = 0; k < r; k++) z += w[k] * a.data[i + k * n];
      const p = sigmoid(-y[i] * z);
      const c = -y[i] * p;
      const s = p * (1 - p);
      for (let k = 0; k < r; k++) {
        const ak = a.data[i + k * n];
        g[k] += (c * ak) / n;
        for (let l = 0; l <= k; l++) h[k * r + l] += (s * ak * a.data[i + l * n]) / n;
      }
    }
    let trace = 0;
    for (let k = 0; k < r; k++) {
      for (let l = 0; l < k; l++) h[l * r + k] = h[k * r + l];
      trace += h[k * r + k];
    }
    if (!(trace > 0)) break;
    for (let k = 0; k < r; k++) h[k * r + k] += 1e-10 * trace;
    const step = choleskySolve(h, g, r);
    if (step === null) break;
    let t = 1;
    const trial = new Float64Array(r);
    let next = Infinity;
    for (let back = 0; back < 40; back++) {
      for (let k = 0; k < r; k++) trial[k] = w[k] - t * step[k];
      next = logisticLoss(a, y, trial);
      if (next < value) break;
      t /= 2;
    }
    if (!(next < value)) break;
    const gain = value - next;
    w.set(trial);
    value = next;
    if (gain < 1e-14) break;
  }
  return w;
}
