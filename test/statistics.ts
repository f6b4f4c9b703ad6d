/**
 * Statistical yardsticks shared by the tests: every tolerance is a number of standard errors or
 * a critical value at a stated false-alarm rate, never a hand-tuned constant.
 */
import { normalCdf } from "../src/core/linalg/normal.js";

/** Mean and standard error of the mean. */
export function meanSe(xs: ArrayLike<number>): { mean: number; se: number; variance: number } {
  const n = xs.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += xs[i];
  mean /= n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (xs[i] - mean) ** 2;
  const variance = ss / (n - 1);
  return { mean, se: Math.sqrt(variance / n), variance };
}

/**
 * Kolmogorov-Smirnov one-sample statistic D = sup_x |F_n(x) - F(x)|.
 */
export function ksStatistic(sample: ArrayLike<number>, cdf: (x: number) => number): number {
  const xs = Float64Array.from(sample).sort();
  const n = xs.length;
  let d = 0;
  for (let i = 0; i < n; i++) {
    const f = cdf(xs[i]);
    d = Math.max(d, (i + 1) / n - f, f - i / n);
  }
  return d;
}

/** Two-sample KS statistic. */
export function ksTwoSample(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const xs = Float64Array.from(a).sort();
  const ys = Float64Array.from(b).sort();
  let i = 0;
  let j = 0;
  let d = 0;
  while (i < xs.length && j < ys.length) {
    const v = Math.min(xs[i], ys[j]);
    while (i < xs.length && xs[i] <= v) i++;
    while (j < ys.length && ys[j] <= v) j++;
    d = Math.max(d, Math.abs(i / xs.length - j / ys.length));
  }
  return d;
}

/**
 * Asymptotic critical value of the KS statistic at false-alarm rate alpha, from the
 * Dvoretzky-Kiefer-Wolfowitz-Massart inequality P(D > c) <= 2 exp(-2 n c^2) (one sample; for
 * two samples use the effective size n = n1 n2 / (n1 + n2)).
 */
export function ksCritical(n: number, alpha: number): number {
  return Math.sqrt(Math.log(2 / alpha) / (2 * n));
}

/** Two-sided normal quantile z with P(|Z| > z) = alpha (bisection on Phi). */
export function zCritical(alpha: number): number {
  let lo = 0;
  let hi = 40;
  for (let k = 0; k < 200; k++) {
    const mid = (lo + hi) / 2;
    if (2 * normalCdf(-mid) > alpha) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** False-alarm rate of every statistical test in the suite (per check). */
export const ALPHA = 1e-5;
