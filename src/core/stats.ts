/**
 * Summary statistics, the one module every layer uses: mean, variance, standard error,
 * quantiles, median, paired differences, log-log slopes and binomial tails.
 *
 * Conventions, the same everywhere:
 * - Every function reads its input in the given order, so equal inputs give bit-identical
 *   outputs (sums are plain left-to-right sums; variances are two-pass).
 * - An empty sample has no mean: `mean([])` throws a RangeError (a programming error).
 * - Below two values a spread is undefined, never 0: `sampleVariance`, `standardError` and the
 *   `sd`/`se` fields of `summary` and `pairedDifference` are `null` when n < 2. Reports print a
 *   mean without an error bar in that case.
 */

/**
 * Arithmetic mean (1/n) sum x_i.
 * @throws RangeError on an empty sample.
 * @example mean([1, 2, 3, 6]) // 3
 */
export function mean(xs: ArrayLike<number>): number {
  const n = xs.length;
  if (n === 0) throw new RangeError("mean: empty sample");
  let s = 0;
  for (let i = 0; i < n; i++) s += xs[i];
  return s / n;
}

/**
 * Unbiased sample variance sum (x_i - xbar)^2 / (n - 1) (two-pass, so no cancellation between
 * sum x^2 and n xbar^2); null when n < 2, where it is undefined.
 * @example sampleVariance([1, 2, 3, 6]) // 14 / 3
 */
export function sampleVariance(xs: ArrayLike<number>): number | null {
  const n = xs.length;
  if (n < 2) return null;
  const m = mean(xs);
  let s = 0;
  for (let i = 0; i < n; i++) {
    const e = xs[i] - m;
    s += e * e;
  }
  return s / (n - 1);
}

/**
 * Standard error of the mean sqrt(var / n) with the n - 1 variance; null when n < 2.
 * @example standardError([1, 2, 3, 6]) // Math.sqrt(14 / 12)
 */
export function standardError(xs: ArrayLike<number>): number | null {
  const v = sampleVariance(xs);
  return v === null ? null : Math.sqrt(v / xs.length);
}

/** Size, mean, standard deviation and standard error of a sample. */
export interface SampleSummary {
  readonly n: number;
  readonly mean: number;
  /** Sample standard deviation (n - 1 denominator); null when n < 2. */
  readonly sd: number | null;
  /** Standard error of the mean sd / sqrt(n); null when n < 2. */
  readonly se: number | null;
}

/**
 * n, mean, sd and se of a non-empty sample (the conventions of this module).
 * @throws RangeError on an empty sample.
 * @example summary([1, 2, 3, 6]) // { n: 4, mean: 3, sd: Math.sqrt(14 / 3), se: Math.sqrt(14 / 12) }
 */
export function summary(xs: ArrayLike<number>): SampleSummary {
  const n = xs.length;
  const m = mean(xs);
  const v = sampleVariance(xs);
  const sd = v === null ? null : Math.sqrt(v);
  return { n, mean: m, sd, se: v === null ? null : Math.sqrt(v / n) };
}

/**
 * Quantile p of a sample sorted in increasing order, by linear interpolation between order
 * statistics (Hyndman and Fan's type 7, the default of R and numpy): with h = (n - 1) p,
 * Q(p) = x_(floor h) + (h - floor h) (x_(floor h + 1) - x_(floor h)) (0-based). Q(0) is the
 * minimum, Q(1) the maximum; n = 1 gives the single value for every p.
 * @throws RangeError on an empty sample or p outside [0, 1].
 * @example quantileSorted([1, 2, 3, 4], 0.5) // 2.5
 */
export function quantileSorted(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) throw new RangeError("quantileSorted: empty sample");
  if (!(p >= 0 && p <= 1)) throw new RangeError(`quantileSorted: p = ${p}: must be in [0, 1]`);
  const h = (n - 1) * p;
  const lo = Math.floor(h);
  if (lo >= n - 1) return sorted[n - 1];
  const frac = h - lo;
  return frac === 0 ? sorted[lo] : sorted[lo] + frac * (sorted[lo + 1] - sorted[lo]);
}

