/** Plain-text tables of bound checks (MODEL §6): bounds beside measurements, ratios, coverage. */
import type { BoundsMethodSummary, BoundsReplicate, BoundsSummaryRow } from "../families/mixture/analysis/bounds.js";
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

/** The zeroing event E0 and B5's unconditional excess bound, one line each where they apply. */
export function formatBoundsNotes(methods: readonly BoundsMethodSummary[]): string {
  const lines: string[] = [];
  for (const m of methods) {
    if (m.zeroing !== null) {
      lines.push(`${m.method}: zeroing event E0 (B3) occurred in ${num(m.zeroing.frequency)} of replicates; exact probability ${num(m.zeroing.probability)}`);
    }
    if (m.unconditionalExcess !== null) {
      const u = m.unconditionalExcess;
      lines.push(`${m.method}: B5 unconditional: mean E[excess | U] ${formatMeanSe(u.measuredMean, u.measuredSe)} <= ${num(u.value)} (B4 form), ${num(u.sharp)} (B4s form)`);
    }
  }
  return lines.join("\n");
}

/** One row per replicate, method and bound: measured, bound formula ("-" if undefined), ratio, held. */
export function formatBoundsReplicates(results: readonly BoundsReplicate[]): string {
  const body: string[][] = [];
  for (const rep of results) {
    for (const m of rep.methods) {
      if (!m.ok) body.push([String(rep.replicate), m.method, "-", "-", "-", "-", "-", `failed: ${m.reason ?? ""}`]);
      for (const c of m.checks) {
        body.push([String(rep.replicate), m.method, c.bound, c.quantity, num(c.measured), num(c.upper.formula), num(c.ratio), c.held ? "yes" : "NO"]);
      }
    }
  }
  return textTable(["replicate", "method", "bound", "quantity", "measured", "formula", "ratio", "held"], body);
}
