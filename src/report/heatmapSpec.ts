/**
 * Heatmaps of a metric over two sweep axes (`plot.x` across, `plot.heatmap.y` down): colour is the
 * metric's mean, or the paired difference (ratio) of a method against the sweep's baseline on a
 * diverging scale centred at 0 (at 1); cells where the paired difference is clear (beyond
 * CLEAR_SE paired SEs) are outlined; the best value of each row is marked (a diamond; "edge" when
 * it sits on the first or last column, where the grid may not contain the optimum); where the
 * methods report a limit of the metric (`limit.<metric>.<L>`), the predicted boundary, the x at
 * which the predicted gain changes sign (linear interpolation between neighbouring columns), is
 * drawn as a black tick in each row. One panel per method (other than the baseline) and value of
 * the remaining axis, wrapped into rows of `plot.columns` panels.
 *
 * Cells are drawn at integer positions (the index of the axis value), so unevenly spaced values
 * (n = 20, 40, 80, ...) get equal cells; axis labels show the values. Pure.
 */
import type { JsonValue } from "../core/config/canonicalJson.js";
import type { CellSummaryRow } from "../experiment/cellSummary.js";
import type { PairedEffect } from "../experiment/pairedEffects.js";
import { ConfigError } from "../core/config/parse.js";
import { type FigureContext, type PlotAxis, type PlotOptions, display, labelExpression, methodsOf, panelKey, subtitleLines } from "./figureSpec.js";

/** One cell of a heatmap. */
export interface HeatmapCell {
  /** The sweep cell the value belongs to. */
  readonly cell: number;
  readonly panel: string;
  readonly method: string;
  /** Index of the x value and of the y value in grid order. */
  readonly xi: number;
  readonly yi: number;
  readonly value: number;
  /** Paired SE of the value (null for means or below two pairs). */
  readonly se: number | null;
  readonly clear: boolean;
  readonly best: boolean;
}

/** Where the predicted gain changes sign in one row: x as a fractional index. */
export interface BoundaryPoint {
  readonly panel: string;
  readonly method: string;
  readonly yi: number;
  readonly xi: number;
}

/** The numbers of a heatmap (before any Vega-Lite), for tests and reports. */
export interface HeatmapData {
  readonly cells: readonly HeatmapCell[];
  readonly boundary: readonly BoundaryPoint[];
  /** Rows whose best value sits on the first or last column. */
  readonly edgeRows: readonly { readonly panel: string; readonly method: string; readonly yi: number }[];
}

function indexOf(axis: PlotAxis, value: JsonValue): number {
  const key = JSON.stringify(display(value));
  return axis.values.findIndex((v) => JSON.stringify(display(v)) === key);
}

/**
 * The predicted gain of `method` over `baseline` in a cell: the difference (or ratio) of the means
 * of their limit metrics `limit.<metric>.<L>` (each method's own limit), or null when either has none.
 */
export function predictedGain(rows: readonly CellSummaryRow[], cell: number, method: string, baseline: string, metric: string, kind: "difference" | "ratio"): number | null {
  const re = new RegExp(`^limit\\.${metric.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\.[^.]+$`);
  const find = (m: string) => rows.find((r) => r.cell === cell && r.method === m && re.test(r.metric));
  const a = find(method);
  const b = find(baseline);
  if (a === undefined || b === undefined) return null;
  if (kind === "difference") return a.mean - b.mean;
  return b.mean === 0 ? null : a.mean / b.mean;
}

/** Predicted gains at most this far from the centre are rounding residue (see heatmapData). */
const ROUNDING = 1e-9;

/**
 * The cells, best marks and predicted boundary of the heatmap of `metric`. With value "mean" the
 * panels are the methods themselves; otherwise every method but the baseline.
 */
