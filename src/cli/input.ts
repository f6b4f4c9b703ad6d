/**
 * Turning command-line input into a raw run config: a JSON config file, then flags on top.
 * Parsing into checked values happens in the experiment layer; this file only assembles JSON.
 */
import { dirname, resolve } from "node:path";
import { ConfigError, RESERVED_KEYS } from "../core/config/parse.js";
import { readConfigFile } from "../runtime/configFile.js";
import { parseFlagValue, parseScalar } from "./argv.js";

export { readConfigFile, parseScalar };

/**
 * Sets obj[a][b][c] = value for the dotted path "a.b.c", creating objects on the way. A segment
 * that is empty or a reserved name (__proto__, constructor, prototype) is a ConfigError on `field`.
 */
export function setPath(obj: Record<string, unknown>, path: string, value: unknown, field = path): void {
  const parts = path.split(".");
  for (const p of parts) {
    if (p === "") throw new ConfigError(field, path, "must be a dotted key such as ssl.m (no empty part)");
    if (RESERVED_KEYS.includes(p)) throw new ConfigError(field, path, `"${p}" is a reserved name, not a config key`);
  }
  let cur = obj;
  for (let i = 0; i < parts.length - 1; i++) {
    const next = cur[parts[i]];
    if (typeof next !== "object" || next === null || Array.isArray(next)) cur[parts[i]] = {};
    cur = cur[parts[i]] as Record<string, unknown>;
  }
  cur[parts[parts.length - 1]] = value;
}

/**
 * A method from a --method flag: comma-separated key=value pairs with dotted keys, e.g.
 * "label=adv,attack=linf,eps=0.3,ssl.m=1000,ssl.eps=0.06". A bare word is a label-only method
 * ("standard").
 */
export function parseMethodFlag(text: string, index: number): Record<string, unknown> {
  const method: Record<string, unknown> = {};
  const field = `--method[${index}]`;
  const parts = text.split(",").map((p) => p.trim());
  if (parts.every((p) => p === "")) throw new ConfigError(field, text, 'is empty: give a label ("standard") or key=value pairs, e.g. "attack=linf,eps=0.3"');
  if (parts.some((p) => p === "")) throw new ConfigError(field, text, "has an empty part between commas");
  if (parts.length === 1 && !parts[0].includes("=")) return { label: parts[0] };
  const seen = new Set<string>();
  for (const part of parts) {
    const eq = part.indexOf("=");
    if (eq <= 0) throw new ConfigError(field, text, 'must be comma-separated key=value pairs, e.g. "attack=linf,eps=0.3"');
    const key = part.slice(0, eq).trim();
    const raw = part.slice(eq + 1).trim();
    if (seen.has(key)) throw new ConfigError(field, text, `gives ${key} twice`);
    seen.add(key);
    setPath(method, key, key === "label" || key === "estimator" || key === "rule" ? raw : parseScalar(raw), `--method[${index}]`);
  }
  return method;
}

/** Flags that override a config file's keys. */
export interface ConfigFlags {
  readonly config?: string;
  readonly replicates?: unknown;
  readonly seed?: unknown;
  readonly sampler?: unknown;
  readonly family?: unknown;
  readonly scenario?: unknown;
  readonly evaluation?: unknown;
  readonly training?: unknown;
  readonly target?: unknown;
  readonly set?: readonly string[];
  readonly method?: readonly string[];
  readonly plugin?: readonly string[];
}

/** The raw run config from a file (if any) with flags on top; --method replaces the methods. */
export function assembleConfig(flags: ConfigFlags, base: Record<string, unknown> = {}): Record<string, unknown> {
  const raw: Record<string, unknown> = { ...base, ...(flags.config === undefined ? {} : readConfigFile(flags.config)) };
  for (const key of ["family", "replicates", "seed", "sampler"] as const) {
    if (flags[key] !== undefined) raw[key] = flags[key];
  }
  for (const key of ["scenario", "evaluation", "training", "target"] as const) {
    const over = flags[key];
    if (over === undefined) continue;
    if (typeof over !== "object" || over === null || Array.isArray(over)) {
      throw new ConfigError(`--${key}`, over, `takes dotted fields, e.g. --${key}.${key === "scenario" ? "d" : "eps"} 100`);
    }
    const prev = raw[key];
    const merged = typeof prev === "object" && prev !== null && !Array.isArray(prev) ? { ...(prev as object) } : {};
    raw[key] = { ...merged, ...(over as object) };
  }
  if (flags.method !== undefined && flags.method.length > 0) raw.methods = flags.method.map(parseMethodFlag);
  (flags.set ?? []).forEach((text, i) => {
    const eq = text.indexOf("=");
    if (eq <= 0) throw new ConfigError(`--set[${i}]`, text, "must be PATH=VALUE, e.g. scenario.d=100");
    setPath(raw, text.slice(0, eq).trim(), parseFlagValue(text.slice(eq + 1).trim()), `--set[${i}]`);
  });
  return raw;
}

/** The directory a config's relative paths (its plugins) are resolved against: the config file's, else the working directory. */
export function configDir(flags: Pick<ConfigFlags, "config">): string {
  return flags.config === undefined ? process.cwd() : dirname(resolve(flags.config));
}

/** The --plugin files (paths relative to the working directory). */
export function pluginFlags(flags: Pick<ConfigFlags, "plugin">): string[] {
  return [...(flags.plugin ?? [])];
}
