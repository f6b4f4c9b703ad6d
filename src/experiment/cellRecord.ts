/**
 * Cell records: everything a finished grid cell produced, in a self-describing JSON form (one line
 * of a sweep's results file). A record holds every replicate's value of every metric, so the
 * aggregates can be recomputed exactly from it, and the cell's parameters and the sweep's config
 * hash, so a line can be checked against the sweep it claims to belong to.
 */
import type { JsonValue } from "../core/config/canonicalJson.js";
import { canonicalJson } from "../core/config/canonicalJson.js";
import type { ReplicateResult } from "./family.js";

/** The format tag of a cell record; bump the version when the shape changes. */
export const CELL_RECORD_FORMAT = "advtransfer-sweep-cell/1";

/** One method's outcomes over a cell's replicates. */
export interface MethodRecord {
  readonly method: string;
  /** Replicates in which the method reported ok = false, with the reason, by increasing replicate. */
  readonly failures: readonly { readonly replicate: number; readonly reason: string }[];
  /**
   * Metric -> one entry per replicate (index = replicate), null where that replicate did not
   * report the metric. Metrics appear in the order they are first met scanning replicates in order.
   */
  readonly metrics: { readonly [metric: string]: readonly (number | null)[] };
}

/** What identifies a cell, apart from its outcomes. */
export interface CellIdentity {
  /** Hash of the sweep definition (base config, axes, seed, replicates) the cell belongs to. */
  readonly configHash: string;
  /** Fingerprint of the program that computed the cell (see report/codeFingerprint.ts). */
  readonly code: string;
  readonly family: string;
  readonly seed: number | string;
  /** Cell index in the sweep's row-major order, and the number of cells. */
  readonly cell: number;
  readonly cells: number;
  /** Axis name -> axis value. */
  readonly point: { readonly [axis: string]: JsonValue };
  /** Every parameter path written in this cell -> value. */
  readonly params: { readonly [path: string]: JsonValue };
}

/** A finished cell: its identity, its replicate count and its outcomes per method. */
export interface CellRecord extends CellIdentity {
  readonly format: typeof CELL_RECORD_FORMAT;
  readonly replicates: number;
  /** In the family's method order. */
  readonly methods: readonly MethodRecord[];
}


/**
 * Builds the record of a cell from its replicate results, which must be replicates 0..R-1 in any
 * order, each with one outcome per label of `methodLabels`. Throws an Error (a bug in a family, not
 * bad input) on a missing or repeated replicate, an unknown or repeated method, or a non-finite
 * metric: the Family contract allows finite metrics only, and JSON would silently turn NaN into null.
 */
export function buildCellRecord(
  identity: CellIdentity,
  methodLabels: readonly string[],
  results: readonly ReplicateResult[],
): CellRecord {
  const R = results.length;
  const byReplicate = new Array<ReplicateResult | undefined>(R);
  for (const r of results) {
    if (!Number.isInteger(r.replicate) || r.replicate < 0 || r.replicate >= R) {
      throw new Error(`cell ${identity.cell}: replicate index ${r.replicate} outside [0, ${R})`);
    }
    if (byReplicate[r.replicate] !== undefined) throw new Error(`cell ${identity.cell}: replicate ${r.replicate} appears twice`);
    byReplicate[r.replicate] = r;
  }
  const methodIndex = new Map(methodLabels.map((m, i) => [m, i]));
  if (methodIndex.size !== methodLabels.length) throw new Error(`cell ${identity.cell}: method labels are not unique: ${methodLabels.join(", ")}`);
  const failures = methodLabels.map(() => [] as { replicate: number; reason: string }[]);
  const metrics = methodLabels.map(() => new Map<string, (number | null)[]>());
  for (let k = 0; k < R; k++) {
    const rep = byReplicate[k]!;
    const seen = new Set<string>();
    for (const o of rep.outcomes) {
      const mi = methodIndex.get(o.method);
      if (mi === undefined) throw new Error(`cell ${identity.cell}, replicate ${k}: unknown method "${o.method}"; expected ${methodLabels.join(", ")}`);
      if (seen.has(o.method)) throw new Error(`cell ${identity.cell}, replicate ${k}: method "${o.method}" reported twice`);
      seen.add(o.method);
      if (!o.ok) failures[mi].push({ replicate: k, reason: o.reason ?? "(no reason given)" });
      for (const [name, value] of Object.entries(o.metrics)) {
        if (typeof value !== "number" || !Number.isFinite(value)) {
          throw new Error(`cell ${identity.cell}, replicate ${k}, method "${o.method}": metric ${name} = ${value} is not a finite number`);
        }
        let column = metrics[mi].get(name);
        if (column === undefined) {
          column = new Array<number | null>(R).fill(null);
          metrics[mi].set(name, column);
        }
        column[k] = value;
      }
    }
    if (seen.size !== methodLabels.length) {
      const missing = methodLabels.filter((m) => !seen.has(m));
      throw new Error(`cell ${identity.cell}, replicate ${k}: no outcome for method(s) ${missing.join(", ")}`);
    }
  }
  return {
    format: CELL_RECORD_FORMAT,
    configHash: identity.configHash,
    code: identity.code,
    family: identity.family,
    seed: identity.seed,
    cell: identity.cell,
    cells: identity.cells,
    point: identity.point,
    params: identity.params,
    replicates: R,
    methods: methodLabels.map((method, i) => ({
      method,
      failures: failures[i],
      metrics: Object.fromEntries(metrics[i]),
    })),
  };
}

