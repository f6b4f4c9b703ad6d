/**
 * Bounds on sinTheta(U, B*) for the mixture family (MODEL §6 B1-B3; derivations in docs/THEORY.md).
 * tau = sigma / sqrt(n) is the noise scale of a source statistic (E1: v_t = mu_t + tau z_t).
 */
import { type Mat, frobenius } from "../../../core/linalg/mat.js";
import { residualOutside, singularValues } from "../../../core/linalg/decompositions.js";
import { requireInteger, requireNumber } from "../../../core/config/parse.js";
import { type BoundValue, ratioBound } from "../../../core/model/boundValue.js";
import { offSupportZeroingProbability } from "./linfRadius.js";

/** B1 and its parts. */
export interface DeterministicSinThetaBound {
  /** ||P_perp M||_2 / sigma_r(M), a bound on sinTheta (spectral), capped at 1. */
  readonly spectral: BoundValue;
  /** ||P_perp M||_F / sigma_r(M), a bound on the Frobenius sinTheta, capped at sqrt(min(r, d - r)). */
  readonly frobenius: BoundValue;
  /** ||P_perp M||_2 = ||(I - B* B*^T) M||_2. */
  readonly residualNorm: number;
  /** ||P_perp M||_F. */
  readonly residualFrobenius: number;
  /** sigma_r(M); 0 when M has fewer than r columns or rows. */
  readonly sigmaR: number;
}

/**
 * MODEL §6 B1 (THEORY.md B1): for any d x T matrix M whose top-r left singular vectors are U and
 * any d x r' matrix B with orthonormal columns (the true representation B*),
 *
 *   sinTheta(U, B) <= ||(I - B B^T) M||_2 / sigma_r(M),   ||(I - U U^T) B||_F <= ||(I - B B^T) M||_F / sigma_r(M).
 *
 * Deterministic, no eigengap needed. Undefined when sigma_r(M) = 0 (U not determined), including
 * r > min(d, T). Zero columns (dropped tasks) may stay in M: they change neither U nor the bound.
 * Cost O(d T^2); no d x d matrix.
 */
export function deterministicSinThetaBound(m: Mat, b: Mat, r: number): DeterministicSinThetaBound {
  requireInteger("r", r, 1, m.rows);
  if (b.rows !== m.rows) throw new RangeError(`deterministicSinThetaBound: B has ${b.rows} rows, M has ${m.rows}`);
  const sv = singularValues(m);
  const sigmaR = r <= sv.length ? sv[r - 1] : 0;
  const residual = residualOutside(b, m);
  const rs = singularValues(residual);
  const residualNorm = rs.length > 0 ? rs[0] : 0;
  const residualFrobenius = frobenius(residual);
  return {
    spectral: ratioBound(residualNorm, sigmaR, 1),
    frobenius: ratioBound(residualFrobenius, sigmaR, Math.sqrt(Math.min(r, m.rows - r))),
    residualNorm,
    residualFrobenius,
    sigmaR,
  };
}

/**
 * The (1 - exp(-t^2/2))-quantile bound on the spectral norm of a standard Gaussian a x b matrix
 * (THEORY.md (G3): Gordon's inequality and Gaussian concentration): sqrt(a) + sqrt(b) + t.
 */
export function gaussianSpectralNormBound(a: number, b: number, t: number): number {
  return Math.sqrt(a) + Math.sqrt(b) + t;
}

/** Inputs of {@link standardSinThetaBound}. */
export interface StandardSinThetaInput {
  readonly sigma: number;
  /** Labelled samples per source task. */
  readonly n: number;
  readonly d: number;
  readonly r: number;
  /** Number of source tasks T, all of them (also those a method dropped: THEORY.md B2, "Dropped columns"). */
  readonly T: number;
  /** Deviation parameter t >= 0 of the Gaussian events. */
  readonly t: number;
  /** sigma_r(B* W) = sigma_r(W) (MODEL §6 B2); for a method that drops tasks, sigma_r of the kept tasks' heads. */
  readonly sigmaR: number;
  /** Column-norm ratio for normalised columns (data: {@link columnNormRatio}; model: {@link columnNormRatioBound}); 1 for unnormalised. */
  readonly kappa?: number;
}

/** B2 or B3 with its parts and its probability. */
export interface ProbabilisticSinThetaBound {
  /** The bound on sinTheta (spectral), capped at 1. */
  readonly sinTheta: BoundValue;
  /** The bound on ||P_perp M||_2 on the event. */
  readonly numerator: number;
  /** The lower bound on sigma_r(M) on the event (may be <= 0: then the bound is undefined). */
  readonly denominator: number;
  /** sigma_r(W) - denominator: the bound on the perturbation of the signal's singular values on the event. */
  readonly perturbation: number;
  /** The kappa factor applied (1 for unnormalised columns). */
  readonly kappa: number;
  /** A lower bound on the probability of the event the bound holds on (never negative). */
  readonly probability: number;
}

function checkCommon(input: StandardSinThetaInput): { tau: number; d: number; r: number; T: number; t: number; sigmaR: number; kappa: number } {
  const sigma = requireNumber("sigma", input.sigma, { min: 0, minOpen: true });
  const n = requireNumber("n", input.n, { min: 1 });
  const d = requireInteger("d", input.d, 1);
  const r = requireInteger("r", input.r, 1, d);
  const T = requireInteger("T", input.T, 1);
  const t = requireNumber("t", input.t, { min: 0 });
  const sigmaR = requireNumber("sigmaR", input.sigmaR, { min: 0 });
  const kappa = requireNumber("kappa", input.kappa ?? 1, { min: 1 });
  return { tau: sigma / Math.sqrt(n), d, r, T, t, sigmaR, kappa };
}

