/**
 * One-sided binomial test for coverage checks of probabilistic bounds: a bound promised to hold with
 * probability >= p fails the check when the number of failures is improbably large under the
 * worst case (failure probability exactly 1 - p).
 */

function logChoose(n: number, k: number): number {
  let s = 0;
  for (let i = 1; i <= k; i++) s += Math.log((n - k + i) / i);
  return s;
}

/** P(X >= k) for X ~ Binomial(n, q), by summing the exact probability mass function. */
export function binomialUpperTail(k: number, n: number, q: number): number {
  if (k <= 0) return 1;
  if (k > n) return 0;
  if (q <= 0) return 0;
  if (q >= 1) return 1;
  let logPmf = logChoose(n, k) + k * Math.log(q) + (n - k) * Math.log1p(-q);
  let sum = 0;
  for (let j = k; j <= n; j++) {
    sum += Math.exp(logPmf);
    logPmf += Math.log((n - j) / (j + 1)) + Math.log(q) - Math.log1p(-q);
  }
  return Math.min(1, sum);
}

/**
 * The largest failure count that is still consistent, at false-alarm rate `alpha`, with a failure
 * probability of at most q in n trials: the largest k with P(X >= k) > alpha (X ~ Binomial(n, q)).
 * Found by bisection (the tail is non-increasing in k).
 */
export function maxConsistentFailures(n: number, q: number, alpha: number): number {
  let lo = 0; // P(X >= lo) > alpha holds for lo = 0 (it is 1)
  let hi = n + 1; // P(X >= n + 1) = 0 <= alpha
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (binomialUpperTail(mid, n, q) > alpha) lo = mid;
    else hi = mid;
  }
  return lo;
}
