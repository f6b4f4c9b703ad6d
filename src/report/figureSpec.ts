/**
 * Vega-Lite specifications of sweep figures. Pure: a spec is a JSON object built from summary rows.
 *
 * - Line figures (one per metric): the metric's mean against the swept parameter, one line per
 *   method, error bars of one standard error, one panel per value of each remaining axis (wrapped
 *   into rows of `plot.columns` panels when asked, and always for more than two panel axes). A numeric x axis joins the points by lines; a
 *   nominal one (strings, booleans) draws grouped points, never lines. Theory curves (the limits
 *   `limit.<metric>.<L>` and the bounds `bound.<metric>.<B>.value` a method reports) are drawn
 *   dashed beside the measured curve of the same method.
 * - Gain figures (one per metric, with a sweep's `baseline`): the paired difference (or ratio) of
 *   each method against the baseline with its paired standard error; filled points are clear
 *   (beyond CLEAR_SE paired SEs), hollow ones are not.
 * - Heatmaps (report/heatmapSpec.ts).
 *
 * Every figure's subtitle says what the points are, how many replicates, the scenario's fixed
 * values, and whether the results are partial; a method whose curve coincides with another's at
 * every point is named in the legend ("l2 = standard"), so a hidden line is never silent.
 *
 * The `plot` section of a sweep config is parsed by parsePlotOptions against the sweep's axes,
 * its methods, its metrics and its baseline before any work starts (runtime/sweep.ts).
 */
import { ConfigError, parseArray, parseBoolean, parseChoice, parseInteger, parseObject, parseString, rejectUnknownKeys } from "../core/config/parse.js";
import { type JsonValue, canonicalJson } from "../core/config/canonicalJson.js";
import type { CellSummaryRow } from "../experiment/cellSummary.js";
import type { PairedEffect } from "../experiment/pairedEffects.js";
import type { AxisInfo } from "./summaryTable.js";

/** Axis metadata with the axis values in grid order. */
export interface PlotAxis extends AxisInfo {
  readonly values: readonly JsonValue[];
}

/** Log-scale choice: always, never, or when every plotted value is positive and they span a factor >= AUTO_LOG_RATIO. */
export type LogMode = "auto" | "on" | "off";

/** The span (max / min) from which "auto" uses a log scale. */
export const AUTO_LOG_RATIO = 50;

/** What a gain figure or a heatmap shows of a method against the baseline. */
export type GainKind = "difference" | "ratio";

/** Checked heatmap options (report/heatmapSpec.ts). */
export interface HeatmapOptions {
  /** The axis down the rows (the plot's x runs across the columns). */
  readonly y: string;
  /** Colour: the metric's mean, or the paired difference / ratio against the baseline. */
  readonly value: "mean" | GainKind;
  /** Which value per row is marked as the best. */
  readonly best: "min" | "max" | "off";
  /** Draw where the predicted gain (of the `limit.<metric>.*` metrics) changes sign. */
  readonly boundary: boolean;
}

/** Checked plot options. */
export interface PlotOptions {
  /** Axis on the horizontal scale (null: the sweep has no axes; methods go on x). */
  readonly x: string | null;
  /** Metrics to draw (null: all, in the order of the rows). */
  readonly metrics: readonly string[] | null;
  /** Methods to draw, in legend order (null: all). */
  readonly methods: readonly string[] | null;
  /** Display names of metrics, methods and axes (default: the name itself). */
  readonly labels: Readonly<Record<string, string>>;
  readonly logX: LogMode;
  readonly logY: LogMode;
  readonly title: string | null;
  /** Panels per row of a figure with panels (null: one column per value of the first panel axis). */
  readonly columns: number | null;
  /** Gain figures against the sweep's baseline ("off": none). */
  readonly gain: GainKind | "off";
  /** Draw the limits a method reports (`limit.<metric>.<L>`) as dashed curves. */
  readonly limits: boolean;
  /** Bounds to draw beside a metric (`bound.<metric>.<B>.value`), by bound name. */
  readonly bounds: readonly string[];
  /** A heatmap per metric, or null. */
  readonly heatmap: HeatmapOptions | null;
}

