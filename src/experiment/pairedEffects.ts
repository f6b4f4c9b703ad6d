/**
 * Paired effects against a baseline method: per cell, method and metric, the paired difference
 * method - baseline and the ratio of means method / baseline, with paired standard errors, over
 * the replicates where both report the metric (common random numbers make these pairs: every
 * method of a replicate sees the same data). A sweep config's `"baseline": "<label>"` adds them to
 * the summary tables.
 *
 * The ratio's standard error is the delta method's for a ratio of paired means:
 * with R = xbar / ybar, Var(R) ~ (s_x^2 - 2 R s_xy + R^2 s_y^2) / (n ybar^2), the sample
 * (co)variances over the n pairs; null when ybar = 0 or n < 2.
 */
import { mean, pairedDifference } from "../core/stats.js";
import type { JsonValue } from "../core/config/canonicalJson.js";
import type { CellRecord } from "./cellRecord.js";
import { CLEAR_SE, isClear } from "./claims.js";

/** One method against the baseline on one metric in one cell. */
export interface PairedEffect {
  readonly cell: number;
  readonly point: { readonly [axis: string]: JsonValue };
  readonly method: string;
  readonly metric: string;
  readonly baseline: string;
  /** Pairs (replicates where both report the metric). */
  readonly n: number;
  /** Mean of method - baseline over the pairs. */
  readonly difference: number;
  /** Its paired standard error; null below two pairs. */
  readonly differenceSe: number | null;
  /** mean(method) / mean(baseline) over the pairs; null when the baseline's mean is 0. */
  readonly ratio: number | null;
  /** Delta-method paired standard error of the ratio; null when undefined. */
  readonly ratioSe: number | null;
  /** |difference| > CLEAR_SE paired standard errors. */
  readonly clear: boolean;
}

/**
 * The ratio of paired means and its delta-method standard error.
 * @example pairedRatio([2, 4, 6], [1, 2, 3]) // { ratio: 2, se: 0 }
 */
export function pairedRatio(x: readonly number[], y: readonly number[]): { ratio: number | null; se: number | null } {
  if (x.length !== y.length) throw new RangeError(`pairedRatio: ${x.length} and ${y.length} values`);
  const n = x.length;
  if (n === 0) return { ratio: null, se: null };
  const mx = mean(x);
  const my = mean(y);
  if (my === 0) return { ratio: null, se: null };
  const ratio = mx / my;
  if (n < 2) return { ratio, se: null };
  let sxx = 0;
  let syy = 0;
  let sxy = 0;
  for (let k = 0; k < n; k++) {
    const a = x[k] - mx;
    const b = y[k] - my;
    sxx += a * a;
    syy += b * b;
    sxy += a * b;
  }
  const v = (sxx - 2 * ratio * sxy + ratio * ratio * syy) / (n - 1) / (n * my * my);
  return { ratio, se: Math.sqrt(Math.max(0, v)) };
}

/**
 * The paired effects of every other method against `baseline`, cell by cell, for each metric the
 * baseline reports (or only `metrics`), in record order. Cells whose records lack the baseline
 * method are skipped.
 * @example
 * const { record } = await run({ scenario: { d: 50, s: 5 }, methods: [{ label: "standard" }, { label: "linf", attack: "linf", eps: 0.3 }], replicates: 6 });
 * const [e] = pairedEffects([record], "standard", ["sinTheta"]);
 * [e.method, e.baseline, e.n] // ["linf", "standard", 6]
 * e.ratio // mean(record.methods[1].metrics.sinTheta) / mean(record.methods[0].metrics.sinTheta)
 */
export function pairedEffects(records: readonly CellRecord[], baseline: string, metrics?: readonly string[]): PairedEffect[] {
  const out: PairedEffect[] = [];
  for (const record of [...records].sort((a, b) => a.cell - b.cell)) {
    const base = record.methods.find((m) => m.method === baseline);
    if (base === undefined) continue;
    for (const m of record.methods) {
      if (m.method === baseline) continue;
      for (const metric of metrics ?? Object.keys(base.metrics)) {
        const a = m.metrics[metric];
        const b = base.metrics[metric];
        if (a === undefined || b === undefined) continue;
        const d = pairedDifference(a, b);
        if (d === null) continue;
        const xs: number[] = [];
        const ys: number[] = [];
        a.forEach((x, k) => {
          const y = b[k];
          if (x !== null && y !== null) {
            xs.push(x);
            ys.push(y);
          }
        });
        const r = pairedRatio(xs, ys);
        out.push({ cell: record.cell, point: record.point, method: m.method, metric, baseline, n: d.n, difference: d.mean, differenceSe: d.se, ratio: r.ratio, ratioSe: r.se, clear: isClear(d) });
      }
    }
  }
  return out;
}

export { CLEAR_SE };