/** A record that does not have the cell-record shape; `path` locates the offending field. */
export class CellRecordShapeError extends Error {
  readonly path: string;
  constructor(path: string, message: string) {
    super(`${path}: ${message}`);
    this.name = "CellRecordShapeError";
    this.path = path;
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * Checks that a parsed JSON value is a cell record (parse, don't validate) and returns it typed.
 * Throws CellRecordShapeError naming the first field that is missing or wrong.
 */
export function parseCellRecord(value: unknown): CellRecord {
  const fail = (path: string, msg: string): never => {
    throw new CellRecordShapeError(path, msg);
  };
  if (!isObject(value)) fail("(line)", "must be a JSON object");
  const v = value as Record<string, unknown>;
  if (v.format !== CELL_RECORD_FORMAT) fail("format", `must be "${CELL_RECORD_FORMAT}", got ${JSON.stringify(v.format)}`);
  if (typeof v.configHash !== "string" || v.configHash.length === 0) fail("configHash", "must be a non-empty string");
  if (typeof v.code !== "string" || v.code.length === 0) fail("code", "must be a non-empty string");
  if (typeof v.family !== "string") fail("family", "must be a string");
  if (typeof v.seed !== "number" && typeof v.seed !== "string") fail("seed", "must be a number or a string");
  if (!Number.isInteger(v.cells) || (v.cells as number) < 1) fail("cells", "must be a positive integer");
  if (!Number.isInteger(v.cell) || (v.cell as number) < 0 || (v.cell as number) >= (v.cells as number)) fail("cell", "must be an integer in [0, cells)");
  if (!isObject(v.point)) fail("point", "must be an object");
  if (!isObject(v.params)) fail("params", "must be an object");
  if (!Number.isInteger(v.replicates) || (v.replicates as number) < 1) fail("replicates", "must be a positive integer");
  const R = v.replicates as number;
  if (!Array.isArray(v.methods) || v.methods.length === 0) fail("methods", "must be a non-empty array");
  const labels = new Set<string>();
  (v.methods as unknown[]).forEach((m, i) => {
    const p = `methods[${i}]`;
    if (!isObject(m)) fail(p, "must be an object");
    const mo = m as Record<string, unknown>;
    if (typeof mo.method !== "string") fail(`${p}.method`, "must be a string");
    if (labels.has(mo.method as string)) fail(`${p}.method`, `repeats method "${mo.method}"`);
    labels.add(mo.method as string);
    if (!Array.isArray(mo.failures)) fail(`${p}.failures`, "must be an array");
    (mo.failures as unknown[]).forEach((f, j) => {
      if (!isObject(f) || !Number.isInteger(f.replicate) || (f.replicate as number) < 0 || (f.replicate as number) >= R || typeof f.reason !== "string") {
        fail(`${p}.failures[${j}]`, "must be {replicate: integer in [0, replicates), reason: string}");
      }
    });
    if (!isObject(mo.metrics)) fail(`${p}.metrics`, "must be an object");
    for (const [name, col] of Object.entries(mo.metrics as Record<string, unknown>)) {
      if (!Array.isArray(col) || col.length !== R) fail(`${p}.metrics.${name}`, `must be an array of ${R} entries (one per replicate)`);
      (col as unknown[]).forEach((x, k) => {
        if (x !== null && (typeof x !== "number" || !Number.isFinite(x))) fail(`${p}.metrics.${name}[${k}]`, "must be a finite number or null");
      });
    }
  });
  return value as CellRecord;
}

/** Whether two records hold the same cell with the same outcomes (canonical JSON equality). */
export function sameRecord(a: CellRecord, b: CellRecord): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

/**
 * A method's per-replicate values of a metric in a record (null where a replicate did not report
 * it), or null when the method or the metric is absent.
 */
export function metricColumn(record: CellRecord, method: string, metric: string): readonly (number | null)[] | null {
  const m = record.methods.find((x) => x.method === method);
  return m?.metrics[metric] ?? null;
}

/**
 * The first `replicates` replicates of a record (replicate k depends on (seed, k) only, so this
 * is the record a run with that many replicates gives).
 * @throws RangeError when the record has fewer.
 */
export function truncateRecord(record: CellRecord, replicates: number): CellRecord {
  if (!(Number.isInteger(replicates) && replicates >= 1 && replicates <= record.replicates)) {
    throw new RangeError(`truncateRecord: cannot keep ${replicates} of ${record.replicates} replicates`);
  }
  if (replicates === record.replicates) return record;
  return {
    ...record,
    replicates,
    methods: record.methods.map((m) => {
      const metrics: { [metric: string]: (number | null)[] } = {};
      for (const [name, column] of Object.entries(m.metrics)) {
        const kept = column.slice(0, replicates);
        if (kept.some((x) => x !== null)) metrics[name] = kept;
      }
      return { method: m.method, failures: m.failures.filter((f) => f.replicate < replicates), metrics };
    }),
  };
}

/**
 * The replicate results a record was built from (buildCellRecord of them gives the record back,
 * metric order included), so a record can be extended with more replicates.
 */
export function recordReplicates(record: CellRecord): ReplicateResult[] {
  const out: ReplicateResult[] = [];
  for (let k = 0; k < record.replicates; k++) {
    out.push({
      replicate: k,
      outcomes: record.methods.map((m) => {
        const failure = m.failures.find((f) => f.replicate === k);
        const metrics: Record<string, number> = {};
        for (const [name, column] of Object.entries(m.metrics)) {
          const v = column[k];
          if (v !== null) metrics[name] = v;
        }
        return failure === undefined ? { method: m.method, ok: true, metrics } : { method: m.method, ok: false, reason: failure.reason, metrics };
      }),
    });
  }
  return out;
}

/** Whether `longer` extends `shorter`: the same cell, and its first shorter.replicates replicates are shorter's. */
export function extendsRecord(longer: CellRecord, shorter: CellRecord): boolean {
  return longer.replicates >= shorter.replicates && sameRecord(truncateRecord(longer, shorter.replicates), shorter);
}
