/**
 * The claims C1-C3 of MODEL §0 measured on the two-layer family: paired comparisons of methods
 * over the same replicates (every method of a replicate sees the same truth, data, initial
 * network and test set, so the paired difference has a much smaller standard error than the
 * difference of the two means).
 *
 *   C1  adversarial training beats standard training:      standard -> linf, standard -> l2
 *   C2  pseudo-labelling beats standard training:          standard -> ssl
 *   C3  adversarial training on top of pseudo-labelling:   ssl -> ssl+linf (and linf -> ssl+linf)
 *
 * For each pair and metric (all lower-is-better: sinTheta, targetExcess, robust risks) the
 * improvement is the mean over replicates of baseline - method, with its standard error, and the
 * verdict of the shared paired-verdict engine (experiment/claims.ts: clear beyond CLEAR_SE paired
 * standard errors). The numbers are reported whatever they show.
 */
import { type CellRecord, metricColumn } from "../../../experiment/cellRecord.js";
import { type PairedComparison, comparePaired } from "../../../experiment/claims.js";
import type { ReplicateResult } from "../../../experiment/family.js";

export { CLEAR_SE } from "../../../experiment/claims.js";

/** A pair of methods compared for a claim. */
export interface ClaimPair {
  readonly claim: "C1" | "C2" | "C3";
  readonly baseline: string;
  readonly method: string;
}

/** The comparisons of the default two-layer methods (labels of TWO_LAYER_DEFAULTS.methods). */
export const TWO_LAYER_CLAIM_PAIRS: readonly ClaimPair[] = [
  { claim: "C1", baseline: "standard", method: "linf" },
  { claim: "C1", baseline: "standard", method: "l2" },
  { claim: "C2", baseline: "standard", method: "ssl" },
  { claim: "C3", baseline: "ssl", method: "ssl+linf" },
  { claim: "C3", baseline: "linf", method: "ssl+linf" },
];

/** One comparison: a claim's pair on one metric. */
export interface ClaimComparison extends ClaimPair, PairedComparison {
  readonly metric: string;
}

/** Per-replicate values (null where not reported) of a method's metric, or null when absent. */
export type MetricColumns = (method: string, metric: string) => readonly (number | null)[] | null;

/** Paired comparisons from per-replicate columns; pairs or metrics absent are skipped. */
export function claimsFromColumns(columns: MetricColumns, metrics: readonly string[], pairs: readonly ClaimPair[]): ClaimComparison[] {
  const out: ClaimComparison[] = [];
  for (const pair of pairs) {
    for (const metric of metrics) {
      const base = columns(pair.baseline, metric);
      const meth = columns(pair.method, metric);
      if (base === null || meth === null) continue;
      const comparison = comparePaired(base, meth);
      if (comparison !== null) out.push({ ...pair, metric, ...comparison });
    }
  }
  return out;
}

/** Paired comparisons over a run's replicate results (a failed method's replicate is skipped). */
export function twoLayerClaims(
  results: readonly ReplicateResult[],
  metrics: readonly string[] = ["sinTheta", "targetExcess"],
  pairs: readonly ClaimPair[] = TWO_LAYER_CLAIM_PAIRS,
): ClaimComparison[] {
  const sorted = [...results].sort((x, y) => x.replicate - y.replicate);
  const columns: MetricColumns = (method, metric) => {
    if (!sorted.some((r) => r.outcomes.some((o) => o.method === method))) return null;
    return sorted.map((r) => {
      const o = r.outcomes.find((x) => x.method === method);
      return o?.ok && o.metrics[metric] !== undefined ? o.metrics[metric] : null;
    });
  };
  return claimsFromColumns(columns, metrics, pairs);
}

/** Paired comparisons within one cell of a sweep (its record holds every replicate's values). */
export function twoLayerClaimsFromRecord(
  record: CellRecord,
  metrics: readonly string[] = ["sinTheta", "targetExcess"],
  pairs: readonly ClaimPair[] = TWO_LAYER_CLAIM_PAIRS,
): ClaimComparison[] {
  return claimsFromColumns((method, metric) => metricColumn(record, method, metric), metrics, pairs);
}

/**
 * The runs behind the two-layer claims: the default scenario (regression) and the same with
 * classification labels (flip rate 0.1, logistic training, linear target head), default methods.
 */
export function twoLayerClaimRuns(replicates: number, seed = 1): Record<string, unknown>[] {
  return [
    { family: "two-layer", replicates, seed },
    { family: "two-layer", replicates, seed, scenario: { labels: "classification" } },
  ];
}

/** One row of the comparison against the controls: a cell's method, metric and its baselines. */
export interface ControlComparison {
  readonly metric: string;
  readonly method: string;
  /** The method against standard training (improvement = standard - method). */
  readonly vsStandard: PairedComparison;
  /** The control of lowest mean on this metric in this cell (chosen on the same replicates). */
  readonly bestControl: string;
  /** The method against that control (improvement = control - method). */
  readonly vsBestControl: PairedComparison;
}

/**
 * The comparison of a method (an adversarial training) against standard training and against the
 * best of the regularisation controls, per metric, within one sweep cell. The best control is the
 * one of lowest mean over the cell's replicates, chosen on the same replicates the comparison uses:
 * the choice favours the control, so a "better" verdict for the method is conservative. Controls
 * or metrics absent from the record are skipped; null when nothing is comparable.
 */
export function againstBestControl(
  record: CellRecord,
  method: string,
  controls: readonly string[],
  metrics: readonly string[] = ["sinTheta", "targetExcess"],
  standard = "standard",
): ControlComparison[] {
  const out: ControlComparison[] = [];
  for (const metric of metrics) {
    const meth = metricColumn(record, method, metric);
    const base = metricColumn(record, standard, metric);
    if (meth === null || base === null) continue;
    const vsStandard = comparePaired(base, meth);
    let best: { label: string; mean: number; column: readonly (number | null)[] } | null = null;
    for (const label of controls) {
      const column = metricColumn(record, label, metric);
      if (column === null) continue;
      const values = column.filter((v): v is number => v !== null);
      if (values.length === 0) continue;
      const mean = values.reduce((a, b) => a + b, 0) / values.length;
      if (best === null || mean < best.mean) best = { label, mean, column };
    }
    if (vsStandard === null || best === null) continue;
    const vsBestControl = comparePaired(best.column, meth);
    if (vsBestControl === null) continue;
    out.push({ metric, method, vsStandard, bestControl: best.label, vsBestControl });
  }
  return out;
}
