/**
 * `advtransfer tune`: the value of one parameter (e.g. methods.linf.eps) that minimises a metric of
 * one method, per cell of the config's sweep (experiment/tune.ts), with its bootstrap uncertainty
 * and beside it what the theory suggests (closed-form radii, the minimiser of the limits' curve).
 */
import { ConfigError } from "../core/config/parse.js";
import { type TuneSpec, echoTuneSpec, parseTuneSpec } from "../experiment/tune.js";
import { formatTune } from "../report/tuneTable.js";
import { loadSweepConfig } from "../runtime/sweep.js";
import { runTune } from "../runtime/tune.js";
import { type ConfigFlags, assembleConfig, configDir, parseScalar, pluginFlags } from "./input.js";
import { parseProgress, scenarioLine } from "./runCommand.js";
import { parseWorkers } from "./workers.js";
import type { JsonObject } from "../experiment/family.js";

/** Flags of the tune command. */
export interface TuneFlags extends ConfigFlags {
  readonly param?: unknown;
  readonly range?: unknown;
  readonly objective?: unknown;
  readonly objectiveMethod?: unknown;
  readonly goal?: unknown;
  readonly grid?: unknown;
  readonly refine?: unknown;
  readonly bootstrap?: unknown;
  readonly theoryReplicates?: unknown;
  readonly theoryGrid?: unknown;
  readonly theory?: boolean;
  readonly json?: boolean;
  readonly workers?: unknown;
  readonly progress?: unknown;
  readonly printConfig?: boolean;
}

/** The tune section: the config's `tune` object with the flags written over it. */
function tuneSection(raw: Record<string, unknown>, flags: TuneFlags): TuneSpec {
  const base = raw.tune === undefined ? {} : (raw.tune as Record<string, unknown>);
  const out: Record<string, unknown> = { ...base };
  if (flags.param !== undefined) out.param = String(flags.param);
  if (flags.range !== undefined) out.range = String(flags.range).split(",").map((v) => parseScalar(v.trim()));
  if (flags.objective !== undefined) out.metric = String(flags.objective);
  if (flags.objectiveMethod !== undefined) out.method = String(flags.objectiveMethod);
  for (const [key, value] of [["goal", flags.goal], ["grid", flags.grid], ["refine", flags.refine], ["bootstrap", flags.bootstrap], ["theoryReplicates", flags.theoryReplicates], ["theoryGrid", flags.theoryGrid]] as const) {
    // yargs hands numbers over as strings for options without a type; the spec parser checks the value.
    if (value !== undefined) out[key] = typeof value === "string" ? parseScalar(value.trim()) : value;
  }
  if (out.param === undefined) throw new ConfigError("tune.param", undefined, 'must name the parameter to tune: --param methods.linf.eps (or a "tune" section in the config)');
  return parseTuneSpec(out);
}

export async function tuneCommand(flags: TuneFlags): Promise<void> {
  const raw = assembleConfig(flags);
  const spec = tuneSection(raw, flags);
  const loaded = await loadSweepConfig({ ...raw, tune: echoTuneSpec(spec) }, configDir(flags), pluginFlags(flags));
  if (flags.printConfig) {
    process.stdout.write(`${JSON.stringify({ ...loaded.raw, tune: echoTuneSpec(spec) }, null, 2)}\n`);
    return;
  }
  const progress = parseProgress(flags.progress);
  const log = progress === "off" ? undefined : (line: string) => process.stderr.write(`${line}\n`);
  const result = await runTune(loaded, spec, { workers: parseWorkers(flags.workers), theory: flags.theory ?? true, log });
  if (flags.json) {
    process.stdout.write(`${JSON.stringify({ tune: echoTuneSpec(spec), replicates: loaded.plan.replicates, seed: loaded.plan.seed, seconds: result.seconds, evaluations: result.evaluations, cells: result.cells }, null, 2)}\n`);
    return;
  }
  const scenario = (loaded.plan.cells[0].familyConfig as JsonObject).scenario;
  process.stdout.write(
    `advtransfer tune: ${spec.param} over [${spec.range.join(", ")}] (grid of ${spec.grid}, ${spec.refine} golden-section steps), ${spec.goal === "min" ? "minimising" : "maximising"} ${spec.metric} of ${spec.method}; ` +
      `${loaded.plan.replicates} replicates on common random numbers, seed ${loaded.plan.seed}; bootstrap ${spec.bootstrap}; ${result.evaluations} evaluations, ${result.seconds.toFixed(1)} s\n` +
      (scenario === undefined ? "" : `scenario (as given; defaults fill the rest): ${scenarioLine(scenario)}\n`) +
      `best: parabola vertex at the best evaluated value; SE and interval: bootstrap over replicates; limits' best: the minimiser of the predicted curve (${spec.theoryReplicates} replicates' truths)\n\n` +
      `${formatTune(spec, result.cells)}\n`,
  );
}
