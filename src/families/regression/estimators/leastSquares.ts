/**
 * Per-task least squares (MODEL §3.5, spectral estimator): ordinary least squares when n > p, the
 * minimum-norm solution X^T (X X^T)^{-1} y when n <= p, and ridge, computed in the cheaper of the
 * primal (p x p) and kernel (n x n) forms, with the small products they need. X is n x p row-major.
 */
import { cholesky, choleskySolve } from "../linalg.js";
import { workspace } from "../simd/kernels.js";

/** The normal matrix X^T X (p x p, row-major, full) of an n x p row-major X. */
export function gramColumns(x: Float64Array, n: number, p: number, out = new Float64Array(p * p)): Float64Array {
  out.fill(0);
  for (let i = 0; i < n; i++) {
    const o = i * p;
    for (let a = 0; a < p; a++) {
      const xa = x[o + a];
      if (xa === 0) continue;
      const ra = a * p;
      for (let b = 0; b <= a; b++) out[ra + b] += xa * x[o + b];
    }
  }
  for (let a = 0; a < p; a++) for (let b = 0; b < a; b++) out[b * p + a] = out[a * p + b];
  return out;
}

/** The kernel matrix X X^T (n x n, row-major, full). */
export function gramRows(x: Float64Array, n: number, p: number, out = new Float64Array(n * n)): Float64Array {
  for (let i = 0; i < n; i++) {
    const oi = i * p;
    for (let k = 0; k <= i; k++) {
      const ok = k * p;
      let s = 0;
      for (let j = 0; j < p; j++) s += x[oi + j] * x[ok + j];
      out[i * n + k] = s;
      out[k * n + i] = s;
    }
  }
  return out;
}

/** X^T v for an n x p row-major X. */
export function transposeApply(x: Float64Array, n: number, p: number, v: ArrayLike<number>, out = new Float64Array(p)): Float64Array {
  out.fill(0);
  for (let i = 0; i < n; i++) {
    const vi = v[i];
    if (vi === 0) continue;
    const o = i * p;
    for (let j = 0; j < p; j++) out[j] += vi * x[o + j];
  }
  return out;
}

/** X b for an n x p row-major X. */
export function apply(x: Float64Array, n: number, p: number, b: ArrayLike<number>, out = new Float64Array(n)): Float64Array {
  for (let i = 0; i < n; i++) {
    const o = i * p;
    let s = 0;
    for (let j = 0; j < p; j++) s += x[o + j] * b[j];
    out[i] = s;
  }
  return out;
}

/**
 * The solution of (X^T X + penalty I) b = X^T y: ridge regression for penalty > 0 (the minimiser
 * of ||y - X b||^2 + penalty ||b||^2; (1/n) ||y - X b||^2 + lambda ||b||^2 is penalty = n lambda),
 * and for penalty = 0 least squares (n > p) or the minimum-norm solution X^T (X X^T)^{-1} y
 * (n <= p). Computed in the primal form (p x p) when n > p and in the kernel form
 * b = X^T (X X^T + penalty I)^{-1} y (n x n) otherwise (equal whenever both are defined). Returns
 * null when the system is not numerically positive definite (a rank-deficient design at penalty 0).
 */
export function ridge(x: Float64Array, y: ArrayLike<number>, n: number, p: number, penalty: number): Float64Array | null {
  if (n > p) {
    const g = gramColumns(x, n, p);
    for (let a = 0; a < p; a++) g[a * p + a] += penalty;
    if (!cholesky(g, p)) return null;
    const b = transposeApply(x, n, p, y);
    choleskySolve(g, p, b);
    return b;
  }
  const k = gramRows(x, n, p);
  for (let i = 0; i < n; i++) k[i * n + i] += penalty;
  if (!cholesky(k, n)) return null;
  const a = Float64Array.from(y);
  choleskySolve(k, n, a);
  return transposeApply(x, n, p, a);
}

/**
 * `ridge` for rows <= p in the kernel form on the SIMD workspace: X X^T by the dots kernel (column
 * l of the "u" operand is row l of X), Cholesky, and X^T a by axpyRows. Same result as `ridge` up
 * to the order of the sums. Returns null when X X^T + penalty I is not positive definite.
 */
export function ridgeRows(x: Float64Array, y: ArrayLike<number>, rows: number, p: number, penalty: number): Float64Array | null {
  const ws = workspace();
  const kOff = rows * p;
  const aOff = kOff + rows * rows;
  const qOff = aOff + rows;
  ws.reserve(qOff + p);
  const m = ws.f64;
  m.set(x.subarray(0, rows * p), 0);
  ws.kernels.dots(0, rows, p, 0, rows, kOff);
  const k = m.slice(kOff, kOff + rows * rows);
  for (let i = 0; i < rows; i++) k[i * rows + i] += penalty;
  if (!cholesky(k, rows)) return null;
  const a = Float64Array.from(y);
  choleskySolve(k, rows, a);
  m.set(a, aOff);
  ws.kernels.axpyRows(0, rows, p, aOff, qOff);
  return m.slice(qOff, qOff + p);
}
