/**
 * The explorer's figures as Vega-Lite specs, pure functions of summary rows and paired effects
 * in the style of report/figureSpec.ts. Curves are the CLI's own figures (buildFigureSpec), drawn
 * with ±1 SE bands instead of bars where x is numeric; the phase diagram (paired gain over two
 * axes, clear cells outlined) and the bounds view are built here.
 */
import { type JsonValue, canonicalJson } from "../../src/core/config/canonicalJson.js";
import type { CellSummaryRow } from "../../src/experiment/cellSummary.js";
import type { PairedEffect } from "../../src/experiment/pairedEffects.js";
import { CLEAR_SE } from "../../src/experiment/claims.js";
import { type PlotAxis, type PlotOptions, buildFigureSpec } from "../../src/report/figureSpec.js";

type Spec = Record<string, JsonValue>;

const SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json";

/** Size of a single-panel figure on the page. */
export interface FigureSize {
  readonly width: number;
  readonly height: number;
}

/** Replicate counts of the rows as the figures' subtitles say them ("16" or "16-50"). */
export function replicateText(rows: readonly { readonly replicates: number }[]): string {
  const reps = rows.map((r) => r.replicates);
  if (reps.length === 0) return "0";
  const lo = Math.min(...reps);
  const hi = Math.max(...reps);
  return lo === hi ? `${lo}` : `${lo}-${hi}`;
}

function layersOf(spec: Spec): JsonValue[] {
  const inner = (spec.spec ?? spec) as Spec;
  return inner.layer as JsonValue[];
}

/**
 * The CLI's figure of `metric` (report/figureSpec.ts) as the page draws it: on a numeric x the
 * error bars become a ±1 SE band; `marker` draws a vertical rule at that x; `size` sets a single
 * panel's size.
 */
export function curveSpec(rows: readonly CellSummaryRow[], axes: readonly PlotAxis[], options: PlotOptions, metric: string, extra: { readonly marker?: number | null; readonly size?: FigureSize } = {}): Spec {
  const spec = buildFigureSpec(rows, axes, options, metric);
  const layers = layersOf(spec);
  const bar = layers[0] as Spec;
  const x = (bar.encoding as Spec).x as Spec;
  const numeric = x.type === "quantitative";
  const selected = rows.filter((r) => r.metric === metric && (options.methods === null || options.methods.includes(r.method)));
  const title = spec.title as Spec;
  if (numeric) {
    bar.mark = { type: "errorband", opacity: 0.22 };
    title.subtitle = `mean and ±1 standard error band over ${replicateText(selected)} replicates per point`;
  } else {
    title.subtitle = `mean and ±1 standard error over ${replicateText(selected)} replicates per point`;
  }
  if (numeric && extra.marker !== undefined && extra.marker !== null) {
    layers.push({ mark: { type: "rule", strokeDash: [3, 3], color: "#555" }, encoding: { x: { datum: extra.marker, type: "quantitative" } } });
  }
  if (extra.size !== undefined && spec.spec === undefined) {
    spec.width = extra.size.width;
    spec.height = extra.size.height;
  }
  return spec;
}

/** One cell of the phase diagram. */
export interface PhaseCell {
  readonly cell: number;
  /** The cell's value on the row axis (s in the live view) and on the column axis (eps). */
  readonly y: JsonValue;
  readonly x: JsonValue;
  /** baseline - method: positive where the method lowers the metric (is better). */
  readonly gain: number;
  readonly se: number | null;
  readonly clear: boolean;
  readonly n: number;
}

/** The phase diagram's cells from paired effects of `method` against the baseline on `metric`. */
export function phaseCells(effects: readonly PairedEffect[], method: string, metric: string, yAxis: string, xAxis: string): PhaseCell[] {
  return effects
    .filter((e) => e.method === method && e.metric === metric)
    .map((e) => ({ cell: e.cell, y: e.point[yAxis], x: e.point[xAxis], gain: -e.difference, se: e.differenceSe, clear: e.clear, n: e.n }));
}

