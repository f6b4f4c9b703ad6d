/**
 * Vega-Lite specifications of sweep figures: one figure per metric, the metric's mean against the
 * swept parameter, one line per method, error bars of one standard error, and one panel per value
 * of each remaining axis. Pure: a spec is a JSON object built from summary rows. The `plot` section
 * of a sweep config chooses the x axis, the metrics, the methods, labels and log scales.
 */
import { ConfigError, parseArray, parseChoice, parseObject, parseString, rejectUnknownKeys } from "../core/config/parse.js";
import { type JsonValue, canonicalJson } from "../core/config/canonicalJson.js";
import type { CellSummaryRow } from "../experiment/cellSummary.js";
import type { AxisInfo } from "./summaryTable.js";

/** Axis metadata with the axis values in grid order. */
export interface PlotAxis extends AxisInfo {
  readonly values: readonly JsonValue[];
}

/** Log-scale choice: always, never, or when every plotted value is positive and they span a factor >= AUTO_LOG_RATIO. */
export type LogMode = "auto" | "on" | "off";

/** The span (max / min) from which "auto" uses a log scale. */
export const AUTO_LOG_RATIO = 50;

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
}

const LOG_MODES = ["auto", "on", "off"] as const;

/**
 * Parses a config's `plot` section against the sweep's axes: x must name an axis (default: the axis
 * with the most values, the last one on ties); labels map names to display strings; log.x / log.y
 * are "auto", "on" or "off". Throws ConfigError.
 */
