/**
 * A sweep plan: every grid cell with the family config it runs and the method labels it will
 * report, all checked before any work starts (a bad value in the last cell fails at once, not
 * after an hour). Family, seed and replicate count are shared by all cells: they identify the
 * sweep, and replicate k of every cell uses replicateRng(seed, k) (common random numbers).
 */
import { ConfigError } from "../core/config/parse.js";
import { canonicalJson, type JsonValue } from "../core/config/canonicalJson.js";
import type { Registry } from "./registry.js";
import { familyPart, parseRunConfig } from "./runConfig.js";
import { type SweepCell, type SweepSpec, expandGrid } from "./sweepSpec.js";

/** How one cell's run config resolves: the family and the config its parse accepts. */
export interface ResolvedRun {
  readonly family: string;
  readonly seed: number | string;
  readonly replicates: number;
  /** The plugin modules as written in the config. */
  readonly plugins: readonly string[];
  /** The raw config the family's parse receives (JSON, so it can be sent to worker threads). */
  readonly familyConfig: JsonValue;
  /** The labels of the methods the cell reports, in order. */
  readonly methodLabels: readonly string[];
}

export interface PlannedCell {
  readonly cell: SweepCell;
  readonly familyConfig: JsonValue;
  readonly methodLabels: readonly string[];
}

export interface SweepPlan {
  readonly spec: SweepSpec;
  readonly family: string;
  readonly seed: number | string;
  readonly replicates: number;
  /** Module URLs of the plugins a worker must load before running a task (resolved by the runtime). */
  readonly plugins: readonly string[];
  /** All cells, index = position. */
  readonly cells: readonly PlannedCell[];
}

/**
 * Expands the grid and resolves every cell with `resolve` (which parses the cell's run config and
 * throws ConfigError on bad values). A sweep may not vary the family, the seed or the replicate
 * count: a ConfigError names the axis that does.
 */
export function planSweep(spec: SweepSpec, resolve: (config: { [key: string]: JsonValue }) => ResolvedRun, pluginUrls: readonly string[] = []): SweepPlan {
  const cells = expandGrid(spec);
  const resolved = cells.map((c) => resolve(c.config));
  const first = resolved[0];
  resolved.forEach((r, i) => {
    for (const key of ["family", "seed", "replicates", "plugins"] as const) {
      if (canonicalJson(r[key]) !== canonicalJson(first[key])) {
        const axis = spec.axes.find((a) => cells[i].point[a.name] !== cells[0].point[a.name]) ?? spec.axes[0];
        throw new ConfigError(axis.field, axis.params.join(", "), `changes the run's ${key}; a sweep's cells must share family, seed, replicates and plugins`);
      }
    }
  });
  if (spec.baseline !== null) {
    resolved.forEach((r, i) => {
      if (!r.methodLabels.includes(spec.baseline as string)) {
        throw new ConfigError("baseline", spec.baseline, `must be the label of a method of every cell; cell ${i} has ${r.methodLabels.map((l) => JSON.stringify(l)).join(", ")}`);
      }
    });
  }
  return {
    spec,
    family: first.family,
    seed: first.seed,
    replicates: first.replicates,
    plugins: [...pluginUrls],
    cells: cells.map((cell, i) => ({ cell, familyConfig: resolved[i].familyConfig, methodLabels: resolved[i].methodLabels })),
  };
}

/**
 * The value a sweep's config hash is computed from: what determines the results (family, seed,
 * the base config and the axes with their paths and values). Left out, so that changing them
 * does not orphan finished cells: axis labels, the plot section and the baseline; the list of
 * plugin files (where they are does not matter; what they compute is in the code fingerprint);
 * and the replicate count, because replicate k depends on (seed, k) only: a sweep run again
 * with more replicates keeps the finished ones and computes only the new ones, and one run with
 * fewer takes the first replicates of each finished cell.
 */
export function sweepIdentity(plan: SweepPlan): JsonValue {
  const { plugins: _plugins, replicates: _replicates, ...base } = plan.spec.base;
  return {
    family: plan.family,
    seed: plan.seed,
    base,
    axes: plan.spec.axes.map((a) => ({
      name: a.name,
      params: [...a.params],
      values: [...a.values],
      linked: a.linked.map((l) => ({ path: l.path, values: [...l.values] })),
    })),
  };
}

/**
 * Resolves a cell's run config through parseRunConfig (family lookup, replicates, seed, the
 * family's own parse): the family config sent to workers is the run config without its run keys.
 */
export function resolveRunCell(config: { [key: string]: JsonValue }, registry: Registry): ResolvedRun {
  const run = parseRunConfig(config, registry);
  return {
    family: run.family.name,
    seed: run.seed,
    replicates: run.replicates,
    plugins: run.plugins,
    familyConfig: familyPart(config),
    methodLabels: run.family.methodLabels(run.config),
  };
}

/**
 * The plan of a sweep over the families of `registry`; `pluginUrls` are the resolved module URLs
 * of the config's plugins (already registered in `registry`), which workers load.
 */
export function planRunSweep(spec: SweepSpec, registry: Registry, pluginUrls: readonly string[] = []): SweepPlan {
  return planSweep(spec, (config) => resolveRunCell(config, registry), pluginUrls);
}

/**
 * The values every cell shares in the section `key` of the family config (default "scenario"), as
 * the family echoes them (defaults filled in): leaves that differ between cells are left out. For
 * the subtitles of figures ("d = 500, r = 4, ..."). Empty when the family's echo has no such
 * object.
 */
export function fixedValues(plan: SweepPlan, registry: Registry, key = "scenario"): Record<string, JsonValue> {
  const family = registry.family(plan.family);
  let common: Record<string, JsonValue> | null = null;
  for (const cell of plan.cells) {
    const echo = family.echo(family.parse(cell.familyConfig));
    const section = echo[key];
    if (typeof section !== "object" || section === null || Array.isArray(section)) return {};
    if (common === null) {
      common = { ...section };
      continue;
    }
    for (const [k, v] of Object.entries(common)) {
      if (canonicalJson(v) !== canonicalJson(section[k] ?? null)) delete common[k];
    }
  }
  return common ?? {};
}

/** The method labels and metric names of a plan (unions over cells, in first-appearance order; metrics null when the family cannot list them). */
export function planNames(plan: SweepPlan, registry: Registry): { methods: string[]; metrics: string[] | null } {
  const family = registry.family(plan.family);
  const methods = new Set<string>();
  const metrics = new Set<string>();
  for (const cell of plan.cells) {
    for (const m of cell.methodLabels) methods.add(m);
    if (family.metricNames === undefined) continue;
    for (const names of Object.values(family.metricNames(family.parse(cell.familyConfig)))) for (const n of names) metrics.add(n);
  }
  return { methods: [...methods], metrics: family.metricNames === undefined ? null : [...metrics] };
}
