/**
 * Thin decompositions for tall matrices (d x T with T << d) on Float64Array: Gram-Schmidt QR
 * (CGS2) and one-sided Jacobi on the small T x T factor. No d x d matrix is ever formed (MODEL §3.2).
 */
import type { Rng } from "../random/rng.js";
import { symmetricEigen } from "./small.js";
import { type Mat, copyOf, floats, zeros, column, times, transposeTimes, frobenius } from "./mat.js";

/** Result of a thin QR: A = Q R with Q (n x p) and upper-triangular R (p x p). */
export interface ThinQR {
  readonly q: Mat;
  readonly r: Mat;
  /** Columns whose residual vanished (linearly dependent on earlier ones); their Q column is 0. */
  readonly dependent: number[];
}

/**
 * Thin QR of a tall n x p matrix (p <= n) by classical Gram-Schmidt with reorthogonalisation
 * (CGS2, "twice is enough": Giraud, Langou, Rozloznik 2005; a third pass and more where a column is
 * numerically dependent), so Q is orthonormal to machine precision. Each pass takes the
 * inner products of the new column with all earlier ones in one sweep over the column, four
 * earlier columns at a time (independent sums: the loop runs at the machine's throughput instead
 * of one add's latency), then subtracts their combination. A column whose residual norm is at most
 * `relTol` times its original norm, or that is still shrinking after five passes (rounding error
 * inside the earlier columns' span), is declared dependent: its Q column is zero and R[j, j] = 0.
 * Only +, *, / and sqrt: the same bits in every JavaScript engine.
 */
export function thinQR(a: Mat, relTol = 1e-13): ThinQR {
  const n = a.rows;
  const p = a.cols;
  if (p > n) throw new RangeError(`thinQR: needs rows >= cols, got ${n} x ${p}`);
  const q = zeros(n, p);
  const r = zeros(p, p);
  const qd = q.data;
  const rd = r.data;
  const ad = a.data;
  const s = floats(p);
  const dependent: number[] = [];
  for (let j = 0; j < p; j++) {
    const vo = j * n;
    let orig = 0;
    for (let k = 0; k < n; k++) {
      const x = ad[vo + k];
      qd[vo + k] = x;
      orig += x * x;
    }
    orig = Math.sqrt(orig);
    // Two passes, and more (up to five) while a pass still removes over half of the norm: a column
    // (numerically) in the span of the earlier ones leaves a residual of rounding size, which one
    // more pass makes orthogonal to them (Daniel, Gragg, Kaufman and Stewart 1976).
    let nrm = orig;
    let settled = j === 0;
    for (let pass = 0; j > 0 && pass < 5; pass++) {
      projections(qd, n, j, vo, s);
      subtractCombination(qd, n, j, vo, s);
      for (let i = 0; i < j; i++) rd[i + j * p] += s[i];
      const before = nrm;
      nrm = 0;
      for (let k = 0; k < n; k++) nrm += qd[vo + k] * qd[vo + k];
      nrm = Math.sqrt(nrm);
      if (pass >= 1 && !(nrm < 0.5 * before)) {
        settled = true;
        break;
      }
    }
    // A residual that still shrinks by half at the fifth pass is rounding error inside the span of
    // the earlier columns (a column exactly in their span, when rounding cannot leave that span, e.g.
    // all columns on the same few coordinates): no direction of its own, so the column is dependent.
    if (!settled || nrm <= relTol * orig || nrm === 0) {
      qd.fill(0, vo, vo + n);
      dependent.push(j);
      continue;
    }
    rd[j + j * p] = nrm;
    const inv = 1 / nrm;
    for (let k = 0; k < n; k++) qd[vo + k] *= inv;
  }
  return { q, r, dependent };
}