/**
 * Quantiles at each of `ps` (type 7, see quantileSorted) of an unsorted sample.
 * @example quantiles([4, 1, 3, 2], [0, 0.5, 1]) // [1, 2.5, 4]
 */
export function quantiles(xs: ArrayLike<number>, ps: readonly number[]): number[] {
  const sorted = Float64Array.from(xs).sort();
  return ps.map((p) => quantileSorted(sorted, p));
}

/**
 * The median (type-7 quantile 0.5); null for an empty sample.
 * @example median([3, 1, 2, 10]) // 2.5
 */
export function median(xs: ArrayLike<number>): number | null {
  if (xs.length === 0) return null;
  return quantiles(xs, [0.5])[0];
}

/** Mean and standard error of a_k - b_k over paired values. */
export interface PairedDifference {
  readonly mean: number;
  /** Null when fewer than two pairs. */
  readonly se: number | null;
  /** Pairs where both values exist. */
  readonly n: number;
}

/**
 * The paired difference of two per-replicate columns of equal length, over the positions where
 * both are non-null; null when there is no such position.
 * @throws RangeError when the columns differ in length.
 * @example pairedDifference([1, 2, null, 4], [0, 1, 5, 1]) // { mean: 5 / 3, se: 2 / 3, n: 3 }
 */
export function pairedDifference(a: readonly (number | null)[], b: readonly (number | null)[]): PairedDifference | null {
  if (a.length !== b.length) throw new RangeError(`pairedDifference: columns of length ${a.length} and ${b.length}`);
  const d: number[] = [];
  for (let k = 0; k < a.length; k++) {
    const x = a[k];
    const y = b[k];
    if (x !== null && y !== null) d.push(x - y);
  }
  if (d.length === 0) return null;
  return { mean: mean(d), se: standardError(d), n: d.length };
}

/** A fitted slope with its standard error. */
export interface SlopeFit {
  readonly slope: number;
  /** Standard error (known variances 1/w); 0 for an unweighted fit, which has no noise model. */
  readonly se: number;
  /** Points used. */
  readonly points: number;
}

/**
 * Weighted least-squares slope of y on x (weights w, default 1), with its standard error
 * 1 / sqrt(sum w (x - xbar_w)^2) when weights (inverse variances) are given. Null with fewer
 * than 2 points or when all x are equal. For a log-log slope pass log x, log y and weights
 * (mean / se)^2 (the delta method's inverse variance of log mean).
 * @example weightedSlope([0, 1, 2], [1, 3, 5]) // { slope: 2, se: 0, points: 3 }
 */
export function weightedSlope(x: readonly number[], y: readonly number[], w?: readonly number[]): SlopeFit | null {
  const k = x.length;
  if (k < 2) return null;
  const wt = w ?? x.map(() => 1);
  let sw = 0;
  let sx = 0;
  let sy = 0;
  for (let i = 0; i < k; i++) {
    sw += wt[i];
    sx += wt[i] * x[i];
    sy += wt[i] * y[i];
  }
  const xb = sx / sw;
  const yb = sy / sw;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < k; i++) {
    sxx += wt[i] * (x[i] - xb) ** 2;
    sxy += wt[i] * (x[i] - xb) * (y[i] - yb);
  }
  if (!(sxx > 0)) return null;
  return { slope: sxy / sxx, se: w === undefined ? 0 : 1 / Math.sqrt(sxx), points: k };
}

function logChoose(n: number, k: number): number {
  let s = 0;
  for (let i = 1; i <= k; i++) s += Math.log((n - k + i) / i);
  return s;
}

/**
 * P(X >= k) for X ~ Binomial(n, q), summing the exact probability mass function from k up.
 * k <= 0 gives 1, k > n gives 0; q = 0 and q = 1 are exact.
 * @example binomialUpperTail(2, 3, 0.5) // 0.5
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
 * @example maxConsistentFailures(10, 0.1, 0.01) // 4
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