const LOG_MODES = ["auto", "on", "off"] as const;

/** What a plot section is checked against. */
export interface PlotContext {
  readonly axes: readonly PlotAxis[];
  /** The sweep's baseline method label, if any. */
  readonly baseline?: string | null;
  /** The method labels the sweep reports (union over cells); unchecked when absent. */
  readonly methods?: readonly string[];
  /** The metrics the sweep may report (union over cells); unchecked when absent. */
  readonly metrics?: readonly string[];
}

/**
 * Parses a config's `plot` section (ConfigError on any problem): x must name an axis (default:
 * the axis with the most values, the last one on ties); metrics and methods must be ones the
 * sweep reports (when the context lists them); labels map names to display strings; log.x /
 * log.y are "auto", "on" or "off"; columns >= 1 wraps panels; gain ("difference", "ratio",
 * "off") and a heatmap's value other than "mean" need a baseline; heatmap.y must be another
 * axis. A bare array of axes is accepted for compatibility (`parsePlotOptions(raw, axes)`).
 */
export function parsePlotOptions(raw: unknown, contextOrAxes: PlotContext | readonly PlotAxis[]): PlotOptions {
  const context: PlotContext = Array.isArray(contextOrAxes) ? { axes: contextOrAxes as readonly PlotAxis[] } : (contextOrAxes as PlotContext);
  const { axes } = context;
  const baseline = context.baseline ?? null;
  const obj = raw === undefined ? {} : parseObject("plot", raw);
  rejectUnknownKeys("plot", obj, ["x", "metrics", "methods", "labels", "log", "title", "columns", "gain", "limits", "bounds", "heatmap"]);
  const axisNames = () => axes.map((a) => JSON.stringify(a.name)).join(", ") || "(the sweep has none)";
  let x: string | null = null;
  if (obj.x !== undefined) {
    x = parseString("plot.x", obj.x);
    if (!axes.some((a) => a.name === x)) throw new ConfigError("plot.x", x, `must name a sweep axis: ${axisNames()}`);
  } else if (axes.length > 0) {
    x = axes.reduce((best, a) => (a.values.length >= best.values.length ? a : best), axes[0]).name;
  }
  const strings = (field: string, v: unknown) => (v === undefined ? null : parseArray(field, v, 1).map((s, i) => parseString(`${field}[${i}]`, s)));
  const metrics = strings("plot.metrics", obj.metrics);
  if (metrics !== null && context.metrics !== undefined) {
    metrics.forEach((m, i) => {
      if (!context.metrics!.includes(m)) throw new ConfigError(`plot.metrics[${i}]`, m, `must be a metric the sweep reports: ${listed(context.metrics!)}`);
    });
  }
  const methods = strings("plot.methods", obj.methods);
  if (methods !== null && context.methods !== undefined) {
    methods.forEach((m, i) => {
      if (!context.methods!.includes(m)) throw new ConfigError(`plot.methods[${i}]`, m, `must be a method label of the sweep: ${listed(context.methods!)}`);
    });
  }
  const labels: Record<string, string> = {};
  if (obj.labels !== undefined) {
    for (const [k, v] of Object.entries(parseObject("plot.labels", obj.labels))) labels[k] = parseString(`plot.labels.${k}`, v);
  }
  let logX: LogMode = "auto";
  let logY: LogMode = "auto";
  if (obj.log !== undefined) {
    const log = parseObject("plot.log", obj.log);
    rejectUnknownKeys("plot.log", log, ["x", "y"]);
    if (log.x !== undefined) logX = parseChoice("plot.log.x", log.x, LOG_MODES);
    if (log.y !== undefined) logY = parseChoice("plot.log.y", log.y, LOG_MODES);
  }
  const columns = obj.columns === undefined ? null : parseInteger("plot.columns", obj.columns, 1, 100);
  const gain = obj.gain === undefined ? "difference" : parseChoice("plot.gain", obj.gain, ["difference", "ratio", "off"] as const);
  if (obj.gain !== undefined && gain !== "off" && baseline === null) {
    throw new ConfigError("plot.gain", gain, 'needs the sweep\'s "baseline" (the method every other is compared with), or "off"');
  }
  const limits = obj.limits === undefined ? true : parseBoolean("plot.limits", obj.limits);
  const bounds = strings("plot.bounds", obj.bounds) ?? [];
  let heatmap: HeatmapOptions | null = null;
  if (obj.heatmap !== undefined) {
    const h = parseObject("plot.heatmap", obj.heatmap);
    rejectUnknownKeys("plot.heatmap", h, ["y", "value", "best", "boundary"]);
    const y = parseString("plot.heatmap.y", h.y);
    if (!axes.some((a) => a.name === y)) throw new ConfigError("plot.heatmap.y", y, `must name a sweep axis: ${axisNames()}`);
    if (y === x) throw new ConfigError("plot.heatmap.y", y, `must differ from plot.x (${JSON.stringify(x)}): the heatmap's rows and columns are two axes`);
    const value = h.value === undefined ? (baseline === null ? "mean" : "difference") : parseChoice("plot.heatmap.value", h.value, ["mean", "difference", "ratio"] as const);
    if (value !== "mean" && baseline === null) throw new ConfigError("plot.heatmap.value", value, 'needs the sweep\'s "baseline"; use "mean" without one');
    const best = h.best === undefined ? "min" : parseChoice("plot.heatmap.best", h.best, ["min", "max", "off"] as const);
    const boundary = h.boundary === undefined ? true : parseBoolean("plot.heatmap.boundary", h.boundary);
    heatmap = { y, value, best, boundary };
  }
  return {
    x,
    metrics,
    methods,
    labels,
    logX,
    logY,
    title: obj.title === undefined ? null : parseString("plot.title", obj.title),
    columns,
    gain: baseline === null ? "off" : gain,
    limits,
    bounds,
    heatmap,
  };
}

