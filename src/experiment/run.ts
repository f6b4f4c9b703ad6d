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
 * executors call, for scripts that want the per-replicate outcomes themselves.
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
 * of the first replicate's outcomes.
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
}

/** What runSweep computed. */
export interface SweepResult {
  readonly plan: SweepPlan;
  readonly configHash: string;
  /** One record per cell, by cell index. */
  readonly records: readonly CellRecord[];
  /** The tidy summary: one row per (cell, method, metric), as in summary.csv. */
  readonly rows: readonly CellSummaryRow[];
}

/** Plans a raw sweep config (a run config plus an optional "sweep" section) over `registry`. */
export function planSweepConfig(raw: unknown, registry: Registry, pluginUrls: readonly string[] = []): { plan: SweepPlan; configHash: string } {
  const spec = parseSweepConfig(parseObject("(config)", raw));
  const plan = planRunSweep(spec, registry, pluginUrls);
  return { plan, configHash: configHash(sweepIdentity(plan)) };
}

/**
 * Runs a sweep config in process: every cell, R replicates each, through the engine. The same
 * config and seed give the same records as `advtransfer sweep` (up to the `code` field).
 */
export async function runSweep(raw: unknown, options: SweepOptions): Promise<SweepResult> {
  const { plan, configHash: hash } = planSweepConfig(raw, options.registry, options.pluginUrls);
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
    return { plan, configHash: hash, records, rows: summariseRecords(records) };
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
 * Runs a run config (no "sweep" section) as a one-cell sweep and summarises it.
 * @throws ConfigError for a bad config, or one with a "sweep" or "plot" section.
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
