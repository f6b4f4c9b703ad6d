/**
 * The regression family's bounds with explicit constants (docs/THEORY.md R7), as pure functions.
 *
 * R7.1, method of moments, for the isotropic design x ~ N(0, I_d) and fixed heads, with
 * M_hat = (1/N) sum_i y_i^2 x_i x_i^T (N = n T), M_bar = E M_hat = c I + (2/T) B* W W^T B*^T,
 * c = sigma^2 + (1/T) sum_t ||beta_t||^2, eigengap delta = (2/T) sigma_r(W)^2 and E = M_hat - M_bar:
 *   MoM-D      sinTheta <= (||P_perp E U||_2 + ||R||_2) / (lambda_hat_r - c)     (deterministic)
 *              and the same with Frobenius norms for ||P_perp U||_F;
 *   MoM-DK     sinTheta <= ||E||_2 / (delta - ||E||_2)                             (deterministic, Weyl)
 *   Chebyshev  ||E||_2 <= sqrt(E||E||_F^2 / delta_C)                     w.p. >= 1 - delta_C
 *   Bernstein  ||E||_2 <= u / N + truncation bias                        w.p. >= 1 - delta_T - delta_B
 *   composite  sinTheta <= eps_E / (delta - eps_E) on either level's event.
 * R is the residual M_hat U - U Lambda_hat of the computed eigenpairs (THEORY R7.1 assumes exact
 * ones): with it in the numerator MoM-D holds for the computed U, whatever the solver's tolerance.
 *
 * R7.2, spectral estimator with per-task least squares (n > d), M_hat = [beta_hat_t] = B* W + E:
 *   B1           sinTheta <= ||P_perp M_hat||_2 / sigma_r(M_hat)                   (deterministic, any M)
 *   conditional  sinTheta <= sigma l_perp (sqrt(d-r) + sqrt T + x) / (sigma_r(W) - sigma l_par (sqrt r + sqrt T + x))
 *                w.p. >= 1 - 2 exp(-x^2/2) given the designs;
 *   model-only   the same with l_perp, l_par <= 1 / (sqrt(lambda_min(Sigma_x)) (sqrt n - sqrt d - x')),
 *                w.p. >= 1 - 2 exp(-x^2/2) - T exp(-x'^2/2).
 * R7.3: no explicit ERM bound (the explicit versions are vacuous at every reference size).
 *
 * Every bound is a BoundValue (core/model/boundValue.ts): finite, capped at the trivial bound, and
 * undefined (only the cap) where a denominator is not positive.
 */
import { type Mat, column, frobenius, norm2, zeros } from "../../../core/linalg/mat.js";
import { residualOutside, singularValues } from "../../../core/linalg/decompositions.js";
import { normalCdf } from "../../../core/linalg/normal.js";
import { requireInteger, requireNumber } from "../../../core/config/parse.js";
import { type BoundValue, fromFormula, ratioBound } from "../../../core/model/boundValue.js";
import { cholesky, solveLower, symmetricEigen } from "../linalg.js";

/** Q(x) = P(N(0,1) > x). */
function upperTail(x: number): number {
  return normalCdf(-x);
}

/** The fourth-order moments of one task (THEORY R7.1), for ||beta|| = b, noise sd sigma, x ~ N(0, I_d). */
export interface TaskFourthMoments {
  /** s^2 = b^2 + sigma^2 = Var y. */
  readonly s2: number;
  /** E y^4 = 3 s^4. */
  readonly ey4: number;
  /** E y^4 u^2 = 3 s^4 + 12 s^2 b^2 (u = <e, x>, e = beta / b). */
  readonly ey4u2: number;
  /** E y^4 u^4 = 9 s^4 + 72 s^2 b^2 + 24 b^4. */
  readonly ey4u4: number;
  /** E y^4 ||x||^4 = E y^4 u^4 + 2 (d-1) E y^4 u^2 + 3 s^4 (d-1)(d+1). */
  readonly ey4x4: number;
  /** ||E y^2 x x^T||_F^2 = d s^4 + 4 s^2 b^2 + 4 b^4. */
  readonly meanSquaredFrobenius: number;
  /** V = E y^4 ||x||^4 - ||E y^2 x x^T||_F^2 = E ||y^2 x x^T - E y^2 x x^T||_F^2. */
  readonly variance: number;
  /** Eigenvalue of E[y^4 ||x||^2 x x^T] along e: E y^4 u^4 + (d-1) E y^4 u^2. */
  readonly lambdaAlong: number;
  /** Eigenvalue of E[y^4 ||x||^2 x x^T] orthogonal to e: E y^4 u^2 + 3 s^4 (d+1). */
  readonly lambdaPerp: number;
}

