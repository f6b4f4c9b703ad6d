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
import { ensureDirectory } from "../runtime/directories.js";
import { existsSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { type JsonValue, configHash } from "../core/config/canonicalJson.js";
import { ConfigError } from "../core/config/parse.js";
import type { CellRecord } from "../experiment/cellRecord.js";
import { missingCells } from "../experiment/cellSummary.js";
import { parseShard, WHOLE } from "../experiment/shard.js";
import { sweepIdentity } from "../experiment/sweepPlan.js";
import type { SweepSpec } from "../experiment/sweepSpec.js";
import type { PlotAxis } from "../report/figureSpec.js";
import { axesFromRecords, axesFromSpec } from "../report/sweepOutputs.js";
import { readConfigFile } from "../runtime/configFile.js";
import { ResultsFileError, readResultsFile, readResultsFiles, writeResultsFile } from "../runtime/resultsFile.js";
import { type LoadedSweep, executeSweep, finishedCells, loadSweepConfig } from "../runtime/sweep.js";
import { writeSweepOutputs } from "../runtime/sweepOutputs.js";
import { assembleConfig, configDir, pluginFlags } from "./input.js";
import { CommandExit, UsageError } from "./output.js";
import { parseProgress } from "./runCommand.js";
import { parseWorkers } from "./workers.js";

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
  readonly plugin?: readonly string[];
}

