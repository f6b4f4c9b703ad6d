/**
 * Reading what a CLI sweep wrote, for the page to draw in its own views: a results file
 * (results.jsonl: one cell record per line, the checks of runtime/resultsFile.ts) or a
 * summary.json (tidy rows, with the paired effects when the sweep had a baseline). Pure: text in,
 * rows out.
 */
import { type JsonValue, canonicalJson } from "../../src/core/config/canonicalJson.js";
import { type CellRecord, extendsRecord, parseCellRecord, sameRecord } from "../../src/experiment/cellRecord.js";
import { type CellSummaryRow, summariseRecords } from "../../src/experiment/cellSummary.js";
import type { PairedEffect } from "../../src/experiment/pairedEffects.js";
import { pairedEffects } from "../../src/experiment/pairedEffects.js";
import type { PlotAxis } from "../../src/report/figureSpec.js";
import { axesFromRecords } from "../../src/report/sweepOutputs.js";
import { quantileColumn } from "../../src/report/summaryTable.js";

/** A file the page could not read: its name, the line (0: the whole file) and why. */
export class LoadError extends Error {
  constructor(file: string, line: number, reason: string) {
    super(`${file}${line > 0 ? `:${line}` : ""}: ${reason}`);
    this.name = "LoadError";
  }
}

/** What a loaded file gives the views. */
export interface LoadedResults {
  readonly file: string;
  readonly kind: "results" | "summary";
  readonly family: string;
  readonly seed: number | string;
  readonly cells: number;
  readonly missingCells: readonly number[];
  readonly axes: readonly PlotAxis[];
  readonly rows: readonly CellSummaryRow[];
  /** The records (results files only). */
  readonly records: readonly CellRecord[] | null;
  /** The baseline of the paired effects, and the effects (null when there is none). */
  readonly baseline: string | null;
  readonly effects: readonly PairedEffect[] | null;
  readonly warnings: readonly string[];
}

/** The baseline a results file is compared against: "standard" when a cell has it. */
export const DEFAULT_BASELINE = "standard";

/**
 * Parses the text of a results file: every complete line a cell record of one sweep (same config
 * hash, family, seed, cell count and code fingerprint), repeats kept once when identical or
 * superseded when extended (a grown sweep); an incomplete last line (a killed writer) is dropped
 * with a warning.
 */
