/**
 * Thin decompositions for tall matrices (d x T with T << d): modified Gram-Schmidt QR on
 * Float64Array, and singular values of the small T x T factor by ml-matrix. No d x d matrix is
 * ever formed (MODEL §3.2).
 */
import { Matrix, SingularValueDecomposition } from "ml-matrix";
import type { Rng } from "../random/rng.js";
import { type Mat, zeros, column, times, transposeTimes, frobenius } from "./mat.js";

/** Result of a thin QR: A = Q R with Q (n x p) and upper-triangular R (p x p). */
export interface ThinQR {
  readonly q: Mat;
  readonly r: Mat;
  /** Columns whose residual vanished (linearly dependent on earlier ones); their Q column is 0. */
  readonly dependent: number[];
}

/**
 * Thin QR of a tall n x p matrix (p <= n) by modified Gram-Schmidt with one full
 * reorthogonalisation pass ("twice is enough"), so Q is orthonormal to machine precision even
 * for ill-conditioned A. A column whose residual norm is at most `relTol` times its original
 * norm is declared dependent: its Q column is zero and R[j, j] = 0.
 */
export function thinQR(a: Mat, relTol = 1e-13): ThinQR {
  const n = a.rows;
  const p = a.cols;
  if (p > n) throw new RangeError(`thinQR: needs rows >= cols, got ${n} x ${p}`);
  const q = zeros(n, p);
  const r = zeros(p, p);
  const qd = q.data;
  const dependent: number[] = [];
  for (let j = 0; j < p; j++) {
    const v = qd.subarray(j * n, (j + 1) * n);
    v.set(column(a, j));
    let orig = 0;
    for (let k = 0; k < n; k++) orig += v[k] * v[k];
    orig = Math.sqrt(orig);
    for (let pass = 0; pass < 2; pass++) {
      for (let i = 0; i < j; i++) {
        const qi = qd.subarray(i * n, (i + 1) * n);
        let s = 0;
        for (let k = 0; k < n; k++) s += qi[k] * v[k];
        if (s === 0) continue;
        for (let k = 0; k < n; k++) v[k] -= s * qi[k];
        r.data[i + j * p] += s;
      }
    }
    let nrm = 0;
    for (let k = 0; k < n; k++) nrm += v[k] * v[k];
    nrm = Math.sqrt(nrm);
    if (nrm <= relTol * orig || nrm === 0) {
      v.fill(0);
      dependent.push(j);
      continue;
    }
    r.data[j + j * p] = nrm;
    const inv = 1 / nrm;
    for (let k = 0; k < n; k++) v[k] *= inv;
  }
  return { q, r, dependent };
}

function toMlMatrix(a: Mat): Matrix {
  const m = new Matrix(a.rows, a.cols);
  for (let j = 0; j < a.cols; j++) for (let i = 0; i < a.rows; i++) m.set(i, j, a.data[i + j * a.rows]);
  return m;
}

/**
 * The exponent e of the power of two 2^e that brings a matrix's largest |entry| near 1 when it
 * lies outside [2^-500, 2^500], else 0. Squares of such entries would under- or overflow (the SVD iteration
 * of ml-matrix never converges on subnormal input); scaling by a power of two is exact, and
 * matrices in the normal range are left alone, so their results are unchanged bit for bit.
 * @throws RangeError on a non-finite entry (a programming error upstream).
 */
export function extremeScale(a: Mat): number {
  let max = 0;
  for (let i = 0; i < a.data.length; i++) {
    const v = Math.abs(a.data[i]);
    if (!Number.isFinite(v)) throw new RangeError(`decomposition of a ${a.rows} x ${a.cols} matrix with a non-finite entry ${a.data[i]}`);
    if (v > max) max = v;
  }
  if (max === 0 || (max >= 2 ** -500 && max <= 2 ** 500)) return 0;
  return -Math.round(Math.log2(max));
}

/** x 2^e without intermediate overflow (|e| up to 1100: 2^1074 itself is not a double). */
function timesPowerOfTwo(x: number, e: number): number {
  const half = Math.trunc(e / 2);
  return x * 2 ** half * 2 ** (e - half);
}

function scaledCopy(a: Mat, e: number): Mat {
  const out = zeros(a.rows, a.cols);
  for (let i = 0; i < a.data.length; i++) out.data[i] = timesPowerOfTwo(a.data[i], e);
  return out;
}

/** Singular values of a (any shape), descending. */
export function singularValues(a: Mat): Float64Array {
  if (a.rows === 0 || a.cols === 0) return new Float64Array(0);
  const e = extremeScale(a);
  if (e !== 0) return singularValues(scaledCopy(a, e)).map((v) => timesPowerOfTwo(v, -e));
  if (a.rows > a.cols) return singularValues(thinQR(a, 0).r);
  const svd = new SingularValueDecomposition(toMlMatrix(a), {
    computeLeftSingularVectors: false,
    computeRightSingularVectors: false,
    autoTranspose: true,
  });
  return Float64Array.from(svd.diagonal).sort().reverse();
}

/** The top-k left singular vectors of a matrix and all its singular values. */
export interface LeftSingular {
  /** n x k, orthonormal columns: the top-k left singular vectors. */
  readonly u: Mat;
  /** All min(n, p) singular values, descending. */
  readonly values: Float64Array;
}

