/**
 * The mixture family as an experiment (MODEL §2.1, §3.1-§3.4, §4): config parsing for methods,
 * and one replicate = draw the truth, draw the data (exact or sample path), fit every method,
 * measure.
 */
import { estimatorNames, representationEstimators } from "./estimators/registry.js";
import type { Attack } from "./estimators/perTask.js";
import type { ColumnScaling } from "./estimators/representation.js";
import { fitTargetHead } from "./estimators/target.js";
import type { MixtureMethod, PseudoLabelOptions } from "./estimators/types.js";
import { bayesError, excessLinearRisk, representationError, robustError, targetAngleSine, zeroOneError } from "./metrics.js";
import { type MixtureScenario, drawMixtureTruth, parseMixtureScenario } from "./scenario.js";
import { type MixtureData, exactMixtureData, sampleMixtureData } from "./samplers.js";
import {
  ConfigError,
  parseArray,
  parseChoice,
  parseInteger,
  parseNumber,
  parseObject,
  parseString,
  rejectUnknownKeys,
} from "../../core/config/parse.js";
import type { Rng } from "../../core/random/rng.js";
import type { Family, MethodOutcome } from "../../experiment/family.js";

/** Which sampler draws a replicate's data (MODEL §5). */
export type MixtureSampler = "exact" | "sample";

/** A checked mixture experiment config. */
export interface MixtureConfig {
  readonly scenario: MixtureScenario;
  readonly methods: readonly MixtureMethod[];
  /** "exact": E1/E2 sufficient statistics (fast); "sample": every sample drawn. */
  readonly sampler: MixtureSampler;
  /** Radius of the attacks under which robust target errors are reported. */
  readonly evaluation: { readonly eps: number };
}

/** The keys a mixture config may have besides the run keys (family, replicates, seed). */
export const MIXTURE_CONFIG_KEYS = ["scenario", "methods", "sampler", "evaluation"] as const;
const METHOD_KEYS = ["label", "estimator", "attack", "eps", "columns", "ssl"] as const;
const SSL_KEYS = ["m", "eps", "rounds", "weight"] as const;

function defaultLabel(attack: Attack, eps: number, ssl: PseudoLabelOptions | null): string {
  const adv = attack === "none" ? "" : `${attack}(${eps})`;
  if (ssl === null) return adv === "" ? "standard" : adv;
  const sslPart = `ssl(m=${ssl.m})`;
  return adv === "" ? sslPart : `${sslPart}+${attack}(${eps}/${Number(ssl.eps.toPrecision(4))})`;
}

/**
 * Parses one method. A method without `attack` is standard training; `eps` is the per-task
 * (teacher) radius; `ssl.eps` the student's radius, by default eps sqrt(n / (n + weight m)):
 * the teacher's radius rescaled to the student's sample size under the 1/sqrt(samples) scaling
 * of the noise (MODEL §3.3, §6 B3).
 */
export function parseMixtureMethod(raw: unknown, field: string, scenario: MixtureScenario, sampler: MixtureSampler): MixtureMethod {
  const obj = parseObject(field, raw);
  rejectUnknownKeys(field, obj, METHOD_KEYS);
  const attack = parseChoice(`${field}.attack`, obj.attack ?? "none", ["none", "l2", "linf"] as const);
  let eps = 0;
  if (attack === "none") {
    if (obj.eps !== undefined && obj.eps !== 0) throw new ConfigError(`${field}.eps`, obj.eps, 'needs "attack": "l2" or "linf" (a method without attack is standard training)');
  } else {
    eps = parseNumber(`${field}.eps`, obj.eps, { min: 0 });
  }
  const columns = parseChoice(`${field}.columns`, obj.columns ?? "normalised", ["normalised", "unnormalised"] as const) as ColumnScaling;
  let ssl: PseudoLabelOptions | null = null;
  if (obj.ssl !== undefined) {
    const sf = `${field}.ssl`;
    const so = parseObject(sf, obj.ssl);
    rejectUnknownKeys(sf, so, SSL_KEYS);
    const m = so.m === undefined && scenario.m === 0
      ? (() => { throw new ConfigError(`${sf}.m`, so.m, "must be an integer >= 1 (scenario.m is 0, so it must be given)"); })()
      : parseInteger(`${sf}.m`, so.m ?? scenario.m, 1, 1e9);
    const rounds = parseInteger(`${sf}.rounds`, so.rounds ?? 1, 1, 1000);
    if (rounds > 1 && sampler === "exact") {
      throw new ConfigError(`${sf}.rounds`, rounds, 'must be 1 with sampler "exact" (E2 needs a teacher independent of the unlabelled data); use "sampler": "sample" for several rounds');
    }
    const weight = parseNumber(`${sf}.weight`, so.weight ?? 1, { min: 0, minOpen: true });
    let studentEps = 0;
    if (attack === "none") {
      if (so.eps !== undefined && so.eps !== 0) throw new ConfigError(`${sf}.eps`, so.eps, 'needs "attack": "l2" or "linf" on the method (the student uses the teacher\'s norm)');
    } else {
      studentEps = so.eps === undefined ? eps * Math.sqrt(scenario.n / (scenario.n + weight * m)) : parseNumber(`${sf}.eps`, so.eps, { min: 0 });
    }
    ssl = { m, eps: studentEps, rounds, weight };
  }
  const estimator = parseChoice(`${field}.estimator`, obj.estimator ?? (ssl === null ? "supervised" : "pseudo-label"), estimatorNames());
  if (estimator === "pseudo-label" && ssl === null) throw new ConfigError(`${field}.estimator`, estimator, 'needs an "ssl" object');
  if (estimator !== "pseudo-label" && ssl !== null) throw new ConfigError(`${field}.estimator`, estimator, 'cannot use "ssl" options; use "pseudo-label"');
  if (estimator === "joint-erm" && attack !== "none") throw new ConfigError(`${field}.attack`, attack, 'must be "none" with estimator "joint-erm" (joint ERM is defined for standard training)');
  const base = estimator === "joint-erm" ? "joint-erm" : defaultLabel(attack, eps, ssl);
  const label = obj.label === undefined ? (columns === "unnormalised" ? `${base}[unnormalised]` : base) : parseString(`${field}.label`, obj.label);
  return { label, estimator, attack, eps, columns, ssl };
}