/**
 * MODEL §6 B2 (THEORY.md B2). With probability >= 1 - 2 exp(-t^2/2),
 *
 *   sinTheta <= kappa tau (sqrt(d - r) + sqrt(T) + t) / (sigma_r(W) - tau (sqrt(r) + sqrt(T) + t)),
 *
 * whenever the denominator is positive; kappa = 1 for unnormalised columns, and for normalised
 * columns the data's kappa (the bound is then data-dependent, on the same event) or a model-only
 * bound on it (whose probability cost the caller subtracts). Undefined when the denominator is
 * not positive (always so when T < r, since then sigma_r(W) = 0).
 */
export function standardSinThetaBound(input: StandardSinThetaInput): ProbabilisticSinThetaBound {
  const { tau, d, r, T, t, sigmaR, kappa } = checkCommon(input);
  const numerator = tau * gaussianSpectralNormBound(d - r, T, t);
  const denominator = sigmaR - tau * gaussianSpectralNormBound(r, T, t);
  return {
    sinTheta: ratioBound(numerator, denominator, 1, kappa),
    numerator,
    denominator,
    perturbation: sigmaR - denominator,
    kappa,
    probability: Math.max(0, 1 - 2 * Math.exp(-0.5 * t * t)),
  };
}

/** Inputs of {@link adversarialLinfSinThetaBound}. */
export interface AdversarialLinfSinThetaInput extends StandardSinThetaInput {
  /** Support size s of B* (r <= s <= d). */
  readonly s: number;
  /** The l-inf training radius eps >= 0. */
  readonly eps: number;
}

/** B3 adds the exact probability of the zeroing event. */
export interface AdversarialLinfSinThetaBound extends ProbabilisticSinThetaBound {
  /** P(E0), exactly (THEORY.md B3). */
  readonly zeroingProbability: number;
  /** eps sqrt(s T): the bound on the spectral norm of the shrinkage bias. */
  readonly biasNorm: number;
}

/**
 * MODEL §6 B3 (THEORY.md B3). With probability >= P(E0) - 2 exp(-t^2/2), where
 * P(E0) = (1 - 2 Q(eps / tau))^{(d - s) T} (>= 1 - delta at eps = linfRadius(delta)),
 *
 *   sinTheta <= kappa [tau (sqrt(s - r) + sqrt(T) + t) + eps sqrt(sT)] / [sigma_r(W) - tau (sqrt(r) + sqrt(T) + t) - eps sqrt(sT)],
 *
 * whenever the denominator is positive. kappa = 1 for unnormalised thresholded columns; for
 * normalised columns, the ratio of the largest to the smallest norm of the thresholded columns
 * over kept tasks (dropped tasks are zero columns and drop out), or a model-only bound on it.
 * Here sigmaR is sigma_r(W) of all T tasks' heads: the decomposition of THEORY.md B3 covers
 * dropped tasks too.
 */
export function adversarialLinfSinThetaBound(input: AdversarialLinfSinThetaInput): AdversarialLinfSinThetaBound {
  const { tau, d, r, T, t, sigmaR, kappa } = checkCommon(input);
  const s = requireInteger("s", input.s, r, d);
  const eps = requireNumber("eps", input.eps, { min: 0 });
  const biasNorm = eps * Math.sqrt(s * T);
  const numerator = tau * gaussianSpectralNormBound(s - r, T, t) + biasNorm;
  const denominator = sigmaR - tau * gaussianSpectralNormBound(r, T, t) - biasNorm;
  const zeroingProbability = offSupportZeroingProbability({ sigma: input.sigma, n: input.n, d, s, T, eps });
  return {
    sinTheta: ratioBound(numerator, denominator, 1, kappa),
    numerator,
    denominator,
    perturbation: sigmaR - denominator,
    kappa,
    probability: Math.max(0, zeroingProbability - 2 * Math.exp(-0.5 * t * t)),
    zeroingProbability,
    biasNorm,
  };
}

/** Inputs of {@link weightedColumnsSinThetaBound}. */
export interface WeightedColumnsInput {
  /** The event's bound N on ||P_perp M|| for the unnormalised columns (B2/B3 `numerator`). */
  readonly numerator: number;
  /** The event's bound E on the perturbation of sigma_r (B2/B3 `perturbation`). */
  readonly perturbation: number;
  /** sigma_r(W_K D_K^{-1}): the kept tasks' heads, each divided by its column's norm ||c_t||. */
  readonly sigmaRWeighted: number;
  /** min over kept tasks of the column norms ||c_t|| (> 0). */
  readonly minNorm: number;
}

/**
 * Normalised columns, weighted form (THEORY.md B2, "Normalised columns, weighted form"): on the
 * event of B2 or B3, with D_K the kept columns' norms,
 *
 *   sinTheta <= N / (min_K ||c_t|| sigma_r(W_K D_K^{-1}) - E),
 *
 * because P_perp M D^{-1} has norm <= N / min ||c_t|| and sigma_r(P M D^{-1}) >=
 * sigma_r(W_K D_K^{-1}) - E / min ||c_t||. Neither this nor the kappa form kappa N / (sigma_r(W) - E)
 * dominates the other; both hold on the same event, so the smaller one does too. Undefined when the
 * denominator is not positive.
 */
export function weightedColumnsSinThetaBound(input: WeightedColumnsInput): BoundValue {
  const numerator = requireNumber("numerator", input.numerator, { min: 0 });
  const perturbation = requireNumber("perturbation", input.perturbation, { min: 0 });
  const sigmaRWeighted = requireNumber("sigmaRWeighted", input.sigmaRWeighted, { min: 0 });
  const minNorm = requireNumber("minNorm", input.minNorm, { min: 0, minOpen: true });
  return ratioBound(numerator, minNorm * sigmaRWeighted - perturbation, 1);
}