/** Reads a sweep config file, applies --replicates/--seed and --plugin, parses and plans it (every cell checked). */
export async function loadSweep(flags: Pick<SweepFlags, "config" | "replicates" | "seed" | "plugin">): Promise<LoadedSweep> {
  if (flags.config === undefined) throw new UsageError("sweep needs --config FILE (a run config with a \"sweep\" section; see README)");
  const raw = assembleConfig({ config: flags.config, replicates: flags.replicates, seed: flags.seed });
  return loadSweepConfig(raw, configDir(flags), pluginFlags(flags));
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

/** What the outputs take from a sweep config: the plot section, the baseline method and the fixed scenario values. */
interface OutputView {
  readonly plot: unknown;
  readonly baseline: string | null;
  readonly fixed?: Readonly<Record<string, JsonValue>>;
}

/** Writes tables and figures and lists them on stdout. */
async function writeOutputs(out: string, records: readonly CellRecord[], axes: readonly PlotAxis[], view: OutputView, svg: boolean): Promise<void> {
  const missing = missingCells(records, records[0].cells);
  if (missing.length > 0) warn(`${missing.length} of ${records[0].cells} cells have no results yet (cells ${missing.slice(0, 10).join(", ")}${missing.length > 10 ? ", ..." : ""}); the summary covers the others`);
  const files = await writeSweepOutputs(out, records, axes, { plot: view.plot, baseline: view.baseline, fixed: view.fixed, svg });
  process.stdout.write(`wrote ${[...files.tables, ...files.figures].map((f) => join(out, f)).join(", ")}\n`);
}

/**
 * Runs a loaded sweep into `out`. Ctrl-C (SIGINT) or SIGTERM stops submitting tasks, lets the
 * running ones finish and ends with CommandExit(130); a second Ctrl-C quits at once.
 */
async function runWithSignals(loaded: LoadedSweep, options: Parameters<typeof executeSweep>[1]) {
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
  try {
    return await asUsageAsync(() => executeSweep(loaded, { ...options, signal: stop.signal, warn }));
  } catch (e) {
    if (e instanceof CommandExit) {
      const resultsFile = join(options.out, options.shard === undefined || options.shard.count === 1 ? "results.jsonl" : `results.shard-${options.shard.index}-of-${options.shard.count}.jsonl`);
      throw new CommandExit(130, `interrupted: ${finishedCells(resultsFile)} finished cell(s) are in ${resultsFile}; run the same command again to resume`);
    }
    throw e;
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}

/** `advtransfer sweep`. */
export async function sweepCommand(flags: SweepFlags): Promise<void> {
  const loaded = await loadSweep(flags);
  if (flags.out === undefined) throw new UsageError("sweep needs --out DIR (results file, tables and figures go there)");
  const shard = flags.shard === undefined ? WHOLE : parseShard(flags.shard);
  const workers = parseWorkers(flags.workers);
  const progress = parseProgress(flags.progress);
  const { plan } = loaded;
  const res = await runWithSignals(loaded, { out: flags.out, shard, workers, resume: flags.resume ?? true, progress });
  process.stdout.write(
    `sweep: ${plan.cells.length} cells x ${plan.replicates} replicates` +
      `${shard.count > 1 ? `, shard ${shard.index}/${shard.count} (${res.records.length} cells)` : ""}` +
      `: ${res.ran} run, ${res.resumed} resumed, ${res.seconds.toFixed(1)} s with ${workers === 0 ? "no worker threads" : `${workers} worker thread(s)`}; results in ${res.resultsFile}\n`,
  );
  if (shard.count > 1) {
    process.stdout.write(`when every shard is done: advtransfer merge --out ${flags.out}\n`);
    return;
  }
  await writeOutputs(flags.out, res.records, axesFromSpec(loaded.spec), { plot: loaded.spec.plot, baseline: loaded.spec.baseline, fixed: loaded.fixed }, flags.svg ?? true);
}

async function asUsageAsync<T>(f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (e) {
    if (e instanceof ResultsFileError) throw new UsageError(e.message);
    throw e;
  }
}

/** The sweep config that goes with results in `dir`: --config, else dir/sweep.json, else none (its plugins are loaded to plan it). */
async function companionConfig(config: string | undefined, dir: string, plugins: readonly string[]): Promise<{ spec: SweepSpec; hash: string; fixed: Readonly<Record<string, JsonValue>> } | null> {
  const path = config ?? (existsSync(join(dir, "sweep.json")) ? join(dir, "sweep.json") : undefined);
  if (path === undefined) return null;
  const loaded = await loadSweepConfig(readConfigFile(path), dirname(path), plugins);
  return { spec: loaded.spec, hash: configHash(sweepIdentity(loaded.plan)), fixed: loaded.fixed };
}

/** Axes and plot options for results: from the sweep config when there is one (checked against the results' hash). */
async function axesFor(records: readonly CellRecord[], config: string | undefined, dir: string, plugins: readonly string[]): Promise<{ axes: PlotAxis[]; view: OutputView }> {
  const companion = await companionConfig(config, dir, plugins);
  if (companion === null) return { axes: axesFromRecords(records), view: { plot: undefined, baseline: null } };
  if (companion.hash !== records[0].configHash) {
    throw new UsageError(`the results have configHash ${records[0].configHash} but the sweep config ${config ?? join(dir, "sweep.json")} has ${companion.hash}: they do not belong together`);
  }
  return { axes: axesFromSpec(companion.spec), view: { plot: companion.spec.plot, baseline: companion.spec.baseline, fixed: companion.fixed } };
}

/** Flags of `advtransfer merge`. */
export interface MergeFlags {
  readonly files?: readonly string[];
  readonly out?: string;
  readonly config?: string;
  readonly svg?: boolean;
  readonly plugin?: readonly string[];
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
  const counts = [...new Set(records.map((r) => r.replicates))];
  if (counts.length > 1) throw new UsageError(`merge: the cells have ${counts.join(" and ")} replicates; run the shards again with one --replicates (finished replicates are kept) before merging`);
  const { axes, view } = await axesFor(records, flags.config, out, pluginFlags(flags));
  ensureDirectory(out);
  const merged = join(out, "results.jsonl");
  writeResultsFile(merged, records);
  process.stdout.write(`merged ${files.length} file(s), ${records.length} of ${records[0].cells} cells, into ${merged}\n`);
  await writeOutputs(out, records, axes, view, flags.svg ?? true);
}

/** Flags of `advtransfer plot`. */
export interface PlotFlags {
  readonly results?: string;
  readonly out?: string;
  readonly config?: string;
  readonly svg?: boolean;
  readonly plugin?: readonly string[];
}

/** `advtransfer plot RESULTS`: tables and figures redrawn from a results file. */
export async function plotCommand(flags: PlotFlags): Promise<void> {
  if (flags.results === undefined) throw new UsageError("plot needs a results file (results.jsonl)");
  const contents = asUsage(() => readResultsFile(flags.results as string));
  contents.warnings.forEach(warn);
  const records = contents.records.map((r) => r.record);
  if (records.length === 0) throw new UsageError(`plot: ${flags.results} holds no finished cells`);
  const dir = dirname(flags.results);
  const { axes, view } = await axesFor(records, flags.config, dir, pluginFlags(flags));
  await writeOutputs(flags.out ?? dir, records, axes, view, flags.svg ?? true);
}
