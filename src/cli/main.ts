#!/usr/bin/env node
/** The advtransfer command line. Each command parses its flags and calls the experiment layer. */
import yargs from "yargs";
import { hideBin } from "yargs/helpers";
import type { Argv } from "yargs";
import { RUN_DEFAULTS } from "../experiment/runConfig.js";
import { defaultRegistry } from "../families/index.js";
import { normaliseArgv, normaliseFlags } from "./argv.js";
import { UsageError, reportError } from "./output.js";
import { demoCommand, runCommand, type RunFlags } from "./runCommand.js";
import { type BoundsFlags, boundsCommand } from "./boundsCommand.js";
import { type RatesFlags, ratesCommand } from "./ratesCommand.js";
import { pluginOption, sweepCommands } from "./sweepCommands.js";
import { type TuneFlags, tuneCommand } from "./tuneCommand.js";

/** Options shared by every command that takes a run config. */
function configOptions<T>(y: Argv<T>) {
  return y
    .option("config", { type: "string", describe: "JSON config file (flags override its keys)" })
    .option("replicates", { describe: "number of replicates R (integer >= 1)" })
    .option("seed", { describe: "seed (integer >= 0); replicate k uses the stream of (seed, k)" })
    .option("family", { describe: `model family: ${defaultRegistry.families.names().map((n) => JSON.stringify(n)).join(", ")} (default "${RUN_DEFAULTS.family}"), or one a plugin registers` })
    .option("sampler", { describe: '"exact" (sufficient statistics, MODEL §5) or "sample" (every sample drawn)' })
    .option("scenario", { describe: "scenario fields as dotted flags: --scenario.d 500 --scenario.m 1000 ..." })
    .option("evaluation", { describe: "evaluation fields: --evaluation.eps 0.1 (radius of the robust errors)" })
    .option("training", { describe: "training fields of the two-layer family: --training.steps 300" })
    .option("target", { describe: "target-head fields of the two-layer family: --target.fit logistic" })
    .option("set", { type: "string", array: true, describe: 'any config field as PATH=VALUE, repeatable: --set scenario.d=100 --set "scenario.diversity=3,2,1"' })
    .option("method", {
      type: "string",
      array: true,
      describe: 'a method as key=value pairs, repeatable: --method standard --method "attack=linf,eps=0.3" --method "attack=linf,eps=0.3,ssl.m=1000"',
    })
    .option("json", { type: "boolean", describe: "print {config, seconds, summary} as JSON" })
    .option("metrics", { type: "string", describe: "comma-separated metrics for the table (JSON has all)" })
    .option("print-config", { type: "boolean", describe: "print the checked config with every default filled in, and exit" })
    .option("plugin", pluginOption);
}

/** Options of the commands that run replicates on worker threads. */
function executionOptions<T>(y: Argv<T>) {
  return y
    .option("workers", { describe: "worker threads (0 = this thread); default the machine's parallelism. Results do not depend on it" })
    .option("progress", { type: "string", describe: '"auto" (bar on a terminal, lines every 10 s otherwise), "bar", "lines" or "off"' });
}

/** Builds the parser; `argv` without the node and script names. */
export function buildCli(argv: string[]) {
  return yargs(argv)
    .scriptName("advtransfer")
    .usage("$0 <command> [options]")
    .command("run", "run replicates of a config and print mean ± SE per method and metric", (y) => executionOptions(configOptions(y)), (args) =>
      runCommand(args as unknown as RunFlags),
    )
    .command("demo", "a family's demonstration (mixture: MODEL §7's standard, l-inf, l2, SSL and SSL + l-inf, 200 replicates)", (y) => executionOptions(configOptions(y)), (args) =>
      demoCommand(args as unknown as RunFlags),
    )
    .command(
      "bounds",
      "MODEL §6's bounds beside the measured sinTheta and E[excess | U] of each replicate, with coverage",
      (y) =>
        executionOptions(configOptions(y))
          .option("t", { describe: "deviation t >= 0 of the Gaussian events of B2-B3 (default 2.5)" })
          .option("kappa-delta", { describe: "probability spent on B5's model-only kappa bound, in (0, 1) (default 0.05)" })
          .option("per-replicate", { type: "boolean", describe: "also print every replicate's checks" })
          .option("limits", { type: "boolean", describe: "also report the limits of MODEL §8 beside the measurements (default true; --no-limits skips them)" }),
      (args) => boundsCommand(args as unknown as BoundsFlags),
    )
    .command(
      "rates",
      "log-log slopes of sinTheta against n, d or T beside the slopes of B2 (standard) and B3 (l-inf)",
      (y) =>
        executionOptions(configOptions(y))
          .option("parameter", { describe: 'the swept scenario parameter: "n", "d" or "T" (default n)' })
          .option("values", { type: "string", describe: "comma-separated ascending grid (default: factors of 2 around MODEL §7)" })
          .option("delta", { describe: "B3's failure probability: l-inf radius eps(delta) at each point (default 0.1)" })
          .option("t", { describe: "deviation t >= 0 of the Gaussian events of B2-B3 (default 2.5)" }),
      (args) => ratesCommand(args as unknown as RatesFlags),
    )
    .command(
      "tune",
      "the value of a parameter (e.g. a radius) that minimises a metric, per cell, with its bootstrap uncertainty, beside the theory's",
      (y) =>
        executionOptions(configOptions(y))
          .option("param", { type: "string", describe: 'the parameter path, e.g. "methods.linf.eps" or "methods.linf.eps.tau" (or the config\'s "tune" section)' })
          .option("range", { type: "string", describe: "lo,hi: the search range (e.g. 0,0.6)" })
          .option("objective", { type: "string", describe: "the metric to optimise (default sinTheta)" })
          .option("objective-method", { type: "string", describe: "the method whose metric is optimised (default: the label in the path)" })
          .option("goal", { describe: '"min" (default) or "max"' })
          .option("grid", { describe: "grid points over the range (default 13)" })
          .option("refine", { describe: "golden-section steps after the grid (default 8)" })
          .option("bootstrap", { describe: "bootstrap resamples for the uncertainty (default 1000; 0 for none)" })
          .option("theory-replicates", { describe: "replicates for the limits' predicted curve (default 20; 0 for none)" })
          .option("theory-grid", { describe: "grid points of the predicted curve (default 25)" })
          .option("theory", { type: "boolean", describe: "compute the limits' predicted curve (default true)" }),
      (args) => tuneCommand(args as unknown as TuneFlags),
    )
    .command(sweepCommands)
    .demandCommand(1, "name a command: run, demo, bounds, rates, tune, sweep, merge, plot (see --help)")
    .strictCommands()
    .strictOptions()
    .parserConfiguration({ "dot-notation": true, "parse-numbers": false, "parse-positional-numbers": false })
    .middleware((args) => {
      Object.assign(args, normaliseFlags(args as Record<string, unknown>));
    })
    .recommendCommands()
    .help()
    .wrap(Math.min(110, process.stdout.columns ?? 100))
    .fail((msg, err) => {
      throw err ?? new UsageError(`${msg} (see advtransfer --help)`);
    });
}

export async function main(argv: string[]): Promise<number> {
  try {
    await buildCli(normaliseArgv(argv)).parseAsync();
    return 0;
  } catch (err) {
    return reportError(err);
  }
}

main(hideBin(process.argv)).then((code) => {
  process.exitCode = code;
});