export function heatmapData(rows: readonly CellSummaryRow[], effects: readonly PairedEffect[], axes: readonly PlotAxis[], options: PlotOptions, metric: string): HeatmapData {
  const h = options.heatmap;
  if (h === null || options.x === null) throw new RangeError("heatmapData: no heatmap options");
  const xAxis = axes.find((a) => a.name === options.x)!;
  const yAxis = axes.find((a) => a.name === h.y)!;
  const rest = axes.filter((a) => a !== xAxis && a !== yAxis);
  const baseline = effects[0]?.baseline ?? null;
  const allMethods = options.methods ?? methodsOf(rows);
  const methods = h.value === "mean" ? allMethods : allMethods.filter((m) => m !== baseline);
  const raw: Omit<HeatmapCell, "best">[] = [];
  if (h.value === "mean") {
    for (const r of rows) {
      if (r.metric !== metric || !methods.includes(r.method)) continue;
      raw.push({ cell: r.cell, panel: panelName(r.method, r.point, rest), method: r.method, xi: indexOf(xAxis, r.point[xAxis.name] ?? null), yi: indexOf(yAxis, r.point[yAxis.name] ?? null), value: r.mean, se: r.se, clear: false });
    }
  } else {
    for (const e of effects) {
      if (e.metric !== metric || !methods.includes(e.method)) continue;
      const value = h.value === "difference" ? e.difference : e.ratio;
      if (value === null) continue;
      raw.push({ cell: e.cell, panel: panelName(e.method, e.point, rest), method: e.method, xi: indexOf(xAxis, e.point[xAxis.name] ?? null), yi: indexOf(yAxis, e.point[yAxis.name] ?? null), value, se: h.value === "difference" ? e.differenceSe : e.ratioSe, clear: e.clear });
    }
  }
  if (raw.length === 0) throw new ConfigError("plot.heatmap", metric, `no ${h.value === "mean" ? "rows" : "paired effects"} for this metric`);
  const groups = new Map<string, Omit<HeatmapCell, "best">[]>();
  for (const c of raw) {
    const key = `${c.panel}\u0000${c.yi}`;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key)!.push(c);
  }
  const bestSet = new Set<Omit<HeatmapCell, "best">>();
  const edgeRows: { panel: string; method: string; yi: number }[] = [];
  if (h.best !== "off") {
    for (const group of groups.values()) {
      let best = group[0];
      for (const c of group) if (h.best === "min" ? c.value < best.value : c.value > best.value) best = c;
      bestSet.add(best);
      if (best.xi === 0 || best.xi === xAxis.values.length - 1) edgeRows.push({ panel: best.panel, method: best.method, yi: best.yi });
    }
  }
  const cells = raw.map((c) => ({ ...c, best: bestSet.has(c) }));
  const boundary: BoundaryPoint[] = [];
  if (h.boundary && baseline !== null) {
    const kind = h.value === "ratio" ? "ratio" : "difference";
    const centre = kind === "ratio" ? 1 : 0;
    for (const group of groups.values()) {
      const sorted = [...group].sort((a, b) => a.xi - b.xi);
      const gains: { xi: number; g: number }[] = [];
      for (const c of sorted) {
        const g = predictedGain(rows, c.cell, c.method, baseline, metric, kind);
        // Two limits that coincide in theory (l-inf at eps = 0 and standard training) differ in
        // their computed values by rounding only; such a gain is 0, not a sign.
        if (g !== null) gains.push({ xi: c.xi, g: Math.abs(g - centre) <= ROUNDING ? 0 : g - centre });
      }
      for (let i = 1; i < gains.length; i++) {
        const a = gains[i - 1];
        const b = gains[i];
        // A strict change of sign (a 0, such as the identical methods at eps = 0, is no crossing).
        if ((a.g < 0 && b.g > 0) || (a.g > 0 && b.g < 0)) {
          boundary.push({ panel: sorted[0].panel, method: sorted[0].method, yi: sorted[0].yi, xi: a.xi + (b.xi - a.xi) * (a.g / (a.g - b.g)) });
        }
      }
    }
  }
  return { cells, boundary, edgeRows };
}

function panelName(method: string, point: { readonly [axis: string]: JsonValue }, rest: readonly PlotAxis[]): string {
  return rest.length === 0 ? method : `${method}, ${panelKey(point, rest)}`;
}

/** A Vega expression mapping integer positions to the axis's value labels. */
function indexLabels(axis: PlotAxis): string {
  return `${JSON.stringify(axis.values.map((v) => String(display(v))))}[datum.value]`;
}

