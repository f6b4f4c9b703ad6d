#!/usr/bin/env node
/** The advtransfer command line. Each command parses its flags and calls the experiment layer. */
import yargs from "yargs";
import { hideBin } from "yargs/helpers";
import type { Argv } from "yargs";
import { UsageError, reportError } from "./output.js";
import { demoCommand, runCommand, type RunFlags } from "./runCommand.js";
import { type BoundsFlags, boundsCommand } from "./boundsCommand.js";
import { type RatesFlags, ratesCommand } from "./ratesCommand.js";
import { pluginOption, sweepCommands } from "./sweepCommands.js";

/** Options shared by every command that takes a run config. */
function configOptions<T>(y: Argv<T>) {
  return y
    .option("config", { type: "string", describe: "JSON config file (flags override its keys)" })
    .option("replicates", { describe: "number of replicates R (integer >= 1)" })
    .option("seed", { describe: "seed (integer >= 0); replicate k uses the stream of (seed, k)" })
    .option("family", { describe: 'model family: "mixture" (default), "two-layer", "regression", or one a plugin registers' })
    .option("sampler", { describe: '"exact" (sufficient statistics, MODEL §5) or "sample" (every sample drawn)' })
    .option("scenario", { describe: "scenario fields as dotted flags: --scenario.d 500 --scenario.m 1000 ..." })
    .option("evaluation", { describe: "evaluation fields: --evaluation.eps 0.1 (radius of the robust errors)" })
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
          .option("per-replicate", { type: "boolean", describe: "also print every replicate's checks" }),
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
    .command(sweepCommands)
    .demandCommand(1, "name a command: run, demo, bounds, rates, sweep, merge, plot (see --help)")
    .strictCommands()
    .strictOptions()
    .parserConfiguration({ "dot-notation": true, "parse-numbers": true })
    .recommendCommands()
    .help()
    .wrap(Math.min(110, process.stdout.columns ?? 100))
    .fail((msg, err) => {
      throw err ?? new UsageError(`${msg} (see advtransfer --help)`);
    });
}

export async function main(argv: string[]): Promise<number> {
  try {
    await buildCli(argv).parseAsync();
    return 0;
  } catch (err) {
    return reportError(err);
  }
}

main(hideBin(process.argv)).then((code) => {
  process.exitCode = code;
});