/**
 * THEORY R7.1's moments of y^2 x x^T for y = <beta, x> + sigma xi, x ~ N(0, I_d), ||beta|| = b
 * (Isserlis, with x = e u + x_perp). At b = 0, E y^4 ||x||^4 = 3 s^4 d (d + 2) = E xi^4 E ||x||^4.
 */
export function taskFourthMoments(b: number, sigma: number, d: number): TaskFourthMoments {
  requireNumber("b", b, { min: 0 });
  requireNumber("sigma", sigma, { min: 0 });
  requireInteger("d", d, 1);
  const b2 = b * b;
  const s2 = b2 + sigma * sigma;
  const s4 = s2 * s2;
  const ey4 = 3 * s4;
  const ey4u2 = 3 * s4 + 12 * s2 * b2;
  const ey4u4 = 9 * s4 + 72 * s2 * b2 + 24 * b2 * b2;
  const ey4x4 = ey4u4 + 2 * (d - 1) * ey4u2 + 3 * s4 * (d - 1) * (d + 1);
  const meanSquaredFrobenius = d * s4 + 4 * s2 * b2 + 4 * b2 * b2;
  return {
    s2,
    ey4,
    ey4u2,
    ey4u4,
    ey4x4,
    meanSquaredFrobenius,
    variance: ey4x4 - meanSquaredFrobenius,
    lambdaAlong: ey4u4 + (d - 1) * ey4u2,
    lambdaPerp: ey4u2 + 3 * s4 * (d + 1),
  };
}

/**
 * E ||M_hat - M_bar||_F^2 = (1 / (n T^2)) sum_t V(||beta_t||) for n samples per task (THEORY R7.1):
 * the entries' variances summed, the N = n T summands being independent.
 */
export function momExpectedSquaredFrobenius(betaNorms: ArrayLike<number>, sigma: number, d: number, n: number): number {
  const T = betaNorms.length;
  requireInteger("T", T, 1);
  requireInteger("n", n, 1);
  let sum = 0;
  for (let t = 0; t < T; t++) sum += taskFourthMoments(betaNorms[t], sigma, d).variance;
  return sum / (n * T * T);
}

/** THEORY R7.1, Chebyshev: with probability >= 1 - delta, ||E||_2 <= ||E||_F <= sqrt(E ||E||_F^2 / delta). */
export function chebyshevLevel(betaNorms: ArrayLike<number>, sigma: number, d: number, n: number, delta: number): number {
  requireNumber("delta", delta, { min: 0, max: 1, minOpen: true, maxOpen: true });
  return Math.sqrt(momExpectedSquaredFrobenius(betaNorms, sigma, d, n) / delta);
}

/** The matrix-Bernstein level and its parts (THEORY R7.1). */
export interface BernsteinLevel {
  /** The bound on ||E||_2: u / N + bias. */
  readonly level: number;
  /** Truncation levels: ||x||^2 <= lx, y^2 <= ly. */
  readonly lx: number;
  readonly ly: number;
  /** The almost-sure bound L on lambda_max(+-Z_i). */
  readonly L: number;
  /** The variance proxy v >= || sum_i E Z_i^2 ||. */
  readonly v: number;
  /** The deviation u of || sum Z_i || at probability delta_B. */
  readonly u: number;
  /** The bound on the truncation bias || (1/N) sum E[y^2 x x^T 1_{G^c}] ||. */
  readonly bias: number;
}

/**
 * THEORY R7.1, matrix Bernstein with truncation: with probability >= 1 - delta (delta_T = delta_B =
 * delta / 2), ||E||_2 <= u / N + (1/T) sum_t sqrt(E_t[y^4 ||x||^4] p_t). `heads` is W (r x T) with
 * beta_t = B* w_t, B* orthonormal (so ||beta_t|| = ||w_t||); n samples per task, x ~ N(0, I_d).
 * Truncation G_i = {||x_i||^2 <= lx, y_i^2 <= ly}: lx = d + 2 sqrt(d x1) + 2 x1 with N e^{-x1} =
 * delta_T / 2 (Laurent-Massart) and ly the level with sum_t 2 n Q(sqrt(ly) / s_t) <= delta_T / 2
 * (bisection). Tropp's inequality P(|| sum Z_i || >= u) <= 2 d exp(-(u^2/2) / (v + L u / 3)) gives
 * u = L l / 3 + sqrt((L l / 3)^2 + 2 v l), l = log(2 d / delta_B).
 */
