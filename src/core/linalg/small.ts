/**
 * Small dense matrices (up to a few hundred rows) as row-major number[][]: the symmetric
 * eigenproblem (Householder tridiagonalisation and implicit QL), Cholesky factors, and linear
 * systems by Gaussian elimination with partial pivoting. Used by the deterministic equivalents of MODEL §8 (T x T and k x k systems), where
 * ml-matrix's general-purpose objects cost more than the arithmetic.
 */

import { floats } from "./mat.js";

/** Eigenvalues (descending) and eigenvectors (columns of `vectors`, in the same order). */
export interface SymmetricEigen {
  readonly values: number[];
  /** vectors[i][k]: component i of the k-th eigenvector. */
  readonly vectors: number[][];
}

/**
 * The eigen-decomposition of a symmetric matrix: Householder reduction to tridiagonal form and the
 * implicit QL algorithm (tred2 and tql2 of EISPACK, as in JAMA), O(n^3) with a small constant, to
 * full working precision. Only the upper triangle is read (the input is not changed).
 * @throws RangeError when the matrix is not square or has a non-finite entry.
 * @example symmetricEigen([[2, 1], [1, 2]]).values // [3, 1]
 */
export function symmetricEigen(a: readonly (readonly number[])[]): SymmetricEigen {
  return symmetricEigenImpl(a, true) as SymmetricEigen;
}

/** The eigenvalues (descending) of a symmetric matrix alone: the same algorithm without accumulating vectors (cheaper). */
export function symmetricEigenvalues(a: readonly (readonly number[])[]): number[] {
  return symmetricEigenImpl(a, false).values;
}

/**
 * The eigenvalues (descending) of a symmetric n x n matrix given row-major in `a` (only the upper
 * triangle is read; `a` is not changed): for hot loops that keep their matrices flat.
 */
export function symmetricEigenvaluesFlat(n: number, a: Float64Array): Float64Array {
  const v = floats(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      const x = a[i * n + j];
      if (!Number.isFinite(x)) throw new RangeError(`symmetricEigenvaluesFlat: entry (${i}, ${j}) is ${x}`);
      v[j * n + i] = x;
      v[i * n + j] = x;
    }
  }
  const d = floats(n);
  const e = floats(n);
  if (n > 0) {
    tred2(n, v, d, e, false);
    tql2(n, v, d, e, false);
  }
  return d.reverse();
}

function symmetricEigenImpl(a: readonly (readonly number[])[], wantVectors: boolean): { values: number[]; vectors?: number[][] } {
  const n = a.length;
  // V is stored column-major (V(i, j) = v[j * n + i]): the hot loops run down columns.
  const v = floats(n * n);
  for (let i = 0; i < n; i++) {
    if (a[i].length !== n) throw new RangeError(`symmetricEigen: row ${i} has ${a[i].length} entries, expected ${n}`);
    for (let j = i; j < n; j++) {
      const x = a[i][j];
      if (!Number.isFinite(x)) throw new RangeError(`symmetricEigen: entry (${i}, ${j}) is ${x}`);
      v[j * n + i] = x;
      v[i * n + j] = x;
    }
  }
  const d = floats(n);
  const e = floats(n);
  if (n > 0) {
    tred2(n, v, d, e, wantVectors);
    tql2(n, v, d, e, wantVectors);
  }
  // tql2 sorts ascending; report descending.
  const values: number[] = [];
  if (!wantVectors) {
    for (let c = 0; c < n; c++) values.push(d[n - 1 - c]);
    return { values };
  }
  const vectors: number[][] = Array.from({ length: n }, () => new Array<number>(n));
  for (let c = 0; c < n; c++) {
    const src = n - 1 - c;
    values.push(d[src]);
    for (let i = 0; i < n; i++) vectors[i][c] = v[src * n + i];
  }
  return { values, vectors };
}

