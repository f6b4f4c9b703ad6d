/**
 * Runs and sweeps in process, through the one engine (engine.ts): a run is a one-cell sweep.
 * These are the library's entry points for notebooks and scripts; the CLI adds worker threads,
 * results files and progress (runtime/) around the same calls.
 */
import { configHash, type JsonValue } from "../core/config/canonicalJson.js";
import { ConfigError, parseObject } from "../core/config/parse.js";
import { summary } from "../core/stats.js";
import { type CellRecord, buildCellRecord } from "./cellRecord.js";
import { type CellSummaryRow, summariseRecords } from "./cellSummary.js";
import { executePlan } from "./engine.js";
import { type Executor, InProcessExecutor } from "./executor.js";
import type { ReplicateResult } from "./family.js";
import { type PairedEffect, pairedEffects } from "./pairedEffects.js";
import type { Registry } from "./registry.js";
import { runReplicate } from "./replicate.js";
import type { RunConfig } from "./runConfig.js";
import { type SweepPlan, planRunSweep, sweepIdentity } from "./sweepPlan.js";
import { SWEEP_KEYS, parseSweepConfig } from "./sweepSpec.js";

/** Options of runReplicates. */
export interface RunOptions {
  /** First replicate index (default 0). */
  readonly from?: number;
  /** One past the last replicate index (default run.replicates). */
  readonly to?: number;
  /** Called after each finished replicate (for progress). */
  readonly onReplicate?: (result: ReplicateResult, done: number, total: number) => void;
}

/**
 * Replicates [from, to) of a checked run, in order, in this thread: the building block the
 * executors call, for scripts that want the per-replicate outcomes themselves. Replicate k does
 * not depend on the range it is run in.
 * @example
 * const config = parseRunConfig({ scenario: { d: 50, s: 5 }, replicates: 4, seed: 2 });
 * const all = runReplicates(config);
 * all.map((r) => r.replicate) // [0, 1, 2, 3]
 * runReplicates(config, { from: 2, to: 3 })[0].outcomes // all[2].outcomes
 */
export function runReplicates(run: RunConfig, options: RunOptions = {}): ReplicateResult[] {
  const from = options.from ?? 0;
  const to = options.to ?? run.replicates;
  const out: ReplicateResult[] = [];
  for (let k = from; k < to; k++) {
    const res = runReplicate(run.family, run.config, run.seed, k);
    out.push(res);
    options.onReplicate?.(res, k - from + 1, to - from);
  }
  return out;
}

/** One row of a run's summary: a method's metric over the replicates where it was measured. */
export interface SummaryRow {
  readonly method: string;
  readonly metric: string;
  /** Sample mean. */
  readonly mean: number;
  /** Standard error of the mean sd / sqrt(n); null when n < 2 (core/stats conventions). */
  readonly se: number | null;
  /** Number of replicates contributing. */
  readonly n: number;
}

/**
 * The summary of a one-cell record: per method (family order) each metric (in the order first
 * reported) over the replicates that report it, then `failed`: the share of replicates where
 * the method produced no predictor (over all replicates).
 * @example
 * const { record } = await run({ scenario: { d: 50, s: 5 }, methods: [{ label: "standard" }], replicates: 4 });
 * const rows = summariseRecord(record);
 * rows.at(-1) // { method: "standard", metric: "failed", mean: 0, se: 0, n: 4 }
 * rows.find((r) => r.metric === "sinTheta").mean // mean(record.methods[0].metrics.sinTheta)
 */
export function summariseRecord(record: CellRecord): SummaryRow[] {
  const rows: SummaryRow[] = [];
  for (const m of record.methods) {
    for (const [metric, column] of Object.entries(m.metrics)) {
      const xs = column.filter((x): x is number => x !== null);
      if (xs.length === 0) continue;
      const s = summary(xs);
      rows.push({ method: m.method, metric, mean: s.mean, se: s.se, n: s.n });
    }
    const failed = new Array<number>(record.replicates).fill(0);
    for (const f of m.failures) failed[f.replicate] = 1;
    const s = summary(failed);
    rows.push({ method: m.method, metric: "failed", mean: s.mean, se: s.se, n: s.n });
  }
  return rows;
}

