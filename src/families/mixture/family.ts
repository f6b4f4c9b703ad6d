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
import { type MixtureReplicateFits, drawMixtureReplicate, fitMixtureMethods, fitMixtureReplicate } from "./replicate.js";
import { canonicalJson } from "../../core/config/canonicalJson.js";
import { echoMixtureScenario } from "./scenario.js";

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
  return measureMixtureReplicate(config, fitMixtureReplicate(config, rng));
}

/**
 * Replicate k of several configs that share the scenario and the sampler (the cells of an eps or
 * method sweep): the truth and data are drawn once from `rng` (replicateRng(seed, k)) and every
 * config's methods are fitted and measured on them. Config i's outcomes equal
 * runMixtureReplicate(configs[i], replicateRng(seed, k)) bit for bit, since the truth and data
 * depend on the scenario, the sampler and their own streams only; a config with another scenario
 * or sampler is a RangeError.
 */
export function runMixtureReplicates(configs: readonly MixtureConfig[], rng: Rng): MethodOutcome[][] {
  if (configs.length === 0) return [];
  const key = (c: MixtureConfig) => canonicalJson({ scenario: echoMixtureScenario(c.scenario), sampler: c.sampler });
  const shared = key(configs[0]);
  for (let i = 1; i < configs.length; i++) {
    if (configs[i].scenario !== configs[0].scenario && key(configs[i]) !== shared) throw new RangeError(`runMixtureReplicates: configs[${i}] has another scenario or sampler than configs[0]`);
  }
  const drawn = drawMixtureReplicate(configs[0], rng);
  return configs.map((c) => measureMixtureReplicate(c, fitMixtureMethods(c, drawn, rng)));
}

/** The outcomes of a replicate's fitted methods (MODEL §4). */
function measureMixtureReplicate(config: MixtureConfig, replicate: MixtureReplicateFits): MethodOutcome[] {
  const { scenario } = config;
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
    const measured = measureRepresentation(config, truth, data, rep, bayes);
    return { method: method.label, ok: measured.ok, ...(measured.reason === undefined ? {} : { reason: measured.reason }), metrics: { keptTasks, ...measured.metrics, ...bounds } };
  });
}

type FittedRepresentation = Extract<MixtureReplicateFits["fits"][number]["rep"], { ok: true }>;

interface Measured {
  readonly ok: boolean;
  readonly reason?: string;
  readonly metrics: Readonly<Record<string, number>>;
  readonly truth: MixtureReplicateFits["truth"];
  readonly data: MixtureReplicateFits["data"];
  readonly sigma: number;
  readonly eps: number;
}

/**
 * The measurements of a representation that depend on it, the replicate's truth and data, sigma
 * and evaluation.eps only (not on the method): remembered per representation object, so methods
 * whose fits return the same object (representation.ts, RecentRepresentations) are measured once.
 */
const MEASURED = new WeakMap<FittedRepresentation, Measured>();

function measureRepresentation(config: MixtureConfig, truth: MixtureReplicateFits["truth"], data: MixtureReplicateFits["data"], rep: FittedRepresentation, bayes: number): Measured {
  const sigma = config.scenario.sigma;
  const eps = config.evaluation.eps;
  const seen = MEASURED.get(rep);
  if (seen !== undefined && seen.truth === truth && seen.data === data && seen.sigma === sigma && seen.eps === eps) return seen;
  const fit = fitTargetHead(rep.basis, data.targetStatistic);
  const { sinTheta, sinThetaFrobenius } = representationError(rep.basis, truth.basis);
  const base = { sinTheta, sinThetaFrobenius, targetAngleSine: targetAngleSine(rep.basis, truth.targetMean) };
  let measured: Measured;
  if (fit === null) {
    measured = { ok: false, reason: "U^T v_0 = 0: no target direction", metrics: base, truth, data, sigma, eps };
  } else {
    const beta = fit.predictor;
    const mu0 = truth.targetMean;
    const targetError = zeroOneError(beta, mu0, sigma);
    const metrics = {
      ...base,
      targetExcess: excessLinearRisk(beta, mu0),
      targetError,
      excessError: targetError - bayes,
      robustErrorLinf: robustError(beta, mu0, sigma, "linf", eps),
      robustErrorL2: robustError(beta, mu0, sigma, "l2", eps),
    };
    measured = { ok: true, metrics, truth, data, sigma, eps };
  }
  MEASURED.set(rep, measured);
  return measured;
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
