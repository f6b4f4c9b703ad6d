/**
 * Aggregation of a sweep: per cell, method and metric, the mean, standard error and quantiles of
 * the replicate values. Pure, and a function of the records alone (not of the order in which cells
 * finished or of how many workers ran them): rows come out sorted by cell index, then in the
 * family's method order, then in each method's metric order.
 */
import type { JsonValue } from "../core/config/canonicalJson.js";
import type { CellRecord } from "./cellRecord.js";
import { mean, quantiles, sampleVariance } from "../core/stats.js";

/** Fixed columns of a summary row, after the cell and axis columns (report/summaryTable.ts). */
export const STAT_COLUMNS = ["method", "metric", "replicates", "n", "failures", "mean", "sd", "se"] as const;

/** Columns of the paired effects against a sweep's baseline method (experiment/pairedEffects.ts). */
export const EFFECT_COLUMNS = ["baseline", "difference", "differenceSe", "ratio", "ratioSe", "clear"] as const;

/**
 * Whether an axis name would collide with a fixed column of the summary tables: "cell", the
 * statistics, the effect columns or a quantile column ("q05", "q2.5", ...). Sweep configs refuse
 * such names before any work (experiment/sweepSpec.ts).
 */
export function isReservedColumn(name: string): boolean {
  return name === "cell" || (STAT_COLUMNS as readonly string[]).includes(name) || (EFFECT_COLUMNS as readonly string[]).includes(name) || /^q\d+(\.\d+)?$/.test(name);
}

/** Quantile levels reported by default: the 5th, 25th, 50th, 75th and 95th percentiles. */
export const DEFAULT_QUANTILE_LEVELS: readonly number[] = [0.05, 0.25, 0.5, 0.75, 0.95];

/** One aggregated (cell, method, metric). */
export interface CellSummaryRow {
  readonly cell: number;
  /** Axis name -> value of the cell. */
  readonly point: { readonly [axis: string]: JsonValue };
  readonly method: string;
  readonly metric: string;
  /** Replicates in the cell. */
  readonly replicates: number;
  /** Replicates that reported this metric (the sample size of the statistics below). */
  readonly n: number;
  /** Replicates in which the method failed (ok = false); their metrics, if any, are included. */
  readonly failures: number;
  readonly mean: number;
  /** Sample standard deviation (n - 1 denominator); null when n < 2. */
  readonly sd: number | null;
  /** Standard error of the mean, sd / sqrt(n); null when n < 2. */
  readonly se: number | null;
  /** Quantiles (type 7) at the levels the summary was asked for, in that order. */
  readonly quantiles: readonly number[];
}

/**
 * The rows of one cell. A metric's sample is the values of the replicates that reported it, in
 * replicate order; a metric no replicate reported does not appear in the record, so n >= 1.
 */
export function summariseCell(record: CellRecord, levels: readonly number[] = DEFAULT_QUANTILE_LEVELS): CellSummaryRow[] {
  const rows: CellSummaryRow[] = [];
  for (const m of record.methods) {
    for (const [metric, column] of Object.entries(m.metrics)) {
      const xs: number[] = [];
      for (const x of column) if (x !== null) xs.push(x);
      if (xs.length === 0) continue;
      const variance = sampleVariance(xs);
      const sd = variance === null ? null : Math.sqrt(variance);
      rows.push({
        cell: record.cell,
        point: record.point,
        method: m.method,
        metric,
        replicates: record.replicates,
        n: xs.length,
        failures: m.failures.length,
        mean: mean(xs),
        sd,
        se: sd === null ? null : sd / Math.sqrt(xs.length),
        quantiles: quantiles(xs, levels),
      });
    }
  }
  return rows;
}

/** The rows of all records, sorted by cell index (records may come in any order; cells must be distinct). */
export function summariseRecords(records: readonly CellRecord[], levels: readonly number[] = DEFAULT_QUANTILE_LEVELS): CellSummaryRow[] {
  const sorted = [...records].sort((a, b) => a.cell - b.cell);
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i].cell === sorted[i - 1].cell) throw new Error(`summariseRecords: cell ${sorted[i].cell} appears twice`);
  }
  return sorted.flatMap((r) => summariseCell(r, levels));
}

/** Cells among 0..cells-1 that have no record, in increasing order. */
export function missingCells(records: readonly CellRecord[], cells: number): number[] {
  const have = new Set(records.map((r) => r.cell));
  const out: number[] = [];
  for (let c = 0; c < cells; c++) if (!have.has(c)) out.push(c);
  return out;
}