export function parsePlotOptions(raw: unknown, axes: readonly PlotAxis[]): PlotOptions {
  const obj = raw === undefined ? {} : parseObject("plot", raw);
  rejectUnknownKeys("plot", obj, ["x", "metrics", "methods", "labels", "log", "title"]);
  let x: string | null = null;
  if (obj.x !== undefined) {
    x = parseString("plot.x", obj.x);
    if (!axes.some((a) => a.name === x)) throw new ConfigError("plot.x", x, `must name a sweep axis: ${axes.map((a) => JSON.stringify(a.name)).join(", ") || "(the sweep has none)"}`);
  } else if (axes.length > 0) {
    x = axes.reduce((best, a) => (a.values.length >= best.values.length ? a : best), axes[0]).name;
  }
  if (axes.length > 3) throw new ConfigError("sweep", `${axes.length} axes`, "figures can show at most 3 axes (x, panel columns, panel rows)");
  const strings = (field: string, v: unknown) => (v === undefined ? null : parseArray(field, v, 1).map((s, i) => parseString(`${field}[${i}]`, s)));
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
  return {
    x,
    metrics: strings("plot.metrics", obj.metrics),
    methods: strings("plot.methods", obj.methods),
    labels,
    logX,
    logY,
    title: obj.title === undefined ? null : parseString("plot.title", obj.title),
  };
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

function display(value: JsonValue): string | number | boolean {
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

/**
 * The Vega-Lite spec of one metric's figure. Points are means; error bars span mean +- SE (none
 * where n < 2); lines join a method's points along x. Axes other than x become panel columns
 * (and rows, for a third axis), in grid order.
 */
export function buildFigureSpec(rows: readonly CellSummaryRow[], axes: readonly PlotAxis[], options: PlotOptions, metric: string): Record<string, JsonValue> {
  const label = (name: string) => options.labels[name] ?? name;
  const methods = options.methods ?? methodsOf(rows);
  const selected = rows.filter((r) => r.metric === metric && methods.includes(r.method));
  if (selected.length === 0) throw new ConfigError("plot.metrics", metric, `no rows for this metric; metrics: ${metricsOf(rows).join(", ")}`);
  const xAxis = options.x === null ? null : axes.find((a) => a.name === options.x)!;
  const panelAxes = axes.filter((a) => a.name !== options.x);
  const [colAxis, rowAxis] = panelAxes;
  const values = selected.map((r) => {
    const se = r.se ?? 0;
    const v: Record<string, JsonValue> = {
      x: xAxis === null ? r.method : display(r.point[xAxis.name]),
      method: r.method,
      mean: r.mean,
      lo: r.mean - se,
      hi: r.mean + se,
      n: r.n,
    };
    if (colAxis) v.col = display(r.point[colAxis.name]);
    if (rowAxis) v.row = display(r.point[rowAxis.name]);
    return v;
  });
  const xNumeric = xAxis !== null && values.every((v) => typeof v.x === "number");
  const logX = xNumeric && useLogScale(values.map((v) => v.x as number), options.logX, "plot.log.x");
  const yValues = values.flatMap((v) => [v.mean as number, v.lo as number, v.hi as number]);
  const logY = useLogScale(yValues, options.logY, "plot.log.y");
  const xTitle = xAxis === null ? "method" : (options.labels[xAxis.name] ?? xAxis.label);
  const yTitle = label(metric) + (logY ? " (log scale)" : "");
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
        axis: xAxis === null && methods.some((m) => options.labels[m] !== undefined) ? { labelAngle: 0, labelExpr: labelExpression(methods, options.labels) } : { labelAngle: 0 },
      };
  const y: Record<string, JsonValue> = { field: "mean", type: "quantitative", title: yTitle, scale: logY ? { type: "log" } : { zero: false, nice: true } };
  // One legend: colour, dash and shape share field, title, order and labels, so Vega-Lite merges them.
  const legend: Record<string, JsonValue> = { labelLimit: 400 };
  if (methods.some((m) => options.labels[m] !== undefined)) legend.labelExpr = labelExpression(methods, options.labels);
  const byMethod = (): Record<string, JsonValue> => ({ field: "method", type: "nominal", title: "method", sort: [...methods], legend });
  const color = byMethod();
  // (Header labelExprs wrap datum.label in parentheses: Vega-Lite substitutes a conditional
  // expression for it, and `"s = " + a ? b : c` would parse as `("s = " + a) ? b : c`.)
  // Methods differ in colour, dash pattern and point shape, so coinciding lines (a method that
  // ignores the swept parameter, drawn with common random numbers) stay visible under each other.
  const strokeDash = byMethod();
  const shape = byMethod();
  const layer: JsonValue[] = [
    {
      mark: { type: "errorbar", ticks: { size: 10 } },
      encoding: { x, y: { field: "lo", type: "quantitative", title: yTitle }, y2: { field: "hi" }, color },
    },
    xAxis === null
      ? { mark: { type: "point", filled: true, size: 70 }, encoding: { x, y, color, shape } }
      : { mark: { type: "line", strokeWidth: 1.8 }, encoding: { x, y, color, strokeDash } },
  ];
  if (xAxis !== null) layer.push({ mark: { type: "point", filled: true, size: 45 }, encoding: { x, y, color, shape } });
  const reps = [...new Set(selected.map((r) => r.replicates))];
  const subtitle = `mean and error bars of ±1 standard error over ${reps.join("/")} replicates per point`;
  const title: Record<string, JsonValue> = { text: options.title ?? label(metric), subtitle };
  const base: Record<string, JsonValue> = {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title,
    data: { values },
  };
  if (!colAxis) {
    return { ...base, width: 360, height: 240, layer };
  }
  const facet: Record<string, JsonValue> = {
    column: {
      field: "col",
      type: "ordinal",
      title: options.labels[colAxis.name] ?? colAxis.label,
      sort: colAxis.values.map(display),
      header: { labelFontSize: 13, titleFontSize: 13, labelExpr: `${JSON.stringify(`${colAxis.name} = `)} + (datum.label)` },
    },
  };
  if (rowAxis) {
    facet.row = {
      field: "row",
      type: "ordinal",
      title: options.labels[rowAxis.name] ?? rowAxis.label,
      sort: rowAxis.values.map(display),
      header: { labelFontSize: 13, titleFontSize: 13, labelExpr: `${JSON.stringify(`${rowAxis.name} = `)} + (datum.label)` },
    };
  }
  return { ...base, facet, spec: { width: 280, height: 220, layer }, resolve: { scale: { y: "shared" } } };
}

/** A Vega expression mapping method names to display labels (for the legend). */
function labelExpression(methods: readonly string[], labels: Readonly<Record<string, string>>): string {
  let expr = "datum.label";
  for (const m of [...methods].reverse()) {
    if (labels[m] !== undefined) expr = `datum.label === ${JSON.stringify(m)} ? ${JSON.stringify(labels[m])} : ${expr}`;
  }
  return expr;
}
