/**
 * Summary statistics of a sample of replicate values: mean, standard error and quantiles. Each
 * function reads its input in the given order, so equal inputs give bit-identical outputs.
 */

/** Arithmetic mean (1/n) sum x_i; requires n >= 1. */
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

/** Standard error of the mean sqrt(var / n); null when n < 2. */
export function standardError(xs: ArrayLike<number>): number | null {
  const v = sampleVariance(xs);
  return v === null ? null : Math.sqrt(v / xs.length);
}

/**
 * Quantile p of a sample sorted in increasing order, by linear interpolation between order
 * statistics (Hyndman and Fan's type 7, the default of R and numpy): with h = (n - 1) p,
 * Q(p) = x_(floor h) + (h - floor h) (x_(floor h + 1) - x_(floor h)) (0-based). Q(0) is the
 * minimum, Q(1) the maximum; n = 1 gives the single value for every p. Requires n >= 1 and
 * 0 <= p <= 1.
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

/** Quantiles at each of `ps` (type 7, see quantileSorted) of an unsorted sample. */
export function quantiles(xs: ArrayLike<number>, ps: readonly number[]): number[] {
  const sorted = Float64Array.from(xs).sort();
  return ps.map((p) => quantileSorted(sorted, p));
}
