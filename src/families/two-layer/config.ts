/**
 * The checked config of a two-layer run (MODEL §2.3, §3.6) and its parser: scenario, training,
 * methods (each an estimator with its parameters; by default "joint-training"), target head and
 * evaluation. Every default is filled in by the parser, and the echo parses back to the config.
 */
import type { JsonValue } from "../../core/config/canonicalJson.js";
import { ConfigError, parseArray, parseChoice, parseInteger, parseNumber, parseObject, parseString, rejectUnknownKeys } from "../../core/config/parse.js";
import { PERTURBATION_NORMS, type PerturbationNorm } from "../../core/model/perturbation.js";
import type { Estimator } from "../../experiment/estimator.js";
import type { JsonObject } from "../../experiment/family.js";
import type { NamedRegistry } from "../../experiment/registry.js";
import { type TwoLayerAttack, type TwoLayerContext, type TwoLayerFitInput, type TwoLayerTraining, shorthandKeys } from "./estimators/jointTraining.js";
import type { TrainingResult } from "./estimators/train.js";
import { type TwoLayerScenario, TWO_LAYER_SCENARIO_DEFAULTS, parseTwoLayerScenario } from "./scenario.js";

/** An estimator of the two-layer family: a trained network, or the reason training failed. */
export type TwoLayerEstimator<P = any> = Estimator<TwoLayerFitInput, P, TrainingResult | string, TwoLayerContext>;

/** One method of a run: a label, its estimator and the estimator's checked parameters. */
export interface TwoLayerMethod<P = TwoLayerTraining> {
  readonly label: string;
  readonly estimator: TwoLayerEstimator<P>;
  readonly params: P;
}

export type Optimiser = "adam" | "gd";
export type TwoLayerTargetFit = "least-squares" | "linear" | "logistic";

/** The checked config of a two-layer run. Every field is explicit (defaults filled by the parser). */
export interface TwoLayerConfig {
  readonly scenario: TwoLayerScenario;
  readonly training: {
    readonly optimiser: Optimiser;
    /** Largest number of training steps (a method's maxSteps overrides it). */
    readonly steps: number;
    readonly learningRate: number;
    /** W starts N(0, initScale^2 / d) entrywise, heads N(0, initScale^2 / r). */
    readonly initScale: number;
    /** Convergence tolerance of the stopping rule (estimators/train.ts); 0 runs every step. */
    readonly tolerance: number;
  };
  readonly methods: readonly TwoLayerMethod<unknown>[];
  readonly target: {
    readonly fit: TwoLayerTargetFit;
    /** Norm bound ||w|| <= headBound of the linear and logistic target heads. */
    readonly headBound: number;
  };
  readonly evaluation: {
    /** Fresh target samples for the Monte Carlo risks. */
    readonly testSize: number;
    /** Norm, radius and PGD steps of the robust target risk (no random start, step 2.5 eps / K). */
    readonly attack: PerturbationNorm;
    readonly eps: number;
    readonly steps: number;
  };
}

/**
 * The default scenario (README, "Two-layer family"): d = 50 inputs with a sparse teacher
 * (s = 10 coordinates), r = 4 relu units, T = 20 source tasks of n = 40 labelled and m = 100
 * unlabelled samples, n0 = 20 target samples, regression noise sigma = 0.5; Adam for 300
 * full-batch steps (learning rate 0.05); PGD with 3 steps and a random start; five methods, the
 * pseudo-labelling ones taught by a network trained on the labelled data against their own attack.
 */
export const TWO_LAYER_DEFAULTS = {
  scenario: TWO_LAYER_SCENARIO_DEFAULTS,
  training: { optimiser: "adam", steps: 300, learningRate: 0.05, initScale: 1, tolerance: 1e-5 },
  methods: [{ label: "standard" }, { label: "linf" }, { label: "l2" }, { label: "ssl" }, { label: "ssl+linf" }],
  target: { fit: "auto", headBound: 1 },
  evaluation: { testSize: 2000, attack: "linf", eps: 0.05, steps: 10 },
} as const;