function listed(names: readonly string[]): string {
  const shown = names.slice(0, 12).map((n) => JSON.stringify(n));
  return shown.join(", ") + (names.length > 12 ? `, ... (${names.length} in all)` : "");
}

/**
 * Whether to draw values on a log scale. "off": no. "on": yes, and every value must be positive
 * (a ConfigError on `field` otherwise: a log scale cannot show zero or negative values). "auto":
 * yes when every value is positive and max / min >= AUTO_LOG_RATIO.
 */
export function useLogScale(values: readonly number[], mode: LogMode, field: string): boolean {
  if (mode === "off" || values.length === 0) return false;
  const positive = values.every((v) => v > 0);
  if (mode === "on") {
    if (!positive) throw new ConfigError(field, "on", `a log scale needs positive values, and the plotted values include ${Math.min(...values)}`);
    return true;
  }
  return positive && Math.max(...values) / Math.min(...values) >= AUTO_LOG_RATIO;
}

/** An axis value as it goes into a figure's data. */
export function display(value: JsonValue): string | number | boolean {
  if (value === null) return "null";
  if (typeof value === "object") return canonicalJson(value);
  return value;
}

/** The metrics present in `rows`, in first-appearance order. */
export function metricsOf(rows: readonly CellSummaryRow[]): string[] {
  return [...new Set(rows.map((r) => r.metric))];
}

/** The methods present in `rows`, in first-appearance order. */
export function methodsOf(rows: readonly CellSummaryRow[]): string[] {
  return [...new Set(rows.map((r) => r.method))];
}

