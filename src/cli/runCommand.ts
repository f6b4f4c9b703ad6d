/** `advtransfer run` and `advtransfer demo`: replicates of one config (a one-cell sweep), summarised. */
import { ConfigError, parseChoice } from "../core/config/parse.js";
import type { JsonObject } from "../experiment/family.js";
import { summariseRecord } from "../experiment/run.js";
import { echoRun, parseRunConfig, type RunConfig } from "../experiment/runConfig.js";
import type { ProgressMode } from "../runtime/progress.js";
import { type PreparedConfig, planPrepared, prepareConfig, runInMemory } from "../runtime/sweep.js";
import { formatSummaryTable } from "../report/table.js";
import { type ConfigFlags, assembleConfig, configDir, pluginFlags } from "./input.js";
import { parseWorkers } from "./workers.js";

/** Flags of the run and demo commands. */
export interface RunFlags extends ConfigFlags {
  readonly json?: boolean;
  readonly metrics?: string;
  readonly printConfig?: boolean;
  readonly workers?: unknown;
  readonly progress?: unknown;
}

/** The progress mode of --progress. */
export function parseProgress(value: unknown): ProgressMode {
  return parseChoice("--progress", value ?? "auto", ["auto", "bar", "lines", "off"] as const);
}

/** The --metrics list: comma-separated metric names of the family (or "failed"). */
export function parseMetricsFlag(text: unknown, known: readonly string[]): string[] {
  if (typeof text !== "string" || text.trim() === "") throw new ConfigError("--metrics", text, "must be comma-separated metric names");
  const names = text.split(",").map((m) => m.trim());
  for (const m of names) {
    if (m !== "failed" && !known.includes(m)) throw new ConfigError("--metrics", m, `is not a metric of this family; metrics: ${[...known, "failed"].join(", ")}`);
  }
  return names;
}

/** "d=500 r=4 ..." from an echoed scenario. */
export function scenarioLine(scenario: unknown): string {
  if (typeof scenario !== "object" || scenario === null) return "";
  return Object.entries(scenario)
    .filter(([, v]) => v !== null)
    .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join("/") : typeof v === "object" ? JSON.stringify(v) : v}`)
    .join(" ");
}

/** A prepared and checked run config. */
export async function prepareRun(raw: Record<string, unknown>, flags: ConfigFlags): Promise<{ prepared: PreparedConfig; run: RunConfig }> {
  const prepared = await prepareConfig(raw, configDir(flags), pluginFlags(flags));
  return { prepared, run: parseRunConfig(prepared.raw, prepared.registry) };
}

/** Runs a raw run config and prints its summary (table, or JSON with --json). */
export async function executeRun(raw: Record<string, unknown>, flags: RunFlags, title: string): Promise<void> {
  const { prepared, run } = await prepareRun(raw, flags);
  const echo = echoRun(run);
  if (flags.printConfig) {
    process.stdout.write(`${JSON.stringify(echo, null, 2)}\n`);
    return;
  }
  const metrics = flags.metrics === undefined ? run.family.metrics.table : parseMetricsFlag(flags.metrics, run.family.metrics.names);
  const workers = parseWorkers(flags.workers);
  const progress = parseProgress(flags.progress);
  const { records, seconds } = await runInMemory(planPrepared(prepared), { workers, progress, progressLabel: "run" });
  const summary = summariseRecord(records[0]);
  if (flags.json) {
    process.stdout.write(`${JSON.stringify({ config: echo, seconds, summary }, null, 2)}\n`);
    return;
  }
  const scen = scenarioLine(echo.scenario);
  const sampler = (echo as JsonObject).sampler;
  process.stdout.write(
    `${title}: family ${run.family.name}, ${run.replicates} replicates, seed ${run.seed}` +
      `${typeof sampler === "string" ? `, sampler ${sampler}` : ""}, ${seconds.toFixed(1)} s\n` +
      (scen === "" ? "" : `scenario: ${scen}\n`) +
      `mean ± standard error over replicates\n\n${formatSummaryTable(summary, metrics)}\n`,
  );
}

/** `advtransfer run`: the config from --config and flags. */
export async function runCommand(flags: RunFlags): Promise<void> {
  await executeRun(assembleConfig(flags), flags, "advtransfer run");
}

/** `advtransfer demo`: the family's demonstration (MODEL §7 for the mixture family); flags may override, e.g. --replicates. */
export async function demoCommand(flags: RunFlags): Promise<void> {
  const { registry } = await prepareConfig({}, configDir(flags), pluginFlags(flags));
  const family = registry.family(flags.family ?? "mixture", "--family");
  await executeRun(assembleConfig(flags, family.demo()), flags, "advtransfer demo");
}