/** The axes of a phase diagram: values in grid order, titles, and how a row value is written. */
export interface PhaseAxes {
  readonly x: readonly JsonValue[];
  readonly y: readonly JsonValue[];
  readonly xTitle: string;
  readonly yTitle: string;
  /** A row's label (default: the value); rows are drawn with the last grid value on top. */
  readonly yText?: (v: JsonValue) => string;
}

function plain(v: JsonValue): string | number {
  return typeof v === "number" || typeof v === "string" ? v : canonicalJson(v);
}

/** The label of a support size s as a fraction of d: "0.04 (s = 20)". */
export function supportFractionText(s: JsonValue, d: number): string {
  return typeof s === "number" ? `${Number((s / d).toPrecision(3))} (s = ${s})` : String(plain(s));
}

/**
 * The phase diagram: the paired gain (baseline - method) of `metric` on the grid of the row axis
 * (s/d in the live view, the last value on top) and the column axis (eps), on a diverging scale
 * symmetric around 0 (blue: the method is better); cells whose gain is clear (beyond CLEAR_SE
 * paired SE) are outlined, solid for a gain, dashed for a loss.
 */
export function phaseDiagramSpec(cells: readonly PhaseCell[], axes: PhaseAxes, labels: { readonly metric: string; readonly method: string; readonly baseline: string }): Spec {
  const yText = axes.yText ?? ((v: JsonValue) => String(plain(v)));
  const values = cells.map((c) => ({
    x: plain(c.x),
    y: yText(c.y),
    gain: c.gain,
    se: c.se,
    clear: c.clear,
    n: c.n,
  }));
  const x = { field: "x", type: "ordinal", sort: axes.x.map(plain), title: axes.xTitle, axis: { labelAngle: 0 } };
  const y = { field: "y", type: "ordinal", sort: [...axes.y].reverse().map(yText), title: axes.yTitle };
  const n = cells.length === 0 ? "0" : replicateText(cells.map((c) => ({ replicates: c.n })));
  const maxAbs = Math.max(1e-12, ...cells.map((c) => Math.abs(c.gain)));
  return {
    $schema: SCHEMA,
    title: {
      text: `gain of ${labels.method} over ${labels.baseline} in ${labels.metric}`,
      subtitle: [
        `gain = ${labels.baseline} - ${labels.method}, mean over ${n} paired replicates per cell; blue: ${labels.method} is better`,
        `outlined: clear gain (beyond ${CLEAR_SE} paired SE); dashed: clear loss`,
      ],
    },
    data: { values },
    width: Math.max(260, 36 * axes.x.length),
    height: Math.max(120, 30 * axes.y.length),
    layer: [
      {
        mark: { type: "rect" },
        encoding: {
          x,
          y,
          color: { field: "gain", type: "quantitative", title: "gain", scale: { scheme: "redblue", domain: [-maxAbs, maxAbs] } },
          tooltip: [
            { field: "y", title: axes.yTitle },
            { field: "x", title: axes.xTitle },
            { field: "gain", title: "gain", format: ".4f" },
            { field: "se", title: "paired SE", format: ".4f" },
            { field: "n", title: "pairs" },
          ],
        },
      },
      { transform: [{ filter: "datum.clear && datum.gain > 0" }], mark: { type: "rect", filled: false, stroke: "#000", strokeWidth: 2.5 }, encoding: { x, y } },
      { transform: [{ filter: "datum.clear && datum.gain < 0" }], mark: { type: "rect", filled: false, stroke: "#000", strokeWidth: 1.5, strokeDash: [4, 3] }, encoding: { x, y } },
    ],
    config: { axis: { grid: false } },
  };
}

/** Quantities of the bounds view: the measured metric and what bounds and limits of it are called. */
export const BOUND_QUANTITIES: readonly { readonly quantity: string; readonly label: string }[] = [
  { quantity: "sinTheta", label: "sin theta(U, B*)" },
  { quantity: "expectedExcess", label: "E[target excess | U]" },
];

/** One point of a curve of the bounds view. */
export interface BoundPoint {
  readonly method: string;
  readonly quantity: string;
  /** "measured", "bound B2", "limit L1", ... */
  readonly curve: string;
  readonly kind: "measured" | "bound" | "limit";
  readonly x: JsonValue;
  readonly mean: number;
  readonly se: number | null;
  readonly replicates: number;
}

