/** `advtransfer bounds`: MODEL §6's bounds beside the measured values of a run config. */
import { parseBoundsOptions, runBounds, summariseBounds } from "../families/mixture/analysis/bounds.js";
import { type RunConfig, describeRun, parseRunConfig } from "../experiment/runConfig.js";
import type { MixtureConfig } from "../families/mixture/family.js";
import { ConfigError } from "../core/config/parse.js";
import { formatBoundsNotes, formatBoundsReplicates, formatBoundsTable } from "../report/boundsTable.js";
import { type ConfigFlags, assembleConfig } from "./input.js";

/** Flags of the bounds command. */
export interface BoundsFlags extends ConfigFlags {
  readonly t?: unknown;
  readonly kappaDelta?: unknown;
  readonly json?: boolean;
  readonly perReplicate?: boolean;
  readonly printConfig?: boolean;
}

/** Runs the bound checks of a run config (same config format as `advtransfer run`) and prints them. */
export function boundsCommand(flags: BoundsFlags): void {
  const run = parseRunConfig(assembleConfig(flags));
  if (run.family.name !== "mixture") throw new ConfigError("family", run.family.name, 'bounds are derived for "mixture" only');
  const options = parseBoundsOptions({ t: flags.t, kappaDelta: flags.kappaDelta });
  const echo = describeRun(run);
  if (flags.printConfig) {
    process.stdout.write(`${JSON.stringify({ ...echo, bounds: options }, null, 2)}\n`);
    return;
  }
  const started = performance.now();
  const results = runBounds(run as RunConfig<MixtureConfig>, options);
  const seconds = (performance.now() - started) / 1000;
  const { rows, methods } = summariseBounds(results);
  if (flags.json) {
    process.stdout.write(`${JSON.stringify({ config: echo, options, seconds, summary: rows, methods, replicates: results }, null, 2)}\n`);
    return;
  }
  const sc = (run.config as MixtureConfig).scenario;
  const scen = Object.entries(sc).filter(([, v]) => v !== null).map(([k, v]) => `${k}=${Array.isArray(v) ? v.join("/") : v}`).join(" ");
  const notes = formatBoundsNotes(methods);
  process.stdout.write(
    `advtransfer bounds: ${run.replicates} replicates, seed ${run.seed}, sampler ${(run.config as MixtureConfig).sampler}, ` +
      `t = ${options.t}, kappaDelta = ${options.kappaDelta}, ${seconds.toFixed(1)} s\n` +
      `scenario: ${scen}\n` +
      "measured: mean ± SE; bound: mean (capped at the trivial bound); ratio: median of formula / measured;\n" +
      "informative: share below the trivial bound; coverage: share where the bound held (docs/THEORY.md)\n\n" +
      `${formatBoundsTable(rows)}\n` +
      (notes === "" ? "" : `\n${notes}\n`) +
      (flags.perReplicate ? `\n${formatBoundsReplicates(results)}\n` : ""),
  );
}