/**
 * Largest source sample T (n + m) d the parser accepts: training holds the inputs row-major and
 * feature-major, plus the attack's perturbed copy and random start, about 4 x 8 bytes per entry.
 */
export const MAX_SOURCE_ENTRIES = 20_000_000;

/** The keys a two-layer config may have besides the run keys. */
export const TWO_LAYER_CONFIG_KEYS = ["scenario", "training", "methods", "target", "evaluation"] as const;

function merged(raw: Record<string, unknown>, key: string, defaults: Record<string, unknown>): Record<string, unknown> {
  const v = raw[key];
  return v === undefined ? { ...defaults } : { ...defaults, ...parseObject(key, v) };
}

/**
 * Parses one method. A string, or an object holding only a label, that is one of the shorthands
 * "standard", "ssl", "[ssl+][fgsm-](linf|l2)" expands to that training (estimator
 * "joint-training"); any other label-only object is standard training, as in the mixture family.
 * Otherwise the object's keys besides "label" and "estimator" (default "joint-training") are the
 * estimator's parameters, which it parses itself against the scenario.
 */
export function parseTwoLayerMethod(raw: unknown, field: string, estimators: NamedRegistry<TwoLayerEstimator>, context: TwoLayerContext): TwoLayerMethod<unknown> {
  const training = estimators.get("joint-training", `${field}.estimator`);
  if (typeof raw === "string") {
    const keys = shorthandKeys(raw);
    if (keys === null) throw new ConfigError(field, raw, 'must be "standard", "ssl", "[ssl+][fgsm-](linf|l2)" or a method object');
    return { label: raw, estimator: training, params: training.parameters(keys, field, context) };
  }
  const o = parseObject(field, raw);
  const keys = Object.keys(o);
  if (keys.length === 1 && keys[0] === "label") {
    const label = parseString(`${field}.label`, o.label);
    return { label, estimator: training, params: training.parameters(shorthandKeys(label) ?? {}, field, context) };
  }
  const estimator = estimators.get(o.estimator ?? "joint-training", `${field}.estimator`);
  const own: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (k !== "label" && k !== "estimator") own[k] = v;
  const params = estimator.parameters(own, field, context);
  const label = o.label === undefined ? estimator.label(params) : parseString(`${field}.label`, o.label);
  return { label, estimator, params };
}

/** The attack of the robust target risk: PGD from x (no random start), step 2.5 eps / K. */
export function evaluationAttack(config: Pick<TwoLayerConfig, "evaluation">): TwoLayerAttack {
  const { attack, eps, steps } = config.evaluation;
  return { kind: "pgd", norm: attack, eps, steps, stepSize: (2.5 * eps) / steps, randomStart: false };
}

/**
 * Parses a raw two-layer config (the run keys family, replicates and seed already removed):
 * scenario, training, methods, target, evaluation, each with TWO_LAYER_DEFAULTS for missing keys.
 * Throws a ConfigError naming the dotted field, the value and the allowed range: unknown keys,
 * r > s, s > d, pseudo-labelling methods with scenario.m = 0, a flip rate >= 1/2, a target fit
 * that does not match the labels, duplicate labels, or a source sample too large for memory.
 */
