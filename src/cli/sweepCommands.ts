/** The yargs definitions of `sweep`, `merge` and `plot` (the work is in sweepCommand.ts). */
import type { CommandModule } from "yargs";
import { mergeCommand, plotCommand, sweepCommand, type MergeFlags, type PlotFlags, type SweepFlags } from "./sweepCommand.js";

/** The --plugin option of every command. */
export const pluginOption = {
  type: "string",
  array: true,
  describe: "an ES module that registers estimators, per-task rules or families (repeatable; loaded by every worker thread too)",
} as const;

const sweep: CommandModule = {
  command: "sweep",
  describe: "run a grid of configs (the config's \"sweep\" section), R replicates per cell, on worker threads; resumable",
  builder: (y) =>
    y
      .option("config", { type: "string", describe: "sweep config: a run config plus \"sweep\" (and optional \"plot\")" })
      .option("out", { type: "string", describe: "output directory: results.jsonl, summary.csv/json, figures/" })
      .option("workers", { describe: "worker threads (default: available cores; 0 = run in this thread)" })
      .option("shard", { type: "string", describe: "run shard i of N (1 <= i <= N) of the cells, e.g. --shard $SLURM_ARRAY_TASK_ID/16" })
      .option("resume", { type: "boolean", default: true, describe: "skip cells already in the results file (--no-resume starts over)" })
      .option("replicates", { describe: "override the config's replicates" })
      .option("seed", { describe: "override the config's seed" })
      .option("progress", { type: "string", describe: '"auto" (bar on a terminal, lines otherwise), "bar", "lines" or "off"' })
      .option("svg", { type: "boolean", default: true, describe: "render figures to SVG (--no-svg writes only the Vega-Lite specs)" })
      .option("plugin", pluginOption),
  handler: (args) => sweepCommand(args as unknown as SweepFlags),
};

const merge: CommandModule = {
  command: "merge [files..]",
  describe: "join shard results files (default: DIR/results.shard-*.jsonl) into DIR/results.jsonl, with tables and figures",
  builder: (y) =>
    y
      .positional("files", { type: "string", array: true, describe: "results files to merge" })
      .option("out", { type: "string", describe: "output directory" })
      .option("config", { type: "string", describe: "the sweep config (default: DIR/sweep.json), for axis labels and plot options" })
      .option("svg", { type: "boolean", default: true, describe: "render figures to SVG" })
      .option("plugin", pluginOption),
  handler: (args) => mergeCommand(args as unknown as MergeFlags),
};

const plot: CommandModule = {
  command: "plot <results>",
  describe: "redraw tables and figures from a results file",
  builder: (y) =>
    y
      .positional("results", { type: "string", describe: "a results.jsonl file" })
      .option("out", { type: "string", describe: "output directory (default: the results file's directory)" })
      .option("config", { type: "string", describe: "the sweep config (default: sweep.json beside the results), for labels and plot options" })
      .option("svg", { type: "boolean", default: true, describe: "render figures to SVG" })
      .option("plugin", pluginOption),
  handler: (args) => plotCommand(args as unknown as PlotFlags),
};

export const sweepCommands: CommandModule[] = [sweep, merge, plot];
