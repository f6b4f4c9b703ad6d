/**
 * The sharper sinTheta bounds of MODEL §6.1, derived step by step in docs/THEORY.md ("B2''",
 * "B3'"): B2'' for standard training (the noise energy raises sigma_r(M) instead of lowering it),
 * and B3' for l-inf training (the exact mean of the thresholded columns in place of B3's
 * worst-case shrinkage bias), in a free form (no zeroing event), an E0 form, and a Wedin form
 * through the top-r space of the mean. tau = sigma / sqrt(n).
 */
import { type Mat, zeros } from "../../../core/linalg/mat.js";
import { singularValues, topLeftSingularVectors, sinTheta } from "../../../core/linalg/decompositions.js";
import { requireInteger, requireNumber } from "../../../core/config/parse.js";
import { type BoundValue, ratioBound, undefinedBound } from "../../../core/model/boundValue.js";
import { offSupportZeroingProbability } from "./linfRadius.js";
import { softThresholdMoments } from "./softThreshold.js";

/** A sinTheta bound of this file with its parts and its probability. */
export interface SharpSinThetaBound {
  /** The bound (capped at 1). */
  readonly sinTheta: BoundValue;
  /** The bound on ||P_perp M|| on the event (the B1 numerator). */
  readonly numerator: number;
  /** The lower bound on sigma_r(M) on the event (the B1 denominator; <= 0: undefined). */
  readonly denominator: number;
  /** A lower bound on the probability of the event. */
  readonly probability: number;
}

/** Inputs of {@link standardSharpSinThetaBound}. */
export interface StandardSharpInput {
  readonly sigma: number;
  readonly n: number;
  readonly d: number;
  readonly r: number;
  /** All T source tasks. */
  readonly T: number;
  readonly t: number;
  /** sigma_r(W) of the heads of the tasks that enter M (all T for standard training; the kept ones for a rule that drops tasks). */
  readonly sigmaR: number;
  /**
   * "fixed": every task enters M (B2'' proper, probability 1 - 3 exp(-t^2/2)); "kept": the tasks
   * entering M were chosen from the data (l2 training), the uniform form with sqrt(T) in both
   * places (same probability).
   */
  readonly tasks: "fixed" | "kept";
  /** Column-norm ratio for normalised columns (1: unnormalised). */
  readonly kappa?: number;
}

/**
 * B2'' (THEORY.md B2''). With probability >= 1 - 3 exp(-t^2/2),
 *
 *   sinTheta <= kappa tau (sqrt(d - r) + sqrt(T) + t) / sqrt(D2),
 *   D2 = (sigma_r(W) - tau (2 sqrt(r) + t))_+^2 + tau^2 (sqrt(d - r) - sqrt(r) - t)_+^2     ("fixed"),
 *   D2 = (sigma_r(W_K) - tau (sqrt(r) + sqrt(T) + t))_+^2 + tau^2 (sqrt(d - r) - sqrt(T) - t)_+^2   ("kept"),
 *
 * each (.)_+ taken before squaring. Never larger than B2 (for T >= r); undefined only when both
 * terms vanish.
 */
export function standardSharpSinThetaBound(input: StandardSharpInput): SharpSinThetaBound {
  const sigma = requireNumber("sigma", input.sigma, { min: 0, minOpen: true });
  const n = requireNumber("n", input.n, { min: 1 });
  const d = requireInteger("d", input.d, 1);
  const r = requireInteger("r", input.r, 1, d);
  const T = requireInteger("T", input.T, 1);
  const t = requireNumber("t", input.t, { min: 0 });
  const sigmaR = requireNumber("sigmaR", input.sigmaR, { min: 0 });
  const kappa = requireNumber("kappa", input.kappa ?? 1, { min: 1 });
  const tau = sigma / Math.sqrt(n);
  const numerator = tau * (Math.sqrt(d - r) + Math.sqrt(T) + t);
  const signal = input.tasks === "fixed" ? sigmaR - tau * (2 * Math.sqrt(r) + t) : sigmaR - tau * (Math.sqrt(r) + Math.sqrt(T) + t);
  const floor = input.tasks === "fixed" ? Math.sqrt(d - r) - Math.sqrt(r) - t : Math.sqrt(d - r) - Math.sqrt(T) - t;
  const a = Math.max(0, signal);
  const b = tau * Math.max(0, floor);
  const denominator = Math.hypot(a, b);
  return { sinTheta: ratioBound(numerator, denominator, 1, kappa), numerator, denominator, probability: Math.max(0, 1 - 3 * Math.exp(-0.5 * t * t)) };
}

