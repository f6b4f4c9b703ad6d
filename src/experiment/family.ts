/**
 * The Family contract: what a model family gives the generic machinery. A family turns a raw
 * JSON config into a checked config, echoes it back as JSON, and runs every method of a config
 * on one replicate drawn from a random stream; runs, sweeps, aggregation and reports treat all
 * families alike. A new family is one folder under families/ and one line in families/index.ts
 * (docs/ARCHITECTURE.md, "How to add a family").
 */
import type { JsonValue } from "../core/config/canonicalJson.js";
import type { Rng } from "../core/random/rng.js";
import type { Estimator } from "./estimator.js";
import type { RatesSupport } from "./rates.js";
import type { Named, NamedRegistry } from "./registry.js";

/** What one method measured in one replicate. */
export interface MethodOutcome {
  /** The method's label, unique within a run. */
  readonly method: string;
  /** False when the method could not produce a predictor (e.g. fewer than r tasks kept). */
  readonly ok: boolean;
  /** Why it failed, when ok is false. */
  readonly reason?: string;
  /** Metric name -> value; finite numbers only. Metrics of a failed method may be partial. */
  readonly metrics: Readonly<Record<string, number>>;
}

/** The outcomes of all methods in replicate `replicate`. */
export interface ReplicateResult {
  readonly replicate: number;
  readonly outcomes: readonly MethodOutcome[];
}

/** A JSON object. */
export type JsonObject = { [key: string]: JsonValue };

/** How a family's metrics are named and shown. */
export interface FamilyMetrics {
  /** Every metric the family's replicates can report (bound-check metrics aside); summaries add "failed". */
  readonly names: readonly string[];
  /** Columns of the text table of `run`, in order (metrics a run lacks are skipped). */
  readonly table: readonly string[];
  /** Display names for figures and tables (metric -> label); missing ones print as the name. */
  readonly labels: Readonly<Record<string, string>>;
}

/** What one replicate needs, for the runtime to refuse a config that cannot fit before any work. */
export interface ResourceEstimate {
  /** Bytes of memory one replicate holds at its peak (per worker thread). */
  readonly bytes: number;
  /** The config field that drives it (named in the refusal) and its value. */
  readonly field: string;
  readonly value: JsonValue;
  /** How the estimate is made, e.g. "6 d T doubles". */
  readonly formula: string;
}

/** Bound checks a family can add to its replicates (MODEL §6; experiment/boundChecks.ts). */
export interface BoundsSupport {
  /** The default options (e.g. { t: 2.5, kappaDelta: 0.05 }). */
  readonly defaults: JsonObject;
  /** Display names of events and mean bounds in the notes of the bounds table (e.g. E0). */
  readonly descriptions: Readonly<Record<string, string>>;
  /**
   * The raw family config with bound checks switched on with `options` (raw JSON; the family's
   * parser checks them). The replicate then also reports the bound-check metrics.
   */
  enable(raw: JsonObject, options: JsonObject): JsonObject;
  /**
   * The raw family config with its limits switched on (predictions beside the measurements, as
   * `limit.<quantity>.<L>` metrics), for families that have them (MODEL §8).
   */
  enableLimits?(raw: JsonObject): JsonObject;
  /** Lines printed under the bounds table for a parsed config (e.g. which methods have no bound, and why). */
  notes?(config: unknown): string[];
}

/**
 * A model family. `runReplicate` must be a pure function of (config, rng): replicate k is always
 * called with replicateRng(seed, k), in any thread, in any order.
 */
export interface Family<C = any> extends Named {
  readonly name: string;
  /** One line for help texts. */
  readonly description: string;
  /** The keys of a family config (besides the run keys family, replicates, seed, plugins). */
  readonly configKeys: readonly string[];
  /** Parse, don't validate: raw JSON -> checked config (defaults filled in). Throws ConfigError naming the field. */
  parse(raw: unknown): C;
  /** The checked config as raw JSON with every default written out; parse(echo(c)) gives c again. */
  echo(config: C): JsonObject;
  /** The method labels a config will report, in order. */
  methodLabels(config: C): string[];
  /** Runs every method of the config on one freshly drawn replicate. */
  runReplicate(config: C, rng: Rng): MethodOutcome[];
  /**
   * Every metric a replicate of `config` may report, by method label (a superset of what any
   * replicate reports), so that a sweep's `plot` section is checked before any work. Optional:
   * without it the plot's metrics are checked when the figures are drawn.
   */
  metricNames?(config: C): Readonly<Record<string, readonly string[]>>;
  readonly metrics: FamilyMetrics;
  /** The family's demonstration: a raw run config (with "family"). */
  demo(): JsonObject;
  /** A small, fast raw family config that exercises the family (conformance tests, smoke runs). */
  smallConfig(): JsonObject;
  /** The family's estimators (a method's "estimator" key names one). */
  readonly estimators: NamedRegistry<Estimator>;
  /** Other registries users can extend (e.g. the mixture family's "perTaskRules"). */
  readonly extensions: Readonly<Record<string, NamedRegistry<Named>>>;
  /** The memory one replicate of `config` needs (the runtime checks it against the machine). */
  resources?(config: C): ResourceEstimate;
  /** Bound checks, for families whose theory has them. */
  readonly bounds?: BoundsSupport;
  /** Log-log rate checks of measurements against bounds (needs `bounds`). */
  readonly rates?: RatesSupport;
  /**
   * What the theory says about the best value of a parameter `advtransfer tune` searches (e.g. a
   * training radius): named values in the units of `param`, for the config (of one cell) and the
   * method whose metric is tuned. Empty when the theory says nothing about that parameter.
   */
  readonly tuning?: { theoryValues(config: C, param: string, method: string): { readonly name: string; readonly value: number }[] };
}
