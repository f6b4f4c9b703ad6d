/**
 * Sweep specifications and grid expansion. A sweep config is a run config plus a `sweep` key that
 * names the parameters to vary and their values; the grid is the Cartesian product of the axes,
 * and every grid cell is the run config with that cell's values written in.
 *
 * Syntax (both forms are accepted):
 *
 *     "sweep": { "scenario.m": [0, 200, 1000], "methods.linf.eps": [0, 0.1, 0.2] }
 *
 *     "sweep": [
 *       { "param": "scenario.s", "values": [20, 500], "label": "support size s" },
 *       { "param": ["methods.linf.eps", "methods.l2.eps"], "values": [0, 0.1, 0.2], "name": "eps" },
 *       { "param": "scenario.m", "values": [0, 200, 1000],
 *         "with": { "methods.ssl-adv.ssl.eps": [0.3, 0.2, 0.1] } }
 *     ]
 *
 * A parameter path is dot-separated: `scenario.m`, `methods.linf.eps`, `methods.linf.ssl.m`.
 * Where the config holds an array (such as `methods`), a segment selects the element whose
 * `label` equals it, or the element at that index when the segment is a non-negative integer;
 * a label containing dots is written in brackets: `methods[eps=0.1].eps`. Every path of an axis's
 * `param` list takes the axis value; each `with` path takes the value at the same position
 * (parameters that move together, such as a student's radius chosen for n + m samples).
 * Cells are numbered in row-major order: the first axis varies slowest.
 */
import { ConfigError, RESERVED_KEYS, formatValue, parseArray, parseObject, parseString, rejectUnknownKeys } from "../core/config/parse.js";
import { canonicalJson, type JsonValue } from "../core/config/canonicalJson.js";
import { isReservedColumn } from "./cellSummary.js";

/** Keys of a sweep config that belong to the sweep, not to the run config of each cell. */
export const SWEEP_KEYS = ["sweep", "plot", "baseline", "tune"] as const;

/** Largest grid accepted (a guard against a misplaced extra axis). */
export const MAX_CELLS = 1_000_000;

/** A parameter written with a co-varying value list. */
export interface LinkedParam {
  readonly path: string;
  /** values[i] goes with the axis's i-th value. */
  readonly values: readonly JsonValue[];
}

/** One dimension of a sweep grid. */
export interface SweepAxis {
  /** Unique short name: a column of the tables and the key of a cell's point. */
  readonly name: string;
  /** Human title for figures (defaults to the name). */
  readonly label: string;
  /** Parameter paths that all take the axis value. */
  readonly params: readonly string[];
  /** The axis values, distinct, in the given order. */
  readonly values: readonly JsonValue[];
  /** Parameters that move with the axis. */
  readonly linked: readonly LinkedParam[];
  /** Where the axis was defined in the config (for error messages), e.g. "sweep[1]". */
  readonly field: string;
  /** Where each of `params` was written in the config, e.g. "sweep[1].param[0]". */
  readonly paramFields: readonly string[];
}

/** A checked sweep: the run config shared by all cells, and the axes. */
export interface SweepSpec {
  /** The sweep config without its `sweep` and `plot` keys. */
  readonly base: { readonly [key: string]: JsonValue };
  readonly axes: readonly SweepAxis[];
  /** The raw `plot` section (parsed by the report layer), or undefined. */
  readonly plot: unknown;
  /** The label of the method every other is compared with, pairwise (`"baseline"`), or null. */
  readonly baseline: string | null;
  /** The raw `tune` section (parsed by experiment/tune.ts for `advtransfer tune`), or undefined. */
  readonly tune?: unknown;
}

/** One grid cell. */
export interface SweepCell {
  /** Position in row-major order, 0 <= index < cellCount. */
  readonly index: number;
  /** Axis name -> axis value. */
  readonly point: { readonly [axis: string]: JsonValue };
  /** Every parameter path written in this cell -> its value (axis params and linked params). */
  readonly params: { readonly [path: string]: JsonValue };
  /** The run config of this cell: `base` with `params` written in. */
  readonly config: { [key: string]: JsonValue };
}

/**
 * Splits a parameter path into segments: `a.b[c.d].e` -> ["a", "b", "c.d", "e"]. Throws a
 * ConfigError (field `field`) on an empty segment or an unbalanced bracket.
 */
