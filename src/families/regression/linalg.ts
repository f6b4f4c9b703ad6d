/**
 * Small dense linear algebra of the regression family on Float64Array: Cholesky factors and
 * triangular solves (per-task least squares, the compression of a task's sample, the AltMin
 * W-step), and the symmetric eigendecomposition (ml-matrix's Householder tridiagonalisation and
 * QL) used by the method of moments and the spectral estimator. Square matrices are row-major
 * n x n arrays; for the symmetric ones the layout does not matter.
 */
import { EigenvalueDecomposition, Matrix } from "ml-matrix";

/**
 * In-place Cholesky factorisation of a symmetric positive definite n x n matrix (row-major; only
 * the lower triangle is read): on success a holds L (lower triangular, a = L L^T; the strict upper
 * triangle is zeroed) and the function returns true. Returns false, leaving a partly overwritten,
 * when a pivot is not positive (the matrix is not numerically positive definite).
 * [[4, 2], [2, 5]] = L L^T with L = [[2, 0], [1, 2]]:
 * @example
 * const a = Float64Array.of(4, 2, 2, 5);
 * cholesky(a, 2) // true
 * a // [2, 0, 1, 2]
 */
export function cholesky(a: Float64Array, n: number): boolean {
  return choleskyAt(a, 0, n);
}

/**
 * `cholesky` of the n x n matrix stored at offset `off` of `a` (row-major), in place: no allocation,
 * for the small per-task systems of the hot loops.
 */
export function choleskyAt(a: Float64Array, off: number, n: number): boolean {
  for (let j = 0; j < n; j++) {
    const rj = off + j * n;
    let diag = a[rj + j];
    for (let k = 0; k < j; k++) diag -= a[rj + k] * a[rj + k];
    if (!(diag > 0) || !Number.isFinite(diag)) return false;
    const ljj = Math.sqrt(diag);
    a[rj + j] = ljj;
    const inv = 1 / ljj;
    for (let i = j + 1; i < n; i++) {
      const ri = off + i * n;
      let s = a[ri + j];
      for (let k = 0; k < j; k++) s -= a[ri + k] * a[rj + k];
      a[ri + j] = s * inv;
    }
    for (let k = j + 1; k < n; k++) a[rj + k] = 0;
  }
  return true;
}

/** Solves (L L^T) x = b in place, L at offset lo of `a`, b at offset bo of `a` (from `choleskyAt`). */
export function choleskySolveAt(a: Float64Array, lo: number, n: number, bo: number): void {
  for (let i = 0; i < n; i++) {
    const ri = lo + i * n;
    let s = a[bo + i];
    for (let k = 0; k < i; k++) s -= a[ri + k] * a[bo + k];
    a[bo + i] = s / a[ri + i];
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = a[bo + i];
    for (let k = i + 1; k < n; k++) s -= a[lo + k * n + i] * a[bo + k];
    a[bo + i] = s / a[lo + i * n + i];
  }
}

/** Solves L x = b in place (L lower triangular, row-major n x n, from `cholesky`). */
export function solveLower(l: Float64Array, n: number, b: Float64Array): void {
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    let s = b[i];
    for (let k = 0; k < i; k++) s -= l[ri + k] * b[k];
    b[i] = s / l[ri + i];
  }
}

/** Solves L^T x = b in place (L lower triangular, row-major n x n). */
export function solveLowerTranspose(l: Float64Array, n: number, b: Float64Array): void {
  for (let i = n - 1; i >= 0; i--) {
    let s = b[i];
    for (let k = i + 1; k < n; k++) s -= l[k * n + i] * b[k];
    b[i] = s / l[i * n + i];
  }
}

/** Solves (L L^T) x = b in place. */
export function choleskySolve(l: Float64Array, n: number, b: Float64Array): void {
  solveLower(l, n, b);
  solveLowerTranspose(l, n, b);
}

/** Eigenvalues (descending) and eigenvectors of a symmetric matrix. */
export interface SymmetricEigen {
  /** All n eigenvalues, descending. */
  readonly values: Float64Array;
  /** Eigenvectors as columns of an n x n column-major array, in the order of `values`. */
  readonly vectors: Float64Array;
}

/**
 * The eigendecomposition of a symmetric n x n matrix (the upper and lower triangles must agree),
 * by ml-matrix (Householder tridiagonalisation and implicit QL, O(n^3)), sorted descending.
 */
export function symmetricEigen(a: Float64Array, n: number): SymmetricEigen {
  const m = new Matrix(n, n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) m.set(i, j, a[i * n + j]);
  const evd = new EigenvalueDecomposition(m, { assumeSymmetric: true });
  const raw = evd.realEigenvalues;
  const order = Array.from(raw.keys()).sort((i, j) => raw[j] - raw[i]);
  const v = evd.eigenvectorMatrix;
  const values = Float64Array.from(order, (o) => raw[o]);
  const vectors = new Float64Array(n * n);
  order.forEach((o, c) => {
    for (let i = 0; i < n; i++) vectors[i + c * n] = v.get(i, o);
  });
  return { values, vectors };
}

/**
 * Solves the small symmetric positive definite system G x = b (G row-major k x k, copied), by
 * Cholesky; returns null when G is not numerically positive definite.
 */
export function solveSpd(g: Float64Array, k: number, b: Float64Array): Float64Array | null {
  const l = Float64Array.from(g);
  if (!cholesky(l, k)) return null;
  const x = Float64Array.from(b);
  choleskySolve(l, k, x);
  return x;
}