/** What a figure says besides its data: the scenario's fixed values and whether cells are missing. */
export interface FigureContext {
  /** Parameters every cell shares (e.g. the scenario's values that no axis sets), for the subtitle. */
  readonly fixed?: Readonly<Record<string, JsonValue>>;
  /** Cells without results (a partial sweep or merge), and the grid size. */
  readonly missingCells?: number;
  readonly cells?: number;
}

/** The fixed values as "d = 500, r = 4, ...", or "" for none. */
export function fixedText(fixed: Readonly<Record<string, JsonValue>> | undefined): string {
  if (fixed === undefined) return "";
  return Object.entries(fixed)
    .map(([k, v]) => `${k} = ${typeof v === "string" ? v : canonicalJson(v)}`)
    .join(", ");
}

/** The subtitle lines of a figure. */
export function subtitleLines(first: string, context: FigureContext): string[] {
  const lines = [first];
  const fixed = fixedText(context.fixed);
  if (fixed !== "") lines.push(fixed);
  if (context.missingCells !== undefined && context.missingCells > 0) {
    lines.push(`PARTIAL: ${context.missingCells} of ${context.cells ?? "?"} cells have no results yet; their points are missing`);
  }
  return lines;
}

/** The metric prefix of the theory curves of `metric` a method reports, with their legend names. */
export function theoryCurves(rows: readonly CellSummaryRow[], metric: string, options: PlotOptions): { metric: string; curve: string }[] {
  const out: { metric: string; curve: string }[] = [];
  const seen = new Set<string>();
  for (const r of rows) {
    if (seen.has(r.metric)) continue;
    const limit = options.limits ? new RegExp(`^limit\\.${escapeRegExp(metric)}\\.([^.]+)$`).exec(r.metric) : null;
    const bound = new RegExp(`^bound\\.${escapeRegExp(metric)}\\.([^.]+)\\.value$`).exec(r.metric);
    if (limit !== null) out.push({ metric: r.metric, curve: `limit ${limit[1]}` });
    else if (bound !== null && options.bounds.includes(bound[1])) out.push({ metric: r.metric, curve: `bound ${bound[1]}` });
    else continue;
    seen.add(r.metric);
  }
  return out;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * Methods whose rows equal another method's at every point (same mean and SD in every cell where
 * either reports the metric): each maps to the first method it coincides with, in legend order.
 */
export function identicalMethods(rows: readonly CellSummaryRow[], methods: readonly string[]): Map<string, string> {
  const byMethod = new Map<string, Map<number, CellSummaryRow>>();
  for (const r of rows) {
    if (!byMethod.has(r.method)) byMethod.set(r.method, new Map());
    byMethod.get(r.method)!.set(r.cell, r);
  }
  const same = new Map<string, string>();
  methods.forEach((m, i) => {
    const a = byMethod.get(m);
    if (a === undefined) return;
    for (const other of methods.slice(0, i)) {
      if (same.has(other)) continue;
      const b = byMethod.get(other);
      if (b === undefined || b.size !== a.size) continue;
      let equal = true;
      for (const [cell, ra] of a) {
        const rb = b.get(cell);
        if (rb === undefined || rb.mean !== ra.mean || rb.sd !== ra.sd) {
          equal = false;
          break;
        }
      }
      if (equal) {
        same.set(m, other);
        return;
      }
    }
  });
  return same;
}

/** Legend labels: display names, with "= other" for a method identical to another. */
function legendLabels(methods: readonly string[], labels: Readonly<Record<string, string>>, identical: ReadonlyMap<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of methods) {
    const name = labels[m] ?? m;
    const other = identical.get(m);
    out[m] = other === undefined ? name : `${name} (= ${labels[other] ?? other} at every point)`;
  }
  return out;
}

/**
 * How many panels per row when panels are wrapped: plot.columns, or (for more than two panel axes,
 * which columns and rows cannot show) the number of values of the first panel axis; null: not wrapped.
 */
