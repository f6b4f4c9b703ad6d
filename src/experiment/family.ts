/**
 * The contract between model families and the experiment layer. A family turns a checked config
 * into per-replicate outcomes; runs, sweeps, aggregation and reports treat every family alike.
 */
import type { Rng } from "../core/random/rng.js";

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

/**
 * A model family: a parser from raw JSON to its checked config, and a replicate function that is
 * a pure function of (config, rng). Replicate k is always called with replicateRng(seed, k).
 */
export interface Family<C> {
  readonly name: string;
  /** Parse, don't validate: raw JSON (already merged with defaults by the caller) -> checked config. Throws ConfigError. */
  parse(raw: unknown): C;
  /** The method labels a config will produce, in order. */
  methodLabels(config: C): string[];
  /** Run every method of the config on one freshly drawn replicate. */
  runReplicate(config: C, rng: Rng): MethodOutcome[];
}