export function parseTwoLayerConfig(raw: unknown, estimators: NamedRegistry<TwoLayerEstimator>): TwoLayerConfig {
  const obj = raw === undefined ? {} : parseObject("config", raw);
  rejectUnknownKeys("", obj, TWO_LAYER_CONFIG_KEYS);
  const D = TWO_LAYER_DEFAULTS;
  const scenario = parseTwoLayerScenario(obj.scenario);

  const trRaw = merged(obj, "training", D.training);
  rejectUnknownKeys("training", trRaw, ["optimiser", "steps", "learningRate", "initScale", "tolerance"]);
  const training = {
    optimiser: parseChoice("training.optimiser", trRaw.optimiser, ["adam", "gd"] as const),
    steps: parseInteger("training.steps", trRaw.steps, 0, 1_000_000),
    learningRate: parseNumber("training.learningRate", trRaw.learningRate, { min: 0, minOpen: true, max: 100 }),
    initScale: parseNumber("training.initScale", trRaw.initScale, { min: 0, minOpen: true, max: 100 }),
    tolerance: parseNumber("training.tolerance", trRaw.tolerance, { min: 0, max: 1 }),
  };

  const tgRaw = merged(obj, "target", D.target);
  rejectUnknownKeys("target", tgRaw, ["fit", "headBound"]);
  const regression = scenario.labels === "regression";
  const fitRaw = tgRaw.fit === "auto" ? (regression ? "least-squares" : "linear") : tgRaw.fit;
  const fit = parseChoice("target.fit", fitRaw, ["least-squares", "linear", "logistic"] as const);
  if (regression && fit !== "least-squares") {
    throw new ConfigError("target.fit", tgRaw.fit, 'must be "least-squares" or "auto" for regression labels');
  }
  if (!regression && fit === "least-squares") {
    throw new ConfigError("target.fit", tgRaw.fit, 'must be "linear", "logistic" or "auto" for classification labels');
  }
  const target = { fit, headBound: parseNumber("target.headBound", tgRaw.headBound, { min: 0, minOpen: true }) };

  const evRaw = merged(obj, "evaluation", D.evaluation);
  rejectUnknownKeys("evaluation", evRaw, ["testSize", "attack", "eps", "steps"]);
  const evaluation = {
    testSize: parseInteger("evaluation.testSize", evRaw.testSize, 2, 10_000_000),
    attack: parseChoice("evaluation.attack", evRaw.attack, PERTURBATION_NORMS),
    eps: parseNumber("evaluation.eps", evRaw.eps, { min: 0, minOpen: true }),
    steps: parseInteger("evaluation.steps", evRaw.steps, 1, 1000),
  };

  const methodsRaw = parseArray("methods", obj.methods ?? D.methods, 1);
  const methods = methodsRaw.map((m, i) => parseTwoLayerMethod(m, `methods[${i}]`, estimators, { scenario }));
  const seen = new Set<string>();
  methods.forEach((m, i) => {
    if (seen.has(m.label)) throw new ConfigError(`methods[${i}].label`, m.label, "must be unique within a run");
    seen.add(m.label);
  });

  const { d, T, n, m } = scenario;
  const sourceRows = T * (n + (methods.some(usesUnlabelled) ? m : 0));
  if (sourceRows * d > MAX_SOURCE_ENTRIES) {
    throw new ConfigError("scenario.d", d, `T (n + m) d = ${sourceRows * d} must be <= ${MAX_SOURCE_ENTRIES}`);
  }
  if (evaluation.testSize * d > MAX_SOURCE_ENTRIES) {
    throw new ConfigError("evaluation.testSize", evaluation.testSize, `testSize d must be <= ${MAX_SOURCE_ENTRIES}`);
  }
  return { scenario, training, methods, target, evaluation };
}

/** Whether a method's estimator uses the unlabelled samples with these parameters. */
export function usesUnlabelled(m: TwoLayerMethod<unknown>): boolean {
  return m.estimator.tags(m.params).pseudoLabelling === true && (m.params as { ssl?: unknown }).ssl !== null && (m.params as { ssl?: unknown }).ssl !== undefined;
}

/** The config as raw JSON with every default written out; parseTwoLayerConfig(echo(c)) gives c again. */
export function echoTwoLayerConfig(c: TwoLayerConfig): JsonObject {
  return {
    scenario: { ...c.scenario },
    training: { ...c.training },
    methods: c.methods.map((m) => ({ label: m.label, estimator: m.estimator.name, ...m.estimator.echo(m.params) })) as JsonValue[],
    target: { ...c.target },
    evaluation: { ...c.evaluation },
  };
}
