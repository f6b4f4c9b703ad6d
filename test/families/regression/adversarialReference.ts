/**
 * Reference solvers for adversarial regression, independent of the production code (tests only):
 *
 * - bruteForceAdversarial: the exact minimiser of L(beta) = (1/n) sum (|r_i| + eps ||beta||_q)^2
 *   by enumerating every pattern of the kinks. For a pattern (zero residuals A, residual signs s,
 *   and for q = 1 the zero coordinates and coordinate signs), L equals a smooth function Q on the
 *   pattern's region; the minimiser beta* of the convex L lies in the relative interior of its own
 *   pattern's region, where it is a stationary point of Q on the region's affine set. For q = 1, Q
 *   is a convex quadratic, so its minimiser on the affine set is beta* for that pattern, and every
 *   other pattern's minimiser gives a value L(b) >= L*: the minimum of L over all patterns'
 *   minimisers is L*, attained at beta*. Exponential: 3^(n + p) patterns. For q = 2 (Q is not
 *   quadratic there), nested golden-section searches over a box that contains beta*, exact for a
 *   convex function up to the resolution of the searches (about 1e-8 relative in beta where L is
 *   smooth at beta*): 80^p evaluations, p <= 3 only.
 * - subgradientDescent: plain subgradient descent with steps c / sqrt(k), returning the best iterate.
 */
import type { PerturbationNorm } from "../../../src/core/model/perturbation.js";

function loss(x: Float64Array, y: Float64Array, n: number, p: number, b: ArrayLike<number>, eps: number, norm: PerturbationNorm): number {
  let N = 0;
  if (norm === "linf") for (let j = 0; j < p; j++) N += Math.abs(b[j]);
  else {
    for (let j = 0; j < p; j++) N += b[j] * b[j];
    N = Math.sqrt(N);
  }
  let s = 0;
  for (let i = 0; i < n; i++) {
    let f = 0;
    for (let j = 0; j < p; j++) f += x[i * p + j] * b[j];
    const a = Math.abs(y[i] - f) + eps * N;
    s += a * a;
  }
  return s / n;
}

/** Solves a dense square system by Gaussian elimination with partial pivoting; null if singular. */
function solveDense(a: number[][], b: number[]): number[] | null {
  const m = b.length;
  const A = a.map((row, i) => [...row, b[i]]);
  for (let c = 0; c < m; c++) {
    let piv = c;
    for (let r = c + 1; r < m; r++) if (Math.abs(A[r][c]) > Math.abs(A[piv][c])) piv = r;
    if (!(Math.abs(A[piv][c]) > 1e-13)) return null;
    [A[c], A[piv]] = [A[piv], A[c]];
    for (let r = 0; r < m; r++) {
      if (r === c) continue;
      const f = A[r][c] / A[c][c];
      for (let k = c; k <= m; k++) A[r][k] -= f * A[c][k];
    }
  }
  return A.map((row, i) => row[m] / row[i]);
}

/** All vectors of {-1, 0, 1}^k. */
function* patterns(k: number): Generator<number[]> {
  const v = new Array<number>(k).fill(-1);
  for (;;) {
    yield [...v];
    let i = 0;
    while (i < k && v[i] === 1) v[i++] = -1;
    if (i === k) return;
    v[i]++;
  }
}

/** For q = 1: the minimiser of the quadratic Q of a pattern on its affine set (null if not unique). */
function reducedL1(x: Float64Array, y: Float64Array, n: number, p: number, eps: number, sr: number[], sb: number[]): Float64Array | null {
  const F = sb.flatMap((v, j) => (v !== 0 ? [j] : []));
  const A = sr.flatMap((v, i) => (v === 0 ? [i] : []));
  const k = F.length;
  if (k === 0) return new Float64Array(p);
  if (A.length > k) return null;
  // Rows of G: g_i = -s_i x_iF + eps sigma_F (i not in A) with h_i = s_i y_i; sqrt(|A|) eps sigma with h = 0.
  const rows: { g: number[]; h: number }[] = [];
  for (let i = 0; i < n; i++) if (sr[i] !== 0) rows.push({ g: F.map((j) => -sr[i] * x[i * p + j] + eps * sb[j]), h: sr[i] * y[i] });
  if (A.length > 0) rows.push({ g: F.map((j) => Math.sqrt(A.length) * eps * sb[j]), h: 0 });
  const m = k + A.length;
  const K = Array.from({ length: m }, () => new Array<number>(m).fill(0));
  const rhs = new Array<number>(m).fill(0);
  for (const { g, h } of rows) {
    for (let a = 0; a < k; a++) {
      rhs[a] -= 2 * g[a] * h;
      for (let c = 0; c < k; c++) K[a][c] += 2 * g[a] * g[c];
    }
  }
  A.forEach((i, q) => {
    F.forEach((j, a) => {
      K[k + q][a] = x[i * p + j];
      K[a][k + q] = x[i * p + j];
    });
    rhs[k + q] = y[i];
  });
  const sol = solveDense(K, rhs);
  if (sol === null) return null;
  const beta = new Float64Array(p);
  F.forEach((j, a) => (beta[j] = sol[a]));
  return beta;
}

