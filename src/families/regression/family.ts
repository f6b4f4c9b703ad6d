/**
 * The `regression` family as an experiment (MODEL §2.2, §3.5, §4, §5 E3-E4): one replicate draws
 * the truth and the data, fits every method on the same data (common random numbers: methods are
 * compared replicate by replicate), fits the target head on the same target sample and measures.
 * With `evaluation.bounds` set, every applicable bound of docs/THEORY.md R7 is reported beside
 * the measurement as bound-check metrics (bounds.ts, experiment/boundChecks.ts).
 *
 * A method whose estimator did not meet its own criterion (an iteration cap, a dropped rank) is
 * reported with ok = false and the reason; when it still produced a representation, that
 * representation's metrics are reported with it (the summaries count the failures per cell).
 */
import type { Rng } from "../../core/random/rng.js";
import type { Family, JsonObject, MethodOutcome } from "../../experiment/family.js";
import type { NamedRegistry } from "../../experiment/registry.js";
import { type RegressionConfig, REGRESSION_CONFIG_KEYS, echoRegressionConfig, parseRegressionConfig } from "./config.js";
import { regressionDemoConfig } from "./demo.js";
import type { RegressionEstimator } from "./estimators/estimator.js";
import { createRegressionEstimators } from "./estimators/registry.js";
import { boundMetrics } from "../../experiment/boundChecks.js";
import { RegressionBoundTheory, regressionBoundChecks, regressionBoundNotes } from "./bounds.js";
import { DEFAULT_REGRESSION_BOUNDS } from "./config.js";
import { REGRESSION_METRIC_LABELS, regressionMetrics } from "./metrics.js";
import { fitRegressionReplicate } from "./replicate.js";

export type { RegressionConfig, RegressionMethod } from "./config.js";

/** One replicate: truth "truth", data "data", method j "method:<label>", shared results "shared:<name>". */
export function runRegressionReplicate(config: RegressionConfig, rng: Rng): MethodOutcome[] {
  const { scenario } = config;
  const rep = fitRegressionReplicate(config, rng);
  const options = config.evaluation.bounds;
  const theory = options === null ? null : new RegressionBoundTheory(config, rep.truth, rep.data, options);
  return rep.fits.map(({ method, fit }): MethodOutcome => {
    const diagnostics = { ...fit.diagnostics };
    if (fit.basis === null) return { method: method.label, ok: false, reason: fit.reason ?? "no representation", metrics: diagnostics };
    const measured = regressionMetrics(fit.basis, rep.truth, scenario, rep.data.target, config.evaluation.eps);
    const { sinTheta, sinThetaFrobenius } = measured.metrics;
    const bounds = theory === null ? {} : boundMetrics(regressionBoundChecks(method, fit, { sinTheta, sinThetaFrobenius }, theory));
    const metrics = { ...diagnostics, ...measured.metrics, ...bounds };
    for (const [k, v] of Object.entries(metrics)) {
      if (!Number.isFinite(v)) throw new Error(`regression family: metric ${k} of method ${method.label} is ${v} (a bug: metrics must be finite)`);
    }
    const reason = fit.ok ? measured.reason : fit.reason;
    return reason === undefined ? { method: method.label, ok: true, metrics } : { method: method.label, ok: false, reason, metrics };
  });
}

/** The regression family with its own estimator registry. */
export interface RegressionFamily extends Family<RegressionConfig> {
  readonly estimators: NamedRegistry<RegressionEstimator>;
}

/** A fresh regression family (its estimator registry belongs to this instance). */
export function createRegressionFamily(): RegressionFamily {
  const estimators = createRegressionEstimators();
  return {
    name: "regression",
    description: "multi-task linear regression with a shared low-rank representation, the prior-work model (MODEL §2.2, §3.5)",
    configKeys: REGRESSION_CONFIG_KEYS,
    parse: (raw) => parseRegressionConfig(raw, estimators),
    echo: echoRegressionConfig,
    methodLabels: (config) => config.methods.map((m) => m.label),
    runReplicate: runRegressionReplicate,
    metrics: { names: Object.keys(REGRESSION_METRIC_LABELS), table: ["sinTheta", "targetExcess", "expectedExcess", "targetParameterError", "iterations", "failed"], labels: REGRESSION_METRIC_LABELS },
    demo: () => regressionDemoConfig() as JsonObject,
    smallConfig: () => ({ scenario: { d: 12, r: 2, T: 16, n: 8, n0: 8 } }),
    estimators,
    extensions: {},
    bounds: {
      defaults: { ...DEFAULT_REGRESSION_BOUNDS },
      descriptions: {},
      notes: (config) => regressionBoundNotes(config as RegressionConfig),
      enable(raw, options) {
        // Options given in the config (evaluation.bounds) take precedence over the defaults.
        const evaluation = typeof raw.evaluation === "object" && raw.evaluation !== null && !Array.isArray(raw.evaluation) ? raw.evaluation : {};
        const given = evaluation.bounds ?? {};
        // Anything but an object is left for the parser to refuse with its field name.
        if (typeof given !== "object" || given === null || Array.isArray(given)) return raw;
        return { ...raw, evaluation: { ...evaluation, bounds: { ...options, ...given } } };
      },
    },
  };
}