/** s[i] = <q_i, v> for the columns i < j of q (column length n), v the column at offset vo. */
function projections(qd: Float64Array, n: number, j: number, vo: number, s: Float64Array): void {
  let i = 0;
  for (; i + 4 <= j; i += 4) {
    const o0 = i * n;
    const o1 = o0 + n;
    const o2 = o1 + n;
    const o3 = o2 + n;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let k = 0; k < n; k++) {
      const v = qd[vo + k];
      s0 += qd[o0 + k] * v;
      s1 += qd[o1 + k] * v;
      s2 += qd[o2 + k] * v;
      s3 += qd[o3 + k] * v;
    }
    s[i] = s0;
    s[i + 1] = s1;
    s[i + 2] = s2;
    s[i + 3] = s3;
  }
  for (; i < j; i++) {
    const o = i * n;
    let t = 0;
    for (let k = 0; k < n; k++) t += qd[o + k] * qd[vo + k];
    s[i] = t;
  }
}

/** v -= sum_{i < j} s[i] q_i, v the column at offset vo. */
function subtractCombination(qd: Float64Array, n: number, j: number, vo: number, s: Float64Array): void {
  let i = 0;
  for (; i + 4 <= j; i += 4) {
    const o0 = i * n;
    const o1 = o0 + n;
    const o2 = o1 + n;
    const o3 = o2 + n;
    const c0 = s[i];
    const c1 = s[i + 1];
    const c2 = s[i + 2];
    const c3 = s[i + 3];
    for (let k = 0; k < n; k++) qd[vo + k] -= c0 * qd[o0 + k] + c1 * qd[o1 + k] + c2 * qd[o2 + k] + c3 * qd[o3 + k];
  }
  for (; i < j; i++) {
    const o = i * n;
    const c = s[i];
    for (let k = 0; k < n; k++) qd[vo + k] -= c * qd[o + k];
  }
}

/**
 * One-sided Jacobi (Hestenes) on the columns of a square p x p matrix A: plane rotations J with
 * A J = W, the columns of W mutually orthogonal, so A = W J^T with singular values the column norms
 * of W (to high relative accuracy, Demmel and Veselic 1992) and right singular vectors the columns
 * of J, orthonormal even where singular values vanish. Sweeps over all pairs until none is rotated
 * (|<w_i, w_j>| <= p eps ||w_i|| ||w_j||); at most 80 sweeps (quadratic convergence takes about 6-10).
 * Only +, *, / and sqrt: the same bits in every JavaScript engine.
 */