/**
 * The summary of replicate results 0..R-1 (any order), as summariseRecord; methods in the order
 * of the first replicate's outcomes; no results, no rows.
 * @example
 * const results = runReplicates(parseRunConfig({ scenario: { d: 50, s: 5 }, methods: [{ label: "standard" }], replicates: 3 }));
 * summarise([...results].reverse()) // summarise(results)
 * summarise([]) // []
 */
export function summarise(results: readonly ReplicateResult[]): SummaryRow[] {
  if (results.length === 0) return [];
  const labels = [...new Set(results.flatMap((r) => r.outcomes.map((o) => o.method)))];
  const record = buildCellRecord({ configHash: "-", code: "-", family: "-", seed: 0, cell: 0, cells: 1, point: {}, params: {} }, labels, results);
  return summariseRecord(record);
}

/** Options of runSweep and run. */
export interface SweepOptions {
  /** The families (and their estimators) to use, with any plugins already registered. */
  readonly registry: Registry;
  /** Where tasks run (default: this thread). */
  readonly executor?: Executor;
  /** Called with each finished cell. */
  readonly onCell?: (record: CellRecord) => void;
  /** Called after each finished task. */
  readonly onProgress?: (doneReplicates: number, totalReplicates: number) => void;
  /** Cancels: no new task starts; the promise rejects with the signal's reason. */
  readonly signal?: AbortSignal;
  /** Stored in the records as the program's fingerprint (the runtime passes its code fingerprint). */
  readonly code?: string;
  /** Resolved plugin module URLs for worker executors (default: none). */
  readonly pluginUrls?: readonly string[];
  /**
   * The label of the method every other is compared with (overrides the config's `"baseline"`);
   * it must be a method of every cell (ConfigError otherwise, before any work).
   */
  readonly baseline?: string;
}

/**
 * One row of a sweep's tidy summary, as in summary.csv: a (cell, method, metric) with its
 * statistics and, when the sweep has a baseline method, the paired effect against it (the
 * baseline's own rows, and metrics the baseline does not report, have nulls there).
 */
export interface SweepRow extends CellSummaryRow {
  /** The baseline method, or null when the sweep has none. */
  readonly baseline: string | null;
  /** Mean of this method - baseline over the replicates where both report the metric. */
  readonly difference: number | null;
  /** Paired standard error of `difference` (null below two pairs). */
  readonly differenceSe: number | null;
  /** Ratio of the means over the same pairs (null when the baseline's mean is 0). */
  readonly ratio: number | null;
  /** Delta-method paired standard error of `ratio`. */
  readonly ratioSe: number | null;
  /** |difference| > 3 paired standard errors (experiment/claims.ts). */
  readonly clear: boolean | null;
}

/**
 * The summary rows of `records` with the paired effects against `baseline` (null: none) merged
 * in (experiment/pairedEffects.ts): what runSweep returns as `rows`.
 * @example
 * const { records } = await runSweep({ scenario: { d: 50, s: 5 }, methods: [{ label: "standard" }, { label: "ssl", ssl: { m: 100 } }], replicates: 5 });
 * const ssl = sweepRows(records, "standard").find((r) => r.method === "ssl" && r.metric === "sinTheta");
 * ssl.baseline // "standard"
 * ssl.difference // pairedDifference(records[0].methods[1].metrics.sinTheta, records[0].methods[0].metrics.sinTheta).mean
 * sweepRows(records, null)[0].difference // null
 */
export function sweepRows(records: readonly CellRecord[], baseline: string | null): SweepRow[] {
  const effects = new Map<string, PairedEffect>();
  if (baseline !== null) for (const e of pairedEffects(records, baseline)) effects.set(`${e.cell}\u0000${e.method}\u0000${e.metric}`, e);
  return summariseRecords(records).map((row) => {
    const e = effects.get(`${row.cell}\u0000${row.method}\u0000${row.metric}`);
    return {
      ...row,
      baseline,
      difference: e?.difference ?? null,
      differenceSe: e?.differenceSe ?? null,
      ratio: e?.ratio ?? null,
      ratioSe: e?.ratioSe ?? null,
      clear: e === undefined ? null : e.clear,
    };
  });
}

