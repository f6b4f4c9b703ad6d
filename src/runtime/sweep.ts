/**
 * Sweeps and runs in Node: plugins resolved and loaded, the sweep planned over the registry, the
 * cells run on an executor into a resumable results file, and the tables and figures written.
 * The CLI commands and scripts/reproduce.ts call these.
 */
import { ensureDirectory } from "./directories.js";
import { existsSync } from "node:fs";
import { totalmem } from "node:os";
import { join } from "node:path";
import { configHash } from "../core/config/canonicalJson.js";
import { ConfigError, parseArray, parseString } from "../core/config/parse.js";
import type { CellRecord } from "../experiment/cellRecord.js";
import { executePlan } from "../experiment/engine.js";
import type { Registry } from "../experiment/registry.js";
import { type Shard, WHOLE } from "../experiment/shard.js";
import { type SweepPlan, fixedValues, planNames, planRunSweep, sweepIdentity } from "../experiment/sweepPlan.js";
import type { JsonValue } from "../core/config/canonicalJson.js";
import { parsePlotOptions } from "../report/figureSpec.js";
import { axesFromSpec } from "../report/sweepOutputs.js";
import { type SweepSpec, parseSweepConfig } from "../experiment/sweepSpec.js";
import { createDefaultRegistry } from "../families/index.js";
import { writeFileAtomic } from "./atomicWrite.js";
import { codeFingerprint } from "./codeFingerprint.js";
import { resolvePluginPath, loadPlugins, pluginUrls } from "./plugins.js";
import { createProgressReporter, type ProgressMode } from "./progress.js";
import { createExecutor } from "./pool.js";
import { readResultsFile } from "./resultsFile.js";
import { runSweep } from "./sweepRunner.js";

/** A raw config with its plugins resolved and loaded into a fresh registry of the built-in families. */
export interface PreparedConfig {
  /** The raw config, its `plugins` (if any) rewritten to absolute paths. */
  readonly raw: Record<string, unknown>;
  readonly registry: Registry;
  /** Absolute paths of the plugin files, in load order. */
  readonly pluginPaths: readonly string[];
  /** Their file URLs (what workers import). */
  readonly pluginUrls: readonly string[];
  /** The code fingerprint of this build with these plugins. */
  readonly code: string;
}

/**
 * Resolves the config's `plugins` (relative to `configDir`) followed by `extraPlugins` (paths
 * relative to the working directory, from --plugin), loads them into a fresh registry and returns the config with the
 * absolute list. The config hash does not depend on where the plugin files are (sweepIdentity
 * leaves `plugins` out); the code fingerprint covers their contents.
 */
export async function prepareConfig(raw: Record<string, unknown>, configDir: string, extraPlugins: readonly string[] = []): Promise<PreparedConfig> {
  const listed = raw.plugins === undefined ? [] : parseArray("plugins", raw.plugins).map((p, i) => resolvePluginPath(parseString(`plugins[${i}]`, p), configDir, `plugins[${i}]`));
  const paths = [...listed, ...extraPlugins.map((p, i) => resolvePluginPath(p, process.cwd(), `--plugin[${i}]`))];
  const registry = createDefaultRegistry();
  const urls = pluginUrls(paths);
  await loadPlugins(urls, registry);
  const out = { ...raw };
  if (paths.length > 0) out.plugins = [...paths];
  else delete out.plugins;
  return { raw: out, registry, pluginPaths: paths, pluginUrls: urls, code: codeFingerprint(paths) };
}

/** A checked sweep: the prepared config, the spec, its plan and its config hash. */
export interface LoadedSweep extends PreparedConfig {
  readonly spec: SweepSpec;
  readonly plan: SweepPlan;
  readonly hash: string;
  /** The scenario values every cell shares (for the figures' subtitles). */
  readonly fixed: Readonly<Record<string, JsonValue>>;
}

/**
 * Plans a prepared raw sweep config: every cell is checked, and so is the `plot` section (its
 * axes, metrics, methods, keys and baseline), before any work.
 */
export function planPrepared(prepared: PreparedConfig): LoadedSweep {
  const spec = parseSweepConfig(prepared.raw);
  const plan = planRunSweep(spec, prepared.registry, prepared.pluginUrls);
  const names = planNames(plan, prepared.registry);
  parsePlotOptions(spec.plot, { axes: axesFromSpec(spec), baseline: spec.baseline, methods: names.methods, metrics: names.metrics ?? undefined });
  return { ...prepared, spec, plan, hash: configHash(sweepIdentity(plan)), fixed: fixedValues(plan, prepared.registry) };
}

/** Prepares and plans a raw sweep config. */
export async function loadSweepConfig(raw: Record<string, unknown>, configDir: string, extraPlugins: readonly string[] = []): Promise<LoadedSweep> {
  return planPrepared(await prepareConfig(raw, configDir, extraPlugins));
}

/** Worker threads worth starting: no more than the replicates to run (0 stays 0: this thread). */
export function usefulWorkers(requested: number, replicates: number): number {
  return Math.min(requested, Math.max(1, replicates));
}

/** The results file of a shard in `out`: results.jsonl for the whole sweep. */
export function resultsFileName(shard: Shard): string {
  return shard.count === 1 ? "results.jsonl" : `results.shard-${shard.index}-of-${shard.count}.jsonl`;
}

