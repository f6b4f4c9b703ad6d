/** `advtransfer run` and `advtransfer demo`: replicates of one config, summarised. */
import { type RunConfig, describeRun, parseRunConfig } from "../experiment/config.js";
import { demoConfig } from "../experiment/demo.js";
import { runReplicates, summarise } from "../experiment/run.js";
import { DEFAULT_TABLE_METRICS, formatSummaryTable } from "../report/table.js";
import { type ConfigFlags, assembleConfig } from "./input.js";

/** Flags of the run and demo commands. */
export interface RunFlags extends ConfigFlags {
  readonly json?: boolean;
  readonly metrics?: string;
  readonly printConfig?: boolean;
}

/** Runs a checked run config and prints its summary (table, or JSON with --json). */
export function executeRun(run: RunConfig, flags: RunFlags, title: string): void {
  const echo = describeRun(run);
  if (flags.printConfig) {
    process.stdout.write(`${JSON.stringify(echo, null, 2)}\n`);
    return;
  }
  const started = performance.now();
  const results = runReplicates(run);
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
export function runCommand(flags: RunFlags): void {
  executeRun(parseRunConfig(assembleConfig(flags)), flags, "advtransfer run");
}

/** `advtransfer demo`: MODEL §7's demonstration (flags may override, e.g. --replicates). */
export function demoCommand(flags: RunFlags): void {
  executeRun(parseRunConfig(assembleConfig(flags, demoConfig())), flags, "advtransfer demo");
}
