/**
 * MODEL §6 B5: the sinTheta bound B2 (standard training) or B3 (l-inf training) composed with the
 * target bound B4, giving a bound on the target excess risk from the model parameters alone
 * (THEORY.md B5).
 */
import { requireChoice, requireNumber } from "../../../core/config/parse.js";
import type { BoundValue } from "../../../core/model/boundValue.js";
import type { ColumnNormRatioBound } from "./columnNorms.js";
import { type ProbabilisticSinThetaBound, type StandardSinThetaInput, adversarialLinfSinThetaBound, standardSinThetaBound } from "./sinThetaBounds.js";
import { targetExcessBoundFromSinPhi } from "./targetExcess.js";

/** Inputs of {@link endToEndBound}. */
export interface EndToEndInput extends Omit<StandardSinThetaInput, "kappa"> {
  /** "standard" uses B2, "linf" uses B3 (then s and eps are required). */
  readonly training: "standard" | "linf";
  /** ||mu_0||. */
  readonly mu0Norm: number;
  /** Target samples. */
  readonly n0: number;
  readonly s?: number;
  readonly eps?: number;
  /**
   * For normalised columns: a model-only bound on kappa and its probability cost (from
   * columnNormRatioBound). Omit for unnormalised columns.
   */
  readonly kappa?: ColumnNormRatioBound;
}

/** B5's result. */
export interface EndToEndBound {
  /** The sinTheta bound from B2 or B3 (times the kappa bound for normalised columns). */
  readonly sinTheta: BoundValue;
  /** The probability p (over the source data) of the event on which the bounds hold. */
  readonly probability: number;
  /** On the event: E[excess | U] <= this (B4 form, B4s form, and the exact §4 value at the smallest admissible cos(phi)). */
  readonly conditionalExcess: { readonly value: BoundValue; readonly sharp: BoundValue; readonly exact: BoundValue };
  /** E[excess] <= p g + (1 - p) ||mu_0|| with g the capped conditional bound (B4 form, B4s form, exact form; MODEL §6.1). */
  readonly unconditionalExcess: { readonly value: number; readonly sharp: number; readonly exact: number };
  /** The B2 or B3 result underneath (before kappa). */
  readonly source: ProbabilisticSinThetaBound;
}

/**
 * B5 (THEORY.md B5). With probability >= p over the source data, sinTheta <= b and
 *
 *   E[excess | U] <= ||mu_0|| b^2 + 2 sigma^2 r / (n0 ||mu_0|| sqrt(1 - b^2))    (and the sharper B4s form);
 *
 * unconditionally E[excess] <= p g + (1 - p) ||mu_0|| with g that bound capped at ||mu_0|| (MODEL
 * §6.1; THEORY.md "B5, unconditional form": E[excess | U] <= ||mu_0|| always, and p is a lower
 * bound on the event's probability).
 * For normalised columns b includes the model-only kappa bound and p its probability cost. Every
 * part is capped and flagged when vacuous; nothing is NaN.
 */
export function endToEndBound(input: EndToEndInput): EndToEndBound {
  const training = requireChoice("training", input.training, ["standard", "linf"] as const);
  const mu0Norm = requireNumber("mu0Norm", input.mu0Norm, { min: 0, minOpen: true });
  const common = { sigma: input.sigma, n: input.n, d: input.d, r: input.r, T: input.T, t: input.t, sigmaR: input.sigmaR };
  const source =
    training === "standard"
      ? standardSinThetaBound(common)
      : adversarialLinfSinThetaBound({ ...common, s: input.s as number, eps: input.eps as number });
  let sinTheta = source.sinTheta;
  let probability = source.probability;
  if (input.kappa !== undefined) {
    probability = Math.max(0, probability - input.kappa.probabilityCost);
    const k = input.kappa.value;
    if (k === null || sinTheta.formula === null) {
      sinTheta = { value: 1, formula: null, cap: 1, defined: false, vacuous: true };
    } else {
      const formula = sinTheta.formula * k;
      sinTheta = { value: Math.min(formula, 1), formula, cap: 1, defined: true, vacuous: formula >= 1 };
    }
  }
  const conditionalExcess = targetExcessBoundFromSinPhi({
    mu0Norm,
    sigma: input.sigma,
    n0: input.n0,
    r: input.r,
    sinPhiBound: sinTheta.value,
  });
  // p g + (1 - p) ||mu_0||, with g = the capped bound (BoundValue.value is min(formula, cap)).
  const mix = (g: number) => Math.min(mu0Norm, probability * Math.min(g, mu0Norm) + (1 - probability) * mu0Norm);
  return {
    sinTheta,
    probability,
    conditionalExcess,
    unconditionalExcess: { value: mix(conditionalExcess.value.value), sharp: mix(conditionalExcess.sharp.value), exact: mix(conditionalExcess.exact.value) },
    source,
  };
}

/** Inputs of {@link composeEndToEnd}. */
export interface ComposeInput {
  /** A bound b on sinTheta (from the model parameters alone) holding with probability >= p. */
  readonly sinTheta: BoundValue;
  readonly probability: number;
  readonly mu0Norm: number;
  readonly sigma: number;
  readonly n0: number;
  readonly r: number;
}

/**
 * Any model-only sinTheta bound composed with B4 (THEORY.md B5): on its event, E[excess | U] is at
 * most each of the three conditional forms at sin(phi) <= min(b, 1) (B4, B4s and the exact §4
 * value at the smallest admissible cos(phi)); unconditionally E[excess] <= p g + (1 - p) ||mu_0||.
 */
export function composeEndToEnd(input: ComposeInput): Pick<EndToEndBound, "conditionalExcess" | "unconditionalExcess" | "probability"> {
  const mu0Norm = requireNumber("mu0Norm", input.mu0Norm, { min: 0, minOpen: true });
  const probability = requireNumber("probability", input.probability, { min: 0, max: 1 });
  const conditionalExcess = targetExcessBoundFromSinPhi({ mu0Norm, sigma: input.sigma, n0: input.n0, r: input.r, sinPhiBound: input.sinTheta.value });
  const mix = (g: number) => Math.min(mu0Norm, probability * Math.min(g, mu0Norm) + (1 - probability) * mu0Norm);
  return {
    probability,
    conditionalExcess,
    unconditionalExcess: { value: mix(conditionalExcess.value.value), sharp: mix(conditionalExcess.sharp.value), exact: mix(conditionalExcess.exact.value) },
  };
}
