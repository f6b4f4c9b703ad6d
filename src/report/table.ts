/** Plain-text tables of summaries: one row per method, one column per metric, "mean ± se". */
import type { SummaryRow } from "../experiment/run.js";

/**
 * "mean ± se" with the standard error to two significant digits and the mean to the same
 * decimal place (at most 6 decimals); a zero standard error prints the mean to 4 significant
 * digits.
 */
export function formatMeanSe(mean: number, se: number): string {
  if (!(se > 0)) return `${Number(mean.toPrecision(4))}`;
  const decimals = Math.min(6, Math.max(0, 1 - Math.floor(Math.log10(se))));
  return `${mean.toFixed(decimals)} ± ${se.toFixed(decimals)}`;
}

/** Metrics shown by default in the text table (all metrics are in the JSON output). */
export const DEFAULT_TABLE_METRICS = ["sinTheta", "targetExcess", "targetError", "robustErrorLinf", "keptTasks", "failed"];

/** A left-aligned text table from header and rows of cells. */
export function textTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, j) => Math.max(h.length, ...rows.map((r) => (r[j] ?? "").length)));
  const line = (cells: readonly string[]) => cells.map((c, j) => c.padEnd(widths[j])).join("  ").trimEnd();
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

/**
 * The summary as a table: methods in first-seen order; `metrics` selects and orders columns
 * (metrics absent from the summary are skipped); a metric a method lacks prints "-".
 */
export function formatSummaryTable(rows: readonly SummaryRow[], metrics: readonly string[] = DEFAULT_TABLE_METRICS): string {
  const methods = [...new Set(rows.map((r) => r.method))];
  const present = metrics.filter((m) => rows.some((r) => r.metric === m));
  const cell = new Map(rows.map((r) => [`${r.method}\u0000${r.metric}`, r]));
  const body = methods.map((method) => [
    method,
    ...present.map((metric) => {
      const r = cell.get(`${method}\u0000${metric}`);
      return r === undefined ? "-" : formatMeanSe(r.mean, r.se);
    }),
  ]);
  return textTable(["method", ...present], body);
}
