/**
 * `advtransfer sweep`, `advtransfer merge` and `advtransfer plot`: grids of runs with resumable
 * results files, shards for batch systems, and the tables and figures of a finished sweep.
 *
 * Output directory layout:
 *   sweep.json                          the sweep config as run (flags applied)
 *   results.jsonl                       one line per finished cell (results.shard-i-of-N.jsonl per shard)
 *   summary.csv, summary.json           aggregates (cell x method x metric)
 *   figures/<metric>.vl.json, .svg      one figure per metric
 */
import { existsSync, mkdirSync, readdirSync } from "node:fs";
import { availableParallelism } from "node:os";
import { dirname, join } from "node:path";
import { missingCells } from "../experiment/cellSummary.js";
import { parseShard, WHOLE, type Shard } from "../experiment/shard.js";
import { planRunSweep, sweepIdentity, type SweepPlan } from "../experiment/sweepPlan.js";
import { parseSweepConfig, type SweepSpec } from "../experiment/sweepSpec.js";
import type { CellRecord } from "../experiment/cellRecord.js";
import { ConfigError, parseInteger } from "../core/config/parse.js";
import { writeFileAtomic } from "../runtime/atomicWrite.js";
import type { PlotAxis } from "../report/figureSpec.js";
import { codeFingerprint } from "../runtime/codeFingerprint.js";
import { createProgressReporter } from "../runtime/progress.js";
import { InProcessExecutor, PoolExecutor, type ReplicateExecutor, registeredFamilySource } from "../runtime/pool.js";
import { configHash, readResultsFile, readResultsFiles, ResultsFileError, writeResultsFile } from "../runtime/resultsFile.js";
import { axesFromRecords, axesFromSpec, writeSweepOutputs } from "../runtime/sweepOutputs.js";
import { runSweep } from "../runtime/sweepRunner.js";
import { families } from "../families/index.js";
import { assembleConfig, readConfigFile } from "./input.js";
import { CommandExit, UsageError } from "./output.js";

/** Flags of `advtransfer sweep`. */
export interface SweepFlags {
  readonly config?: string;
  readonly out?: string;
  readonly workers?: unknown;
  readonly shard?: string;
  readonly resume?: boolean;
  readonly replicates?: unknown;
  readonly seed?: unknown;
  readonly progress?: string;
  readonly svg?: boolean;
}

/** A checked sweep config: the spec, its plan over the registered families and its config hash. */
export interface LoadedSweep {
  readonly raw: Record<string, unknown>;
  readonly spec: SweepSpec;
  readonly plan: SweepPlan;
  readonly hash: string;
}

/** Reads a sweep config file, applies --replicates/--seed, parses and plans it (every cell checked). */
export function loadSweep(flags: Pick<SweepFlags, "config" | "replicates" | "seed">): LoadedSweep {
  if (flags.config === undefined) throw new UsageError("sweep needs --config FILE (a run config with a \"sweep\" section; see README)");
  const raw = assembleConfig({ config: flags.config, replicates: flags.replicates, seed: flags.seed });
  const spec = parseSweepConfig(raw);
  const plan = planRunSweep(spec);
  return { raw, spec, plan, hash: configHash(sweepIdentity(plan)) };
}

/** The results file of a shard in `out`: results.jsonl for the whole sweep. */
export function resultsFileName(shard: Shard): string {
  return shard.count === 1 ? "results.jsonl" : `results.shard-${shard.index}-of-${shard.count}.jsonl`;
}

/** Number of worker threads: --workers (0 = run in this thread), default the machine's parallelism. */
export function parseWorkers(value: unknown): number {
  if (value === undefined) return availableParallelism();
  return parseInteger("--workers", value, 0, 1024);
}

function makeExecutor(workers: number): ReplicateExecutor {
  return workers === 0 ? new InProcessExecutor(families) : new PoolExecutor(workers);
}

/** Results-file problems are bad input: one line, exit 2. */
function asUsage<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof ResultsFileError) throw new UsageError(e.message);
    throw e;
  }
}

function warn(message: string): void {
  process.stderr.write(`advtransfer: warning: ${message}\n`);
}