export function parseParamPath(path: string, field: string): string[] {
  const segments: string[] = [];
  let i = 0;
  const bad = (why: string) => new ConfigError(field, path, `must be a dotted parameter path such as "scenario.m" or "methods.linf.eps" (${why})`);
  if (path.length === 0) throw bad("empty");
  while (i < path.length) {
    let segment: string;
    if (path[i] === "[") {
      const close = path.indexOf("]", i + 1);
      if (close < 0) throw bad("unclosed '['");
      segment = path.slice(i + 1, close);
      i = close + 1;
    } else {
      let j = i;
      while (j < path.length && path[j] !== "." && path[j] !== "[") {
        if (path[j] === "]") throw bad("unopened ']'");
        j++;
      }
      segment = path.slice(i, j);
      i = j;
    }
    if (segment.length === 0) throw bad("empty segment");
    if (RESERVED_KEYS.includes(segment)) throw bad(`"${segment}" is a reserved name`);
    segments.push(segment);
    if (i < path.length) {
      if (path[i] === ".") {
        i++;
        if (i === path.length) throw bad("trailing '.'");
      } else if (path[i] !== "[") {
        throw bad(`unexpected '${path[i]}'`);
      }
    }
  }
  return segments;
}

function isPlainObject(v: unknown): v is { [key: string]: JsonValue } {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * Writes `value` at `path` inside `config` (mutating it). Missing object keys along the way are
 * created (the family's parser fills defaults and rejects unknown keys); an array element is
 * selected by its `label` or by an index and must exist. Errors are ConfigErrors on `field`.
 */
export function setParam(config: { [key: string]: JsonValue }, path: string, value: JsonValue, field: string): void {
  const segments = parseParamPath(path, field);
  let node: JsonValue = config;
  for (let k = 0; k < segments.length; k++) {
    const seg = segments[k];
    const last = k === segments.length - 1;
    const where = segments.slice(0, k).join(".") || "(config root)";
    if (Array.isArray(node)) {
      const arr: JsonValue[] = node;
      let idx = arr.findIndex((el) => isPlainObject(el) && el.label === seg);
      if (idx < 0 && /^\d+$/.test(seg)) idx = Number(seg) < arr.length ? Number(seg) : -1;
      if (idx < 0) {
        const labels = arr.filter(isPlainObject).map((el) => el.label).filter((l) => typeof l === "string");
        throw new ConfigError(field, path, `"${where}" has no element labelled ${JSON.stringify(seg)}; labels: ${labels.map((l) => JSON.stringify(l)).join(", ") || "(none)"}, or an index below ${arr.length}`);
      }
      if (last) arr[idx] = value;
      else node = arr[idx];
    } else if (isPlainObject(node)) {
      const obj: { [key: string]: JsonValue } = node;
      if (last) obj[seg] = value;
      else {
        if (obj[seg] === undefined) obj[seg] = {};
        node = obj[seg];
      }
    } else {
      throw new ConfigError(field, path, `"${where}" is ${formatValue(node)}, not an object or array, so it has no field ${JSON.stringify(seg)}`);
    }
  }
}

function parseValues(field: string, raw: unknown): JsonValue[] {
  const values = parseArray(field, raw, 1) as JsonValue[];
  const seen = new Map<string, number>();
  values.forEach((v, i) => {
    let key: string;
    try {
      key = canonicalJson(v);
    } catch {
      throw new ConfigError(`${field}[${i}]`, v, "must be a JSON value (finite numbers only)");
    }
    const prev = seen.get(key);
    if (prev !== undefined) throw new ConfigError(`${field}[${i}]`, v, `repeats ${field}[${prev}]; axis values must be distinct`);
    seen.set(key, i);
  });
  return values;
}

function parseAxis(field: string, raw: unknown): SweepAxis {
  const obj = parseObject(field, raw);
  rejectUnknownKeys(field, obj, ["param", "values", "name", "label", "with"]);
  const paramsRaw = typeof obj.param === "string" ? [obj.param] : parseArray(`${field}.param`, obj.param, 1);
  const paramFields = paramsRaw.map((_, i) => (typeof obj.param === "string" ? `${field}.param` : `${field}.param[${i}]`));
  const params = paramsRaw.map((p, i) => {
    const path = parseString(paramFields[i], p);
    parseParamPath(path, paramFields[i]);
    return path;
  });
  const values = parseValues(`${field}.values`, obj.values);
  const linked: LinkedParam[] = [];
  if (obj.with !== undefined) {
    const w = parseObject(`${field}.with`, obj.with);
    for (const [path, vs] of Object.entries(w)) {
      const f = `${field}.with.${path}`;
      parseParamPath(path, f);
      const arr = parseArray(f, vs) as JsonValue[];
      if (arr.length !== values.length) throw new ConfigError(f, vs, `must be an array of ${values.length} value(s), one per axis value`);
      arr.forEach((v, i) => {
        try {
          canonicalJson(v);
        } catch {
          throw new ConfigError(`${f}[${i}]`, v, "must be a JSON value (finite numbers only)");
        }
      });
      linked.push({ path, values: arr });
    }
  }
  const name = obj.name === undefined ? params[0] : parseString(`${field}.name`, obj.name);
  const label = obj.label === undefined ? name : parseString(`${field}.label`, obj.label);
  return { name, label, params, values, linked, field, paramFields };
}

/**
 * Parses a sweep config (parse, don't validate): everything except `sweep` and `plot` is the base
 * run config; `sweep` is an object {path: values} or an array of axis objects (see the file
 * comment); a config without `sweep` is a one-cell sweep. Axis names must be distinct and no
 * parameter may be written by two axes. Every path is checked against the base by writing the
 * first cell, so a typo in a method label fails here.
 */
export function parseSweepConfig(raw: unknown): SweepSpec {
  const obj = parseObject("(config)", raw);
  const base: { [key: string]: JsonValue } = {};
  for (const [k, v] of Object.entries(obj)) {
    if (!(SWEEP_KEYS as readonly string[]).includes(k)) base[k] = v as JsonValue;
  }
  let axes: SweepAxis[] = [];
  if (obj.sweep !== undefined) {
    if (Array.isArray(obj.sweep)) {
      axes = obj.sweep.map((a, i) => parseAxis(`sweep[${i}]`, a));
    } else {
      const short = parseObject("sweep", obj.sweep);
      axes = Object.entries(short).map(([path, values]) => {
        const field = `sweep.${path}`;
        parseParamPath(path, field);
        return { name: path, label: path, params: [path], values: parseValues(field, values), linked: [], field, paramFields: [field] };
      });
    }
  }
  const names = new Set<string>();
  const paths = new Map<string, string>();
  axes.forEach((axis) => {
    const field = axis.field;
    if (names.has(axis.name)) throw new ConfigError(`${field}.name`, axis.name, "axis names must be distinct");
    if (isReservedColumn(axis.name)) {
      const where = field.startsWith("sweep[") ? `${field}.name` : field;
      throw new ConfigError(where, axis.name, `names a column of the summary tables (cell, method, metric, replicates, n, failures, mean, sd, se, q05..q95, baseline, difference, differenceSe, ratio, ratioSe, clear); give the axis another "name", e.g. ${JSON.stringify(`${axis.name.split(".").pop()}Axis`)}`);
    }
    names.add(axis.name);
    for (const p of [...axis.params, ...axis.linked.map((l) => l.path)]) {
      const canonical = parseParamPath(p, field).join("\u0000");
      const owner = paths.get(canonical);
      if (owner !== undefined) throw new ConfigError(field, p, `is already set by ${owner}; each parameter may be swept by one axis only`);
      paths.set(canonical, field);
    }
  });
  const baseline = obj.baseline === undefined ? null : parseString("baseline", obj.baseline);
  const spec: SweepSpec = { base, axes, plot: obj.plot, baseline, tune: obj.tune };
  const total = cellCount(spec);
  if (total > MAX_CELLS) throw new ConfigError("sweep", `${total} cells`, `the grid may have at most ${MAX_CELLS} cells`);
  cellAt(spec, 0);
  return spec;
}

/** Number of grid cells: the product of the axis lengths (1 for a sweep without axes). */
export function cellCount(spec: SweepSpec): number {
  return spec.axes.reduce((n, a) => n * a.values.length, 1);
}

/**
 * The axis-value positions of cell `index` in row-major order (first axis slowest):
 * index = sum_k pos_k * prod_{j > k} len_j.
 */
export function cellPositions(spec: SweepSpec, index: number): number[] {
  const pos = new Array<number>(spec.axes.length);
  let rest = index;
  for (let k = spec.axes.length - 1; k >= 0; k--) {
    const len = spec.axes[k].values.length;
    pos[k] = rest % len;
    rest = Math.floor(rest / len);
  }
  return pos;
}

/** Grid cell `index` (0 <= index < cellCount(spec)), with its config built from a copy of the base. */
export function cellAt(spec: SweepSpec, index: number): SweepCell {
  const total = cellCount(spec);
  if (!Number.isInteger(index) || index < 0 || index >= total) throw new RangeError(`cellAt: index ${index} outside [0, ${total})`);
  const pos = cellPositions(spec, index);
  const config = structuredClone(spec.base) as { [key: string]: JsonValue };
  const point: { [axis: string]: JsonValue } = {};
  const params: { [path: string]: JsonValue } = {};
  spec.axes.forEach((axis, k) => {
    const v = axis.values[pos[k]];
    point[axis.name] = v;
    axis.params.forEach((p, j) => {
      setParam(config, p, structuredClone(v), axis.paramFields[j]);
      params[p] = v;
    });
    for (const l of axis.linked) {
      setParam(config, l.path, structuredClone(l.values[pos[k]]), `${axis.field}.with.${l.path}`);
      params[l.path] = l.values[pos[k]];
    }
  });
  return { index, point, params, config };
}

/** All grid cells in row-major order. */
export function expandGrid(spec: SweepSpec): SweepCell[] {
  const total = cellCount(spec);
  const cells: SweepCell[] = [];
  for (let i = 0; i < total; i++) cells.push(cellAt(spec, i));
  return cells;
}
