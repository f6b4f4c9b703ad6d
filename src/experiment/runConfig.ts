/**
 * Run configs: the keys every run shares (family, replicates, seed) around a family's own config.
 */
import { ConfigError, parseChoice, parseInteger, parseObject } from "../core/config/parse.js";
import { families } from "../families/index.js";
import type { Family } from "./family.js";

/** Keys of a run config handled here; all other keys belong to the family. */
export const RUN_KEYS = ["family", "replicates", "seed"] as const;

/** A checked run: the family, its checked config, the replicate count and the seed. */
export interface RunConfig<C = unknown> {
  readonly family: Family<C>;
  readonly config: C;
  readonly replicates: number;
  readonly seed: number;
}

/** Default replicate count and seed of a run. */
export const RUN_DEFAULTS = { replicates: 100, seed: 1 } as const;

/**
 * Parses a raw run config: `family` (default "mixture"), `replicates` (integer >= 1), `seed`
 * (integer in [0, 2^53)); the remaining keys are the family's (e.g. scenario, methods).
 * `extraKeys` are keys an outer layer owns (e.g. a sweep) and are ignored here.
 */
export function parseRunConfig(raw: unknown, extraKeys: readonly string[] = []): RunConfig {
  const obj = raw === undefined ? {} : parseObject("config", raw);
  const name = parseChoice("family", obj.family ?? "mixture", Object.keys(families));
  const family = families[name];
  const replicates = parseInteger("replicates", obj.replicates ?? RUN_DEFAULTS.replicates, 1, 1e7);
  const seed = parseInteger("seed", obj.seed ?? RUN_DEFAULTS.seed, 0, Number.MAX_SAFE_INTEGER);
  const rest: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) {
    if (!(RUN_KEYS as readonly string[]).includes(k) && !extraKeys.includes(k)) rest[k] = v;
  }
  try {
    return { family, config: family.parse(rest), replicates, seed };
  } catch (err) {
    if (err instanceof ConfigError && err.allowed.startsWith("unknown key") && !/[.[]/.test(err.field)) {
      throw new ConfigError(err.field, err.value, `${err.allowed}, ${RUN_KEYS.join(", ")}`);
    }
    throw err;
  }
}

/** The run config as plain JSON with every default filled in (for echoing beside results). */
export function describeRun(run: RunConfig): Record<string, unknown> {
  return { family: run.family.name, replicates: run.replicates, seed: run.seed, ...(run.config as object) };
}
