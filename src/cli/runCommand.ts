/** `advtransfer run` and `advtransfer demo`: replicates of one config, summarised. */
import type { JsonValue } from "../core/config/canonicalJson.js";
import { RUN_KEYS, type RunConfig, describeRun, parseRunConfig } from "../experiment/runConfig.js";
import { demoConfig } from "../families/mixture/demo.js";
import { families } from "../families/index.js";
import { summarise } from "../experiment/run.js";
import { replicateChunks } from "../experiment/shard.js";
import type { ReplicateResult } from "../experiment/family.js";
import { parseChoice } from "../core/config/parse.js";
import { createProgressReporter } from "../runtime/progress.js";
import { InProcessExecutor, PoolExecutor, registeredFamilySource } from "../runtime/pool.js";
import { DEFAULT_TABLE_METRICS, formatSummaryTable } from "../report/table.js";
import { type ConfigFlags, assembleConfig } from "./input.js";
import { parseWorkers } from "./sweepCommand.js";

/** Flags of the run and demo commands. */
export interface RunFlags extends ConfigFlags {
  readonly json?: boolean;
  readonly metrics?: string;
  readonly printConfig?: boolean;
  readonly workers?: unknown;
  readonly progress?: unknown;
}

/**
 * Replicates 0..R-1 of a run on `workers` threads (0: this thread), in chunks of about
 * R / (4 workers), with progress on stderr. Replicate k depends on (seed, k) only, so the results
 * are the same for every worker count and completion order (tested).
 */
async function runOnExecutor(run: RunConfig, raw: Record<string, unknown>, workers: number, progressMode: "auto" | "bar" | "lines" | "off"): Promise<ReplicateResult[]> {
  const familyConfig: { [key: string]: JsonValue } = {};
  for (const [k, v] of Object.entries(raw)) if (!(RUN_KEYS as readonly string[]).includes(k)) familyConfig[k] = v as JsonValue;
  const executor = workers === 0 ? new InProcessExecutor(families) : new PoolExecutor(workers);
  const progress = createProgressReporter({ mode: progressMode, label: "run" });
  const chunk = Math.max(1, Math.ceil(run.replicates / (4 * Math.max(1, workers))));
  let done = 0;
  progress.start({ totalReplicates: run.replicates, doneReplicates: 0, totalCells: 1, doneCells: 0 });
  try {
    const parts = await Promise.all(
      replicateChunks(run.replicates, chunk).map((range) =>
        executor
          .run({ family: registeredFamilySource(run.family.name), config: familyConfig, seed: run.seed, cell: 0, from: range.from, to: range.to })
          .then((res) => {
            done += res.length;
            progress.update(done, done === run.replicates ? 1 : 0);
            return res;
          }),
      ),
    );
    return parts.flat().sort((a, b) => a.replicate - b.replicate);
  } finally {
    progress.stop();
    await executor.close();
  }
}

/** Runs a checked run config and prints its summary (table, or JSON with --json). */
export async function executeRun(run: RunConfig, raw: Record<string, unknown>, flags: RunFlags, title: string): Promise<void> {
  const echo = describeRun(run);
  if (flags.printConfig) {
    process.stdout.write(`${JSON.stringify(echo, null, 2)}\n`);
    return;
  }
  const workers = parseWorkers(flags.workers);
  const progressMode = parseChoice("--progress", flags.progress ?? "auto", ["auto", "bar", "lines", "off"] as const);
  const started = performance.now();
  const results = await runOnExecutor(run, raw, workers, progressMode);
  const seconds = (performance.now() - started) / 1000;
  const summary = summarise(results);
  if (flags.json) {
    process.stdout.write(`${JSON.stringify({ config: echo, seconds, summary }, null, 2)}\n`);
    return;
  }
  const metrics = flags.metrics === undefined ? DEFAULT_TABLE_METRICS : flags.metrics.split(",").map((m) => m.trim());
  const { scenario, sampler } = run.config as { scenario?: Record<string, unknown>; sampler?: string };
  const scen = scenario === undefined ? "" : Object.entries(scenario).filter(([, v]) => v !== null).map(([k, v]) => `${k}=${Array.isArray(v) ? v.join("/") : v}`).join(" ");
  process.stdout.write(
    `${title}: family ${run.family.name}, ${run.replicates} replicates, seed ${run.seed}` +
      `${sampler === undefined ? "" : `, sampler ${sampler}`}, ${seconds.toFixed(1)} s\n` +
      (scen === "" ? "" : `scenario: ${scen}\n`) +
      `mean ± standard error over replicates\n\n${formatSummaryTable(summary, metrics)}\n`,
  );
}

/** `advtransfer run`: the config from --config and flags. */
export async function runCommand(flags: RunFlags): Promise<void> {
  const raw = assembleConfig(flags);
  await executeRun(parseRunConfig(raw), raw, flags, "advtransfer run");
}

/** `advtransfer demo`: MODEL §7's demonstration (flags may override, e.g. --replicates). */
export async function demoCommand(flags: RunFlags): Promise<void> {
  const raw = assembleConfig(flags, demoConfig());
  await executeRun(parseRunConfig(raw), raw, flags, "advtransfer demo");
}
