/**
 * The mixture family as an experiment (MODEL §2.1, §3.1-§3.4, §4): one replicate = draw the
 * truth, draw the data (exact or sample path), fit every method, measure; with
 * `evaluation.bounds` set, also every applicable bound of MODEL §6 (analysis/bounds.ts).
 */
import type { Rng } from "../../core/random/rng.js";
import type { Family, JsonObject, MethodOutcome } from "../../experiment/family.js";
import type { NamedRegistry } from "../../experiment/registry.js";
import { ReplicateTheory, checkMethodBounds, methodLimits, mixtureBoundMetrics, mixtureMetricNames } from "./analysis/bounds.js";
import { limitMetrics } from "../../experiment/boundChecks.js";
import { MIXTURE_RATES } from "./analysis/rates.js";
import { mixtureTheoryValues } from "./analysis/tuning.js";
import { type MixtureConfig, DEFAULT_BOUNDS_OPTIONS, MIXTURE_CONFIG_KEYS, echoMixtureConfig, parseMixtureConfig } from "./config.js";
import { demoConfig } from "./demo.js";
import type { MixtureEstimator } from "./estimators/estimator.js";
import type { PerTaskRule } from "./estimators/perTaskRule.js";
import { createPerTaskRules } from "./estimators/perTaskRules.js";
import { createMixtureEstimators } from "./estimators/registry.js";
import { fitTargetHead } from "./estimators/target.js";
import { bayesError, excessLinearRisk, representationError, robustError, targetAngleSine, zeroOneError } from "./metrics.js";
import { fitMixtureReplicate } from "./replicate.js";

export type { MixtureConfig, MixtureMethod, MixtureSampler } from "./config.js";

/**
 * One replicate: truth from stream "truth", data from stream "data", method j from stream
 * "method:<label>". Metrics (MODEL §4): sinTheta, sinThetaFrobenius, targetAngleSine,
 * targetExcess (realised excess linear risk), targetError (0-1), excessError (targetError minus
 * the Bayes error), robustErrorLinf and robustErrorL2 at radius evaluation.eps, keptTasks; with
 * bound checks also expectedExcess and the bound metrics, with `evaluation.limits` the limits of
 * MODEL §8 (limit.<quantity>.<L>; experiment/boundChecks.ts).
 */
export function runMixtureReplicate(config: MixtureConfig, rng: Rng): MethodOutcome[] {
  const { scenario } = config;
  const replicate = fitMixtureReplicate(config, rng);
  const { truth, data } = replicate;
  const bayes = bayesError(truth.targetMean, scenario.sigma);
  const theory = config.evaluation.bounds === null && !config.evaluation.limits ? null : new ReplicateTheory(scenario, truth);
  return replicate.fits.map(({ method, rep }): MethodOutcome => {
    const bounds = {
      ...(config.evaluation.bounds === null || theory === null ? {} : mixtureBoundMetrics(checkMethodBounds(config, truth, data, method, rep, config.evaluation.bounds, theory))),
      ...(config.evaluation.limits && theory !== null ? limitMetrics(methodLimits(config, truth, method, rep, theory)) : {}),
    };
    const keptTasks = rep.keptTasks.length;
    if (!rep.ok) return { method: method.label, ok: false, reason: rep.reason, metrics: { keptTasks, ...bounds } };
    const fit = fitTargetHead(rep.basis, data.targetStatistic);
    const { sinTheta, sinThetaFrobenius } = representationError(rep.basis, truth.basis);
    const base = { keptTasks, sinTheta, sinThetaFrobenius, targetAngleSine: targetAngleSine(rep.basis, truth.targetMean) };
    if (fit === null) return { method: method.label, ok: false, reason: "U^T v_0 = 0: no target direction", metrics: { ...base, ...bounds } };
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
        ...bounds,
      },
    };
  });
}

/** The mixture family with its own registries of estimators and per-task rules. */
export interface MixtureFamily extends Family<MixtureConfig> {
  readonly estimators: NamedRegistry<MixtureEstimator>;
  readonly extensions: { readonly perTaskRules: NamedRegistry<PerTaskRule> };
}

/** Display names of the mixture metrics (figures, tables). */
export const MIXTURE_METRIC_LABELS: Readonly<Record<string, string>> = {
  sinTheta: "sin theta(U, B*), spectral",
  sinThetaFrobenius: "sin theta(U, B*), Frobenius",
  targetAngleSine: "sine of the angle between mu_0 and span(U)",
  targetExcess: "target excess linear risk",
  targetError: "target 0-1 error",
  excessError: "target 0-1 error minus the Bayes error",
  robustErrorLinf: "robust target 0-1 error (l-inf attack)",
  robustErrorL2: "robust target 0-1 error (l2 attack)",
  keptTasks: "tasks kept",
  expectedExcess: "E[target excess | U]",
};

/**
 * A fresh mixture family: its estimator and per-task-rule registries start with the built-in
 * ones and belong to this instance (a plugin registered in one registry does not leak into
 * another).
 */
export function createMixtureFamily(): MixtureFamily {
  const estimators = createMixtureEstimators();
  const perTaskRules = createPerTaskRules();
  return {
    name: "mixture",
    description: "the paper's linear model: Gaussian mixtures y mu_t + sigma g with mu_t = B* w_t (MODEL §2.1)",
    configKeys: MIXTURE_CONFIG_KEYS,
    parse: (raw) => parseMixtureConfig(raw, { estimators, rules: perTaskRules }),
    echo: echoMixtureConfig,
    methodLabels: (config) => config.methods.map((m) => m.label),
    runReplicate: runMixtureReplicate,
    metricNames: mixtureMetricNames,
    metrics: { names: Object.keys(MIXTURE_METRIC_LABELS), table: ["sinTheta", "targetExcess", "targetError", "robustErrorLinf", "keptTasks", "failed"], labels: MIXTURE_METRIC_LABELS },
    demo: () => demoConfig() as JsonObject,
    smallConfig: () => ({ scenario: { d: 40, s: 6, r: 2, T: 6, n: 20, m: 30, n0: 10 } }),
    estimators,
    extensions: { perTaskRules },
    bounds: {
      defaults: { ...DEFAULT_BOUNDS_OPTIONS },
      descriptions: { E0: "zeroing event E0 (B3)", "meanBound.expectedExcess": "B5 unconditional: mean E[excess | U]", B5: "B4 form", B5s: "B4s form" },
      enable(raw, options) {
        const evaluation = typeof raw.evaluation === "object" && raw.evaluation !== null && !Array.isArray(raw.evaluation) ? raw.evaluation : {};
        return { ...raw, evaluation: { ...evaluation, bounds: options } };
      },
      enableLimits(raw) {
        const evaluation = typeof raw.evaluation === "object" && raw.evaluation !== null && !Array.isArray(raw.evaluation) ? raw.evaluation : {};
        return { ...raw, evaluation: { ...evaluation, limits: {} } };
      },
    },
    rates: MIXTURE_RATES,
    resources(config) {
      // The d x T statistics, the matrix of kept columns, its QR factor and products of the same
      // size, the bound checks' residuals: about 6 d x T doubles, and O(d) vectors besides.
      const { d, T } = config.scenario;
      return { bytes: 8 * (6 * d * T + 20 * d), field: "scenario.d", value: d, formula: "6 d T doubles" };
    },
    tuning: { theoryValues: mixtureTheoryValues },
  };
}