export function parseResultsText(file: string, text: string): LoadedResults {
  const warnings: string[] = [];
  const lines = text.split("\n");
  const endsWithNewline = text.endsWith("\n");
  const byCell = new Map<number, { record: CellRecord; line: number }>();
  let first: { record: CellRecord; line: number } | null = null;
  lines.forEach((raw, i) => {
    const line = i + 1;
    if (raw.trim() === "") return;
    const last = i === lines.length - 1 && !endsWithNewline;
    let record: CellRecord;
    try {
      record = parseCellRecord(JSON.parse(raw));
    } catch (e) {
      if (last) {
        warnings.push(`${file}:${line}: discarded an incomplete last line (the writer was interrupted)`);
        return;
      }
      throw new LoadError(file, line, e instanceof SyntaxError ? `not JSON (${e.message})` : (e as Error).message);
    }
    if (first === null) first = { record, line };
    for (const key of ["configHash", "family", "seed", "cells", "code"] as const) {
      if (record[key] !== first.record[key]) {
        throw new LoadError(file, line, `${key} = ${JSON.stringify(record[key])} but line ${first.line} has ${JSON.stringify(first.record[key])}: these lines come from different sweeps or builds`);
      }
    }
    const prev = byCell.get(record.cell);
    if (prev === undefined || extendsRecord(record, prev.record)) byCell.set(record.cell, { record, line });
    else if (sameRecord(prev.record, record)) warnings.push(`${file}:${line}: cell ${record.cell} repeats line ${prev.line}; kept once`);
    else if (!extendsRecord(prev.record, record)) throw new LoadError(file, line, `cell ${record.cell} conflicts with line ${prev.line} (same cell, different outcomes)`);
  });
  const records = [...byCell.values()].map((x) => x.record).sort((a, b) => a.cell - b.cell);
  if (records.length === 0) throw new LoadError(file, 0, "holds no cell records");
  const f = records[0];
  const have = new Set(records.map((r) => r.cell));
  const missingCells = Array.from({ length: f.cells }, (_, c) => c).filter((c) => !have.has(c));
  const hasBaseline = records.some((r) => r.methods.some((m) => m.method === DEFAULT_BASELINE));
  return {
    file,
    kind: "results",
    family: f.family,
    seed: f.seed,
    cells: f.cells,
    missingCells,
    axes: axesFromRecords(records),
    rows: summariseRecords(records),
    records,
    baseline: hasBaseline ? DEFAULT_BASELINE : null,
    effects: hasBaseline ? pairedEffects(records, DEFAULT_BASELINE) : null,
    warnings,
  };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * Parses the text of a summary.json ("advtransfer-sweep-summary/1"): its rows become summary rows
 * again (the point from the axis columns, the quantiles from the q columns), and with a baseline
 * the effect columns become paired effects.
 */
export function parseSummaryText(file: string, text: string): LoadedResults {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new LoadError(file, 0, `not JSON (${(e as Error).message})`);
  }
  if (!isObject(json) || json.format !== "advtransfer-sweep-summary/1") throw new LoadError(file, 0, 'is not a sweep summary (format "advtransfer-sweep-summary/1")');
  const axesRaw = json.axes;
  if (!Array.isArray(axesRaw) || !Array.isArray(json.rows) || !Array.isArray(json.quantileLevels)) throw new LoadError(file, 0, "lacks axes, quantileLevels or rows");
  const axes: PlotAxis[] = axesRaw.map((a, i) => {
    if (!isObject(a) || typeof a.name !== "string" || !Array.isArray(a.values)) throw new LoadError(file, 0, `axes[${i}] must be {name, label, values}`);
    return { name: a.name, label: typeof a.label === "string" ? a.label : a.name, values: a.values as JsonValue[] };
  });
  const levels = json.quantileLevels as number[];
  const baseline = typeof json.baseline === "string" ? json.baseline : null;
  const rows: CellSummaryRow[] = [];
  const effects: PairedEffect[] = [];
  (json.rows as unknown[]).forEach((r, i) => {
    const bad = (why: string) => new LoadError(file, 0, `rows[${i}]: ${why}`);
    if (!isObject(r)) throw bad("must be an object");
    for (const k of ["cell", "replicates", "n", "failures", "mean"]) if (typeof r[k] !== "number") throw bad(`${k} must be a number`);
    if (typeof r.method !== "string" || typeof r.metric !== "string") throw bad("method and metric must be strings");
    const point: { [axis: string]: JsonValue } = {};
    for (const a of axes) point[a.name] = r[a.name] as JsonValue;
    const num = (k: string) => (typeof r[k] === "number" ? (r[k] as number) : null);
    const row: CellSummaryRow = {
      cell: r.cell as number,
      point,
      method: r.method,
      metric: r.metric,
      replicates: r.replicates as number,
      n: r.n as number,
      failures: r.failures as number,
      mean: r.mean as number,
      sd: num("sd"),
      se: num("se"),
      quantiles: levels.map((p) => r[quantileColumn(p)] as number),
    };
    rows.push(row);
    if (baseline !== null && typeof r.difference === "number") {
      effects.push({
        cell: row.cell,
        point,
        method: row.method,
        metric: row.metric,
        baseline,
        n: row.n,
        difference: r.difference,
        differenceSe: num("differenceSe"),
        ratio: num("ratio"),
        ratioSe: num("ratioSe"),
        clear: r.clear === true,
      });
    }
  });
  if (rows.length === 0) throw new LoadError(file, 0, "has no rows");
  return {
    file,
    kind: "summary",
    family: String(json.family),
    seed: json.seed as number | string,
    cells: typeof json.cells === "number" ? json.cells : new Set(rows.map((r) => r.cell)).size,
    missingCells: Array.isArray(json.missingCells) ? (json.missingCells as number[]) : [],
    axes,
    rows,
    records: null,
    baseline,
    effects: baseline === null ? null : effects,
    warnings: [],
  };
}

/** A results file or a summary, told apart by their content (a summary is one JSON object with its format tag). */
export function parseLoadedFile(file: string, text: string): LoadedResults {
  const head = text.trimStart();
  if (head.startsWith("{") && /"format"\s*:\s*"advtransfer-sweep-summary\/1"/.test(head.slice(0, 400))) return parseSummaryText(file, text);
  return parseResultsText(file, text);
}

/** A key that identifies a set of rows, to compare what the page drew with what a file holds. */
export function rowsKey(rows: readonly CellSummaryRow[]): string {
  return canonicalJson(rows.map((r) => ({ cell: r.cell, method: r.method, metric: r.metric, n: r.n, mean: r.mean, se: r.se })) as JsonValue);
}