/** Writes tables and figures and lists them on stdout. */
async function writeOutputs(out: string, records: readonly CellRecord[], axes: readonly PlotAxis[], plot: unknown, svg: boolean): Promise<void> {
  const missing = missingCells(records, records[0].cells);
  if (missing.length > 0) warn(`${missing.length} of ${records[0].cells} cells have no results yet (cells ${missing.slice(0, 10).join(", ")}${missing.length > 10 ? ", ..." : ""}); the summary covers the others`);
  const files = await writeSweepOutputs(out, records, axes, { plot, svg });
  process.stdout.write(`wrote ${[...files.tables, ...files.figures].map((f) => join(out, f)).join(", ")}\n`);
}

/** How to run a loaded sweep into an output directory. */
export interface SweepExecution {
  readonly out: string;
  readonly shard?: Shard;
  /** Worker threads; 0 runs in this thread. */
  readonly workers: number;
  readonly resume?: boolean;
  readonly progress?: "auto" | "bar" | "lines" | "off";
  readonly progressLabel?: string;
  /** Write tables and figures when the sweep is complete (default true). */
  readonly outputs?: boolean;
  readonly svg?: boolean;
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
 * Runs a loaded sweep into `out` (results file, sweep.json, and for a whole sweep the tables and
 * figures), resuming from an existing results file. Ctrl-C (SIGINT) or SIGTERM stops submitting
 * tasks, lets the running ones finish and ends with CommandExit(130); a second Ctrl-C quits at once.
 */
export async function executeSweep(loaded: LoadedSweep, options: SweepExecution): Promise<SweepExecutionResult> {
  const { plan, hash } = loaded;
  const out = options.out;
  const shard = options.shard ?? WHOLE;
  const resume = options.resume ?? true;
  mkdirSync(out, { recursive: true });
  const resultsFile = join(out, resultsFileName(shard));
  // Check an existing results file before touching anything in the directory.
  if (resume) asUsage(() => readResultsFile(resultsFile, { allowMissing: true }));

  const executor = makeExecutor(options.workers);
  const stop = new AbortController();
  let interrupts = 0;
  const onSignal = () => {
    interrupts += 1;
    if (interrupts > 1) process.exit(130);
    process.stderr.write("\nadvtransfer: interrupted; finishing the tasks in flight (press Ctrl-C again to quit at once)\n");
    stop.abort(new CommandExit(130, "interrupted"));
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  const started = performance.now();
  let result;
  try {
    result = await asUsageAsync(() =>
      runSweep({
        plan,
        configHash: hash,
        code: codeFingerprint(),
        familySource: registeredFamilySource(plan.family),
        executor,
        resultsFile,
        shard,
        resume,
        progress: createProgressReporter({ mode: options.progress ?? "auto", label: options.progressLabel ?? (shard.count > 1 ? `sweep ${shard.index}/${shard.count}` : "sweep") }),
        signal: stop.signal,
        warn,
      }),
    );
    // The config is recorded only once the results file is known to belong to it.
    writeFileAtomic(join(out, "sweep.json"), `${JSON.stringify(loaded.raw, null, 2)}\n`);
  } catch (e) {
    if (e instanceof CommandExit) {
      const kept = existsSync(resultsFile) ? readResultsFile(resultsFile).records.length : 0;
      throw new CommandExit(130, `interrupted: ${kept} finished cell(s) are in ${resultsFile}; run the same command again to resume`);
    }
    throw e;
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    await executor.close();
  }
  const seconds = (performance.now() - started) / 1000;
  if (shard.count === 1 && (options.outputs ?? true)) {
    await writeOutputs(out, result.records, axesFromSpec(loaded.spec), loaded.spec.plot, options.svg ?? true);
  }
  return { records: result.records, ran: result.ran, resumed: result.resumed, seconds, resultsFile };
}

/** `advtransfer sweep`. */
export async function sweepCommand(flags: SweepFlags): Promise<void> {
  const loaded = loadSweep(flags);
  if (flags.out === undefined) throw new UsageError("sweep needs --out DIR (results file, tables and figures go there)");
  const shard = flags.shard === undefined ? WHOLE : parseShard(flags.shard);
  const workers = parseWorkers(flags.workers);
  const progress = flags.progress ?? "auto";
  if (!["auto", "bar", "lines", "off"].includes(progress)) throw new ConfigError("--progress", progress, 'must be one of "auto", "bar", "lines", "off"');
  const { plan } = loaded;
  const res = await executeSweep(loaded, {
    out: flags.out,
    shard,
    workers,
    resume: flags.resume ?? true,
    progress: progress as SweepExecution["progress"],
    svg: flags.svg ?? true,
    outputs: false,
  });
  process.stdout.write(
    `sweep: ${plan.cells.length} cells x ${plan.replicates} replicates` +
      `${shard.count > 1 ? `, shard ${shard.index}/${shard.count} (${res.records.length} cells)` : ""}` +
      `: ${res.ran} run, ${res.resumed} resumed, ${res.seconds.toFixed(1)} s with ${workers === 0 ? "no worker threads" : `${workers} worker thread(s)`}; results in ${res.resultsFile}\n`,
  );
  if (shard.count > 1) {
    process.stdout.write(`when every shard is done: advtransfer merge --out ${flags.out}\n`);
    return;
  }
  await writeOutputs(flags.out, res.records, axesFromSpec(loaded.spec), loaded.spec.plot, flags.svg ?? true);
}

async function asUsageAsync<T>(f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (e) {
    if (e instanceof ResultsFileError) throw new UsageError(e.message);
    throw e;
  }
}

/** The sweep config that goes with results in `dir`: --config, else dir/sweep.json, else none. */
function companionConfig(config: string | undefined, dir: string): { spec: SweepSpec; hash: string } | null {
  const path = config ?? (existsSync(join(dir, "sweep.json")) ? join(dir, "sweep.json") : undefined);
  if (path === undefined) return null;
  const spec = parseSweepConfig(readConfigFile(path));
  return { spec, hash: configHash(sweepIdentity(planRunSweep(spec))) };
}

/** Axes and plot options for results: from the sweep config when there is one (checked against the results' hash). */
function axesFor(records: readonly CellRecord[], config: string | undefined, dir: string): { axes: PlotAxis[]; plot: unknown } {
  const companion = companionConfig(config, dir);
  if (companion === null) return { axes: axesFromRecords(records), plot: undefined };
  if (companion.hash !== records[0].configHash) {
    throw new UsageError(`the results have configHash ${records[0].configHash} but the sweep config ${config ?? join(dir, "sweep.json")} has ${companion.hash}: they do not belong together`);
  }
  return { axes: axesFromSpec(companion.spec), plot: companion.spec.plot };
}

/** Flags of `advtransfer merge`. */
export interface MergeFlags {
  readonly files?: readonly string[];
  readonly out?: string;
  readonly config?: string;
  readonly svg?: boolean;
}

/** `advtransfer merge [FILES..] --out DIR`: shards -> DIR/results.jsonl, tables and figures. */
export async function mergeCommand(flags: MergeFlags): Promise<void> {
  if (flags.out === undefined) throw new UsageError("merge needs --out DIR");
  const out = flags.out;
  let files = [...(flags.files ?? [])];
  if (files.length === 0) {
    if (!existsSync(out)) throw new UsageError(`merge: ${out} does not exist`);
    files = readdirSync(out)
      .filter((f) => /^results\.shard-\d+-of-\d+\.jsonl$/.test(f))
      .sort((a, b) => a.localeCompare(b, "en", { numeric: true }))
      .map((f) => join(out, f));
    if (files.length === 0) throw new UsageError(`merge: no results.shard-*.jsonl files in ${out}; name the files to merge`);
  }
  const { records, warnings } = asUsage(() => readResultsFiles(files));
  warnings.forEach(warn);
  if (records.length === 0) throw new UsageError(`merge: no finished cells in ${files.join(", ")}`);
  const { axes, plot } = axesFor(records, flags.config, out);
  mkdirSync(out, { recursive: true });
  const merged = join(out, "results.jsonl");
  writeResultsFile(merged, records);
  process.stdout.write(`merged ${files.length} file(s), ${records.length} of ${records[0].cells} cells, into ${merged}\n`);
  await writeOutputs(out, records, axes, plot, flags.svg ?? true);
}

/** Flags of `advtransfer plot`. */
export interface PlotFlags {
  readonly results?: string;
  readonly out?: string;
  readonly config?: string;
  readonly svg?: boolean;
}

/** `advtransfer plot RESULTS`: tables and figures redrawn from a results file. */
export async function plotCommand(flags: PlotFlags): Promise<void> {
  if (flags.results === undefined) throw new UsageError("plot needs a results file (results.jsonl)");
  const contents = asUsage(() => readResultsFile(flags.results as string));
  contents.warnings.forEach(warn);
  const records = contents.records.map((r) => r.record);
  if (records.length === 0) throw new UsageError(`plot: ${flags.results} holds no finished cells`);
  const dir = dirname(flags.results);
  const { axes, plot } = axesFor(records, flags.config, dir);
  await writeOutputs(flags.out ?? dir, records, axes, plot, flags.svg ?? true);
}
