/**
 * The paired-verdict engine every claims report uses. Within a replicate all methods see the same
 * data, and with common random numbers replicate k of every cell sees the same draws too, so the
 * difference of two columns replicate by replicate has a much smaller standard error than the
 * difference of their means computed as if independent. A difference is called clear when it
 * exceeds CLEAR_SE paired standard errors (a two-sided false-alarm rate of 0.27% per comparison
 * under a normal approximation); with fewer than two pairs nothing is clear.
 */
import { type PairedDifference, mean, pairedDifference } from "../core/stats.js";
import { type CellRecord, metricColumn } from "./cellRecord.js";

/** Paired standard errors a difference must exceed to be clear. */
export const CLEAR_SE = 3;

/**
 * z = mean / se of a paired difference: +-Infinity when se = 0 and the mean is not (the columns
 * differ by a constant), 0 when both are 0 or when se is undefined (fewer than two pairs: no
 * evidence).
 * @example zScore({ mean: -0.3, se: 0.01, n: 200 }) // -30
 */
export function zScore(d: PairedDifference): number {
  if (d.se === null) return 0;
  if (d.se === 0) return d.mean === 0 ? 0 : Math.sign(d.mean) * Infinity;
  return d.mean / d.se;
}

/**
 * Whether a paired difference is clear: |z| > CLEAR_SE (3 standard errors); never without an SE.
 * @example [isClear({ mean: -0.3, se: 0.05, n: 10 }), isClear({ mean: 0.1, se: 0.05, n: 10 }), isClear({ mean: 1, se: null, n: 1 })] // [true, false, false]
 */
export function isClear(d: PairedDifference): boolean {
  return Math.abs(zScore(d)) > CLEAR_SE;
}

/** The verdict on a method against a baseline, for a metric where lower is better. */
export type Verdict = "better" | "worse" | "no clear difference";

/** A method against a baseline on one metric, over the replicates where both report it. */
export interface PairedComparison {
  readonly baselineMean: number;
  readonly methodMean: number;
  /** Mean of baseline - method (> 0: the method is lower, i.e. better for a lower-is-better metric). */
  readonly improvement: number;
  /** Paired standard error of the improvement; 0 when undefined (fewer than two pairs). */
  readonly se: number;
  readonly n: number;
  readonly verdict: Verdict;
}

/**
 * Compares two per-replicate columns (null where not reported) of a lower-is-better metric;
 * null when no replicate has both.
 * @example comparePaired([0.9, 0.8, 0.85], [0.6, 0.55, 0.62]).verdict // "better"
 */
export function comparePaired(baseline: readonly (number | null)[], method: readonly (number | null)[]): PairedComparison | null {
  const diff = pairedDifference(baseline, method);
  if (diff === null) return null;
  const both = (col: readonly (number | null)[]) => col.filter((v, k) => v !== null && baseline[k] !== null && method[k] !== null) as number[];
  return {
    baselineMean: mean(both(baseline)),
    methodMean: mean(both(method)),
    improvement: diff.mean,
    se: diff.se ?? 0,
    n: diff.n,
    verdict: isClear(diff) ? (diff.mean > 0 ? "better" : "worse") : "no clear difference",
  };
}

/**
 * The paired difference a - b of a metric between (record, method) pairs, replicate by replicate.
 * @throws Error when a column is missing or the two share no replicate (the records do not fit the report).
 * @example
 * const { records } = await runSweep({ scenario: { d: 50, s: 5 }, replicates: 5, methods: [{ label: "linf", attack: "linf", eps: 0.1 }], sweep: { "methods.linf.eps": [0.1, 0.3] } });
 * pairedBetween(records[1], "linf", records[0], "linf", "sinTheta") // pairedDifference(records[1].methods[0].metrics.sinTheta, records[0].methods[0].metrics.sinTheta)
 */
export function pairedBetween(a: CellRecord, methodA: string, b: CellRecord, methodB: string, metric: string): PairedDifference {
  const ca = metricColumn(a, methodA, metric);
  const cb = metricColumn(b, methodB, metric);
  if (ca === null || cb === null) throw new Error(`no ${metric} for ${methodA} in cell ${a.cell} or ${methodB} in cell ${b.cell}`);
  const d = pairedDifference(ca, cb);
  if (d === null) throw new Error(`${metric}: ${methodA} (cell ${a.cell}) and ${methodB} (cell ${b.cell}) share no replicate`);
  return d;
}