/** The entrywise moments of the thresholded columns (THEORY.md B3', "The exact decomposition"). */
export interface ThresholdedMoments {
  /** s x T: the mean m_jt on the support (rows in the order of the support). */
  readonly mean: Mat;
  readonly variance: Mat;
  readonly third: Mat;
  readonly fourth: Mat;
  /** Off the support: variance v0 = 2 tau^2 J_2(eps / tau) and fourth central moment. */
  readonly offVariance: number;
  readonly offFourth: number;
}

/**
 * The moments of S_eps(B* W + tau Z) entry by entry: on the support from a = (B_S W)_jt, off it
 * from a = 0. `basisOnSupport` is B* restricted to its support rows (s x r), `heads` is W (r x T).
 */
export function thresholdedMoments(basisOnSupport: Mat, heads: Mat, tau: number, eps: number): ThresholdedMoments {
  const s = basisOnSupport.rows;
  const r = basisOnSupport.cols;
  const T = heads.cols;
  if (heads.rows !== r) throw new RangeError(`thresholdedMoments: B_S has ${r} columns, W has ${heads.rows} rows`);
  const mean = zeros(s, T);
  const variance = zeros(s, T);
  const third = zeros(s, T);
  const fourth = zeros(s, T);
  for (let c = 0; c < T; c++) {
    for (let j = 0; j < s; j++) {
      let a = 0;
      for (let k = 0; k < r; k++) a += basisOnSupport.data[j + k * s] * heads.data[k + c * r];
      const mo = softThresholdMoments(a, tau, eps);
      const idx = j + c * s;
      mean.data[idx] = mo.mean;
      variance.data[idx] = mo.variance;
      third.data[idx] = mo.third;
      fourth.data[idx] = mo.fourth;
    }
  }
  const off = softThresholdMoments(0, tau, eps);
  return { mean, variance, third, fourth, offVariance: off.variance, offFourth: off.fourth };
}

/** The checked inputs both B3' and L2 start from: the entrywise moments of S_eps(B* W + tau Z). */
export interface ThresholdedSetting {
  readonly sigma: number;
  readonly n: number;
  readonly d: number;
  readonly eps: number;
  readonly s: number;
  readonly r: number;
  readonly T: number;
  /** tau = sigma / sqrt(n). */
  readonly tau: number;
  /** Rows off the support, d - s. */
  readonly D: number;
  readonly moments: ThresholdedMoments;
}

/** Checks (sigma, n, d, eps, B_S, W) and computes tau and the moments (or takes given ones). */
export function thresholdedSetting(input: { readonly sigma: number; readonly n: number; readonly d: number; readonly eps: number; readonly basisOnSupport: Mat; readonly heads: Mat; readonly moments?: ThresholdedMoments }): ThresholdedSetting {
  const sigma = requireNumber("sigma", input.sigma, { min: 0, minOpen: true });
  const n = requireNumber("n", input.n, { min: 1 });
  const d = requireInteger("d", input.d, 1);
  const eps = requireNumber("eps", input.eps, { min: 0 });
  const B = input.basisOnSupport;
  const s = B.rows;
  const r = B.cols;
  const T = input.heads.cols;
  requireInteger("s", s, r, d);
  const tau = sigma / Math.sqrt(n);
  const moments = input.moments ?? thresholdedMoments(B, input.heads, tau, eps);
  return { sigma, n, d, eps, s, r, T, tau, D: d - s, moments };
}

/** A projection acting on the support rows: P = B_S B_S^T, P_perp = I - P, or the identity. */
export type Projection = "perp" | "par" | "identity";

/** The s x s matrix of a projection on the support rows (row-major). */
export function projectionMatrix(basisOnSupport: Mat, which: Projection): number[][] {
  const s = basisOnSupport.rows;
  const r = basisOnSupport.cols;
  const out = Array.from({ length: s }, () => new Array<number>(s).fill(0));
  for (let i = 0; i < s; i++) {
    for (let j = i; j < s; j++) {
      let p = 0;
      if (which !== "identity") for (let k = 0; k < r; k++) p += basisOnSupport.data[i + k * s] * basisOnSupport.data[j + k * s];
      const v = which === "par" ? p : (i === j ? 1 : 0) - p;
      out[i][j] = v;
      out[j][i] = v;
    }
  }
  return out;
}

