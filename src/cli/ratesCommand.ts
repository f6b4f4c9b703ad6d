/** `advtransfer rates`: log-log slopes of a measured quantity against n, d or T beside the slopes of its bounds. */
import { ConfigError } from "../core/config/parse.js";
import type { JsonObject } from "../experiment/family.js";
import { rateResult } from "../experiment/rates.js";
import { parseRunConfig } from "../experiment/runConfig.js";
import { formatRates } from "../report/ratesTable.js";
import { planPrepared, prepareConfig, runInMemory } from "../runtime/sweep.js";
import { type ConfigFlags, assembleConfig, configDir, parseScalar, pluginFlags } from "./input.js";
import { UsageError } from "./output.js";
import { parseProgress } from "./runCommand.js";
import { parseWorkers } from "./workers.js";

/** Flags of the rates command. */
export interface RatesFlags extends ConfigFlags {
  readonly parameter?: unknown;
  readonly values?: unknown;
  readonly delta?: unknown;
  readonly t?: unknown;
  readonly json?: boolean;
  readonly metrics?: string;
  readonly printConfig?: boolean;
  readonly workers?: unknown;
  readonly progress?: unknown;
}

/** Runs the family's rate sweep on the config's scenario (the methods are the family's rate methods). */
export async function ratesCommand(flags: RatesFlags): Promise<void> {
  if (flags.method !== undefined) throw new UsageError("rates runs the family's own rate methods (standard and l-inf for the mixture family); --method does not apply");
  if (flags.metrics !== undefined) throw new UsageError("rates reports the bounded quantity (sinTheta); --metrics does not apply");
  const base = assembleConfig(flags);
  const prepared = await prepareConfig(base, configDir(flags), pluginFlags(flags));
  const run = parseRunConfig(prepared.raw, prepared.registry);
  const { rates, bounds } = run.family;
  if (rates === undefined || bounds === undefined) throw new ConfigError("family", run.family.name, "has no rate checks (families with rates: mixture)");
  const values = flags.values === undefined ? undefined : String(flags.values).split(",").map((v) => parseScalar(v.trim()));
  const sweep = rates.parseSweep({ parameter: flags.parameter, values, delta: flags.delta });
  const boundOptions: JsonObject = { ...bounds.defaults, ...(flags.t === undefined ? {} : { t: flags.t as number }) };
  const sweepConfig = rates.sweepConfig(prepared.raw as JsonObject, sweep, boundOptions);
  const loaded = planPrepared({ ...prepared, raw: sweepConfig });
  if (flags.printConfig) {
    process.stdout.write(`${JSON.stringify(sweepConfig, null, 2)}\n`);
    return;
  }
  const { records, seconds } = await runInMemory(loaded, { workers: parseWorkers(flags.workers), progress: parseProgress(flags.progress), progressLabel: "rates" });
  const result = rateResult(sweep, records, rates.pairs);
  if (flags.json) {
    process.stdout.write(`${JSON.stringify({ sweep, options: boundOptions, replicates: run.replicates, seed: run.seed, seconds, ...result }, null, 2)}\n`);
    return;
  }
  const opts = Object.entries(sweep.options).map(([k, v]) => `${k} = ${v}`).join(", ");
  process.stdout.write(
    `advtransfer rates: ${sweep.parameter} over ${sweep.values.join(", ")}; ${run.replicates} replicates per point, seed ${run.seed}, ` +
      `t = ${boundOptions.t}, ${opts}, ${seconds.toFixed(1)} s\n` +
      `methods: ${rates.description}\n` +
      "slope: local log-log slope from the previous grid value; fitted slopes by weighted least squares (SE from Monte Carlo noise only)\n\n" +
      `${formatRates(result)}\n`,
  );
}
