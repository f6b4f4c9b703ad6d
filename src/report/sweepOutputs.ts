/**
 * The files a sweep leaves in its output directory besides the results file, as text:
 *   summary.csv, summary.json           tidy aggregates (cell x method x metric)
 *   figures/<metric>.vl.json, .svg      Vega-Lite spec and rendered figure per metric
 * All are functions of the records alone, so a finished sweep, a resumed one and merged shards
 * give the same bytes. Pure (the runtime writes them to disk; a notebook can display them).
 */
import { canonicalJson, type JsonValue } from "../core/config/canonicalJson.js";
import type { CellRecord } from "../experiment/cellRecord.js";
import { DEFAULT_QUANTILE_LEVELS, missingCells, summariseRecords } from "../experiment/cellSummary.js";
import { isBoundMetric, isLimitMetric } from "../experiment/boundChecks.js";
import type { SweepSpec } from "../experiment/sweepSpec.js";
import { type FigureContext, type PlotAxis, buildFigureSpec, buildGainSpec, metricsOf, parsePlotOptions } from "./figureSpec.js";
import { buildHeatmapSpec } from "./heatmapSpec.js";
import { pairedEffects } from "../experiment/pairedEffects.js";
import { EffectIndex, summaryCsv, summaryJson } from "./summaryTable.js";

/**
 * The axes of a sweep spec, with labels and values in grid order.
 * @example axesFromSpec(parseSweepConfig({ sweep: [{ param: "scenario.n", values: [20, 40], name: "samples", label: "samples n" }] })) // [{ name: "samples", label: "samples n", values: [20, 40] }]
 */
export function axesFromSpec(spec: SweepSpec): PlotAxis[] {
  return spec.axes.map((a) => ({ name: a.name, label: a.label, values: a.values }));
}

/**
 * The axes as far as the records show them (for plotting a results file without its config):
 * names from the keys of a record's point, in order; values in order of first appearance by cell
 * index, which is grid order for every axis (row-major); labels equal names.
 * @example
 * const { records } = await runSweep({ scenario: { d: 50, s: 5 }, replicates: 2, sweep: { "scenario.n": [20, 40], "scenario.n0": [5, 10] } });
 * axesFromRecords(records) // [{ name: "scenario.n", label: "scenario.n", values: [20, 40] }, { name: "scenario.n0", label: "scenario.n0", values: [5, 10] }]
 */
export function axesFromRecords(records: readonly CellRecord[]): PlotAxis[] {
  if (records.length === 0) return [];
  const sorted = [...records].sort((a, b) => a.cell - b.cell);
  const names = Object.keys(sorted[0].point);
  return names.map((name) => {
    const seen = new Map<string, JsonValue>();
    for (const r of sorted) {
      const v = r.point[name];
      const key = canonicalJson(v);
      if (!seen.has(key)) seen.set(key, v);
    }
    return { name, label: name, values: [...seen.values()] };
  });
}

/**
 * A metric name as a file name: characters outside [A-Za-z0-9_.-] become "-".
 * @example figureFileStem("bound.sinTheta.B2/value") // "bound.sinTheta.B2-value"
 */
export function figureFileStem(metric: string): string {
  return metric.replace(/[^A-Za-z0-9_.-]/g, "-");
}

export interface SweepOutputOptions {
  /** The raw `plot` section (parsed against `axes`). */
  readonly plot?: unknown;
  readonly levels?: readonly number[];
  /** Also render SVG (default true); the Vega-Lite specs are made whenever figures are. */
  readonly svg?: boolean;
  /** Make figures at all (default true); false writes the tables only. */
  readonly figures?: boolean;
  /** The sweep's baseline method: adds the paired effects to the summary tables, and gain figures. */
  readonly baseline?: string | null;
  /** Parameters every cell shares (the scenario's fixed values), for the figures' subtitles. */
  readonly fixed?: Readonly<Record<string, JsonValue>>;
}

/** The output files by path relative to the output directory, tables first, in writing order. */
export interface SweepOutputs {
  readonly tables: ReadonlyMap<string, string>;
  readonly figures: ReadonlyMap<string, string>;
}

/**
 * Aggregates `records` into the summary tables and figures. `records[0].cells` is the grid size,
 * so a partial sweep is reported as such (summary.json lists missing cells; every figure's
 * subtitle says it is partial). Per metric: `figures/<metric>.vl.json` (and .svg), with a baseline
 * also `<metric>.gain.*` (the paired gain), and with `plot.heatmap` also `<metric>.heatmap.*`.
 * @example
 * const result = await runSweep({ scenario: { d: 50, s: 5 }, replicates: 3, sweep: { "scenario.n": [20, 40] } });
 * const { tables, figures } = await sweepOutputs(result.records, axesFromSpec(result.plan.spec), { svg: false, plot: { metrics: ["sinTheta"] } });
 * [...tables.keys(), ...figures.keys()] // ["summary.csv", "summary.json", "figures/sinTheta.vl.json"]
 * tables.get("summary.csv").split("\n")[0].startsWith("cell,scenario.n,method,metric,replicates,n,failures,mean") // true
 * JSON.parse(figures.get("figures/sinTheta.vl.json")) // figureSpec(result, { metric: "sinTheta" })
 */
export async function sweepOutputs(records: readonly CellRecord[], axes: readonly PlotAxis[], options: SweepOutputOptions = {}): Promise<SweepOutputs> {
  if (records.length === 0) throw new Error("no finished cells to summarise");
  const levels = options.levels ?? DEFAULT_QUANTILE_LEVELS;
  const plot = parsePlotOptions(options.plot, { axes, baseline: options.baseline ?? null });
  const rows = summariseRecords(records, levels);
  const first = records[0];
  const effectList = options.baseline == null ? [] : pairedEffects(records, options.baseline);
  const effects = options.baseline == null ? undefined : new EffectIndex(options.baseline, effectList);
  const tables = new Map<string, string>();
  tables.set("summary.csv", summaryCsv(rows, axes, levels, effects));
  tables.set(
    "summary.json",
    summaryJson(rows, { configHash: first.configHash, family: first.family, seed: first.seed, replicates: first.replicates, cells: first.cells, missingCells: missingCells(records, first.cells), axes }, levels, effects),
  );
  const figures = new Map<string, string>();
  const context: FigureContext = { fixed: options.fixed, missingCells: missingCells(records, first.cells).length, cells: first.cells };
  const add = async (stem: string, spec: Record<string, JsonValue>) => {
    figures.set(`${stem}.vl.json`, `${JSON.stringify(spec, null, 2)}\n`);
    if (options.svg ?? true) {
      // vega is loaded only when a figure is rendered (it is large, and most commands never need it)
      const { renderSvg } = await import("./renderSvg.js");
      figures.set(`${stem}.svg`, await renderSvg(spec));
    }
  };
  for (const metric of options.figures === false ? [] : (plot.metrics ?? metricsOf(rows).filter((m) => !isBoundMetric(m) && !isLimitMetric(m)))) {
    const stem = `figures/${figureFileStem(metric)}`;
    await add(stem, buildFigureSpec(rows, axes, plot, metric, context));
    if (plot.gain !== "off" && effectList.some((e) => e.metric === metric)) await add(`${stem}.gain`, buildGainSpec(effectList, axes, plot, metric, context));
    if (plot.heatmap !== null) await add(`${stem}.heatmap`, buildHeatmapSpec(rows, effectList, axes, plot, metric, context));
  }
  return { tables, figures };
}