/** Bounds on E||Pi N||_2 (THEORY.md B3', "Mean bounds on the noise norm"). */
export interface NoiseNormBounds {
  /** (F) Frobenius: sqrt(sum_t c_t). */
  readonly frobenius: number;
  /** (G) Gram second moment: sqrt(max_t c_t + sqrt(F0)). */
  readonly gram: number;
  /** (K) symmetrisation: sqrt(2) tau (sqrt(k) + sqrt(T)). */
  readonly symmetrisation: number;
  /** The smallest of the three (a deterministic choice: no probability is spent). */
  readonly best: number;
  /** c_t = E ||Pi n_t||^2 (T values). */
  readonly columnEnergy: readonly number[];
  /** F0 = sum_{t, t'} Var(x_t^T x_t') (for the Gram bound with a mean). */
  readonly gramVariance: number;
}

/**
 * E||Pi N||_2 for N = S_eps(M) - m (independent centred entries), Pi acting on the support rows,
 * plus `offRows` rows off the support (where Pi is the identity, variance v0 each; 0 on E0 or for
 * Pi = P). `rank` is the rank of Pi on the support rows (s - r, r or s).
 */
export function noiseNormBounds(pi: readonly (readonly number[])[], mo: ThresholdedMoments, tau: number, rank: number, offRows: number): NoiseNormBounds {
  const s = mo.variance.rows;
  const T = mo.variance.cols;
  const v = mo.variance.data;
  const v0 = mo.offVariance;
  const D = offRows;
  const c = new Array<number>(T).fill(0);
  for (let t = 0; t < T; t++) {
    let sum = D * v0;
    for (let j = 0; j < s; j++) sum += pi[j][j] * v[j + t * s];
    // An expected squared norm, >= 0; a projection's diagonal computed as 1 - sum_k b_jk^2 can be
    // -1e-16 where it is 0 in exact arithmetic (s = r: P_perp = 0 on the support).
    c[t] = Math.max(0, sum);
  }
  // F0 = sum_{t != t'} [sum_{jl} Pi_jl^2 v_jt v_lt' + D v0^2] + sum_t [2 sum_{jl} Pi_jl^2 v_jt v_lt + sum_j Pi_jj^2 (mu4_jt - 3 v_jt^2) + D (mu4_0 - v0^2)].
  const rowSum = new Array<number>(s).fill(0);
  for (let j = 0; j < s; j++) for (let t = 0; t < T; t++) rowSum[j] += v[j + t * s];
  let total = 0; // rv^T (Pi o Pi) rv
  let same = 0; // sum_t v_t^T (Pi o Pi) v_t
  const pv = new Array<number>(s).fill(0);
  for (let j = 0; j < s; j++) {
    let acc = 0;
    for (let l = 0; l < s; l++) acc += pi[j][l] * pi[j][l] * rowSum[l];
    total += rowSum[j] * acc;
  }
  for (let t = 0; t < T; t++) {
    for (let j = 0; j < s; j++) {
      let acc = 0;
      for (let l = 0; l < s; l++) acc += pi[j][l] * pi[j][l] * v[l + t * s];
      pv[j] = acc;
    }
    for (let j = 0; j < s; j++) same += v[j + t * s] * pv[j];
  }
  let kurt = 0;
  for (let t = 0; t < T; t++) for (let j = 0; j < s; j++) kurt += pi[j][j] * pi[j][j] * (mo.fourth.data[j + t * s] - 3 * v[j + t * s] * v[j + t * s]);
  const F0 = Math.max(0, total - same + T * (T - 1) * D * v0 * v0 + 2 * same + kurt + T * D * (mo.offFourth - v0 * v0));
  const frobenius = Math.sqrt(c.reduce((a, b) => a + b, 0));
  const gram = Math.sqrt(Math.max(...c) + Math.sqrt(F0));
  const symmetrisation = Math.SQRT2 * tau * (Math.sqrt(rank + D) + Math.sqrt(T));
  return { frobenius, gram, symmetrisation, best: Math.min(frobenius, gram, symmetrisation), columnEnergy: c, gramVariance: F0 };
}