function wrapColumns(panelAxes: readonly PlotAxis[], options: PlotOptions): number | null {
  if (options.columns !== null) return options.columns;
  return panelAxes.length > 2 ? panelAxes[0].values.length : null;
}

/** Panel layout: a wrapped facet over one combined panel field, or columns and rows. */
function facetFor(panelAxes: readonly PlotAxis[], options: PlotOptions): { facet: Record<string, JsonValue>; columns?: number } | null {
  const [colAxis, rowAxis] = panelAxes;
  if (!colAxis) return null;
  const header = (name: string) => ({ labelFontSize: 13, titleFontSize: 13, labelExpr: `${JSON.stringify(`${name} = `)} + (datum.label)` });
  const wrap = wrapColumns(panelAxes, options);
  if (wrap !== null) {
    // One wrapped facet: the panel field is "a = 1, b = 2", sorted in grid order.
    const sort = panelKeys(panelAxes);
    return {
      facet: { field: "panel", type: "ordinal", title: panelAxes.map((a) => options.labels[a.name] ?? a.label).join("; "), sort, header: { labelFontSize: 13, titleFontSize: 13 } },
      columns: wrap,
    };
  }
  // (Header labelExprs wrap datum.label in parentheses: Vega-Lite substitutes a conditional
  // expression for it, and `"s = " + a ? b : c` would parse as `("s = " + a) ? b : c`.)
  const facet: Record<string, JsonValue> = {
    column: { field: "col", type: "ordinal", title: options.labels[colAxis.name] ?? colAxis.label, sort: colAxis.values.map(display), header: header(colAxis.name) },
  };
  if (rowAxis) facet.row = { field: "row", type: "ordinal", title: options.labels[rowAxis.name] ?? rowAxis.label, sort: rowAxis.values.map(display), header: header(rowAxis.name) };
  return { facet };
}

/** The panel key of a point ("s = 20, m = 200") for wrapped facets. */
export function panelKey(point: { readonly [axis: string]: JsonValue }, panelAxes: readonly PlotAxis[]): string {
  return panelAxes.map((a) => `${a.name} = ${display(point[a.name] ?? null)}`).join(", ");
}

/** Every panel key in grid order (first axis slowest). */
function panelKeys(panelAxes: readonly PlotAxis[]): string[] {
  let keys: { [axis: string]: JsonValue }[] = [{}];
  for (const a of panelAxes) keys = keys.flatMap((k) => a.values.map((v) => ({ ...k, [a.name]: v })));
  return keys.map((k) => panelKey(k, panelAxes));
}

function panelFields(point: { readonly [axis: string]: JsonValue }, panelAxes: readonly PlotAxis[], options: PlotOptions): Record<string, JsonValue> {
  const [colAxis, rowAxis] = panelAxes;
  if (!colAxis) return {};
  if (wrapColumns(panelAxes, options) !== null) return { panel: panelKey(point, panelAxes) };
  const out: Record<string, JsonValue> = { col: display(point[colAxis.name] ?? null) };
  if (rowAxis) out.row = display(point[rowAxis.name] ?? null);
  return out;
}

/** Wraps layers into a single-view or faceted spec. */
function assemble(base: Record<string, JsonValue>, layer: JsonValue[], panelAxes: readonly PlotAxis[], options: PlotOptions, size: { width: number; height: number }): Record<string, JsonValue> {
  const f = facetFor(panelAxes, options);
  if (f === null) return { ...base, width: size.width + 80, height: size.height + 20, layer };
  const out: Record<string, JsonValue> = { ...base, facet: f.facet, spec: { width: size.width, height: size.height, layer }, resolve: { scale: { y: "shared" } } };
  if (f.columns !== undefined) out.columns = f.columns;
  return out;
}

