/** `advtransfer rates`: log-log slopes of sinTheta against n, d or T beside the slopes of B2 and B3. */
import { parseBoundsOptions } from "../families/mixture/analysis/bounds.js";
import { parseRunConfig } from "../experiment/runConfig.js";
import { parseRateSweep, runRates } from "../families/mixture/analysis/rates.js";
import { ConfigError } from "../core/config/parse.js";
import { formatRates } from "../report/ratesTable.js";
import { type ConfigFlags, assembleConfig, parseScalar } from "./input.js";

/** Flags of the rates command. */
export interface RatesFlags extends ConfigFlags {
  readonly parameter?: unknown;
  readonly values?: unknown;
  readonly delta?: unknown;
  readonly t?: unknown;
  readonly json?: boolean;
}

/** Runs a sweep on the config's scenario (methods are fixed: standard and l-inf at eps(delta)). */
export function ratesCommand(flags: RatesFlags): void {
  const raw = assembleConfig(flags);
  const run = parseRunConfig(raw);
  if (run.family.name !== "mixture") throw new ConfigError("family", run.family.name, 'rates are derived for "mixture" only');
  const values = flags.values === undefined ? undefined : String(flags.values).split(",").map((v) => parseScalar(v.trim()));
  const sweep = parseRateSweep({ parameter: flags.parameter, values, delta: flags.delta });
  const options = parseBoundsOptions({ t: flags.t });
  const started = performance.now();
  const result = runRates(raw, sweep, options);
  const seconds = (performance.now() - started) / 1000;
  if (flags.json) {
    process.stdout.write(`${JSON.stringify({ sweep, options, replicates: run.replicates, seed: run.seed, seconds, ...result }, null, 2)}\n`);
    return;
  }
  process.stdout.write(
    `advtransfer rates: ${sweep.parameter} over ${sweep.values.join(", ")}; ${run.replicates} replicates per point, seed ${run.seed}, ` +
      `t = ${options.t}, l-inf radius eps(delta = ${sweep.delta}) at each point, unnormalised columns, ${seconds.toFixed(1)} s\n` +
      "slope: local log-log slope from the previous grid value; fitted slopes by weighted least squares (SE from Monte Carlo noise only)\n\n" +
      `${formatRates(result)}\n`,
  );
}
