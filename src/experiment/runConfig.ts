/**
 * Run configs: the keys every run shares (family, replicates, seed, plugins) around a family's
 * own config. Parsed against a Registry, so a run can use any registered family.
 */
import { ConfigError, parseArray, parseInteger, parseObject, parseString } from "../core/config/parse.js";
import type { Family, JsonObject } from "./family.js";
import type { Registry } from "./registry.js";

/** Keys of a run config handled here; all other keys belong to the family. */
export const RUN_KEYS = ["family", "replicates", "seed", "plugins"] as const;

/** A checked run: the family, its checked config, the replicate count, the seed and the plugin files. */
export interface RunConfig<C = unknown> {
  readonly family: Family<C>;
  readonly config: C;
  readonly replicates: number;
  readonly seed: number;
  /** Plugin modules as written in the config (paths or URLs); they are registered before parsing. */
  readonly plugins: readonly string[];
}

/** Default replicate count and seed of a run. */
export const RUN_DEFAULTS = { family: "mixture", replicates: 100, seed: 1 } as const;

/** The largest replicate count accepted. */
export const MAX_REPLICATES = 10_000_000;

/** The raw run config's family config: every key but the run keys (and `extraKeys`). */
export function familyPart(raw: Readonly<Record<string, unknown>>, extraKeys: readonly string[] = []): JsonObject {
  const rest: JsonObject = {};
  for (const [k, v] of Object.entries(raw)) {
    if (!(RUN_KEYS as readonly string[]).includes(k) && !extraKeys.includes(k)) rest[k] = v as JsonObject[string];
  }
  return rest;
}

/**
 * Parses a raw run config: `family` (default "mixture"), `replicates` (integer in
 * [1, 10^7], default 100), `seed` (integer in [0, 2^53), default 1), `plugins` (a list of module
 * paths, default none; they must already be registered in `registry`); the remaining keys are the
 * family's (e.g. scenario, methods). `extraKeys` are keys an outer layer owns (e.g. a sweep) and
 * are ignored here. Throws ConfigError.
 */
export function parseRunConfig(raw: unknown, registry: Registry, extraKeys: readonly string[] = []): RunConfig {
  const obj = raw === undefined ? {} : parseObject("config", raw);
  const family = registry.family(obj.family ?? RUN_DEFAULTS.family);
  const replicates = parseInteger("replicates", obj.replicates ?? RUN_DEFAULTS.replicates, 1, MAX_REPLICATES);
  const seed = parseInteger("seed", obj.seed ?? RUN_DEFAULTS.seed, 0, Number.MAX_SAFE_INTEGER);
  const plugins = obj.plugins === undefined ? [] : parseArray("plugins", obj.plugins).map((p, i) => parseString(`plugins[${i}]`, p));
  try {
    return { family, config: family.parse(familyPart(obj, extraKeys)), replicates, seed, plugins };
  } catch (err) {
    if (err instanceof ConfigError && err.allowed.startsWith("unknown key") && !/[.[]/.test(err.field)) {
      throw new ConfigError(err.field, err.value, `${err.allowed}, ${RUN_KEYS.join(", ")}`);
    }
    throw err;
  }
}

/** The run config as raw JSON with every default filled in: parseRunConfig(echoRun(run)) gives run again. */
export function echoRun(run: RunConfig): JsonObject {
  const head: JsonObject = { family: run.family.name, replicates: run.replicates, seed: run.seed };
  if (run.plugins.length > 0) head.plugins = [...run.plugins];
  return { ...head, ...run.family.echo(run.config) };
}