/** The x encoding of a line or gain figure, and whether x is numeric (lines) or nominal (grouped points). */
function xEncoding(values: readonly Record<string, JsonValue>[], xAxis: PlotAxis | null, methods: readonly string[], options: PlotOptions, legend: Record<string, string>) {
  const xNumeric = xAxis !== null && values.every((v) => typeof v.x === "number");
  const logX = xNumeric && useLogScale(values.map((v) => v.x as number), options.logX, "plot.log.x");
  const xTitle = xAxis === null ? "method" : (options.labels[xAxis.name] ?? xAxis.label);
  const xs = xNumeric ? values.map((v) => v.x as number) : [];
  // A log axis spans the data (a "nice" log domain would pad it to whole decades).
  const x: Record<string, JsonValue> = xNumeric
    ? {
        field: "x",
        type: "quantitative",
        title: xTitle + (logX ? " (log scale)" : ""),
        scale: logX ? { type: "log", domain: [Math.min(...xs), Math.max(...xs)], nice: false } : { zero: false, nice: true },
      }
    : {
        field: "x",
        type: "ordinal",
        title: xTitle,
        sort: xAxis === null ? [...methods] : xAxis.values.map(display),
        axis: xAxis === null ? { labelAngle: 0, labelExpr: labelExpression(methods, legend) } : { labelAngle: 0 },
      };
  return { x, xNumeric };
}

/**
 * The Vega-Lite spec of one metric's figure. Points are means; error bars span mean +- SE (none
 * where n < 2); along a numeric x, lines join a method's points; along a nominal x, a method's
 * points are grouped side by side without lines. Axes other than x become panel columns (and rows,
 * for a third axis), or wrapped panels with `plot.columns`. Theory curves of the method (limits,
 * and the bounds `plot.bounds` names) are dashed lines without error bars.
 */
export function buildFigureSpec(rows: readonly CellSummaryRow[], axes: readonly PlotAxis[], options: PlotOptions, metric: string, context: FigureContext = {}): Record<string, JsonValue> {
  const label = (name: string) => options.labels[name] ?? name;
  const methods = options.methods ?? methodsOf(rows);
  const selected = rows.filter((r) => r.metric === metric && methods.includes(r.method));
  if (selected.length === 0) throw new ConfigError("plot.metrics", metric, `no rows for this metric; metrics: ${metricsOf(rows).join(", ")}`);
  const xAxis = options.x === null ? null : axes.find((a) => a.name === options.x)!;
  const panelAxes = axes.filter((a) => a.name !== options.x);
  const curves = theoryCurves(rows, metric, options);
  const identical = identicalMethods(selected, methods);
  const legend = legendLabels(methods, options.labels, identical);
  const point = (r: CellSummaryRow, curve: string): Record<string, JsonValue> => {
    const se = r.se ?? 0;
    return {
      x: xAxis === null ? r.method : display(r.point[xAxis.name] ?? null),
      method: r.method,
      curve,
      mean: r.mean,
      lo: r.mean - se,
      hi: r.mean + se,
      n: r.n,
      ...panelFields(r.point, panelAxes, options),
    };
  };
  const values = selected.map((r) => point(r, "measured"));
  const theory = curves.flatMap((c) => rows.filter((r) => r.metric === c.metric && methods.includes(r.method)).map((r) => point(r, c.curve)));
  const { x, xNumeric } = xEncoding(values, xAxis, methods, options, legend);
  const yValues = [...values, ...theory].flatMap((v) => [v.mean as number, v.lo as number, v.hi as number]);
  const logY = useLogScale(yValues, options.logY, "plot.log.y");
  const yTitle = label(metric) + (logY ? " (log scale)" : "");
  const y: Record<string, JsonValue> = { field: "mean", type: "quantitative", title: yTitle, scale: logY ? { type: "log" } : { zero: false, nice: true } };
  // One legend: colour and shape share field, title, order and labels, so Vega-Lite merges them.
  const methodLegend: Record<string, JsonValue> = { labelLimit: 400, labelExpr: labelExpression(methods, legend) };
  const byMethod = (): Record<string, JsonValue> => ({ field: "method", type: "nominal", title: "method", sort: [...methods], legend: methodLegend });
  const color = byMethod();
  const shape = byMethod();
  const measuredOnly = { filter: "datum.curve === 'measured'" };
  const layer: JsonValue[] = [];
  const offset: Record<string, JsonValue> = xNumeric || xAxis === null ? {} : { xOffset: { field: "method", type: "nominal", sort: [...methods] } };
  layer.push({ transform: [measuredOnly], mark: { type: "errorbar", ticks: { size: 10 } }, encoding: { x, y: { field: "lo", type: "quantitative", title: yTitle }, y2: { field: "hi" }, color, ...offset } });
  if (xNumeric) {
    // Methods differ in colour, dash pattern and point shape, so coinciding lines stay visible.
    const curveNames = ["measured", ...curves.map((c) => c.curve)];
    const dash: Record<string, JsonValue> =
      curves.length > 0
        ? { field: "curve", type: "nominal", title: "curve", sort: curveNames, scale: { domain: curveNames, range: curveNames.map((_, i) => DASHES[i % DASHES.length]) as JsonValue[] }, legend: { labelLimit: 300 } }
        : byMethod();
    layer.push({ mark: { type: "line", strokeWidth: 1.8 }, encoding: { x, y, color, strokeDash: dash, detail: { field: "curve" } } });
  }
  layer.push({ transform: [measuredOnly], mark: { type: "point", filled: true, size: xNumeric ? 45 : 70 }, encoding: { x, y, color, shape, ...offset } });
  const reps = [...new Set(selected.map((r) => r.replicates))];
  const first = `mean and error bars of ±1 standard error over ${reps.join("/")} replicates per point` + (curves.length > 0 ? "; dashed: theory (limits are predictions; bounds are capped at the trivial value)" : "");
  const title: Record<string, JsonValue> = { text: options.title ?? label(metric), subtitle: subtitleLines(first, context) };
  const base: Record<string, JsonValue> = { $schema: "https://vega.github.io/schema/vega-lite/v6.json", title, data: { values: [...values, ...theory] } };
  return assemble(base, layer, panelAxes, options, { width: 280, height: 220 });
}

