/**
 * Paired comparisons between methods or cells of a sweep. Within a replicate all methods see the
 * same data, and with common random numbers replicate k of every cell sees the same draws too, so
 * the difference of two columns replicate by replicate has a much smaller standard error than the
 * difference of their means computed as if independent.
 */
import type { CellRecord } from "./cellRecord.js";
import { mean, standardError } from "../core/stats.js";

/** Mean and standard error of a_k - b_k. */
export interface PairedDifference {
  readonly mean: number;
  /** Null when fewer than two pairs. */
  readonly se: number | null;
  /** Replicates where both values exist. */
  readonly n: number;
}

/** A method's per-replicate values of a metric in a record (null where not reported), or null if absent. */
export function metricColumn(record: CellRecord, method: string, metric: string): readonly (number | null)[] | null {
  const m = record.methods.find((x) => x.method === method);
  return m?.metrics[metric] ?? null;
}

/**
 * The paired difference of two per-replicate columns of equal length, over the replicates where
 * both are non-null; null when there is no such replicate.
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
