/**
 * Parsing raw JSON configs into checked values (parse, don't validate). Every failure is a
 * ConfigError naming the field (a dotted path such as "scenario.r" or "methods[2].eps"), the
 * value it had and the allowed range, thrown once at the boundary.
 */

/** A bad config value: the field's path, the value and what is allowed. */
export class ConfigError extends Error {
  readonly field: string;
  readonly value: unknown;
  readonly allowed: string;

  constructor(field: string, value: unknown, allowed: string) {
    super(`${field} = ${formatValue(value)}: ${allowed}`);
    this.name = "ConfigError";
    this.field = field;
    this.value = value;
    this.allowed = allowed;
  }
}

/**
 * Whether `e` is a ConfigError, also one thrown by another copy of this module (a plugin that
 * imports the package from elsewhere): an Error named "ConfigError" with a string `field`.
 */
export function isConfigError(e: unknown): e is ConfigError {
  return e instanceof ConfigError || (e instanceof Error && e.name === "ConfigError" && typeof (e as { field?: unknown }).field === "string");
}

/** A short printable form of a raw config value. */
export function formatValue(value: unknown): string {
  if (value === undefined) return "(missing)";
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number") return String(value);
  try {
    const s = JSON.stringify(value);
    return s.length > 60 ? `${s.slice(0, 57)}...` : s;
  } catch {
    return String(value);
  }
}

/** Keys no config object may have: they would reach an object's prototype when written. */
export const RESERVED_KEYS: readonly string[] = ["__proto__", "constructor", "prototype"];

/**
 * A plain JSON object (not an array, not null), else a ConfigError. Two rules hold for every
 * config object of every family, so they are checked here: a key may not be one of
 * RESERVED_KEYS (they would reach an object prototype), and null is never a value (a key whose
 * value is null is an error; omit the key to get its default).
 */
export function parseObject(field: string, value: unknown): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new ConfigError(field, value, "must be an object");
  }
  for (const [key, v] of Object.entries(value)) {
    const path = field === "" || field === "config" || field === "(config)" ? key : `${field}.${key}`;
    if (RESERVED_KEYS.includes(key)) throw new ConfigError(path, v, `"${key}" is a reserved name, not a config key`);
    if (v === null) throw new ConfigError(path, null, "null is not a value: omit the key to use its default");
  }
  return value as Record<string, unknown>;
}

/** Rejects keys of `obj` not in `allowed` (a typo must not be silently ignored). */
export function rejectUnknownKeys(field: string, obj: Record<string, unknown>, allowed: readonly string[]): void {
  for (const key of Object.keys(obj)) {
    if (!allowed.includes(key)) {
      const path = field === "" ? key : `${field}.${key}`;
      throw new ConfigError(path, obj[key], `unknown key; allowed keys: ${allowed.join(", ")}`);
    }
  }
}

/** A finite number in [min, max] (bounds optional; `open` makes them exclusive). */
export function parseNumber(
  field: string,
  value: unknown,
  range: { min?: number; max?: number; minOpen?: boolean; maxOpen?: boolean } = {},
): number {
  const { min = -Infinity, max = Infinity, minOpen = false, maxOpen = false } = range;
  const describe = () => describeRange("a number", min, max, minOpen, maxOpen);
  if (typeof value !== "number" || !Number.isFinite(value)) throw new ConfigError(field, value, `must be ${describe()}`);
  if (value < min || value > max || (minOpen && value === min) || (maxOpen && value === max)) {
    throw new ConfigError(field, value, `must be ${describe()}`);
  }
  return value;
}

/**
 * An integer in [min, max]. `names` labels a bound that comes from another field, so the message
 * says where it comes from: parseInteger("scenario.r", 21, 1, 20, { max: "s" }) fails with
 * "must be an integer in [1, s = 20]".
 */
export function parseInteger(field: string, value: unknown, min = -Infinity, max = Infinity, names: { readonly min?: string; readonly max?: string } = {}): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(field, value, `must be ${describeRange("an integer", min, max, false, false, names)}`);
  }
  return value;
}

/** One of a fixed set of strings. */
export function parseChoice<T extends string>(field: string, value: unknown, choices: readonly T[]): T {
  if (typeof value !== "string" || !(choices as readonly string[]).includes(value)) {
    throw new ConfigError(field, value, `must be one of ${choices.map((c) => JSON.stringify(c)).join(", ")}`);
  }
  return value as T;
}

/** A string (non-empty). */
export function parseString(field: string, value: unknown): string {
  if (typeof value !== "string" || value.length === 0) throw new ConfigError(field, value, "must be a non-empty string");
  return value;
}

/** A boolean. */
export function parseBoolean(field: string, value: unknown): boolean {
  if (typeof value !== "boolean") throw new ConfigError(field, value, "must be true or false");
  return value;
}

/** An array, else a ConfigError. */
export function parseArray(field: string, value: unknown, minLength = 0): unknown[] {
  if (!Array.isArray(value) || value.length < minLength) {
    throw new ConfigError(field, value, minLength > 0 ? `must be an array of at least ${minLength} element(s)` : "must be an array");
  }
  return value;
}

function describeRange(kind: string, min: number, max: number, minOpen: boolean, maxOpen: boolean, names: { readonly min?: string; readonly max?: string } = {}): string {
  const lo = Number.isFinite(min);
  const hi = Number.isFinite(max);
  const a = names.min === undefined ? `${min}` : `${names.min} = ${min}`;
  const b = names.max === undefined ? `${max}` : `${names.max} = ${max}`;
  if (lo && hi) return `${kind} in ${minOpen ? "(" : "["}${a}, ${b}${maxOpen ? ")" : "]"}`;
  if (lo) return `${kind} ${minOpen ? ">" : ">="} ${a}`;
  if (hi) return `${kind} ${maxOpen ? "<" : "<="} ${b}`;
  return `a finite ${kind.replace(/^an? /, "")}`;
}

/**
 * Arguments of library functions (theory, kernels) are checked with these: the same ranges and
 * messages as the parsers, but a bad value is a programming error, a RangeError, not bad input.
 */
function asRangeError<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof ConfigError) throw new RangeError(e.message);
    throw e;
  }
}

/** `parseNumber` for function arguments: a RangeError instead of a ConfigError. */
export function requireNumber(name: string, value: unknown, range: { min?: number; max?: number; minOpen?: boolean; maxOpen?: boolean } = {}): number {
  return asRangeError(() => parseNumber(name, value, range));
}

/** `parseInteger` for function arguments: a RangeError instead of a ConfigError. */
export function requireInteger(name: string, value: unknown, min = -Infinity, max = Infinity): number {
  return asRangeError(() => parseInteger(name, value, min, max));
}

/** `parseChoice` for function arguments: a RangeError instead of a ConfigError. */
export function requireChoice<T extends string>(name: string, value: unknown, choices: readonly T[]): T {
  return asRangeError(() => parseChoice(name, value, choices));
}
