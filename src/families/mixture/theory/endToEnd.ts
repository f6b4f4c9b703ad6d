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
  /** On the event: E[excess | U] <= this (B4 form and B4s form). */
  readonly conditionalExcess: { readonly value: BoundValue; readonly sharp: BoundValue };
  /** E[excess] <= conditional + (1 - p) ||mu_0||, capped at ||mu_0|| (B4 form and B4s form). */
  readonly unconditionalExcess: { readonly value: number; readonly sharp: number };
  /** The B2 or B3 result underneath (before kappa). */
  readonly source: ProbabilisticSinThetaBound;
}

/**
 * B5 (THEORY.md B5). With probability >= p over the source data, sinTheta <= b and
 *
 *   E[excess | U] <= ||mu_0|| b^2 + 2 sigma^2 r / (n0 ||mu_0|| sqrt(1 - b^2))    (and the sharper B4s form);
 *
 * unconditionally E[excess] <= that + (1 - p) ||mu_0||, since E[excess | U] <= ||mu_0|| always.
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
  const miss = (1 - probability) * mu0Norm;
  return {
    sinTheta,
    probability,
    conditionalExcess,
    unconditionalExcess: {
      value: Math.min(mu0Norm, conditionalExcess.value.value + miss),
      sharp: Math.min(mu0Norm, conditionalExcess.sharp.value + miss),
    },
    source,
  };
}
