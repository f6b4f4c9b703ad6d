/** Plain-text tables of summaries: one row per method, one column per metric, "mean ± se". */
import { formatMeanSe, textTable } from "../core/format.js";
import type { SummaryRow } from "../experiment/run.js";

export { formatMeanSe, textTable };

/**
 * The summary as a table: methods in first-seen order; `metrics` selects and orders columns
 * (metrics absent from the summary are skipped; the family's default is Family.metrics.table); a
 * metric a method lacks prints "-".
 */
export function formatSummaryTable(rows: readonly SummaryRow[], metrics: readonly string[]): string {
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