const BOUND_VALUE = /^bound\.([^.]+)\.([^.]+)\.value$/;
const LIMIT = /^limit\.([^.]+)\.([^.]+)$/;

/**
 * The curves of the bounds view from summary rows: per method and quantity the measured mean and
 * the mean of every bound's value (`bound.Q.B.value`, capped at the trivial bound) and of every
 * exact limit (`limit.Q.L`, when the family reports them).
 */
export function boundPoints(rows: readonly CellSummaryRow[], xAxis: string): BoundPoint[] {
  const quantities = new Set(BOUND_QUANTITIES.map((q) => q.quantity));
  const out: BoundPoint[] = [];
  for (const r of rows) {
    const base = { method: r.method, x: r.point[xAxis], mean: r.mean, replicates: r.replicates };
    if (quantities.has(r.metric)) {
      out.push({ ...base, quantity: r.metric, curve: "measured", kind: "measured", se: r.se });
      continue;
    }
    const b = BOUND_VALUE.exec(r.metric);
    if (b !== null && quantities.has(b[1])) {
      out.push({ ...base, quantity: b[1], curve: `bound ${b[2]}`, kind: "bound", se: null });
      continue;
    }
    const l = LIMIT.exec(r.metric);
    if (l !== null && quantities.has(l[1])) out.push({ ...base, quantity: l[1], curve: `limit ${l[2]}`, kind: "limit", se: null });
  }
  return out;
}

/**
 * The bounds view: one panel per quantity (rows) and method (columns); the measured mean with its
 * ±1 SE band (solid), every bound (dashed) and every limit (dotted) against x.
 */
export function boundsSpec(points: readonly BoundPoint[], xTitle: string, methods: readonly string[], methodLabels: Readonly<Record<string, string>>): Spec {
  const label = (q: string) => BOUND_QUANTITIES.find((b) => b.quantity === q)?.label ?? q;
  const values = points.map((p) => ({
    method: methodLabels[p.method] ?? p.method,
    quantity: label(p.quantity),
    curve: p.curve,
    kind: p.kind,
    x: p.x,
    mean: p.mean,
    lo: p.mean - (p.se ?? 0),
    hi: p.mean + (p.se ?? 0),
  }));
  const curves = [...new Set(points.map((p) => p.curve))].sort((a, b) => (a === "measured" ? -1 : b === "measured" ? 1 : a.localeCompare(b)));
  const x = { field: "x", type: "quantitative", title: xTitle, scale: { zero: false, nice: true } };
  const color = { field: "curve", type: "nominal", title: "curve", sort: curves, scale: { domain: curves, range: curves.map((c, i) => (c === "measured" ? "#000" : PALETTE[i % PALETTE.length])) } };
  const dash = { field: "kind", type: "nominal", title: "kind", scale: { domain: ["measured", "bound", "limit"], range: [[1, 0], [6, 3], [2, 2]] } };
  const n = replicateText(points);
  return {
    $schema: SCHEMA,
    title: { text: "bounds (MODEL §6) beside the measured values", subtitle: `means over ${n} replicates per point; a bound at its cap (1 for sin theta) says nothing` },
    data: { values },
    facet: {
      row: { field: "quantity", type: "nominal", title: null, sort: BOUND_QUANTITIES.map((q) => q.label) },
      column: { field: "method", type: "nominal", title: null, sort: methods.map((m) => methodLabels[m] ?? m) },
    },
    spec: {
      width: 300,
      height: 190,
      layer: [
        { transform: [{ filter: "datum.kind === 'measured'" }], mark: { type: "errorband", opacity: 0.2, color: "#000" }, encoding: { x, y: { field: "lo", type: "quantitative", title: null }, y2: { field: "hi" } } },
        { mark: { type: "line", strokeWidth: 1.8, point: { size: 20 } }, encoding: { x, y: { field: "mean", type: "quantitative", title: null, scale: { zero: false } }, color, strokeDash: dash } },
      ],
    },
    resolve: { scale: { y: "independent" } },
  };
}

const PALETTE = ["#4c78a8", "#f58518", "#54a24b", "#e45756", "#b279a2", "#9d755d", "#72b7b2", "#eeca3b", "#ff9da6"];