export function bernsteinLevel(heads: Mat, sigma: number, d: number, n: number, delta: number): BernsteinLevel {
  requireNumber("delta", delta, { min: 0, max: 1, minOpen: true, maxOpen: true });
  requireNumber("sigma", sigma, { min: 0 });
  requireInteger("n", n, 1);
  const r = heads.rows;
  const T = heads.cols;
  requireInteger("T", T, 1);
  const N = n * T;
  const deltaT = delta / 2;
  const deltaB = delta / 2;
  const x1 = Math.log((2 * N) / deltaT);
  const lx = d + 2 * Math.sqrt(d * x1) + 2 * x1;
  const b = Float64Array.from({ length: T }, (_, t) => norm2(column(heads, t)));
  const s = Float64Array.from(b, (bt) => Math.sqrt(bt * bt + sigma * sigma));
  const tail = (ly: number) => {
    let sum = 0;
    for (let t = 0; t < T; t++) if (s[t] > 0) sum += 2 * n * upperTail(Math.sqrt(ly) / s[t]);
    return sum;
  };
  const target = deltaT / 2;
  const sMax = Math.max(0, ...s);
  let ly = 0;
  if (sMax > 0) {
    let lo = 0;
    let hi = sMax * sMax;
    while (tail(hi) > target) hi *= 2;
    for (let it = 0; it < 200 && hi - lo > 1e-14 * hi; it++) {
      const mid = 0.5 * (lo + hi);
      if (tail(mid) > target) lo = mid;
      else hi = mid;
    }
    ly = hi;
  }
  let L = lx * ly;
  let lambdaPerpSum = 0;
  const along = new Float64Array(r * r);
  let bias = 0;
  for (let t = 0; t < T; t++) {
    const m = taskFourthMoments(b[t], sigma, d);
    L = Math.max(L, m.s2 + 2 * b[t] * b[t]);
    lambdaPerpSum += m.lambdaPerp;
    if (b[t] > 0) {
      const w = column(heads, t);
      const scale = (m.lambdaAlong - m.lambdaPerp) / (b[t] * b[t]);
      for (let i = 0; i < r; i++) for (let j = 0; j < r; j++) along[i * r + j] += scale * w[i] * w[j];
    }
    const p = Math.exp(-x1) + (s[t] > 0 ? 2 * upperTail(Math.sqrt(ly) / s[t]) : 0);
    bias += Math.sqrt(m.ey4x4 * Math.min(1, p));
  }
  bias /= T;
  const alongMax = Math.max(0, symmetricEigen(along, r).values[0]);
  const v = n * (lambdaPerpSum + alongMax);
  const l = Math.log((2 * d) / deltaB);
  const a = (L * l) / 3;
  const u = a + Math.sqrt(a * a + 2 * v * l);
  return { level: u / N + bias, lx, ly, L, v, u, bias };
}

/** THEORY R7.1: c = sigma^2 + (1/T) sum_t ||beta_t||^2, the eigenvalue of M_bar off span(B*). */
export function momConstant(betaNorms: ArrayLike<number>, sigma: number): number {
  let s = 0;
  for (let t = 0; t < betaNorms.length; t++) s += betaNorms[t] * betaNorms[t];
  return sigma * sigma + s / betaNorms.length;
}

/** THEORY R7.1: the eigengap of M_bar, lambda_r - lambda_{r+1} = (2/T) sigma_r(W)^2 (0 when T < r). */
export function momGap(heads: Mat): number {
  const sv = singularValues(heads);
  const r = heads.rows;
  return r <= sv.length ? (2 / heads.cols) * sv[r - 1] * sv[r - 1] : 0;
}

/** Inputs of {@link momDataBound}. */
export interface MomDataInput {
  /** ||P_perp E U||_2 and ||P_perp E U||_F. */
  readonly perpSpectral: number;
  readonly perpFrobenius: number;
  /** ||M_hat U - U Lambda_hat||_2 and _F of the computed eigenpairs (0 for exact ones). */
  readonly residualSpectral: number;
  readonly residualFrobenius: number;
  /** lambda_hat_r, the r-th largest eigenvalue (Ritz value) of M_hat. */
  readonly lambdaR: number;
  /** c of {@link momConstant}. */
  readonly c: number;
  readonly r: number;
  readonly d: number;
}

/**
 * THEORY R7.1 MoM-D. P_perp M_bar = c P_perp and M_hat U = U Lambda_hat + R give
 * P_perp U (Lambda_hat - c I) = P_perp (E U - R), so whenever lambda_hat_r > c
 *   sinTheta <= (||P_perp E U||_2 + ||R||_2) / (lambda_hat_r - c),
 *   ||P_perp U||_F <= (||P_perp E U||_F + ||R||_F) / (lambda_hat_r - c)   (cap sqrt(min(r, d - r))).
 */