/**
 * Top-k left singular vectors of an n x p matrix A, computed thin (MODEL §3.2): for p <= n,
 * A = Q R, R = U_R S V_R^T, so A's left singular vectors are Q U_R; cost O(n p^2), never an
 * n x n matrix. For p > n the matrix is already small on its row side and is decomposed directly.
 * Requires 1 <= k <= min(n, p). The caller decides what counts as rank deficient by looking at
 * `values[k - 1]`.
 */
export function topLeftSingularVectors(a: Mat, k: number): LeftSingular {
  const n = a.rows;
  const p = a.cols;
  if (!(k >= 1 && k <= Math.min(n, p))) {
    throw new RangeError(`topLeftSingularVectors: k = ${k}: must be in [1, ${Math.min(n, p)}]`);
  }
  const e = extremeScale(a);
  if (e !== 0) {
    const scaled = topLeftSingularVectors(scaledCopy(a, e), k);
    return { u: scaled.u, values: scaled.values.map((v) => timesPowerOfTwo(v, -e)) };
  }
  if (p <= n) {
    const { q, r } = thinQR(a, 0);
    const svd = new SingularValueDecomposition(toMlMatrix(r), {
      computeLeftSingularVectors: true,
      computeRightSingularVectors: false,
      autoTranspose: false,
    });
    const values = Float64Array.from(svd.diagonal);
    const order = sortedOrder(values);
    const ur = svd.leftSingularVectors;
    const sel = zeros(p, k);
    for (let c = 0; c < k; c++) for (let i = 0; i < p; i++) sel.data[i + c * p] = ur.get(i, order[c]);
    const u = times(q, sel);
    // Reorthonormalise (the product of two orthonormal factors can drift by ~1e-15).
    return { u: thinQR(u, 0).q, values: Float64Array.from(order, (o) => values[o]) };
  }
  const svd = new SingularValueDecomposition(toMlMatrix(a), {
    computeLeftSingularVectors: true,
    computeRightSingularVectors: false,
    autoTranspose: true,
  });
  const values = Float64Array.from(svd.diagonal);
  const order = sortedOrder(values);
  const left = svd.leftSingularVectors;
  const u = zeros(n, k);
  for (let c = 0; c < k; c++) for (let i = 0; i < n; i++) u.data[i + c * n] = left.get(i, order[c]);
  return { u, values: Float64Array.from(order, (o) => values[o]).subarray(0, Math.min(n, p)) };
}

function sortedOrder(values: Float64Array): number[] {
  return Array.from(values.keys()).sort((i, j) => values[j] - values[i]);
}

/**
 * A Haar-distributed n x k matrix with orthonormal columns (k <= n): Gram-Schmidt of a Gaussian
 * matrix, whose R factor has a positive diagonal, so Q is exactly Haar (Mezzadri 2007).
 */
export function haarOrthonormal(n: number, k: number, rng: Rng): Mat {
  if (!(k >= 0 && k <= n)) throw new RangeError(`haarOrthonormal: k = ${k}: must be in [0, ${n}]`);
  const g = zeros(n, k);
  rng.fillNormal(g.data);
  return thinQR(g, 0).q;
}

/** Orthonormal basis of the column span of a (n x p, p <= n), dropping dependent columns. */
export function orthonormalise(a: Mat, relTol = 1e-13): Mat {
  const { q, dependent } = thinQR(a, relTol);
  if (dependent.length === 0) return q;
  const keep: number[] = [];
  for (let j = 0; j < a.cols; j++) if (!dependent.includes(j)) keep.push(j);
  const out = zeros(a.rows, keep.length);
  keep.forEach((j, c) => out.data.set(column(q, j), c * a.rows));
  return out;
}

/** (I - U U^T) V for U with orthonormal columns, projected twice for accuracy. */
export function residualOutside(u: Mat, v: Mat): Mat {
  let res: Mat = { rows: v.rows, cols: v.cols, data: Float64Array.from(v.data) };
  for (let pass = 0; pass < 2; pass++) {
    const c = transposeTimes(u, res);
    const uc = times(u, c);
    const data = res.data;
    for (let i = 0; i < data.length; i++) data[i] -= uc.data[i];
    res = { rows: res.rows, cols: res.cols, data };
  }
  return res;
}

/**
 * sinTheta(U, V) = ||(I - U U^T) V||_2 (MODEL §1), spectral norm, for U and V with orthonormal
 * columns. Computed from the d x r residual directly, not as sqrt(1 - cos^2), so small angles
 * keep full relative precision. In [0, 1]; symmetric when U and V have equally many columns.
 */
export function sinTheta(u: Mat, v: Mat): number {
  const s = singularValues(residualOutside(u, v));
  return s.length === 0 ? 0 : Math.min(1, s[0]);
}

/** Frobenius sinTheta: ||(I - U U^T) V||_F = sqrt(sum of squared sines of principal angles). */
export function sinThetaFrobenius(u: Mat, v: Mat): number {
  return frobenius(residualOutside(u, v));
}

/**
 * Principal angles between span(U) and span(V) (orthonormal columns, equally many), ascending,
 * in [0, pi/2]. angle_i = atan2(sin_i, cos_i) with cosines the singular values of U^T V and
 * sines those of (I - U U^T) V, paired largest cosine with smallest sine.
 */
export function principalAngles(u: Mat, v: Mat): Float64Array {
  if (u.cols !== v.cols) throw new RangeError(`principalAngles: ${u.cols} vs ${v.cols} columns`);
  const cos = singularValues(transposeTimes(u, v));
  const sin = singularValues(residualOutside(u, v)).reverse();
  return Float64Array.from(cos, (c, i) => Math.atan2(sin[i], Math.min(1, c)));
}
