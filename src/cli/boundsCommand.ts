/** `advtransfer bounds`: MODEL §6's bounds beside the measured values of a run config (a run with bound checks). */
import { ConfigError } from "../core/config/parse.js";
import { checksOf, summariseBoundChecks, summariseLimits } from "../experiment/boundChecks.js";
import type { JsonObject } from "../experiment/family.js";
import { echoRun, parseRunConfig } from "../experiment/runConfig.js";
import { planPrepared, prepareConfig, runInMemory } from "../runtime/sweep.js";
import { formatBoundsNotes, formatBoundsReplicates, formatBoundsTable, formatLimitsTable } from "../report/boundsTable.js";
import { type ConfigFlags, assembleConfig, configDir, pluginFlags } from "./input.js";
import { UsageError } from "./output.js";
import { parseProgress, scenarioLine } from "./runCommand.js";
import { parseWorkers } from "./workers.js";

/** Flags of the bounds command. */
export interface BoundsFlags extends ConfigFlags {
  readonly t?: unknown;
  readonly kappaDelta?: unknown;
  readonly json?: boolean;
  readonly perReplicate?: boolean;
  readonly limits?: boolean;
  readonly printConfig?: boolean;
  readonly metrics?: string;
  readonly workers?: unknown;
  readonly progress?: unknown;
}

/** The bound-check options given on the command line (missing ones take the family's defaults). */
function boundOptions(flags: BoundsFlags, defaults: JsonObject): JsonObject {
  const out: JsonObject = { ...defaults };
  if (flags.t !== undefined) out.t = flags.t as number;
  if (flags.kappaDelta !== undefined) out.kappaDelta = flags.kappaDelta as number;
  return out;
}

/** Runs the bound checks of a run config (same config format as `advtransfer run`) and prints them. */
export async function boundsCommand(flags: BoundsFlags): Promise<void> {
  if (flags.metrics !== undefined) throw new UsageError("bounds prints every bound beside the quantity it bounds; --metrics does not apply");
  const base = assembleConfig(flags);
  const probe = await prepareConfig(base, configDir(flags), pluginFlags(flags));
  const family = probe.registry.family(probe.raw.family ?? "mixture");
  if (family.bounds === undefined) {
    const withBounds = probe.registry.families.values().filter((f) => f.bounds !== undefined).map((f) => f.name);
    throw new ConfigError("family", family.name, `has no bound checks (families with bounds: ${withBounds.join(", ")})`);
  }
  const options = boundOptions(flags, family.bounds.defaults);
  let raw = family.bounds.enable(probe.raw as JsonObject, options);
  if ((flags.limits ?? true) && family.bounds.enableLimits !== undefined) raw = family.bounds.enableLimits(raw);
  const prepared = { ...probe, raw };
  const run = parseRunConfig(prepared.raw, prepared.registry);
  const echo = echoRun(run);
  const evaluation = echo.evaluation as JsonObject | undefined;
  const checked = (evaluation?.bounds ?? options) as JsonObject;
  if (flags.printConfig) {
    process.stdout.write(`${JSON.stringify(echo, null, 2)}\n`);
    return;
  }
  const { records, seconds } = await runInMemory(planPrepared(prepared), { workers: parseWorkers(flags.workers), progress: parseProgress(flags.progress), progressLabel: "bounds" });
  const record = records[0];
  const { rows, methods } = summariseBoundChecks(record);
  const limits = summariseLimits(record);
  if (flags.json) {
    const replicates = Array.from({ length: record.replicates }, (_, k) => ({
      replicate: k,
      methods: record.methods.map((m) => ({ method: m.method, ok: !m.failures.some((f) => f.replicate === k), checks: checksOf(record, m.method, k) })),
    }));
    process.stdout.write(`${JSON.stringify({ config: echo, options: checked, seconds, summary: rows, methods, limits, replicates }, null, 2)}\n`);
    return;
  }
  const notes = [formatBoundsNotes(methods, family.bounds.descriptions), ...(family.bounds.notes?.(run.config) ?? [])].filter((x) => x !== "").join("\n");
  const opts = Object.entries(checked).map(([k, v]) => `${k} = ${v}`).join(", ");
  const sampler = (echo as JsonObject).sampler;
  process.stdout.write(
    `advtransfer bounds: ${run.replicates} replicates, seed ${run.seed}${typeof sampler === "string" ? `, sampler ${sampler}` : ""}, ${opts}, ${seconds.toFixed(1)} s\n` +
      `scenario: ${scenarioLine(echo.scenario)}\n` +
      "measured: mean ± SE; bound: mean (capped at the trivial bound); ratio: median of formula / measured;\n" +
      "informative: share below the trivial bound; coverage: share where the bound held (docs/THEORY.md)\n\n" +
      `${formatBoundsTable(rows)}\n` +
      (notes === "" ? "" : `\n${notes}\n`) +
      (limits.length === 0
        ? ""
        : "\nlimits (MODEL §8; predictions, not bounds): measured mean ± SE, predicted mean, paired difference ± SE and in SEs\n\n" + `${formatLimitsTable(limits)}\n`) +
      (flags.perReplicate ? `\n${formatBoundsReplicates(record)}\n` : ""),
  );
}
