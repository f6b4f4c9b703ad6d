/**
 * The checked config of a mixture run (MODEL §2.1, §3, §4) and its parser: the scenario, the
 * methods (each an estimator with its own parameters), the data path, and the evaluation
 * (robust-error radius, optional bound checks). Parse, don't validate: every failure is a
 * ConfigError naming the field; the echo of a parsed config parses back to it.
 */
import type { JsonValue } from "../../core/config/canonicalJson.js";
import { ConfigError, parseArray, parseChoice, parseNumber, parseObject, parseString, rejectUnknownKeys } from "../../core/config/parse.js";
import type { JsonObject } from "../../experiment/family.js";
import type { NamedRegistry } from "../../experiment/registry.js";
import type { MixtureContext, MixtureEstimator, MixtureSampler } from "./estimators/estimator.js";
import type { PerTaskRule } from "./estimators/perTaskRule.js";
import { type MixtureScenario, echoMixtureScenario, parseMixtureScenario } from "./scenario.js";

export type { MixtureSampler } from "./estimators/estimator.js";

/** A checked method: a label, the estimator it runs and that estimator's checked parameters. */
export interface MixtureMethod<P = unknown> {
  /** Unique label in a run. */
  readonly label: string;
  readonly estimator: MixtureEstimator<P>;
  readonly params: P;
}

/** Options of the bound checks (MODEL §6; analysis/bounds.ts). */
export interface BoundsOptions {
  /** Deviation t >= 0 of the Gaussian events of B2-B3 (promised probability 1 - 2 exp(-t^2/2) and less). */
  readonly t: number;
  /** Probability spent on the model-only bound on kappa in B5 for normalised columns, in (0, 1). */
  readonly kappaDelta: number;
}

/** Defaults: t = 2.5 (B2 promises 1 - 2 e^{-3.125} = 0.912), kappaDelta = 0.05. */
export const DEFAULT_BOUNDS_OPTIONS: BoundsOptions = { t: 2.5, kappaDelta: 0.05 };

/** Parses bound options (missing keys take the defaults); ConfigError names `field.t`, `field.kappaDelta`. */
export function parseBoundsOptions(raw: unknown, field = ""): BoundsOptions {
  const f = (k: string) => (field === "" ? k : `${field}.${k}`);
  const obj = raw === undefined ? {} : parseObject(field === "" ? "bounds" : field, raw);
  rejectUnknownKeys(field, obj, ["t", "kappaDelta"]);
  return {
    t: parseNumber(f("t"), obj.t ?? DEFAULT_BOUNDS_OPTIONS.t, { min: 0 }),
    kappaDelta: parseNumber(f("kappaDelta"), obj.kappaDelta ?? DEFAULT_BOUNDS_OPTIONS.kappaDelta, { min: 0, max: 1, minOpen: true, maxOpen: true }),
  };
}

/** A checked mixture experiment config. */
export interface MixtureConfig {
  readonly scenario: MixtureScenario;
  readonly methods: readonly MixtureMethod[];
  /** "exact": E1/E2 sufficient statistics (fast); "sample": every sample drawn. */
  readonly sampler: MixtureSampler;
  readonly evaluation: {
    /** Radius of the attacks under which robust target errors are reported. */
    readonly eps: number;
    /** Bound checks reported beside the measurements (MODEL §6), or null for none. */
    readonly bounds: BoundsOptions | null;
    /** Whether the limits of MODEL §8 are reported beside the measurements (`"limits": {}`). */
    readonly limits: boolean;
  };
}

/** The keys a mixture config may have besides the run keys. */
export const MIXTURE_CONFIG_KEYS = ["scenario", "methods", "sampler", "evaluation"] as const;

/** The registries a mixture config is parsed against. */
export interface MixtureRegistries {
  readonly estimators: NamedRegistry<MixtureEstimator>;
  readonly rules: NamedRegistry<PerTaskRule>;
}

/**
 * Parses one method: `label` (default: the estimator's label for the parameters), `estimator`
 * (default "pseudo-label" when the method has "ssl", else "supervised"), and the keys the
 * estimator owns, which it parses itself (e.g. "attack", "eps", "columns", "ssl").
 */
export function parseMixtureMethod(raw: unknown, field: string, context: MixtureContext, estimators: NamedRegistry<MixtureEstimator>): MixtureMethod {
  const obj = parseObject(field, raw);
  const estimator = estimators.get(obj.estimator ?? (obj.ssl === undefined ? "supervised" : "pseudo-label"), `${field}.estimator`);
  const own: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) if (k !== "label" && k !== "estimator") own[k] = v;
  const params = estimator.parameters(own, field, context);
  const label = obj.label === undefined ? estimator.label(params) : parseString(`${field}.label`, obj.label);
  return { label, estimator, params };
}

/** A method as raw JSON: parseMixtureMethod(echoMixtureMethod(m)) gives m again. */
export function echoMixtureMethod(m: MixtureMethod): JsonObject {
  return { label: m.label, estimator: m.estimator.name, ...m.estimator.echo(m.params) };
}

/** Parses a mixture config (scenario, methods, sampler, evaluation); defaults: MODEL §7. */
export function parseMixtureConfig(raw: unknown, registries: MixtureRegistries): MixtureConfig {
  const obj = raw === undefined ? {} : parseObject("config", raw);
  rejectUnknownKeys("", obj, MIXTURE_CONFIG_KEYS);
  const scenario = parseMixtureScenario(obj.scenario);
  const sampler = parseChoice("sampler", obj.sampler ?? "exact", ["exact", "sample"] as const);
  const context: MixtureContext = { scenario, sampler, rules: registries.rules };
  const rawMethods = obj.methods === undefined ? [{ label: "standard" }] : parseArray("methods", obj.methods, 1);
  const methods = rawMethods.map((m, i) => parseMixtureMethod(m, `methods[${i}]`, context, registries.estimators));
  const seen = new Set<string>();
  methods.forEach((m, i) => {
    if (seen.has(m.label)) throw new ConfigError(`methods[${i}].label`, m.label, "must be unique among the methods");
    seen.add(m.label);
  });
  let evalEps = 0.1;
  let bounds: BoundsOptions | null = null;
  let limits = false;
  if (obj.evaluation !== undefined) {
    const eo = parseObject("evaluation", obj.evaluation);
    rejectUnknownKeys("evaluation", eo, ["eps", "bounds", "limits"]);
    evalEps = parseNumber("evaluation.eps", eo.eps ?? evalEps, { min: 0 });
    if (eo.bounds !== undefined) bounds = parseBoundsOptions(eo.bounds, "evaluation.bounds");
    if (eo.limits !== undefined) {
      // An object for options to come; none yet.
      rejectUnknownKeys("evaluation.limits", parseObject("evaluation.limits", eo.limits), []);
      limits = true;
    }
  }
  return { scenario, methods, sampler, evaluation: { eps: evalEps, bounds, limits } };
}

/** The config as raw JSON with every default written out. */
export function echoMixtureConfig(config: MixtureConfig): JsonObject {
  const evaluation: JsonObject = { eps: config.evaluation.eps };
  if (config.evaluation.bounds !== null) evaluation.bounds = { ...config.evaluation.bounds };
  if (config.evaluation.limits) evaluation.limits = {};
  return {
    scenario: echoMixtureScenario(config.scenario),
    methods: config.methods.map(echoMixtureMethod) as JsonValue[],
    sampler: config.sampler,
    evaluation,
  };
}