/** Householder tridiagonalisation (EISPACK tred2): V(i, j) = v[j * n + i]; on exit d, e hold the tridiagonal form and V the transformation. */
function tred2(n: number, v: Float64Array, d: Float64Array, e: Float64Array, wantVectors: boolean): void {
  const V = (i: number, j: number) => j * n + i;
  for (let j = 0; j < n; j++) d[j] = v[V(n - 1, j)];
  for (let i = n - 1; i > 0; i--) {
    let scale = 0;
    let h = 0;
    for (let k = 0; k < i; k++) scale += Math.abs(d[k]);
    if (scale === 0) {
      e[i] = d[i - 1];
      for (let j = 0; j < i; j++) {
        d[j] = v[V(i - 1, j)];
        v[V(i, j)] = 0;
        v[V(j, i)] = 0;
      }
    } else {
      for (let k = 0; k < i; k++) {
        d[k] /= scale;
        h += d[k] * d[k];
      }
      let f = d[i - 1];
      let g = Math.sqrt(h);
      if (f > 0) g = -g;
      e[i] = scale * g;
      h -= f * g;
      d[i - 1] = f - g;
      for (let j = 0; j < i; j++) e[j] = 0;
      for (let j = 0; j < i; j++) {
        f = d[j];
        v[V(j, i)] = f;
        g = e[j] + v[V(j, j)] * f;
        for (let k = j + 1; k <= i - 1; k++) {
          g += v[V(k, j)] * d[k];
          e[k] += v[V(k, j)] * f;
        }
        e[j] = g;
      }
      f = 0;
      for (let j = 0; j < i; j++) {
        e[j] /= h;
        f += e[j] * d[j];
      }
      const hh = f / (h + h);
      for (let j = 0; j < i; j++) e[j] -= hh * d[j];
      for (let j = 0; j < i; j++) {
        f = d[j];
        g = e[j];
        for (let k = j; k <= i - 1; k++) v[V(k, j)] -= f * e[k] + g * d[k];
        d[j] = v[V(i - 1, j)];
        v[V(i, j)] = 0;
      }
    }
    d[i] = h;
  }
  if (!wantVectors) {
    // d holds the diagonal of the tridiagonal form in V's diagonal entries after the loop above.
    for (let j = 0; j < n; j++) d[j] = v[V(j, j)];
    e[0] = 0;
    return;
  }
  for (let i = 0; i < n - 1; i++) {
    v[V(n - 1, i)] = v[V(i, i)];
    v[V(i, i)] = 1;
    const h = d[i + 1];
    if (h !== 0) {
      for (let k = 0; k <= i; k++) d[k] = v[V(k, i + 1)] / h;
      for (let j = 0; j <= i; j++) {
        let g = 0;
        for (let k = 0; k <= i; k++) g += v[V(k, i + 1)] * v[V(k, j)];
        for (let k = 0; k <= i; k++) v[V(k, j)] -= g * d[k];
      }
    }
    for (let k = 0; k <= i; k++) v[V(k, i + 1)] = 0;
  }
  for (let j = 0; j < n; j++) {
    d[j] = v[V(n - 1, j)];
    v[V(n - 1, j)] = 0;
  }
  v[V(n - 1, n - 1)] = 1;
  e[0] = 0;
}

/** Implicit QL on the tridiagonal form (EISPACK tql2): eigenvalues ascending in d, eigenvectors in V's columns. */
function tql2(n: number, v: Float64Array, d: Float64Array, e: Float64Array, wantVectors: boolean): void {
  for (let i = 1; i < n; i++) e[i - 1] = e[i];
  e[n - 1] = 0;
  let f = 0;
  let tst1 = 0;
  const eps = Number.EPSILON;
  for (let l = 0; l < n; l++) {
    tst1 = Math.max(tst1, Math.abs(d[l]) + Math.abs(e[l]));
    let m = l;
    while (m < n) {
      if (Math.abs(e[m]) <= eps * tst1) break;
      m++;
    }
    if (m > l) {
      for (let iter = 0; ; iter++) {
        if (iter > 200) throw new RangeError("symmetricEigen: the QL iteration did not converge");
        let g = d[l];
        let p = (d[l + 1] - g) / (2 * e[l]);
        let r = Math.hypot(p, 1);
        if (p < 0) r = -r;
        d[l] = e[l] / (p + r);
        d[l + 1] = e[l] * (p + r);
        const dl1 = d[l + 1];
        let h = g - d[l];
        for (let i = l + 2; i < n; i++) d[i] -= h;
        f += h;
        p = d[m];
        let c = 1;
        let c2 = c;
        let c3 = c;
        const el1 = e[l + 1];
        let s = 0;
        let s2 = 0;
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          g = c * e[i];
          h = c * p;
          r = Math.hypot(p, e[i]);
          e[i + 1] = s * r;
          s = e[i] / r;
          c = p / r;
          p = c * d[i] - s * g;
          d[i + 1] = h + s * (c * g + s * d[i]);
          if (!wantVectors) continue;
          const ci = i * n;
          const ci1 = (i + 1) * n;
          for (let k = 0; k < n; k++) {
            h = v[ci1 + k];
            v[ci1 + k] = s * v[ci + k] + c * h;
            v[ci + k] = c * v[ci + k] - s * h;
          }
        }
        p = (-s * s2 * c3 * el1 * e[l]) / dl1;
        e[l] = s * p;
        d[l] = c * p;
        if (!(Math.abs(e[l]) > eps * tst1)) break;
      }
    }
    d[l] += f;
    e[l] = 0;
  }
  for (let i = 0; i < n - 1; i++) {
    let k = i;
    let p = d[i];
    for (let j = i + 1; j < n; j++) {
      if (d[j] < p) {
        k = j;
        p = d[j];
      }
    }
    if (k !== i) {
      d[k] = d[i];
      d[i] = p;
      if (!wantVectors) continue;
      for (let j = 0; j < n; j++) {
        const t = v[i * n + j];
        v[i * n + j] = v[k * n + j];
        v[k * n + j] = t;
      }
    }
  }
}