/**
 * (G) with a mean (THEORY.md B3', R_GA): E||A + Pi N||_2 <= sqrt(||A^T A + diag(c)||_2 + sqrt(F_A)),
 * A = Pi m (Pi A = A), F_A = F0 + 2 sum_{t != t'} sum_j a_jt^2 v_jt' + 4 sum_{jt} a_jt^2 v_jt + 4 sum_{jt} a_jt Pi_jj k3_jt.
 */
function gramWithMean(pi: readonly (readonly number[])[], A: Mat, mo: ThresholdedMoments, noise: NoiseNormBounds, offRows: number): number {
  const s = A.rows;
  const T = A.cols;
  const v = mo.variance.data;
  const rowV = new Array<number>(s).fill(0);
  for (let j = 0; j < s; j++) for (let t = 0; t < T; t++) rowV[j] += v[j + t * s];
  let cross = 0;
  let diag = 0;
  let skew = 0;
  for (let j = 0; j < s; j++) {
    let rowA2 = 0;
    for (let t = 0; t < T; t++) {
      const a = A.data[j + t * s];
      rowA2 += a * a;
      diag += a * a * v[j + t * s];
      skew += a * pi[j][j] * mo.third.data[j + t * s];
    }
    cross += rowA2 * rowV[j];
  }
  cross -= diag; // sum over t != t'
  const FA = Math.max(0, noise.gramVariance + 2 * cross + 4 * diag + 4 * skew);
  // ||A^T A + diag(c)||_2: a T x T positive semidefinite matrix, whose norm is the square of the
  // largest singular value of [A; diag(sqrt c)] (stacked).
  void offRows;
  const stacked = zeros(s + T, T);
  for (let t = 0; t < T; t++) {
    for (let j = 0; j < s; j++) stacked.data[j + t * (s + T)] = A.data[j + t * s];
    stacked.data[s + t + t * (s + T)] = Math.sqrt(noise.columnEnergy[t]);
  }
  const top = singularValues(stacked)[0] ?? 0;
  return Math.sqrt(top * top + Math.sqrt(FA));
}

/** Inputs of {@link linfSharpSinThetaBound}. */
export interface LinfSharpInput {
  readonly sigma: number;
  readonly n: number;
  readonly d: number;
  /** B* restricted to its support rows (s x r, orthonormal columns). */
  readonly basisOnSupport: Mat;
  /** W = [w_1 .. w_T] (r x T). */
  readonly heads: Mat;
  readonly eps: number;
  readonly t: number;
  /** Moments already computed for (basis, heads, tau, eps), to share between forms. */
  readonly moments?: ThresholdedMoments;
}

/** B3' in its forms (THEORY.md B3', "The bound"). */
export interface LinfSharpBounds {
  /** Free form (no zeroing event): probability >= 1 - 2 exp(-t^2/2). A B1 ratio: kappa may multiply it. */
  readonly free: SharpSinThetaBound;
  /** The E0 form: probability >= P(E0) (1 - 2 exp(-t^2/2)). A B1 ratio. */
  readonly onE0: SharpSinThetaBound;
  /** Wedin form, free: probability >= 1 - exp(-t^2/2). Not a B1 ratio (kappa may not multiply it). */
  readonly wedin: BoundValue & { readonly probability: number; readonly bias: number };
  /** Wedin form on E0: probability >= P(E0) (1 - exp(-t^2/2)). */
  readonly wedinOnE0: BoundValue & { readonly probability: number };
  /** sinTheta(B_m, B*): the angle of the mean's own top-r space (the exact bias). */
  readonly bias: number;
  /** sigma_r(B*^T m). */
  readonly sigmaRAlong: number;
  readonly zeroingProbability: number;
}

/**
 * B3' (THEORY.md B3'), for the unnormalised thresholded columns of l-inf training:
 *
 *   sinTheta <= [R_perp + tau t] / [sigma_r(B*^T m) - R_par - tau t],
 *   R_perp = min(||P_perp m|| + R(P_perp), R_GA),  R_par = R(P),  R(Pi) = min(F, G, K),
 *
 * with m = E S_eps(B* W + tau Z) entrywise, on all d rows (free form) or on the support rows (E0
 * form, on the zeroing event); and the Wedin form sinTheta(B_m, B*) + R_N / (sigma_r(m) -
 * sigma_{r+1}(m) - R_N), R_N = R(I) + tau t. Every quantity is a function of the model parameters.
 */