export function momDataBound(input: MomDataInput): { spectral: BoundValue; frobenius: BoundValue } {
  const denominator = input.lambdaR - input.c;
  return {
    spectral: ratioBound(input.perpSpectral + input.residualSpectral, denominator, 1),
    frobenius: ratioBound(input.perpFrobenius + input.residualFrobenius, denominator, Math.sqrt(Math.min(input.r, input.d - input.r))),
  };
}

/**
 * THEORY R7.1, the Davis-Kahan form: sinTheta <= e / (gap - e) when e < gap, for e >= ||E||_2 (the
 * realised norm: deterministic; a level eps_E: the composite bound, on the level's event).
 */
export function momPerturbationBound(e: number, gap: number): BoundValue {
  requireNumber("e", e, { min: 0 });
  requireNumber("gap", gap, { min: 0 });
  return ratioBound(e, gap - e, 1);
}

/** The trivial bound on ||E||_2 by the triangle inequality: ||M_hat||_2 + ||M_bar||_2 = |lambda_hat_1| + c + (2/T) sigma_1(W)^2. */
export function momErrorCap(lambdaHat1: number, c: number, heads: Mat): number {
  const sv = singularValues(heads);
  return Math.abs(lambdaHat1) + c + (sv.length > 0 ? (2 / heads.cols) * sv[0] * sv[0] : 0);
}

/** A level on ||E||_2 as a BoundValue with the triangle-inequality cap. */
export function levelBound(level: number, cap: number): BoundValue {
  return fromFormula(level, cap);
}

/** B1 and its parts. */
export interface ColumnsBound {
  /** ||P_perp M||_2 / sigma_r(M), capped at 1. */
  readonly spectral: BoundValue;
  /** ||P_perp M||_F / sigma_r(M), capped at sqrt(min(r, d - r)). */
  readonly frobenius: BoundValue;
  readonly sigmaR: number;
}

/**
 * THEORY R7.2 B1 (MODEL §6 B1, valid for any matrix): for M (d x k) with top-r left singular
 * vectors U and B* (d x r, orthonormal), sinTheta(U, B*) <= ||P_perp M||_2 / sigma_r(M) and
 * ||P_perp U||_F <= ||P_perp M||_F / sigma_r(M). Thin: O(d k^2), no d x d matrix.
 */
export function columnsBound(m: Mat, basis: Mat, r: number): ColumnsBound {
  requireInteger("r", r, 1, m.rows);
  if (basis.rows !== m.rows) throw new RangeError(`columnsBound: B* has ${basis.rows} rows, M has ${m.rows}`);
  const sv = singularValues(m);
  const sigmaR = r <= sv.length ? sv[r - 1] : 0;
  const res = residualOutside(basis, m);
  const rs = singularValues(res);
  const d = m.rows;
  return {
    spectral: ratioBound(rs.length > 0 ? rs[0] : 0, sigmaR, 1),
    frobenius: ratioBound(frobenius(res), sigmaR, Math.sqrt(Math.min(r, d - r))),
    sigmaR,
  };
}

/**
 * The noise scales of one task's least-squares estimate (THEORY R7.2): with S = X^T X = R^T R,
 * perp2 = ||Q_perp^T S^{-1} Q_perp||_2 = ||L^{-1} P_perp||_2^2 and par2 = ||B*^T S^{-1} B*||_2 =
 * ||L^{-1} B*||_2^2, L the Cholesky factor of S. `rows` is the task's equivalent sample R (d rows
 * of length d, row-major). Returns null when S is not numerically positive definite. Cost O(d^3):
 * this task's d x d Gram, its factor and L^{-1} P_perp (one task at a time).
 */