/**
 * The Cholesky factor R (upper triangular, A = R^T R) of a symmetric positive definite matrix, or
 * null when A is not positive definite to working precision.
 * @example cholesky([[4, 2], [2, 5]]) // [[2, 1], [0, 2]]
 */
export function cholesky(a: readonly (readonly number[])[]): number[][] | null {
  const n = a.length;
  const r = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let j = 0; j < n; j++) {
    let d = a[j][j];
    for (let k = 0; k < j; k++) d -= r[k][j] * r[k][j];
    if (!(d > 0)) return null;
    const rjj = Math.sqrt(d);
    r[j][j] = rjj;
    for (let i = j + 1; i < n; i++) {
      let acc = a[j][i];
      for (let k = 0; k < j; k++) acc -= r[k][j] * r[k][i];
      r[j][i] = acc / rjj;
    }
  }
  return r;
}

/**
 * Solves A x = b by Gaussian elimination with partial pivoting; null when A is singular to working
 * precision (a pivot below 1e-14 times the largest entry).
 * @example solveLinear([[2, 0], [0, 4]], [2, 2]) // [1, 0.5]
 */
export function solveLinear(a: readonly (readonly number[])[], b: readonly number[]): number[] | null {
  const n = a.length;
  if (b.length !== n) throw new RangeError(`solveLinear: ${n} rows but ${b.length} right-hand sides`);
  const m = a.map((row, i) => [...row, b[i]]);
  let scale = 0;
  for (const row of a) for (const x of row) scale = Math.max(scale, Math.abs(x));
  for (let col = 0; col < n; col++) {
    let piv = col;
    for (let i = col + 1; i < n; i++) if (Math.abs(m[i][col]) > Math.abs(m[piv][col])) piv = i;
    if (!(Math.abs(m[piv][col]) > 1e-14 * scale)) return null;
    if (piv !== col) [m[piv], m[col]] = [m[col], m[piv]];
    for (let i = col + 1; i < n; i++) {
      const f = m[i][col] / m[col][col];
      if (f === 0) continue;
      for (let k = col; k <= n; k++) m[i][k] -= f * m[col][k];
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let i = n - 1; i >= 0; i--) {
    let sum = m[i][n];
    for (let k = i + 1; k < n; k++) sum -= m[i][k] * x[k];
    x[i] = sum / m[i][i];
  }
  return x;
}

/** An LU factorisation with partial pivoting (row-major, packed), for repeated solves with one matrix. */
export interface LuFactors {
  readonly n: number;
  readonly lu: Float64Array;
  readonly pivots: Int32Array;
}

/**
 * Factors A = P L U (partial pivoting); null when A is singular to working precision (a pivot
 * below 1e-14 times the largest entry).
 */
export function luFactor(a: readonly (readonly number[])[]): LuFactors | null {
  const n = a.length;
  const flat = floats(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) flat[i * n + j] = a[i][j];
  return luFactorFlat(n, flat);
}

/** luFactor of a row-major n x n matrix, factored in place (the array becomes the packed factors). */
export function luFactorFlat(n: number, lu: Float64Array): LuFactors | null {
  let scale = 0;
  for (let i = 0; i < n * n; i++) scale = Math.max(scale, Math.abs(lu[i]));
  const pivots = new Int32Array(n);
  for (let col = 0; col < n; col++) {
    let piv = col;
    for (let i = col + 1; i < n; i++) if (Math.abs(lu[i * n + col]) > Math.abs(lu[piv * n + col])) piv = i;
    if (!(Math.abs(lu[piv * n + col]) > 1e-14 * scale)) return null;
    pivots[col] = piv;
    if (piv !== col) {
      for (let k = 0; k < n; k++) {
        const t = lu[piv * n + k];
        lu[piv * n + k] = lu[col * n + k];
        lu[col * n + k] = t;
      }
    }
    const d = lu[col * n + col];
    for (let i = col + 1; i < n; i++) {
      const f = (lu[i * n + col] /= d);
      if (f === 0) continue;
      for (let k = col + 1; k < n; k++) lu[i * n + k] -= f * lu[col * n + k];
    }
  }
  return { n, lu, pivots };
}

/** Solves A x = b with the factors of A (b is not changed). */
export function luSolve(f: LuFactors, b: ArrayLike<number>): Float64Array {
  const { n, lu, pivots } = f;
  const x = Float64Array.from(b);
  for (let i = 0; i < n; i++) {
    const p = pivots[i];
    if (p !== i) {
      const t = x[p];
      x[p] = x[i];
      x[i] = t;
    }
    for (let k = 0; k < i; k++) x[i] -= lu[i * n + k] * x[k];
  }
  for (let i = n - 1; i >= 0; i--) {
    for (let k = i + 1; k < n; k++) x[i] -= lu[i * n + k] * x[k];
    x[i] /= lu[i * n + i];
  }
  return x;
}