/** Dash patterns of the curves: measured solid, then the theory curves. */
const DASHES: JsonValue[] = [[1, 0], [6, 3], [2, 2], [8, 3, 2, 3], [1, 3], [10, 4]];

/** The paired effects of `metric`, one per (cell, method), for the gain figures and heatmaps. */
export function effectsOf(effects: readonly PairedEffect[], metric: string, methods: readonly string[]): PairedEffect[] {
  return effects.filter((e) => e.metric === metric && methods.includes(e.method));
}

/**
 * The gain figure of one metric against the baseline: per method and point the paired difference
 * method - baseline (or the ratio of means) with ±1 paired SE; a rule at 0 (or 1); filled points
 * are clear (|difference| > CLEAR_SE paired SEs), hollow ones are not.
 */
export function buildGainSpec(effects: readonly PairedEffect[], axes: readonly PlotAxis[], options: PlotOptions, metric: string, context: FigureContext = {}): Record<string, JsonValue> {
  if (options.gain === "off") throw new RangeError("buildGainSpec: plot.gain is off");
  const kind = options.gain;
  const baseline = effects[0]?.baseline;
  const all = [...new Set(effects.map((e) => e.method))];
  const methods = (options.methods ?? all).filter((m) => all.includes(m));
  const selected = effectsOf(effects, metric, methods);
  if (selected.length === 0 || baseline === undefined) throw new ConfigError("plot.metrics", metric, "no paired effects for this metric against the baseline");
  const xAxis = options.x === null ? null : axes.find((a) => a.name === options.x)!;
  const panelAxes = axes.filter((a) => a.name !== options.x);
  const identicalToBaseline = methods.filter((m) => selected.filter((e) => e.method === m).every((e) => e.difference === 0 && (e.differenceSe ?? 0) === 0));
  const legend: Record<string, string> = {};
  for (const m of methods) legend[m] = (options.labels[m] ?? m) + (identicalToBaseline.includes(m) ? ` (= ${options.labels[baseline] ?? baseline} at every point)` : "");
  const values = selected.flatMap((e) => {
    const v = kind === "difference" ? e.difference : e.ratio;
    if (v === null) return [];
    const se = (kind === "difference" ? e.differenceSe : e.ratioSe) ?? 0;
    return [{ x: xAxis === null ? e.method : display(e.point[xAxis.name] ?? null), method: e.method, value: v, lo: v - se, hi: v + se, clear: e.clear ? "clear (> 3 paired SE)" : "not clear", ...panelFields(e.point, panelAxes, options) }];
  });
  const { x, xNumeric } = xEncoding(values, xAxis, methods, options, legend);
  const metricName = options.labels[metric] ?? metric;
  const baseName = options.labels[baseline] ?? baseline;
  const yTitle = kind === "difference" ? `${metricName}: method - ${baseName}` : `${metricName}: method / ${baseName}`;
  const y: Record<string, JsonValue> = { field: "value", type: "quantitative", title: yTitle, scale: { zero: false, nice: true } };
  const color: Record<string, JsonValue> = { field: "method", type: "nominal", title: "method", sort: [...methods], legend: { labelLimit: 400, labelExpr: labelExpression(methods, legend) } };
  const offset: Record<string, JsonValue> = xNumeric || xAxis === null ? {} : { xOffset: { field: "method", type: "nominal", sort: [...methods] } };
  const layer: JsonValue[] = [
    { mark: { type: "rule", color: "#555", strokeDash: [4, 3] }, encoding: { y: { datum: kind === "difference" ? 0 : 1 } } },
    { mark: { type: "errorbar", ticks: { size: 8 } }, encoding: { x, y: { field: "lo", type: "quantitative", title: yTitle }, y2: { field: "hi" }, color, ...offset } },
  ];
  if (xNumeric) layer.push({ mark: { type: "line", strokeWidth: 1.5 }, encoding: { x, y, color } });
  layer.push({
    mark: { type: "point", size: 55, strokeWidth: 1.6 },
    encoding: {
      x,
      y,
      color,
      ...offset,
      fill: { condition: { test: "datum.clear !== 'not clear'", field: "method", type: "nominal", sort: [...methods], legend: null }, value: "white" },
      shape: { field: "clear", type: "nominal", title: "paired verdict", sort: ["clear (> 3 paired SE)", "not clear"], scale: { domain: ["clear (> 3 paired SE)", "not clear"], range: ["circle", "circle"] } },
    },
  });
  const n = [...new Set(selected.map((e) => e.n))];
  const first = `gain over ${baseName}: paired ${kind === "difference" ? "difference" : "ratio of means"} ±1 paired SE over ${n.join("/")} replicates; filled: clear beyond 3 paired SE`;
  const title: Record<string, JsonValue> = { text: options.title === null ? `${metricName}: gain over ${baseName}` : `${options.title}: gain over ${baseName}`, subtitle: subtitleLines(first, context) };
  const base: Record<string, JsonValue> = { $schema: "https://vega.github.io/schema/vega-lite/v6.json", title, data: { values } };
  return assemble(base, layer, panelAxes, options, { width: 280, height: 220 });
}

/** A Vega expression mapping method names to display labels (for the legend and axis). */
export function labelExpression(methods: readonly string[], labels: Readonly<Record<string, string>>): string {
  let expr = "datum.label";
  for (const m of [...methods].reverse()) {
    if (labels[m] !== undefined && labels[m] !== m) expr = `datum.label === ${JSON.stringify(m)} ? ${JSON.stringify(labels[m])} : ${expr}`;
  }
  return expr;
}
