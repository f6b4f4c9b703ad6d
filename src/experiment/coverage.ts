/**
 * Coverage of probabilistic bounds: a bound promised to hold with probability >= p is checked
 * by counting the replicates where it failed, against the binomial law of that count under the
 * worst case allowed (failure probability exactly 1 - p).
 */

function logChoose(n: number, k: number): number {
  let s = 0;
  for (let i = 1; i <= k; i++) s += Math.log((n - k + i) / i);
  return s;
}

/**
 * P(X >= k) for X ~ Binomial(n, q), summing the exact probability mass function from k up
 * (O(n - k + k) operations). k <= 0 gives 1, k > n gives 0; q = 0 and q = 1 are exact.
 */
export function binomialUpperTail(k: number, n: number, q: number): number {
  if (k <= 0) return 1;
  if (k > n) return 0;
  if (q <= 0) return 0;
  if (q >= 1) return 1;
  const step = Math.log(q) - Math.log1p(-q);
  let logPmf = logChoose(n, k) + k * Math.log(q) + (n - k) * Math.log1p(-q);
  let sum = 0;
  for (let j = k; j <= n; j++) {
    sum += Math.exp(logPmf);
    logPmf += Math.log((n - j) / (j + 1)) + step;
  }
  return Math.min(1, sum);
}

/**
 * The largest failure count consistent, at false-alarm rate `alpha`, with a failure probability
 * of at most q in n trials: the largest k with P(X >= k) > alpha for X ~ Binomial(n, q)
 * (bisection; the tail is non-increasing in k).
 */
export function maxConsistentFailures(n: number, q: number, alpha: number): number {
  let lo = 0;
  let hi = n + 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (binomialUpperTail(mid, n, q) > alpha) lo = mid;
    else hi = mid;
  }
  return lo;
}

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
