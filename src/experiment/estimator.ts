/**
 * The Estimator contract, in scikit-learn's shape: every estimator owns its parameters (a parser
 * with defaults and its echo), says what it supports (tags), and fits. A family's method parser
 * asks the named estimator to parse the method's keys, and analyses (bounds, conformance tests)
 * read tags instead of comparing names. A new estimator is one file plus one registry line, or a
 * plugin (docs/ARCHITECTURE.md, "How to add an estimator").
 */
import type { JsonValue } from "../core/config/canonicalJson.js";
import type { Rng } from "../core/random/rng.js";

/** What every estimator's tags say, whatever the family. */
export interface EstimatorTags {
  /** Perturbation norms the estimator can train against ("l2", "linf"); empty: no adversarial training. */
  readonly attacks: readonly string[];
  /** Whether it can use unlabelled source data (pseudo-labelling). */
  readonly pseudoLabelling: boolean;
  /** Family-specific tags (e.g. which bounds apply). */
  readonly [tag: string]: unknown;
}

/**
 * An estimator of family-specific input and output. `Params` is its checked parameter object;
 * `Context` is what the family lends the parser (the scenario, its registries).
 */
export interface Estimator<Input = any, Params = any, Output = any, Context = any> {
  readonly name: string;
  /** One line: what it computes, with the MODEL section. */
  readonly description: string;
  /**
   * Parses the method keys this estimator owns (the raw method object without "label" and
   * "estimator"), filling defaults; rejects unknown keys. Throws ConfigError naming `field.key`.
   */
  parameters(raw: Readonly<Record<string, unknown>>, field: string, context: Context): Params;
  /** The parameters as raw method keys; parameters(echo(p)) gives p again. */
  echo(params: Params): { [key: string]: JsonValue };
  /** The default label of a method with these parameters. */
  label(params: Params): string;
  /** What the estimator supports with these parameters. */
  tags(params: Params): EstimatorTags;
  /** Fits on one replicate's data; random choices come from `rng` only. */
  fit(input: Input, params: Params, rng: Rng): Output;
  /** Small example parameter objects (raw method keys) the conformance tests run. */
  readonly examples: readonly { readonly [key: string]: JsonValue }[];
}
