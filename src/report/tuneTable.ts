/** Plain-text report of `advtransfer tune`: the best value per cell with its bootstrap uncertainty, beside the theory's values. */
import type { JsonValue } from "../core/config/canonicalJson.js";
import { canonicalJson } from "../core/config/canonicalJson.js";
import { pairedDifference } from "../core/stats.js";
import type { TuneEstimate, TunePoint, TuneSpec } from "../experiment/tune.js";
import { formatMeanSe, textTable } from "./table.js";

/** What the report needs of one cell (runtime/tune.ts's TuneCellReport). */
export interface TuneCellView {
  readonly point: { readonly [axis: string]: JsonValue };
  readonly estimate: TuneEstimate;
  readonly atLow: TunePoint;
  readonly theoryValues: readonly { readonly name: string; readonly value: number }[];
  readonly predicted: (TuneEstimate & { readonly replicates: number }) | null;
}

function num(x: number): string {
  if (x === 0) return "0";
  const a = Math.abs(x);
  return a >= 1e-4 && a < 1e6 ? `${Number(x.toPrecision(4))}` : x.toExponential(3);
}

function pointText(point: { readonly [axis: string]: JsonValue }): string {
  const entries = Object.entries(point);
  return entries.length === 0 ? "(run)" : entries.map(([k, v]) => `${k} = ${typeof v === "string" ? v : canonicalJson(v)}`).join(", ");
}

/** The paired difference of the objective at the best evaluated value against the low end of the range. */
export function gainAtBest(cell: TuneCellView): { mean: number; se: number | null } | null {
  const d = pairedDifference(cell.estimate.bestEvaluated.values, cell.atLow.values);
  return d === null ? null : { mean: d.mean, se: d.se };
}

/** One row per cell, then the theory and the warnings. */
export function formatTune(spec: TuneSpec, cells: readonly TuneCellView[]): string {
  const name = spec.param.split(".").slice(-1)[0];
  const rows = cells.map((c) => {
    const e = c.estimate;
    const g = gainAtBest(c);
    return [
      pointText(c.point),
      num(e.value),
      e.se === null ? "-" : num(e.se),
      e.interval === null ? "-" : `[${num(e.interval[0])}, ${num(e.interval[1])}]`,
      `${formatMeanSe(e.bestEvaluated.mean, e.bestEvaluated.se)} at ${num(e.bestEvaluated.value)}`,
      formatMeanSe(c.atLow.mean, c.atLow.se),
      g === null ? "-" : formatMeanSe(g.mean, g.se),
      c.predicted === null ? "-" : `${num(c.predicted.value)}${c.predicted.se === null ? "" : ` ± ${num(c.predicted.se)}`}`,
      c.theoryValues.map((t) => `${t.name} = ${num(t.value)}`).join("; ") || "-",
    ];
  });
  const header = [
    "cell",
    `best ${name}`,
    "bootstrap SE",
    "95% interval",
    `${spec.metric} at the best evaluated`,
    `at ${name} = ${num(spec.range[0])}`,
    "paired gain",
    "limits' best",
    "closed-form radii",
  ];
  const lines = [textTable(header, rows)];
  const edges = cells.filter((c) => c.estimate.edge);
  for (const c of edges) {
    lines.push(`warning: ${pointText(c.point)}: the best grid value sits on the edge of the search range [${num(spec.range[0])}, ${num(spec.range[1])}]; the optimum may lie outside it (widen --range)`);
  }
  for (const c of cells) {
    if (c.predicted?.edge) lines.push(`note: ${pointText(c.point)}: the limits' predicted curve is best at the edge of the range`);
  }
  return lines.join("\n");
}
