/**
 * A unit of sweep work: replicates [from, to) of one cell. Tasks carry the family's raw config
 * (JSON, so it crosses thread boundaries intact) and where to find the family: a module URL whose
 * `families` export maps family names to Family objects.
 */
import type { JsonValue } from "../core/config/canonicalJson.js";

/** Where a worker finds a family: `(await import(module)).families[name]`. */
export interface FamilySource {
  /** A file: URL (or a specifier resolvable from the worker) of an ES module exporting `families`. */
  readonly module: string;
  readonly name: string;
}

export interface ReplicateTask {
  readonly family: FamilySource;
  /** Raw family config, as the family's parse expects it. */
  readonly config: JsonValue;
  readonly seed: number | string;
  readonly cell: number;
  readonly from: number;
  readonly to: number;
}
