/**
 * Figures for notebooks and scripts: the Vega-Lite spec `advtransfer sweep` writes to
 * figures/<metric>.vl.json, built from what `runSweep` returns (or from summary rows alone), and
 * its SVG. The same functions (buildFigureSpec, parsePlotOptions, renderSvg) as the CLI's, so a
 * figure drawn in a notebook is the figure of the command line.
 */
import type { JsonValue } from "../core/config/canonicalJson.js";
import { ConfigError, parseObject } from "../core/config/parse.js";
import type { CellSummaryRow } from "../experiment/cellSummary.js";
import type { SweepResult } from "../experiment/run.js";
import { type PlotAxis, buildFigureSpec, metricsOf, parsePlotOptions } from "./figureSpec.js";
import { axesFromSpec } from "./sweepOutputs.js";

/** Options of figureSpec: the keys of a sweep config's `plot` section, and the metric to draw. */
export interface FigureOptions {
  /** The metric (default: the first of the plot section's `metrics`, else the first in the rows). */
  readonly metric?: string;
  /** The axis on the horizontal scale (default: the plot section's, else the axis with the most values). */
  readonly x?: string;
  /** Methods to draw, in legend order. */
  readonly methods?: readonly string[];
  /** Display names of metrics, methods and axes. */
  readonly labels?: Readonly<Record<string, string>>;
  /** Log scales: "auto", "on" or "off" per axis. */
  readonly log?: { readonly x?: "auto" | "on" | "off"; readonly y?: "auto" | "on" | "off" };
  readonly title?: string;
}

/**
 * The axes as far as summary rows show them: names from the first row's point, values in order of
 * first appearance by cell (grid order, as cells are numbered row-major), labels equal to names.
 * @example axesFromRows([{ cell: 0, point: { eps: 0 } }, { cell: 1, point: { eps: 0.3 } }]) // [{ name: "eps", label: "eps", values: [0, 0.3] }]
 */
export function axesFromRows(rows: readonly Pick<CellSummaryRow, "cell" | "point">[]): PlotAxis[] {
  if (rows.length === 0) return [];
  const sorted = [...rows].sort((a, b) => a.cell - b.cell);
  return Object.keys(sorted[0].point).map((name) => {
    const values: JsonValue[] = [];
    const seen = new Set<string>();
    for (const r of sorted) {
      const v = r.point[name];
      const key = JSON.stringify(v);
      if (!seen.has(key)) {
        seen.add(key);
        values.push(v);
      }
    }
    return { name, label: name, values };
  });
}

function isSweepResult(source: SweepResult | readonly CellSummaryRow[]): source is SweepResult {
  return !Array.isArray(source);
}

/**
 * The Vega-Lite spec of one metric's figure: exactly the figures/<metric>.vl.json that
 * `advtransfer sweep` writes for the same config, when given runSweep's result (its axes, their
 * labels and the config's `plot` section are used; `options` override the plot section's keys).
 * Given bare rows (say, filtered ones), the axes are read from the rows (labels = names).
 * @throws ConfigError for a metric without rows, an unknown x axis or a bad plot key.
 * @example
 * const result = await runSweep({ scenario: { d: 100, s: 10 }, replicates: 10, methods: [{ label: "standard" }, { label: "linf", attack: "linf", eps: 0.1 }], sweep: { "methods.linf.eps": [0.1, 0.3] } });
 * const spec = figureSpec(result, { metric: "sinTheta", labels: { sinTheta: "sin theta" } });
 * spec.title.text // "sin theta"
 * spec.data.values.length // 4
 * spec.layer.length // 3
 */
export function figureSpec(source: SweepResult | readonly CellSummaryRow[], options: FigureOptions = {}): Record<string, JsonValue> {
  const { metric, ...plotKeys } = parseObject("figure options", options) as FigureOptions & { [key: string]: JsonValue };
  let rows: readonly CellSummaryRow[];
  let axes: PlotAxis[];
  let plot: Record<string, unknown> = plotKeys;
  if (isSweepResult(source)) {
    rows = source.rows;
    axes = axesFromSpec(source.plan.spec);
    const section = source.plan.spec.plot === undefined ? {} : parseObject("plot", source.plan.spec.plot);
    plot = { ...section, ...plotKeys };
  } else {
    rows = source;
    axes = axesFromRows(rows);
  }
  const parsed = parsePlotOptions(plot, axes);
  if (rows.length === 0) throw new ConfigError("rows", "[]", "no summary rows to plot");
  return buildFigureSpec(rows, axes, parsed, metric ?? parsed.metrics?.[0] ?? metricsOf(rows)[0]);
}

/**
 * The SVG text of a Vega-Lite spec (vega, pure JavaScript, no canvas; loaded on first use, as it
 * is large): the figures/<metric>.svg of the CLI, for a notebook's display or a web page.
 * @example (await figureSvg({ data: { values: [{ a: 1, b: 2 }] }, mark: "point", encoding: { x: { field: "a", type: "quantitative" }, y: { field: "b", type: "quantitative" } } })).startsWith("<svg") // true
 */
export async function figureSvg(spec: object): Promise<string> {
  const { renderSvg } = await import("./renderSvg.js");
  return renderSvg(spec);
}