export function taskNoiseScales(rows: Float64Array, d: number, basis: Mat): { perp2: number; par2: number } | null {
  if (rows.length < d * d) throw new RangeError(`taskNoiseScales: ${rows.length} values, need d^2 = ${d * d}`);
  const r = basis.cols;
  const s = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    const o = i * d;
    for (let a = 0; a < d; a++) {
      const xa = rows[o + a];
      if (xa === 0) continue;
      const ra = a * d;
      for (let b = 0; b <= a; b++) s[ra + b] += xa * rows[o + b];
    }
  }
  if (!cholesky(s, d)) return null;
  // Z = L^{-1} B* (d x r), column by column.
  const z = zeros(d, r);
  for (let k = 0; k < r; k++) {
    const col = column(z, k);
    col.set(column(basis, k));
    solveLower(s, d, col);
  }
  const zs = singularValues(z);
  // A = L^{-1} P_perp = L^{-1} - Z B*^T (d x d, column-major).
  const a = zeros(d, d);
  const e = new Float64Array(d);
  for (let j = 0; j < d; j++) {
    e.fill(0);
    e[j] = 1;
    solveLower(s, d, e);
    const out = column(a, j);
    for (let i = 0; i < d; i++) {
      let acc = e[i];
      for (let k = 0; k < r; k++) acc -= z.data[i + k * d] * basis.data[j + k * d];
      out[i] = acc;
    }
  }
  const as = singularValues(a);
  return { perp2: as[0] * as[0], par2: zs[0] * zs[0] };
}

/** Inputs of {@link spectralGaussianBound}. */
export interface SpectralGaussianInput {
  readonly sigma: number;
  /** l_perp and l_par: the largest per-task noise scales (square roots of perp2, par2). */
  readonly lPerp: number;
  readonly lPar: number;
  readonly d: number;
  readonly r: number;
  readonly T: number;
  /** sigma_r(W). */
  readonly sigmaRW: number;
  /** Deviation x >= 0 of the two Gaussian events. */
  readonly x: number;
}

/**
 * THEORY R7.2, the conditional Gaussian bound: given the designs, with probability >= 1 - 2 exp(-x^2/2),
 * sinTheta <= sigma l_perp (sqrt(d - r) + sqrt(T) + x) / (sigma_r(W) - sigma l_par (sqrt(r) + sqrt(T) + x)).
 */
export function spectralGaussianBound(input: SpectralGaussianInput): BoundValue {
  const sigma = requireNumber("sigma", input.sigma, { min: 0 });
  const lPerp = requireNumber("lPerp", input.lPerp, { min: 0 });
  const lPar = requireNumber("lPar", input.lPar, { min: 0 });
  const d = requireInteger("d", input.d, 1);
  const r = requireInteger("r", input.r, 1, d);
  const T = requireInteger("T", input.T, 1);
  const x = requireNumber("x", input.x, { min: 0 });
  const sigmaRW = requireNumber("sigmaRW", input.sigmaRW, { min: 0 });
  const numerator = sigma * lPerp * (Math.sqrt(d - r) + Math.sqrt(T) + x);
  const denominator = sigmaRW - sigma * lPar * (Math.sqrt(r) + Math.sqrt(T) + x);
  return ratioBound(numerator, denominator, 1);
}

/** x with 2 exp(-x^2/2) = delta. */
export function gaussianDeviation(delta: number): number {
  requireNumber("delta", delta, { min: 0, max: 2, minOpen: true, maxOpen: true });
  return Math.sqrt(2 * Math.log(2 / delta));
}

/**
 * THEORY R7.2, model-only: with probability >= 1 - delta, spending delta / 2 on 2 exp(-x^2/2) and
 * delta / 2 on T exp(-x'^2/2): lambda_min(S_t) >= lambda_min(Sigma_x) (sqrt n - sqrt d - x')^2 for
 * every t (Gordon and Gaussian concentration of sigma_min of the n x d standard Gaussian factor),
 * so l_perp, l_par <= 1 / (sqrt(lambda_min(Sigma_x)) (sqrt n - sqrt d - x')), and the conditional
 * bound at deviation x with these scales. Undefined when sqrt n - sqrt d - x' <= 0.
 */
export function spectralModelOnlyBound(input: { sigma: number; n: number; d: number; r: number; T: number; sigmaRW: number; delta: number; lambdaMinSigma: number }): BoundValue {
  const n = requireNumber("n", input.n, { min: 1 });
  const d = requireInteger("d", input.d, 1);
  const T = requireInteger("T", input.T, 1);
  const delta = requireNumber("delta", input.delta, { min: 0, max: 1, minOpen: true, maxOpen: true });
  const lambdaMin = requireNumber("lambdaMinSigma", input.lambdaMinSigma, { min: 0, minOpen: true });
  const x = gaussianDeviation(delta / 2);
  const xPrime = Math.sqrt(2 * Math.log((2 * T) / delta));
  const root = Math.sqrt(n) - Math.sqrt(d) - xPrime;
  if (!(root > 0)) return ratioBound(1, 0, 1);
  const l = 1 / (Math.sqrt(lambdaMin) * root);
  return spectralGaussianBound({ sigma: input.sigma, lPerp: l, lPar: l, d, r: input.r, T, sigmaRW: input.sigmaRW, x });
}
