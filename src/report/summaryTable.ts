/**
 * Tidy tables of a sweep's aggregates: one row per (cell, method, metric), one column per axis
 * and per statistic; as CSV (RFC 4180) and as JSON. Both are pure functions of the rows, so equal
 * aggregates give byte-identical files.
 */
import { type JsonValue, canonicalJson } from "../core/config/canonicalJson.js";
import type { CellSummaryRow } from "../experiment/cellSummary.js";
import type { PairedEffect } from "../experiment/pairedEffects.js";

/** Axis metadata carried into tables and figures. */
export interface AxisInfo {
  readonly name: string;
  readonly label: string;
}

import { EFFECT_COLUMNS, STAT_COLUMNS } from "../experiment/cellSummary.js";

export { EFFECT_COLUMNS, STAT_COLUMNS };

/**
 * Column name of quantile level p: "q" followed by 100 p, two digits at least: 0.05 -> "q05",
 * 0.5 -> "q50", 0.025 -> "q2.5", 1 -> "q100".
 */
export function quantileColumn(p: number): string {
  const pct = Math.round(p * 100 * 1e9) / 1e9;
  const text = String(pct);
  return `q${Number.isInteger(pct) && pct < 10 ? `0${text}` : text}`;
}


/** Paired effects by (cell, method, metric), for the summary rows they belong to. */
export class EffectIndex {
  readonly baseline: string;
  private readonly byKey = new Map<string, PairedEffect>();
  constructor(baseline: string, effects: readonly PairedEffect[]) {
    this.baseline = baseline;
    for (const e of effects) this.byKey.set(EffectIndex.key(e.cell, e.method, e.metric), e);
  }
  static key(cell: number, method: string, metric: string): string {
    return `${cell}\u0000${method}\u0000${metric}`;
  }
  get(row: CellSummaryRow): PairedEffect | undefined {
    return this.byKey.get(EffectIndex.key(row.cell, row.method, row.metric));
  }
}

/**
 * The column names of a summary table: cell, axes, statistics, quantiles, and with a baseline the
 * effect columns. An axis named like a fixed column is refused (sweep configs check this before
 * any work: experiment/sweepSpec.ts).
 */
export function summaryColumns(axes: readonly AxisInfo[], levels: readonly number[], withEffects = false): string[] {
  const cols = ["cell", ...axes.map((a) => a.name), ...STAT_COLUMNS, ...levels.map(quantileColumn), ...(withEffects ? EFFECT_COLUMNS : [])];
  const seen = new Set<string>();
  for (const c of cols) {
    if (seen.has(c)) throw new Error(`summary table: column "${c}" appears twice; rename the sweep axis called "${c}" (set its "name")`);
    seen.add(c);
  }
  return cols;
}

/** A summary row as a flat object keyed by summaryColumns (null for an undefined statistic). */
export function flattenRow(row: CellSummaryRow, axes: readonly AxisInfo[], levels: readonly number[], effects?: EffectIndex): Record<string, JsonValue> {
  const out: Record<string, JsonValue> = { cell: row.cell };
  for (const a of axes) out[a.name] = row.point[a.name] ?? null;
  out.method = row.method;
  out.metric = row.metric;
  out.replicates = row.replicates;
  out.n = row.n;
  out.failures = row.failures;
  out.mean = row.mean;
  out.sd = row.sd;
  out.se = row.se;
  levels.forEach((p, i) => {
    out[quantileColumn(p)] = row.quantiles[i];
  });
  if (effects !== undefined) {
    const e = effects.get(row);
    out.baseline = effects.baseline;
    out.difference = e?.difference ?? null;
    out.differenceSe = e?.differenceSe ?? null;
    out.ratio = e?.ratio ?? null;
    out.ratioSe = e?.ratioSe ?? null;
    out.clear = e === undefined ? null : e.clear;
  }
  return out;
}

/**
 * One CSV field: numbers in JavaScript's shortest round-trip form, null as an empty field, strings
 * as they are, objects and arrays as canonical JSON; quoted (with doubled quotes) when the text
 * holds a comma, a quote or a line break.
 */
export function csvField(value: JsonValue): string {
  let text: string;
  if (value === null) text = "";
  else if (typeof value === "number") text = String(value);
  else if (typeof value === "string") text = value;
  else if (typeof value === "boolean") text = value ? "true" : "false";
  else text = canonicalJson(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The CSV text of a summary: a header line and one line per row, "\n" line ends. */
export function summaryCsv(rows: readonly CellSummaryRow[], axes: readonly AxisInfo[], levels: readonly number[], effects?: EffectIndex): string {
  const cols = summaryColumns(axes, levels, effects !== undefined);
  const lines = [cols.map(csvField).join(",")];
  for (const row of rows) {
    const flat = flattenRow(row, axes, levels, effects);
    lines.push(cols.map((c) => csvField(flat[c])).join(","));
  }
  return `${lines.join("\n")}\n`;
}

/** What the JSON summary says about the sweep besides its rows. */
export interface SummaryMeta {
  readonly configHash: string;
  readonly family: string;
  readonly seed: number | string;
  readonly replicates: number;
  readonly cells: number;
  /** Cells without a record (a partial sweep or shard). */
  readonly missingCells: readonly number[];
  readonly axes: readonly (AxisInfo & { readonly values: readonly JsonValue[] })[];
}

/** The JSON text of a summary: the header fields indented, then one row object per line. */
export function summaryJson(rows: readonly CellSummaryRow[], meta: SummaryMeta, levels: readonly number[], effects?: EffectIndex): string {
  const head: Record<string, unknown> = {
    format: "advtransfer-sweep-summary/1",
    configHash: meta.configHash,
    family: meta.family,
    seed: meta.seed,
    replicates: meta.replicates,
    cells: meta.cells,
    complete: meta.missingCells.length === 0,
    missingCells: meta.missingCells,
    axes: meta.axes,
    quantileLevels: levels,
    errorBars: "se = sd / sqrt(n), the standard error of the mean over replicates",
  };
  if (effects !== undefined) {
    head.baseline = effects.baseline;
    head.effects = "difference = mean of method - baseline over the replicates where both report the metric, with its paired SE; ratio = ratio of those means, delta-method paired SE; clear = |difference| > 3 SE";
  }
  const headText = JSON.stringify(head, null, 2).slice(0, -2);
  const rowLines = rows.map((r) => `    ${JSON.stringify(flattenRow(r, meta.axes, levels, effects))}`);
  return `${headText},\n  "rows": [\n${rowLines.join(",\n")}\n  ]\n}\n`;
}
