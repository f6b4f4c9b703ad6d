/**
 * The value of a bound of MODEL §6 as reported beside a measurement: always a finite, valid upper
 * bound (never NaN), with flags that say whether the formula applied and whether it says more
 * than the trivial bound.
 */

/** A bound on a quantity that is known to lie in [0, cap]. */
export interface BoundValue {
  /** A valid finite upper bound: min(formula, cap), or cap when the formula is undefined. */
  readonly value: number;
  /** The formula's value; null when it is undefined (its denominator is not positive). */
  readonly formula: number | null;
  /** The trivial bound that always holds (1 for sinTheta, sqrt(r) for Frobenius sinTheta, ||mu_0|| for E[excess | U]). */
  readonly cap: number;
  /** False when the formula's denominator is not positive. */
  readonly defined: boolean;
  /** True when the bound says nothing beyond the cap (undefined, or formula >= cap). */
  readonly vacuous: boolean;
}

/**
 * A BoundValue from a ratio numerator / denominator (scaled by `factor`): undefined when the
 * denominator is not positive (or not finite), otherwise formula = factor numerator / denominator.
 */
export function ratioBound(numerator: number, denominator: number, cap: number, factor = 1): BoundValue {
  if (!(denominator > 0) || !Number.isFinite(denominator) || !Number.isFinite(numerator) || !Number.isFinite(factor)) {
    return { value: cap, formula: null, cap, defined: false, vacuous: true };
  }
  return fromFormula((factor * numerator) / denominator, cap);
}

/** A BoundValue from a defined, finite formula value. */
export function fromFormula(formula: number, cap: number): BoundValue {
  if (!Number.isFinite(formula)) return { value: cap, formula: null, cap, defined: false, vacuous: true };
  return { value: Math.min(formula, cap), formula, cap, defined: true, vacuous: formula >= cap };
}

/** The undefined bound: only the cap holds. */
export function undefinedBound(cap: number): BoundValue {
  return { value: cap, formula: null, cap, defined: false, vacuous: true };
}

/**
 * bound / measured, the looseness of a bound on one instance; null when the measured value is 0
 * (the ratio is then undefined) or the bound's formula is undefined.
 */
export function boundRatio(bound: BoundValue, measured: number): number | null {
  if (bound.formula === null || !(measured > 0)) return null;
  return bound.formula / measured;
}
