/**
 * Coverage of probabilistic bounds: a bound promised to hold with probability >= p is checked
 * by counting the replicates where it failed, against the binomial law of that count under the
 * worst case allowed (failure probability exactly 1 - p).
 */
import { binomialUpperTail } from "../core/stats.js";

/** Observed coverage of a bound beside its promise. */
export interface Coverage {
  /** Replicates checked. */
  readonly trials: number;
  /** Replicates where the bound held. */
  readonly held: number;
  /** held / trials (1 when there were no trials). */
  readonly coverage: number;
  /** The promised lower bound p on the probability that the bound holds. */
  readonly promised: number;
  /**
   * One-sided p-value of the observed failures under the worst case allowed:
   * P(Binomial(trials, 1 - promised) >= failures). Small values contradict the promise.
   */
  readonly pValue: number;
}

/** Coverage from held flags and the promised probability (clamped to [0, 1]). */
export function coverage(heldFlags: readonly boolean[], promised: number): Coverage {
  const trials = heldFlags.length;
  const held = heldFlags.filter((h) => h).length;
  const p = Math.min(1, Math.max(0, promised));
  return {
    trials,
    held,
    coverage: trials === 0 ? 1 : held / trials,
    promised: p,
    pValue: binomialUpperTail(trials - held, trials, 1 - p),
  };
}
