/**
 * Command-line values before the config parsers see them. yargs is asked to keep every value as
 * text, and this file turns text into JSON values with one strict grammar: a JSON number (so
 * "0x10" stays text and is refused by the parser, "1e16" is a number, "Infinity" and "NaN" are
 * numbers the parser refuses by name), true/false, comma-separated lists inside dotted config
 * flags (--scenario.diversity 3,2,1), and everything else a string.
 */
import { UsageError } from "./output.js";

const NUMBER = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/;
const SPECIAL = /^[-+]?(?:Infinity|NaN)$/;

/** A scalar from the command line: a number when it is a JSON number (or Infinity, NaN), true/false, else the string. */
export function parseScalar(text: string): unknown {
  const t = text.trim();
  if (t === "true") return true;
  if (t === "false") return false;
  if (NUMBER.test(t) || SPECIAL.test(t)) return Number(t);
  return text;
}

/** A dotted-flag value: a scalar, or a comma-separated list of scalars. */
export function parseFlagValue(value: unknown): unknown {
  if (typeof value === "string") return value.includes(",") ? value.split(",").map((v) => parseScalar(v)) : parseScalar(value);
  if (Array.isArray(value)) return value.map(parseFlagValue);
  if (typeof value === "object" && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = parseFlagValue(v);
    return out;
  }
  return value;
}

/** Options whose values are values, not text, at the top level of a command's flags. */
export const SCALAR_OPTIONS = ["replicates", "seed", "workers", "t", "kappaDelta", "kappa-delta", "delta"] as const;
/** Options holding dotted config fields. */
export const DOTTED_OPTIONS = ["scenario", "evaluation", "training", "target"] as const;
/** Options that may be given once only. */
export const SINGLE_OPTIONS = ["config", "out", "replicates", "seed", "workers", "family", "sampler", "progress", "metrics", "shard", "t", "kappa-delta", "parameter", "values", "delta"] as const;
/** Boolean options (their value may only be true or false). */
export const BOOLEAN_OPTIONS = ["json", "print-config", "per-replicate", "resume", "svg", "fresh"] as const;

/**
 * Rewrites argv so that a value that looks like an option is taken as a value where it is one:
 * `--scenario.d -Infinity` becomes `--scenario.d=-Infinity` (yargs would read -Infinity as the
 * short flags -I -n -f ...). Checks boolean options written with a value (`--json=maybe`).
 * @throws UsageError naming the option.
 */
export function normaliseArgv(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const bool = /^--(?:no-)?([a-z-]+)=(.*)$/.exec(a);
    if (bool !== null && (BOOLEAN_OPTIONS as readonly string[]).includes(bool[1]) && !["true", "false"].includes(bool[2])) {
      throw new UsageError(`--${bool[1]} = ${JSON.stringify(bool[2])}: must be true or false (or the flag alone)`);
    }
    const next = argv[i + 1];
    if (a.startsWith("--") && !a.includes("=") && next !== undefined && /^-(?:Infinity|NaN|inf|infinity)$/i.test(next)) {
      out.push(`${a}=${next}`);
      i++;
      continue;
    }
    out.push(a);
  }
  return out;
}

/** Refuses options given more than once where one value is expected. */
export function checkSingleOptions(args: Record<string, unknown>): void {
  for (const name of SINGLE_OPTIONS) {
    const v = args[name];
    if (Array.isArray(v)) throw new UsageError(`--${name} is given ${v.length} times: give it once`);
  }
}

/** The flags with their text values turned into JSON values (see the file comment). */
export function normaliseFlags(args: Record<string, unknown>): Record<string, unknown> {
  checkSingleOptions(args);
  const out: Record<string, unknown> = { ...args };
  for (const name of SCALAR_OPTIONS) if (typeof out[name] === "string") out[name] = parseScalar(out[name] as string);
  for (const name of DOTTED_OPTIONS) if (out[name] !== undefined) out[name] = parseFlagValue(out[name]);
  return out;
}
