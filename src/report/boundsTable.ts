/** Plain-text tables of bound checks (MODEL §6): bounds beside measurements, ratios, coverage. */
import type { CellRecord } from "../experiment/cellRecord.js";
import { type BoundsMethodSummary, type BoundsSummaryRow, type LimitSummaryRow, checksOf } from "../experiment/boundChecks.js";
import { formatMeanSe, textTable } from "./table.js";

/** A number to 4 significant digits; "-" for null. */
function num(x: number | null): string {
  if (x === null) return "-";
  if (x === 0) return "0";
  const a = Math.abs(x);
  return a >= 1e-4 && a < 1e6 ? `${Number(x.toPrecision(4))}` : x.toExponential(2);
}

/**
 * One row per method and bound: the measured quantity (mean ± SE), the mean bound (capped at its
 * trivial value), the median ratio formula / measured, the share of replicates where the bound is
 * informative (below its cap), the observed coverage beside the promised probability and the
 * one-sided binomial p-value of the failures under the promise.
 */
export function formatBoundsTable(rows: readonly BoundsSummaryRow[]): string {
  const body = rows.map((r) => [
    r.method,
    r.bound,
    r.quantity,
    formatMeanSe(r.measured.mean, r.measured.se),
    num(r.boundMean),
    num(r.ratioMedian),
    num(r.informative),
    num(r.coverage.coverage),
    num(r.coverage.promised),
    num(r.coverage.pValue),
  ]);
  return textTable(["method", "bound", "quantity", "measured", "bound", "ratio", "informative", "coverage", "promised", "p-value"], body);
}

/**
 * The events and the bounds on means, one line per method and kind; `descriptions` names them
 * (the family's BoundsSupport.descriptions, e.g. E0 -> "zeroing event E0 (B3)").
 */
export function formatBoundsNotes(methods: readonly BoundsMethodSummary[], descriptions: Readonly<Record<string, string>> = {}): string {
  const lines: string[] = [];
  for (const m of methods) {
    for (const e of m.events) {
      lines.push(`${m.method}: ${descriptions[e.name] ?? `event ${e.name}`} occurred in ${num(e.frequency)} of replicates; exact probability ${num(e.probability)}`);
    }
    const quantities = [...new Set(m.meanBounds.map((b) => b.quantity))];
    for (const q of quantities) {
      const bounds = m.meanBounds.filter((b) => b.quantity === q);
      const text = descriptions[`meanBound.${q}`] ?? `bounds on the mean of ${q}: mean ${q}`;
      const list = bounds.map((b) => `${num(b.value)} (${descriptions[b.bound] ?? b.bound})`).join(", ");
      lines.push(`${m.method}: ${text} ${formatMeanSe(bounds[0].measuredMean, bounds[0].measuredSe)} <= ${list}`);
    }
  }
  return lines.join("\n");
}

/** One row per replicate, method and bound: measured, bound formula ("-" if undefined), ratio, held. */
export function formatBoundsReplicates(record: CellRecord): string {
  const body: string[][] = [];
  for (let k = 0; k < record.replicates; k++) {
    for (const m of record.methods) {
      const failure = m.failures.find((f) => f.replicate === k);
      if (failure !== undefined) body.push([String(k), m.method, "-", "-", "-", "-", "-", `failed: ${failure.reason}`]);
      for (const c of checksOf(record, m.method, k)) {
        body.push([String(k), m.method, c.bound, c.quantity, num(c.measured), num(c.upper.formula), num(c.ratio), c.held ? "yes" : "NO"]);
      }
    }
  }
  return textTable(["replicate", "method", "bound", "quantity", "measured", "formula", "ratio", "held"], body);
}

/**
 * One row per method, limit and quantity (MODEL §8): the measured mean ± SE beside the predicted
 * mean, the paired difference measured - predicted ± its SE, and that difference in SEs (z).
 */
export function formatLimitsTable(rows: readonly LimitSummaryRow[]): string {
  const body = rows.map((r) => [
    r.method,
    r.limit,
    r.quantity,
    formatMeanSe(r.measured.mean, r.measured.se),
    num(r.predicted.mean),
    formatMeanSe(r.difference.mean, r.difference.se),
    Number.isFinite(r.z) ? r.z.toFixed(1) : r.z > 0 ? "+inf" : "-inf",
  ]);
  return textTable(["method", "limit", "quantity", "measured", "predicted", "measured - predicted", "z (SEs)"], body);
}