export function jacobiSvd(a: Mat): { readonly values: Float64Array; readonly v: Mat; readonly w: Mat } {
  const p = a.cols;
  if (a.rows !== p) throw new RangeError(`jacobiSvd: needs a square matrix, got ${a.rows} x ${p}`);
  const w = { rows: p, cols: p, data: copyOf(a.data) };
  const v = zeros(p, p);
  for (let i = 0; i < p; i++) v.data[i + i * p] = 1;
  const wd = w.data;
  const vd = v.data;
  const tol = p * Number.EPSILON;
  for (let sweep = 0; sweep < 80; sweep++) {
    let rotated = false;
    for (let i = 0; i < p - 1; i++) {
      const oi = i * p;
      for (let j = i + 1; j < p; j++) {
        const oj = j * p;
        let alpha = 0;
        let beta = 0;
        let gamma = 0;
        for (let k = 0; k < p; k++) {
          const x = wd[oi + k];
          const y = wd[oj + k];
          alpha += x * x;
          beta += y * y;
          gamma += x * y;
        }
        if (gamma === 0 || Math.abs(gamma) <= tol * Math.sqrt(alpha) * Math.sqrt(beta)) continue;
        rotated = true;
        const zeta = (beta - alpha) / (2 * gamma);
        const t = (zeta >= 0 ? 1 : -1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
        const c = 1 / Math.sqrt(1 + t * t);
        const sn = c * t;
        for (let k = 0; k < p; k++) {
          const x = wd[oi + k];
          const y = wd[oj + k];
          wd[oi + k] = c * x - sn * y;
          wd[oj + k] = sn * x + c * y;
          const vx = vd[oi + k];
          const vy = vd[oj + k];
          vd[oi + k] = c * vx - sn * vy;
          vd[oj + k] = sn * vx + c * vy;
        }
      }
    }
    if (!rotated) break;
  }
  const values = floats(p);
  for (let j = 0; j < p; j++) {
    let ss = 0;
    for (let k = 0; k < p; k++) ss += wd[j * p + k] * wd[j * p + k];
    values[j] = Math.sqrt(ss);
  }
  return { values, v, w };
}

/** The transpose of a (a copy). */
function transposed(a: Mat): Mat {
  const out = zeros(a.cols, a.rows);
  for (let j = 0; j < a.cols; j++) for (let i = 0; i < a.rows; i++) out.data[j + i * a.cols] = a.data[i + j * a.rows];
  return out;
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

/** Singular values of a (any shape), descending: thin QR of the tall side, then one-sided Jacobi on R. */
export function singularValues(a: Mat): Float64Array {
  if (a.rows === 0 || a.cols === 0) return floats(0);
  const e = extremeScale(a);
  if (e !== 0) return singularValues(scaledCopy(a, e)).map((v) => timesPowerOfTwo(v, -e));
  if (a.rows < a.cols) return singularValues(transposed(a));
  const square = a.rows > a.cols ? thinQR(a, 0).r : a;
  return jacobiSvd(square).values.sort().reverse();
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
 * A = Q R and R = J Sigma W^T by one-sided Jacobi on R^T (jacobiSvd), so A's left singular vectors
 * are Q J; cost O(n p^2), never an n x n matrix. For p > n, A^T = Q R and A's left singular vectors
 * are R's right singular vectors (jacobiSvd on R). Requires 1 <= k <= min(n, p). The caller
 * decides what counts as rank deficient by looking at `values[k - 1]`.
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
    const { values, v: left } = jacobiSvd(transposed(r));
    const order = sortedOrder(values);
    const sel = zeros(p, k);
    for (let c = 0; c < k; c++) sel.data.set(left.data.subarray(order[c] * p, (order[c] + 1) * p), c * p);
    const u = times(q, sel);
    // Reorthonormalise (the product of two orthonormal factors can drift by ~1e-15).
    return { u: thinQR(u, 0).q, values: Float64Array.from(order, (o) => values[o]) };
  }
  const { r } = thinQR(transposed(a), 0);
  const { values, v: left } = jacobiSvd(r);
  const order = sortedOrder(values);
  const u = zeros(n, k);
  for (let c = 0; c < k; c++) u.data.set(left.data.subarray(order[c] * n, (order[c] + 1) * n), c * n);
  return { u, values: Float64Array.from(order, (o) => values[o]) };
}

/**
 * Below this sigma_k / sigma_1, topLeftSingularVectorsGram hands the matrix to the QR path: forming
 * A^T A squares the condition number, so the Gram route loses a factor sigma_1 / sigma_k in the
 * subspace and (sigma_1 / sigma_k)^2 in the relative accuracy of sigma_k. At the threshold those are
 * at most 100 and 10^4: a subspace within about 100 times the QR path's rounding error (1e-13 for
 * matrices of a few hundred rows) and sigma_k to a relative 1e-12.
 */
export const GRAM_MIN_RATIO = 1e-2;

/**
 * Top-k left singular vectors of a tall n x p matrix A (p <= n) by the eigen-decomposition of the
 * p x p Gram matrix (MODEL §3.2): G = A^T A = V Lambda V^T, U = A V_k Lambda_k^{-1/2},
 * reorthonormalised. About a quarter of the thin QR's arithmetic (n p^2 / 2 multiply-adds for G,
 * n p k for U). Used where the top-k singular values are well separated from zero, as in the
 * representation step: when sigma_k / sigma_1 < GRAM_MIN_RATIO (or p > n, or an extreme scale) it
 * returns topLeftSingularVectors(a, k) instead, so the result is always accurate to the bounds
 * stated at GRAM_MIN_RATIO. `values` holds all p singular values, descending: the top k to the
 * accuracy above, the rest to an absolute accuracy of about 1e-8 sigma_1 (square roots of
 * eigenvalues that carry an absolute error of order n eps sigma_1^2).
 */
export function topLeftSingularVectorsGram(a: Mat, k: number): LeftSingular {
  const n = a.rows;
  const p = a.cols;
  if (!(k >= 1 && k <= Math.min(n, p))) {
    throw new RangeError(`topLeftSingularVectorsGram: k = ${k}: must be in [1, ${Math.min(n, p)}]`);
  }
  if (p > n) return topLeftSingularVectors(a, k);
  const g = gram(a);
  // Entries of extreme size (whose squares under- or overflow) or not finite: the QR path scales
  // them, or reports them. The largest column norm squared bounds them: max|a_ij|^2 <= max_j G_jj.
  let maxDiag = 0;
  for (let j = 0; j < p; j++) maxDiag = Math.max(maxDiag, g[j * p + j]);
  if (!(maxDiag >= 2 ** -900 && maxDiag <= 2 ** 900)) return topLeftSingularVectors(a, k);
  const rows: number[][] = [];
  for (let i = 0; i < p; i++) rows.push(Array.from(g.subarray(i * p, (i + 1) * p)));
  const eig = symmetricEigen(rows);
  const lambda = eig.values;
  if (!(lambda[k - 1] > 0) || !(Math.sqrt(lambda[k - 1]) >= GRAM_MIN_RATIO * Math.sqrt(lambda[0]))) return topLeftSingularVectors(a, k);
  // U = A V_k Lambda_k^{-1/2}, four columns of A at a time.
  const u = zeros(n, k);
  const ad = a.data;
  const ud = u.data;
  for (let c = 0; c < k; c++) {
    const inv = 1 / Math.sqrt(lambda[c]);
    const oc = c * n;
    let i = 0;
    for (; i + 4 <= p; i += 4) {
      const b0 = eig.vectors[i][c] * inv;
      const b1 = eig.vectors[i + 1][c] * inv;
      const b2 = eig.vectors[i + 2][c] * inv;
      const b3 = eig.vectors[i + 3][c] * inv;
      const o0 = i * n;
      const o1 = o0 + n;
      const o2 = o1 + n;
      const o3 = o2 + n;
      for (let t = 0; t < n; t++) ud[oc + t] += b0 * ad[o0 + t] + b1 * ad[o1 + t] + b2 * ad[o2 + t] + b3 * ad[o3 + t];
    }
    for (; i < p; i++) {
      const b = eig.vectors[i][c] * inv;
      const o = i * n;
      for (let t = 0; t < n; t++) ud[oc + t] += b * ad[o + t];
    }
  }
  return { u: thinQR(u, 0).q, values: Float64Array.from(lambda, (l) => Math.sqrt(Math.max(0, l))) };
}

/**
 * A^T A (p x p, symmetric, row-major = column-major), four columns of A at a time, a sparse
 * column over its non-zero entries: every entry equals the plain sequential sum
 * sum_t a[t, i] a[t, j], bit for bit.
 */
export function gramMatrix(a: Mat): Float64Array {
  return gram(a);
}

function gram(a: Mat): Float64Array {
  const n = a.rows;
  const p = a.cols;
  const d = a.data;
  const g = floats(p * p);
  const nz = new Int32Array(n);
  const col = floats(p);
  for (let j = 0; j < p; j++) {
    const oj = j * n;
    // A sparse column (soft-thresholded statistics mostly are) is dotted over its non-zero entries
    // only: the skipped products are exact zeros, so every sum keeps the bits of the dense loop's.
    let count = 0;
    for (let t = 0; t < n; t++) if (d[oj + t] !== 0) nz[count++] = t;
    if (4 * count < n) {
      for (let i = 0; i <= j; i++) {
        const o = i * n;
        let t0 = 0;
        for (let q = 0; q < count; q++) {
          const t = nz[q];
          t0 += d[o + t] * d[oj + t];
        }
        g[i * p + j] = g[j * p + i] = t0;
      }
      continue;
    }
    // Dense: the inner products of column j with columns 0..j, four at a time (as the QR's).
    projections(d, n, j + 1, oj, col);
    for (let i = 0; i <= j; i++) g[i * p + j] = g[j * p + i] = col[i];
  }
  return g;
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
  let res: Mat = { rows: v.rows, cols: v.cols, data: copyOf(v.data) };
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
