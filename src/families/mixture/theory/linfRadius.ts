/**
 * The l-inf training radius and the off-support zeroing event of MODEL §6 B3 (THEORY.md B3).
 * With tau = sigma / sqrt(n), the event E0 = {tau |z_tj| <= eps for all j outside the support and
 * all tasks t} makes soft thresholding at eps zero every off-support coordinate.
 */
import { normalCdf } from "../../../core/linalg/normal.js";
import { requireInteger, requireNumber } from "../../../core/config/parse.js";

/** Inputs shared by the radius functions. */
export interface LinfRadiusInput {
  /** Noise level sigma > 0. */
  readonly sigma: number;
  /** Labelled samples per source task, n >= 1. */
  readonly n: number;
  /** Input dimension d. */
  readonly d: number;
  /** Support size s, 1 <= s <= d. */
  readonly s: number;
  /** Number of source tasks T >= 1. */
  readonly T: number;
  /** Allowed failure probability delta in (0, 1). */
  readonly delta: number;
}

function offSupportCount(d: number, s: number, T: number): number {
  requireInteger("d", d, 1);
  requireInteger("s", s, 1, d);
  requireInteger("T", T, 1);
  return (d - s) * T;
}

function radius(tau: number, logArgument: number, delta: number): number {
  requireNumber("delta", delta, { min: 0, max: 1, minOpen: true, maxOpen: true });
  // log(N / delta) is negative when N < delta; the event then holds for any eps >= 0.
  return tau * Math.sqrt(2 * Math.max(0, Math.log(logArgument / delta)));
}

/**
 * MODEL §6 B3's radius eps(delta) = (sigma / sqrt(n)) sqrt(2 log(2 (d - s) T / delta)). At this
 * radius P(E0) >= 1 - delta (THEORY.md B3; the factor 2 inside the log is more than needed, see
 * {@link linfRadiusSharp}). s = d gives 0 (nothing to zero).
 * Example: sigma = 1, n = 40, d = 500, s = 20, T = 20, delta = 0.05 gives 0.8018.
 */
export function linfRadius(input: LinfRadiusInput): number {
  const count = offSupportCount(input.d, input.s, input.T);
  const sigma = requireNumber("sigma", input.sigma, { min: 0, minOpen: true });
  const n = requireNumber("n", input.n, { min: 1 });
  if (count === 0) return 0;
  return radius(sigma / Math.sqrt(n), 2 * count, input.delta);
}

/**
 * The smallest radius the union bound with P(|N(0,1)| > x) <= exp(-x^2/2) certifies:
 * (sigma / sqrt(n)) sqrt(2 log((d - s) T / delta)), with P(E0) >= 1 - delta (THEORY.md B3).
 */
export function linfRadiusSharp(input: LinfRadiusInput): number {
  const count = offSupportCount(input.d, input.s, input.T);
  const sigma = requireNumber("sigma", input.sigma, { min: 0, minOpen: true });
  const n = requireNumber("n", input.n, { min: 1 });
  if (count === 0) return 0;
  return radius(sigma / Math.sqrt(n), count, input.delta);
}

/**
 * The student's radius for n + m pooled samples (MODEL §3.3; THEORY.md B3, "Students"):
 * (sigma / sqrt(n + m)) sqrt(2 log(2 (d - s) T / delta)). Valid when the teacher is supported on
 * S (e.g. an l-inf teacher on its own event E0): then, given the teacher's E0, the student's
 * zeroing event has probability >= 1 - delta. Not valid for a dense (standard) teacher, whose
 * off-support noise leaks into the pseudo-labels (E2).
 */
export function linfRadiusStudent(input: LinfRadiusInput & { readonly m: number }): number {
  const m = requireInteger("m", input.m, 0);
  const n = requireNumber("n", input.n, { min: 1 });
  return linfRadius({ ...input, n: n + m });
}

/**
 * P(E0) exactly: (1 - 2 Q(eps sqrt(n) / sigma))^{(d - s) T}, Q = 1 - Phi, since the (d - s) T
 * off-support noise coordinates are independent N(0, 1) (E1). 1 when s = d; 0 when eps = 0 and
 * s < d. Computed as exp(N log1p(-2 Q)) so that probabilities near 1 keep their precision.
 * `n` may be n + m for a student under the condition of {@link linfRadiusStudent} (then it is a
 * lower bound on the conditional probability).
 */
export function offSupportZeroingProbability(input: Omit<LinfRadiusInput, "delta"> & { readonly eps: number }): number {
  const count = offSupportCount(input.d, input.s, input.T);
  const sigma = requireNumber("sigma", input.sigma, { min: 0, minOpen: true });
  const n = requireNumber("n", input.n, { min: 1 });
  const eps = requireNumber("eps", input.eps, { min: 0 });
  if (count === 0) return 1;
  const twoQ = 2 * normalCdf((-eps * Math.sqrt(n)) / sigma);
  if (twoQ >= 1) return 0;
  return Math.exp(count * Math.log1p(-twoQ));
}