/** How to run a loaded sweep into an output directory. */
export interface SweepExecution {
  readonly out: string;
  readonly shard?: Shard;
  /** Worker threads; 0 runs in this thread. */
  readonly workers: number;
  readonly resume?: boolean;
  readonly progress?: ProgressMode;
  readonly progressLabel?: string;
  /** Stops the run (running tasks finish; their cells are written). */
  readonly signal?: AbortSignal;
  readonly warn?: (message: string) => void;
}

/** What executeSweep did. */
export interface SweepExecutionResult {
  readonly records: readonly CellRecord[];
  readonly ran: number;
  readonly resumed: number;
  readonly seconds: number;
  readonly resultsFile: string;
}

/**
 * Runs a loaded sweep into `out` (results file and sweep.json), resuming from an existing results
 * file. The config is recorded only once the results file is known to belong to it.
 */
export async function executeSweep(loaded: LoadedSweep, options: SweepExecution): Promise<SweepExecutionResult> {
  const { plan, hash } = loaded;
  const out = options.out;
  const shard = options.shard ?? WHOLE;
  const resume = options.resume ?? true;
  ensureDirectory(out);
  const resultsFile = join(out, resultsFileName(shard));
  // Check an existing results file before touching anything in the directory.
  if (resume) readResultsFile(resultsFile, { allowMissing: true });
  const workers = usefulWorkers(options.workers, plan.cells.length * plan.replicates);
  checkResources(loaded, workers);
  const executor = createExecutor(workers, loaded.registry);
  const started = performance.now();
  try {
    const result = await runSweep({
      plan,
      configHash: hash,
      code: loaded.code,
      executor,
      resultsFile,
      shard,
      resume,
      progress: createProgressReporter({ mode: options.progress ?? "auto", label: options.progressLabel ?? (shard.count > 1 ? `sweep ${shard.index}/${shard.count}` : "sweep") }),
      signal: options.signal,
      warn: options.warn,
    });
    writeFileAtomic(join(out, "sweep.json"), `${JSON.stringify(loaded.raw, null, 2)}\n`);
    return { records: result.records, ran: result.ran, resumed: result.resumed, seconds: (performance.now() - started) / 1000, resultsFile };
  } finally {
    await executor.close();
  }
}

/** Finished cells in a results file (0 when there is none). */
export function finishedCells(resultsFile: string): number {
  return existsSync(resultsFile) ? readResultsFile(resultsFile).records.length : 0;
}


/** How to run a loaded plan without a results file (run, bounds, rates). */
export interface InMemoryExecution {
  readonly workers: number;
  readonly progress?: ProgressMode;
  readonly progressLabel?: string;
  readonly signal?: AbortSignal;
}

/**
 * Runs every cell of a loaded plan on `workers` threads (0: this thread) with progress on stderr
 * and returns the records by cell; nothing is written. Replicate k depends on (seed, k) only, so
 * the records are the same for every worker count and completion order.
 */
export async function runInMemory(loaded: LoadedSweep, options: InMemoryExecution): Promise<{ records: CellRecord[]; seconds: number }> {
  const workers = usefulWorkers(options.workers, loaded.plan.cells.length * loaded.plan.replicates);
  checkResources(loaded, workers);
  const executor = createExecutor(workers, loaded.registry);
  const progress = createProgressReporter({ mode: options.progress ?? "auto", label: options.progressLabel ?? "run" });
  const total = loaded.plan.cells.length * loaded.plan.replicates;
  const started = performance.now();
  progress.start({ totalReplicates: total, doneReplicates: 0, totalCells: loaded.plan.cells.length, doneCells: 0 });
  try {
    const records = await executePlan({
      plan: loaded.plan,
      configHash: loaded.hash,
      code: loaded.code,
      executor,
      signal: options.signal,
      onProgress: (done, cells) => progress.update(done, cells),
    });
    return { records, seconds: (performance.now() - started) / 1000 };
  } finally {
    progress.stop();
    await executor.close();
  }
}

/**
 * Refuses, before any work, a plan whose replicates cannot fit in memory on `workers` threads
 * (the family's estimate per replicate, checked for the largest cell): one ConfigError naming the
 * field, the estimate and the machine's memory.
 */
export function checkResources(loaded: LoadedSweep, workers: number, totalBytes = totalmem()): void {
  const family = loaded.registry.family(loaded.plan.family);
  if (family.resources === undefined) return;
  let worst: { bytes: number; field: string; value: unknown; formula: string } | null = null;
  for (const cell of loaded.plan.cells) {
    const estimate = family.resources(family.parse(cell.familyConfig));
    if (worst === null || estimate.bytes > worst.bytes) worst = estimate;
  }
  if (worst === null) return;
  const threads = Math.max(1, workers);
  const budget = 0.8 * totalBytes;
  if (worst.bytes * threads > budget) {
    const gb = (b: number) => (b / 2 ** 30).toFixed(1);
    throw new ConfigError(
      worst.field,
      worst.value as never,
      `needs about ${gb(worst.bytes)} GB per replicate (${worst.formula})${threads > 1 ? ` on each of ${threads} worker threads` : ""}, more than the ${gb(budget)} GB available (80% of this machine's ${gb(totalBytes)} GB); make it smaller${threads > 1 ? " or use fewer --workers" : ""}`,
    );
  }
}
