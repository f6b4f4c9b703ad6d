/**
 * The checked config of a regression run (MODEL §2.2, §3.5, §4) and its parser: the scenario, the
 * methods (each an estimator with its own parameters), the data path and the evaluation (the
 * radius of the adversarial risks, optional bound checks). Parse, don't validate: every failure is
 * a ConfigError naming the field; the echo of a parsed config parses back to it.
 */
import type { JsonValue } from "../../core/config/canonicalJson.js";
import { ConfigError, parseArray, parseChoice, parseNumber, parseObject, parseString, rejectUnknownKeys } from "../../core/config/parse.js";
import type { JsonObject } from "../../experiment/family.js";
import type { NamedRegistry } from "../../experiment/registry.js";
import type { RegressionContext, RegressionEstimator } from "./estimators/estimator.js";
import type { RegressionSampler } from "./samplers.js";
import { type RegressionScenario, echoRegressionScenario, parseRegressionScenario } from "./scenario.js";

/** A checked method: a label, its estimator and that estimator's checked parameters. */
export interface RegressionMethod<P = unknown> {
  readonly label: string;
  readonly estimator: RegressionEstimator<P>;
  readonly params: P;
}

/** A checked regression config. */
export interface RegressionConfig {
  readonly scenario: RegressionScenario;
  readonly methods: readonly RegressionMethod[];
  /** "exact": equivalent samples of the sufficient statistics (THEORY R1.2); "sample": every sample drawn. */
  readonly sampler: RegressionSampler;
  readonly evaluation: {
    /** Radius of the adversarial target risks (MODEL §5 E4). */
    readonly eps: number;
    /** Bound checks (docs/THEORY.md R7; bounds.ts), or null when off. */
    readonly bounds: RegressionBoundsOptions | null;
  };
}

/** Options of the regression bound checks (docs/THEORY.md R7). */
export interface RegressionBoundsOptions {
  /**
   * Failure probability of each probabilistic bound: the Chebyshev and Bernstein levels and their
   * composite MoM bounds, the conditional and the model-only spectral bounds each hold with
   * probability >= 1 - delta.
   */
  readonly delta: number;
}

/** Defaults: delta = 0.05 (95% levels, as in THEORY R7's numbers). */
export const DEFAULT_REGRESSION_BOUNDS: RegressionBoundsOptions = { delta: 0.05 };

/** Parses bound options (missing keys take the defaults); ConfigError names `field.delta`. */
export function parseRegressionBoundsOptions(raw: unknown, field = "evaluation.bounds"): RegressionBoundsOptions {
  const obj = parseObject(field, raw);
  rejectUnknownKeys(field, obj, ["delta"]);
  return { delta: parseNumber(`${field}.delta`, obj.delta ?? DEFAULT_REGRESSION_BOUNDS.delta, { min: 0, max: 1, minOpen: true, maxOpen: true }) };
}

/** The keys a regression config may have besides the run keys. */
export const REGRESSION_CONFIG_KEYS = ["scenario", "methods", "sampler", "evaluation"] as const;

/** The default methods: MODEL §7's method of moments, spectral, AltMin (from MoM) and FO. */
export const DEFAULT_REGRESSION_METHODS: readonly JsonObject[] = [{ estimator: "mom" }, { estimator: "spectral" }, { estimator: "altmin" }, { estimator: "fo" }];

/**
 * Parses one method: `estimator` (default: the label when it names an estimator, else "spectral"),
 * `label` (default: the estimator's label for the parameters), and the keys the estimator owns.
 */
export function parseRegressionMethod(raw: unknown, field: string, context: RegressionContext, estimators: NamedRegistry<RegressionEstimator>): RegressionMethod {
  const obj = parseObject(field, raw);
  const byLabel = typeof obj.label === "string" && estimators.has(obj.label) ? obj.label : "spectral";
  const estimator = estimators.get(obj.estimator ?? byLabel, `${field}.estimator`);
  const own: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) if (k !== "label" && k !== "estimator") own[k] = v;
  const params = estimator.parameters(own, field, context);
  const label = obj.label === undefined ? estimator.label(params) : parseString(`${field}.label`, obj.label);
  return { label, estimator, params };
}

/** A method as raw JSON. */
export function echoRegressionMethod(m: RegressionMethod): JsonObject {
  return { label: m.label, estimator: m.estimator.name, ...m.estimator.echo(m.params) };
}

/**
 * Parses a regression config. The sampler defaults to "sample" when a method needs the samples
 * (the method of moments, adversarial training) and to "exact" otherwise; an explicit "exact" with
 * such a method is a ConfigError at that method.
 */
export function parseRegressionConfig(raw: unknown, estimators: NamedRegistry<RegressionEstimator>): RegressionConfig {
  const obj = raw === undefined ? {} : parseObject("config", raw);
  rejectUnknownKeys("", obj, REGRESSION_CONFIG_KEYS);
  const scenario = parseRegressionScenario(obj.scenario);
  const explicit = obj.sampler === undefined ? null : parseChoice("sampler", obj.sampler, ["exact", "sample"] as const);
  const context: RegressionContext = { scenario, sampler: explicit };
  const rawMethods = obj.methods === undefined ? [...DEFAULT_REGRESSION_METHODS] : parseArray("methods", obj.methods, 1);
  const methods = rawMethods.map((m, i) => parseRegressionMethod(m, `methods[${i}]`, context, estimators));
  const seen = new Set<string>();
  methods.forEach((m, i) => {
    if (seen.has(m.label)) throw new ConfigError(`methods[${i}].label`, m.label, "must be unique among the methods");
    seen.add(m.label);
  });
  const sampler: RegressionSampler = explicit ?? (methods.some((m) => m.estimator.tags(m.params).samples) ? "sample" : "exact");
  let eps = 0.1;
  let bounds: RegressionBoundsOptions | null = null;
  if (obj.evaluation !== undefined) {
    const eo = parseObject("evaluation", obj.evaluation);
    rejectUnknownKeys("evaluation", eo, ["eps", "bounds"]);
    eps = parseNumber("evaluation.eps", eo.eps ?? eps, { min: 0 });
    if (eo.bounds !== undefined) bounds = parseRegressionBoundsOptions(eo.bounds);
  }
  return { scenario, methods, sampler, evaluation: { eps, bounds } };
}

/** The config as raw JSON with every default written out. */
export function echoRegressionConfig(config: RegressionConfig): JsonObject {
  const evaluation: JsonObject = { eps: config.evaluation.eps };
  if (config.evaluation.bounds !== null) evaluation.bounds = { ...config.evaluation.bounds };
  return {
    scenario: echoRegressionScenario(config.scenario),
    methods: config.methods.map(echoRegressionMethod) as JsonValue[],
    sampler: config.sampler,
    evaluation,
  };
}