/** What runSweep computed. */
export interface SweepResult {
  readonly plan: SweepPlan;
  readonly configHash: string;
  /** One record per cell, by cell index. */
  readonly records: readonly CellRecord[];
  /** The baseline method of the paired effects in `rows`, or null. */
  readonly baseline: string | null;
  /** The tidy summary: one row per (cell, method, metric), as in summary.csv (with the baseline's paired effects). */
  readonly rows: readonly SweepRow[];
}

/**
 * Plans a raw sweep config (a run config plus an optional "sweep" section) over `registry`: every
 * cell is parsed before any work, so a bad value in the last cell fails at once.
 * @throws ConfigError for a bad config in any cell.
 * @example
 * const { plan } = planSweepConfig({ sweep: { "scenario.n": [20, 40, 80] } }, defaultRegistry);
 * plan.cells.length // 3
 * plan.cells[2].cell.point // { "scenario.n": 80 }
 */
export function planSweepConfig(raw: unknown, registry: Registry, pluginUrls: readonly string[] = []): { plan: SweepPlan; configHash: string } {
  const spec = parseSweepConfig(parseObject("(config)", raw));
  const plan = planRunSweep(spec, registry, pluginUrls);
  return { plan, configHash: configHash(sweepIdentity(plan)) };
}

/**
 * Runs a sweep config in process: every cell, R replicates each, through the engine. The same
 * config and seed give the same records as `advtransfer sweep` (up to the `code` field). The
 * library entry's runSweep is this function on the shared registry.
 * @example
 * const { records } = await runSweep({ scenario: { d: 50, s: 5 }, replicates: 3, sweep: { "scenario.n": [20, 40] } }, { registry: createDefaultRegistry() });
 * records.map((r) => r.params) // [{ "scenario.n": 20 }, { "scenario.n": 40 }]
 */
export async function runSweep(raw: unknown, options: SweepOptions): Promise<SweepResult> {
  const config = options.baseline === undefined ? raw : { ...parseObject("(config)", raw), baseline: options.baseline };
  const { plan, configHash: hash } = planSweepConfig(config, options.registry, options.pluginUrls);
  const executor = options.executor ?? new InProcessExecutor(options.registry);
  const total = plan.cells.length * plan.replicates;
  try {
    const records = await executePlan({
      plan,
      configHash: hash,
      code: options.code ?? "library",
      executor,
      signal: options.signal,
      onCell: options.onCell,
      onProgress: options.onProgress === undefined ? undefined : (done) => options.onProgress?.(done, total),
    });
    return { plan, configHash: hash, records, baseline: plan.spec.baseline, rows: sweepRows(records, plan.spec.baseline) };
  } finally {
    if (options.executor === undefined) await executor.close();
  }
}

/** What run computed: the one cell's record and its summary. */
export interface RunResult {
  readonly record: CellRecord;
  readonly summary: readonly SummaryRow[];
}

/**
 * Runs a run config (no "sweep" section) as a one-cell sweep and summarises it. The library
 * entry's run is this function on the shared registry.
 * @throws ConfigError for a bad config, or one with a "sweep" or "plot" section.
 * @example
 * (await run({ scenario: { d: 50, s: 5 }, replicates: 3 }, { registry: createDefaultRegistry() })).record.replicates // 3
 */
export async function run(raw: unknown, options: SweepOptions): Promise<RunResult> {
  const obj = parseObject("(config)", raw);
  for (const key of SWEEP_KEYS) {
    if (obj[key] !== undefined) {
      throw new ConfigError(key, obj[key] as JsonValue, "a run config has no sweep section; use runSweep (advtransfer sweep)");
    }
  }
  const result = await runSweep(obj, options);
  const record = result.records[0];
  return { record, summary: summariseRecord(record) };
}