/** Parses a mixture config (scenario, methods, sampler, evaluation); defaults: MODEL §7. */
export function parseMixtureConfig(raw: unknown): MixtureConfig {
  const obj = raw === undefined ? {} : parseObject("config", raw);
  rejectUnknownKeys("", obj, MIXTURE_CONFIG_KEYS);
  const scenario = parseMixtureScenario(obj.scenario);
  const sampler = parseChoice("sampler", obj.sampler ?? "exact", ["exact", "sample"] as const);
  const rawMethods = obj.methods === undefined ? [{ label: "standard" }] : parseArray("methods", obj.methods, 1);
  const methods = rawMethods.map((m, i) => parseMixtureMethod(m, `methods[${i}]`, scenario, sampler));
  const seen = new Set<string>();
  methods.forEach((m, i) => {
    if (seen.has(m.label)) throw new ConfigError(`methods[${i}].label`, m.label, "must be unique among the methods");
    seen.add(m.label);
  });
  let evalEps = 0.1;
  if (obj.evaluation !== undefined) {
    const eo = parseObject("evaluation", obj.evaluation);
    rejectUnknownKeys("evaluation", eo, ["eps"]);
    evalEps = parseNumber("evaluation.eps", eo.eps ?? evalEps, { min: 0 });
  }
  return { scenario, methods, sampler, evaluation: { eps: evalEps } };
}

/** Draws a replicate's data on the configured path. */
export function drawMixtureData(config: MixtureConfig, truth: ReturnType<typeof drawMixtureTruth>, rng: Rng): MixtureData {
  return config.sampler === "exact"
    ? exactMixtureData(config.scenario, truth, rng)
    : sampleMixtureData(config.scenario, truth, rng);
}

/**
 * One replicate: truth from stream "truth", data from stream "data", method j from stream
 * "method:<label>". Metrics (MODEL §4): sinTheta, sinThetaFrobenius, targetAngleSine,
 * targetExcess (realised excess linear risk), targetError (0-1), excessError (targetError minus
 * the Bayes error), robustErrorLinf and robustErrorL2 at radius evaluation.eps, keptTasks.
 */
export function runMixtureReplicate(config: MixtureConfig, rng: Rng): MethodOutcome[] {
  const { scenario } = config;
  const truth = drawMixtureTruth(scenario, rng.fork("truth"));
  const data = drawMixtureData(config, truth, rng.fork("data"));
  const bayes = bayesError(truth.targetMean, scenario.sigma);
  return config.methods.map((method): MethodOutcome => {
    const estimate = representationEstimators[method.estimator];
    const rep = estimate({ data, r: scenario.r, n: scenario.n }, method, rng.fork(`method:${method.label}`));
    const keptTasks = rep.keptTasks.length;
    if (!rep.ok) return { method: method.label, ok: false, reason: rep.reason, metrics: { keptTasks } };
    const fit = fitTargetHead(rep.basis, data.targetStatistic);
    const { sinTheta, sinThetaFrobenius } = representationError(rep.basis, truth.basis);
    const base = { keptTasks, sinTheta, sinThetaFrobenius, targetAngleSine: targetAngleSine(rep.basis, truth.targetMean) };
    if (fit === null) return { method: method.label, ok: false, reason: "U^T v_0 = 0: no target direction", metrics: base };
    const beta = fit.predictor;
    const mu0 = truth.targetMean;
    const targetError = zeroOneError(beta, mu0, scenario.sigma);
    return {
      method: method.label,
      ok: true,
      metrics: {
        ...base,
        targetExcess: excessLinearRisk(beta, mu0),
        targetError,
        excessError: targetError - bayes,
        robustErrorLinf: robustError(beta, mu0, scenario.sigma, "linf", config.evaluation.eps),
        robustErrorL2: robustError(beta, mu0, scenario.sigma, "l2", config.evaluation.eps),
      },
    };
  });
}

/** The mixture family for runs and sweeps. */
export const mixtureFamily: Family<MixtureConfig> = {
  name: "mixture",
  parse: parseMixtureConfig,
  methodLabels: (config) => config.methods.map((m) => m.label),
  runReplicate: runMixtureReplicate,
};