/**
 * Minimises a convex function over the box [-B, B]^k by nested golden-section searches: the partial
 * minimum of a jointly convex function over the inner coordinates is convex in the outer ones, so
 * each level is a one-dimensional convex minimisation (80 golden steps: width 2B 0.618^80 ~ 4e-17 B).
 */
function boxMinimise(f: (b: Float64Array) => number, k: number, B: number): Float64Array {
  const point = new Float64Array(k);
  const phi = (Math.sqrt(5) - 1) / 2;
  const level = (d: number): number => {
    if (d === k) return f(point);
    let lo = -B;
    let hi = B;
    let x1 = hi - phi * (hi - lo);
    let x2 = lo + phi * (hi - lo);
    point[d] = x1;
    let f1 = level(d + 1);
    point[d] = x2;
    let f2 = level(d + 1);
    for (let it = 0; it < 80; it++) {
      if (f1 <= f2) {
        hi = x2;
        x2 = x1;
        f2 = f1;
        x1 = hi - phi * (hi - lo);
        point[d] = x1;
        f1 = level(d + 1);
      } else {
        lo = x1;
        x1 = x2;
        f1 = f2;
        x2 = lo + phi * (hi - lo);
        point[d] = x2;
        f2 = level(d + 1);
      }
    }
    point[d] = (lo + hi) / 2;
    return level(d + 1);
  };
  level(0);
  return Float64Array.from(point);
}

/** The exact minimiser of the adversarial loss by enumeration (small n and p only; see the file comment). */
export function bruteForceAdversarial(x: Float64Array, y: Float64Array, n: number, p: number, eps: number, norm: PerturbationNorm): { beta: Float64Array; loss: number } {
  let best: { beta: Float64Array; loss: number } = { beta: new Float64Array(p), loss: loss(x, y, n, p, new Float64Array(p), eps, norm) };
  if (norm === "linf") {
    for (const sr of patterns(n)) {
      for (const sb of patterns(p)) {
        const b = reducedL1(x, y, n, p, eps, sr, sb);
        if (b === null) continue;
        const l = loss(x, y, n, p, b, eps, norm);
        if (l < best.loss) best = { beta: b, loss: l };
      }
    }
    return best;
  }
  // q = 2: L(beta*) <= L(0) = ||y||^2 / n and L >= eps^2 ||beta||^2, so ||beta*||_inf <= ||y|| / (sqrt(n) eps).
  let yy = 0;
  for (let i = 0; i < n; i++) yy += y[i] * y[i];
  const b = boxMinimise((v) => loss(x, y, n, p, v, eps, norm), p, Math.sqrt(yy / n) / eps);
  const l = loss(x, y, n, p, b, eps, norm);
  return l < best.loss ? { beta: b, loss: l } : best;
}

/** Subgradient descent with step c / sqrt(k + 1), c = 0.5 n / ||X||_F^2 by default; the best iterate. */
export function subgradientDescent(x: Float64Array, y: Float64Array, n: number, p: number, eps: number, norm: PerturbationNorm, start: Float64Array, iterations: number): { beta: Float64Array; loss: number } {
  let fro = 0;
  for (let k = 0; k < n * p; k++) fro += x[k] * x[k];
  const c = (0.5 * n) / fro;
  const b = Float64Array.from(start);
  let best = { beta: Float64Array.from(b), loss: loss(x, y, n, p, b, eps, norm) };
  const g = new Float64Array(p);
  for (let k = 0; k < iterations; k++) {
    let N = 0;
    if (norm === "linf") for (let j = 0; j < p; j++) N += Math.abs(b[j]);
    else N = Math.sqrt(b.reduce((a, v) => a + v * v, 0));
    g.fill(0);
    let Phi = 0;
    for (let i = 0; i < n; i++) {
      let f = 0;
      for (let j = 0; j < p; j++) f += x[i * p + j] * b[j];
      const r = y[i] - f;
      const phi = Math.abs(r) + eps * N;
      Phi += phi;
      const s = r > 0 ? 1 : r < 0 ? -1 : 0;
      for (let j = 0; j < p; j++) g[j] -= (2 / n) * phi * s * x[i * p + j];
    }
    for (let j = 0; j < p; j++) {
      const dn = norm === "linf" ? Math.sign(b[j]) : N > 0 ? b[j] / N : 0;
      g[j] += (2 / n) * eps * Phi * dn;
    }
    const step = c / Math.sqrt(k + 1);
    for (let j = 0; j < p; j++) b[j] -= step * g[j];
    const l = loss(x, y, n, p, b, eps, norm);
    if (l < best.loss) best = { beta: Float64Array.from(b), loss: l };
  }
  return best;
}