export function linfSharpSinThetaBound(input: LinfSharpInput): LinfSharpBounds {
  const { sigma, n, d, eps, s, r, T, tau, D, moments: mo } = thresholdedSetting(input);
  const t = requireNumber("t", input.t, { min: 0 });
  const B = input.basisOnSupport;
  const m = mo.mean;
  const pPerp = projectionMatrix(B, "perp");
  const pPar = projectionMatrix(B, "par");
  const ident = projectionMatrix(B, "identity");
  // A = P_perp m and B*^T m.
  const A = zeros(s, T);
  const along = zeros(r, T);
  for (let c = 0; c < T; c++) {
    for (let j = 0; j < s; j++) {
      let acc = 0;
      for (let l = 0; l < s; l++) acc += pPerp[j][l] * m.data[l + c * s];
      A.data[j + c * s] = acc;
    }
    for (let k = 0; k < r; k++) {
      let acc = 0;
      for (let j = 0; j < s; j++) acc += B.data[j + k * s] * m.data[j + c * s];
      along.data[k + c * r] = acc;
    }
  }
  const aNorm = singularValues(A)[0] ?? 0;
  const svAlong = singularValues(along);
  const sigmaRAlong = r <= svAlong.length ? svAlong[r - 1] : 0;
  const par = noiseNormBounds(pPar, mo, tau, r, 0);
  const zeroingProbability = offSupportZeroingProbability({ sigma, n, d, s, T, eps });
  const ratioForm = (offRows: number, probability: number): SharpSinThetaBound => {
    const perp = noiseNormBounds(pPerp, mo, tau, s - r, offRows);
    const rPerp = Math.min(aNorm + perp.best, gramWithMean(pPerp, A, mo, perp, offRows));
    const numerator = rPerp + tau * t;
    const denominator = sigmaRAlong - par.best - tau * t;
    return { sinTheta: ratioBound(numerator, denominator, 1), numerator, denominator, probability };
  };
  const twoEvents = Math.max(0, 1 - 2 * Math.exp(-0.5 * t * t));
  const oneEvent = Math.max(0, 1 - Math.exp(-0.5 * t * t));
  const free = ratioForm(D, twoEvents);
  const onE0 = D === 0 ? free : ratioForm(0, zeroingProbability * twoEvents);
  // Wedin through the mean's top-r space.
  const svM = singularValues(m);
  const sigR = r <= svM.length ? svM[r - 1] : 0;
  const sigR1 = r < svM.length ? svM[r] : 0;
  let bias = 1;
  if (sigR > 0) {
    const bm = topLeftSingularVectors(m, r).u;
    bias = sinTheta(bm, B);
  }
  const wedinForm = (offRows: number, probability: number) => {
    const noise = noiseNormBounds(ident, mo, tau, s, offRows);
    const rn = noise.best + tau * t;
    const den = sigR - sigR1 - rn;
    if (!(den > 0) || !(sigR > 0)) return { ...undefinedBound(1), probability, bias };
    const formula = bias + rn / den;
    return { value: Math.min(1, formula), formula, cap: 1, defined: true, vacuous: formula >= 1, probability, bias };
  };
  const wedin = wedinForm(D, oneEvent);
  const wedinOnE0 = D === 0 ? wedin : wedinForm(0, zeroingProbability * oneEvent);
  return { free, onE0, wedin, wedinOnE0, bias, sigmaRAlong, zeroingProbability };
}

/** The smaller of two bounds on the same quantity, both functions of the model only (a choice made before seeing data): its value and the probability of the chosen one. */
export function smallerModelBound(a: { readonly bound: BoundValue; readonly probability: number }, b: { readonly bound: BoundValue; readonly probability: number }): { bound: BoundValue; probability: number } {
  if (!b.bound.defined) return { bound: a.bound, probability: a.probability };
  if (!a.bound.defined) return { bound: b.bound, probability: b.probability };
  return (b.bound.formula as number) < (a.bound.formula as number) ? { bound: b.bound, probability: b.probability } : { bound: a.bound, probability: a.probability };
}