/** The Vega-Lite spec of the heatmap of `metric`. */
export function buildHeatmapSpec(rows: readonly CellSummaryRow[], effects: readonly PairedEffect[], axes: readonly PlotAxis[], options: PlotOptions, metric: string, context: FigureContext = {}): Record<string, JsonValue> {
  const h = options.heatmap!;
  const data = heatmapData(rows, effects, axes, options, metric);
  const xAxis = axes.find((a) => a.name === options.x)!;
  const yAxis = axes.find((a) => a.name === h.y)!;
  const baseline = effects[0]?.baseline ?? null;
  const metricName = options.labels[metric] ?? metric;
  const baseName = baseline === null ? "" : (options.labels[baseline] ?? baseline);
  const centre = h.value === "ratio" ? 1 : 0;
  const spread = Math.max(1e-12, ...data.cells.map((c) => Math.abs(c.value - centre)));
  const digits = spread >= 1 ? 2 : spread >= 0.1 ? 3 : 4;
  const values: Record<string, JsonValue>[] = data.cells.map((c): Record<string, JsonValue> => ({
    kind: "cell",
    panel: c.panel,
    xi: c.xi,
    yi: c.yi,
    x0: c.xi - 0.5,
    x1: c.xi + 0.5,
    y0: c.yi - 0.5,
    y1: c.yi + 0.5,
    value: c.value,
    text: c.value.toFixed(digits),
    se: c.se,
    clear: c.clear,
    best: c.best,
    xValue: display(xAxis.values[c.xi]),
    yValue: display(yAxis.values[c.yi]),
  }));
  // Ticks share the dataset (a facet partitions one dataset; layers cannot bring their own).
  for (const b of data.boundary) values.push({ kind: "tick", panel: b.panel, bx: b.xi, by0: b.yi - 0.5, by1: b.yi + 0.5 });
  const cellsOnly = { filter: "datum.kind === 'cell'" };
  const xTitle = options.labels[xAxis.name] ?? xAxis.label;
  const yTitle = options.labels[yAxis.name] ?? yAxis.label;
  const x = { field: "x0", type: "quantitative", title: xTitle, scale: { domain: [-0.5, xAxis.values.length - 0.5], nice: false, zero: false }, axis: { values: xAxis.values.map((_, i) => i), labelExpr: indexLabels(xAxis), grid: false } };
  const y = { field: "y0", type: "quantitative", title: yTitle, scale: { domain: [yAxis.values.length - 0.5, -0.5], nice: false, zero: false }, axis: { values: yAxis.values.map((_, i) => i), labelExpr: indexLabels(yAxis), grid: false } };
  const colourTitle = h.value === "mean" ? metricName : h.value === "difference" ? `method - ${baseName}` : `method / ${baseName}`;
  const color: Record<string, JsonValue> =
    h.value === "mean"
      ? { field: "value", type: "quantitative", title: colourTitle, scale: { scheme: "viridis" } }
      : { field: "value", type: "quantitative", title: colourTitle, scale: { scheme: "redblue", reverse: true, domain: [centre - spread, centre + spread], domainMid: centre } };
  const layer: JsonValue[] = [
    { transform: [cellsOnly], mark: { type: "rect" }, encoding: { x, x2: { field: "x1" }, y, y2: { field: "y1" }, color, tooltip: [{ field: "xValue", title: xTitle }, { field: "yValue", title: yTitle }, { field: "value", format: ".4f" }, { field: "se", format: ".4f" }] } },
    { transform: [cellsOnly, { filter: "datum.clear" }], mark: { type: "rect", fill: null, stroke: "black", strokeWidth: 1.6 }, encoding: { x, x2: { field: "x1" }, y, y2: { field: "y1" } } },
    { transform: [cellsOnly], mark: { type: "text", fontSize: 8, baseline: "middle", dy: 6 }, encoding: { x: { field: "xi", type: "quantitative" }, y: { field: "yi", type: "quantitative" }, text: { field: "text" }, color: { value: "#222" } } },
    { transform: [{ filter: "datum.best" }], mark: { type: "point", shape: "diamond", filled: true, size: 50, color: "black", stroke: "white", strokeWidth: 1, dy: -4 }, encoding: { x: { field: "xi", type: "quantitative" }, y: { field: "yi", type: "quantitative" } } },
  ];
  if (data.boundary.length > 0) {
    layer.push({ transform: [{ filter: "datum.kind === 'tick'" }], mark: { type: "rule", color: "black", strokeWidth: 3 }, encoding: { x: { field: "bx", type: "quantitative" }, y: { field: "by0", type: "quantitative" }, y2: { field: "by1" } } });
  }
  const reps = [...new Set(rows.filter((r) => r.metric === metric).map((r) => r.replicates))];
  const what = h.value === "mean" ? `mean of ${metricName}` : `paired ${h.value === "difference" ? "difference" : "ratio"} against ${baseName} (outlined: clear beyond 3 paired SE)`;
  const marks = `${h.best === "off" ? "" : `diamond: the ${h.best === "min" ? "lowest" : "highest"} value of each row`}${data.boundary.length > 0 ? `; black ticks: where the limits predict the gain changes sign` : ""}`;
  const lines = subtitleLines(`${what}; ${reps.join("/")} replicates per cell`, context);
  lines.splice(1, 0, marks);
  if (data.edgeRows.length > 0) lines.push(`best value on the edge of the ${xTitle} grid in ${data.edgeRows.length} row(s): the optimum may lie outside it`);
  const panels = [...new Set(data.cells.map((c) => c.panel))];
  const title = { text: options.title ?? (h.value === "mean" ? metricName : `${metricName}: gain over ${baseName}`), subtitle: lines.filter((l) => l !== "") };
  // Each column wide enough for its printed values (about 5 px per character at font size 8).
  const longest = Math.max(0, ...data.cells.map((c) => c.value.toFixed(digits).length));
  const width = Math.max(160, Math.max(22, 5 * longest + 6) * xAxis.values.length);
  const height = Math.max(100, 22 * yAxis.values.length);
  const spec = { width, height, layer };
  const base: Record<string, JsonValue> = { $schema: "https://vega.github.io/schema/vega-lite/v6.json", title, data: { values } };
  const facet = { field: "panel", type: "ordinal", title: "", sort: panels, header: { labelFontSize: 13, labelExpr: labelExpression(panels, options.labels) } };
  return { ...base, facet, columns: options.columns ?? Math.min(panels.length, 3), spec, resolve: { scale: { color: "shared" } } } as Record<string, JsonValue>;
}
