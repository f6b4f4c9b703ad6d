/**
 * The regression family's estimators (MODEL §3.5): what they see of a replicate, what they
 * return, the tags the family and its analyses read, and the parsing they share (the attack).
 */
import type { JsonValue } from "../../../core/config/canonicalJson.js";
import { ConfigError, parseChoice, parseInteger, parseNumber } from "../../../core/config/parse.js";
import type { Mat } from "../../../core/linalg/mat.js";
import type { Rng } from "../../../core/random/rng.js";
import type { AttackChoice, PerturbationNorm } from "../../../core/model/perturbation.js";
import type { Estimator, EstimatorTags } from "../../../experiment/estimator.js";
import type { RegressionData, RegressionSampler } from "../samplers.js";
import type { RegressionScenario } from "../scenario.js";

/** What an estimator sees: the replicate's data, the scenario, and results shared within the replicate. */
export interface RegressionFitInput {
  readonly data: RegressionData;
  readonly scenario: RegressionScenario;
  /**
   * Results other methods of the replicate may reuse (the method-of-moments start of AltMin, ...),
   * keyed by what they are. Values are pure functions of the data, so sharing never changes a number.
   */
  readonly shared: Map<string, unknown>;
  /** A stream of the replicate for shared computations (the same whichever method asks). */
  sharedRng(name: string): Rng;
}

/** A fitted representation. */
export interface RegressionFit {
  /** False when the estimator did not meet its own criterion (a cap reached, a dropped rank). */
  readonly ok: boolean;
  readonly reason?: string;
  /** U (d x r, orthonormal columns); null when the estimator produced none. */
  readonly basis: Mat | null;
  /** Per-method diagnostics reported as metrics (iterations, objective, ...): finite numbers. */
  readonly diagnostics: Readonly<Record<string, number>>;
  /** For spectral estimators: the d x k matrix of kept per-task estimates U was taken from (bound B1). */
  readonly columns?: Mat;
  /** For the method of moments: the r + 1 largest eigenvalues of its matrix (bound MoM-D). */
  readonly eigenvalues?: Float64Array;
  /** For the dense method of moments: its d x d matrix itself (row-major), for the bound checks (E = M - E M). */
  readonly matrix?: Float64Array;
}

/** What the family's parser may use. */
export interface RegressionContext {
  readonly scenario: RegressionScenario;
  /** The data path, or null while the parser decides it from the methods' tags. */
  readonly sampler: RegressionSampler | null;
}

/** What a regression estimator supports with given parameters. */
export interface RegressionTags extends EstimatorTags {
  /** It needs the samples themselves (not only the sufficient statistics): the sample path. */
  readonly samples: boolean;
  /** How many passes over the source data it makes (several: the data may be kept in memory). */
  readonly passes: "one" | "many";
  /**
   * The bound checks that apply (docs/THEORY.md R7; bounds.ts): "mom" (R7.1), "spectral" (B1: any
   * top-r SVD of stacked per-task columns), "least-squares" (B1 and, for n > d, R7.2's Gaussian
   * bounds: the columns are the unnormalised per-task least-squares estimates), null (none: ERM, R7.3).
   */
  readonly bounds: "mom" | "spectral" | "least-squares" | null;
}

/** A regression estimator with parameters P. */
export interface RegressionEstimator<P = any> extends Estimator<RegressionFitInput, P, RegressionFit, RegressionContext> {
  tags(params: P): RegressionTags;
}

/** An attack: standard training ("none") or a norm and a radius. */
export type RegressionAttack = { readonly attack: "none" } | { readonly attack: PerturbationNorm; readonly eps: number };

/**
 * Parses "attack" ("none" by default, "l2", "linf") and "eps" (>= 0; required with an attack, refused
 * without one).
 */
export function parseAttack(raw: Readonly<Record<string, unknown>>, field: string): RegressionAttack {
  const attack = parseChoice(`${field}.attack`, raw.attack ?? "none", ["none", "l2", "linf"] as const) as AttackChoice;
  if (attack === "none") {
    if (raw.eps !== undefined) throw new ConfigError(`${field}.eps`, raw.eps, 'applies only with an attack ("attack": "l2" or "linf")');
    return { attack };
  }
  if (raw.eps === undefined) throw new ConfigError(`${field}.eps`, undefined, `an attack needs its radius eps >= 0`);
  return { attack, eps: parseNumber(`${field}.eps`, raw.eps, { min: 0 }) };
}

/** The attack as method keys. */
export function echoAttack(a: RegressionAttack): { [key: string]: JsonValue } {
  return a.attack === "none" ? {} : { attack: a.attack, eps: a.eps };
}

/** "linf(0.3)" for an attack, "" for none. */
export function attackLabel(a: RegressionAttack): string {
  return a.attack === "none" ? "" : `${a.attack}(${a.eps})`;
}

/** Parses an optional positive integer key with a default. */
export function parseCount(raw: Readonly<Record<string, unknown>>, key: string, field: string, fallback: number, min = 1, max = 1e7): number {
  return parseInteger(`${field}.${key}`, raw[key] ?? fallback, min, max);
}

/** Parses an optional tolerance in (0, 1) with a default. */
export function parseTolerance(raw: Readonly<Record<string, unknown>>, key: string, field: string, fallback: number): number {
  return parseNumber(`${field}.${key}`, raw[key] ?? fallback, { min: 0, max: 1, minOpen: true, maxOpen: true });
}

/** The attacks the adversarial estimators support. */
export const REGRESSION_ATTACKS = ["l2", "linf"] as const;

/** Refuses a method that needs the samples on the exact path (THEORY R1.3). */
export function requireSamples(context: RegressionContext, field: string, what: string): void {
  if (context.sampler === "exact") {
    throw new ConfigError(`${field}.estimator`, what, 'needs the samples themselves (not a function of the sufficient statistics, docs/THEORY.md R1.3): set "sampler" to "sample" or omit it');
  }
}
