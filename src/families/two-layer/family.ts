/**
 * The `two-layer` family (MODEL §2.3, §3.6): one replicate draws a teacher, the labelled and
 * unlabelled source samples, the target samples and a fresh target test set; every method trains
 * the student on the source tasks from the same initialisation (common random numbers), freezes
 * W, fits the target head and is measured on the same test set.
 *
 * Methods: standard training; adversarial training (PGD or FGSM, l-inf or l2); semi-supervised
 * training on labelled plus pseudo-labelled samples, the pseudo-labels coming from a network
 * trained on the labelled data (the teacher: standard, or against the method's own attack); and
 * adversarial training on the pooled data. Each distinct training run (data, attack) and each
 * pseudo-labelled set is computed once per replicate.
 *
 * Metrics (finite numbers only): sinTheta, sinThetaFrobenius (row space of W against the truth),
 * sourceLoss (the clean loss on the labelled source data at the end of training, the same data
 * for every method), lossAtTruth (the same loss at W* with the best heads, one value per
 * replicate) and lossGap = sourceLoss - lossAtTruth, unitCollapse (max |cos| between the rows of
 * W), trainingSteps (steps taken; convergence may stop training early), pseudoLabelKept (share
 * of the unlabelled samples a pseudo-labelling method kept), targetExcess and targetExcessSE (the
 * Monte Carlo standard error within the replicate), and, with N = Linf or L2 the norm of the
 * evaluation attack,
 *   regression:      robustExcessN, robustExcessNSE
 *   classification:  targetError, targetErrorSE, robustErrorN, robustErrorNSE.
 * A method whose training diverges is reported with ok = false and the reason.
 */
import type { Rng } from "../../core/random/rng.js";
import { type PerturbationNorm, normSuffix } from "../../core/model/perturbation.js";
import type { Family, JsonObject, MethodOutcome } from "../../experiment/family.js";
import { NamedRegistry } from "../../experiment/registry.js";
import { type TwoLayerConfig, type TwoLayerEstimator, type TwoLayerMethod, TWO_LAYER_CONFIG_KEYS, echoTwoLayerConfig, evaluationAttack, parseTwoLayerConfig, usesUnlabelled } from "./config.js";
import { type TwoLayerFitInput, jointTrainingEstimator } from "./estimators/jointTraining.js";
import { lossAndGradient } from "./estimators/kernels.js";
import { initialNetwork, networkWithHeads, type TwoLayerLoss, type TwoLayerNet } from "./estimators/network.js";
import { featureMatrix, fitTwoLayerHead } from "./estimators/targetHead.js";
import { labelledTrainingData } from "./estimators/trainingData.js";
import { classificationError, lossAtTruth, regressionExcessRisk, robustTargetRisk, rowSpaceAngles, type TargetTestSet, unitCollapse } from "./metrics.js";
import { type TwoLayerSample, type TwoLayerScenario, type TwoLayerTruth, drawTwoLayerTruth, labelModel, sampleTwoLayer } from "./scenario.js";

/** Everything drawn for one replicate, shared by all methods. */
export interface TwoLayerReplicateData {
  readonly truth: TwoLayerTruth;
  readonly source: TwoLayerSample;
  readonly unlabelled: TwoLayerSample | null;
  readonly target: TwoLayerSample;
  readonly test: TargetTestSet;
  readonly init: TwoLayerNet;
}

/** Draws the replicate's truth, samples and initial network from named streams of `rng`. */
export function drawTwoLayerReplicate(config: TwoLayerConfig, rng: Rng): TwoLayerReplicateData {
  const sc = config.scenario;
  const truth = drawTwoLayerTruth(sc, rng.fork("truth"));
  const lm = labelModel(sc);
  const act = sc.activation;
  const source = sampleTwoLayer(truth, act, truth.sourceHeads, sc.n, lm, rng.fork("source"));
  const needsUnlabelled = config.methods.some(usesUnlabelled);
  const unlabelled = needsUnlabelled ? sampleTwoLayer(truth, act, truth.sourceHeads, sc.m, lm, rng.fork("unlabelled")) : null;
  const target = sampleTwoLayer(truth, act, truth.targetHead, sc.n0, lm, rng.fork("target"));
  const testSample = sampleTwoLayer(truth, act, truth.targetHead, config.evaluation.testSize, lm, rng.fork("test"));
  const test: TargetTestSet = { count: testSample.count, x: testSample.x, clean: testSample.clean };
  const init = initialNetwork(sc.r, sc.d, sc.T, config.training.initScale, rng.fork("init"));
  return { truth, source, unlabelled, target, test, init };
}

/** The training loss of a scenario: squared for regression labels, logistic for classification. */
export function trainingLoss(scenario: Pick<TwoLayerScenario, "labels">): TwoLayerLoss {
  return scenario.labels === "regression" ? "squared" : "logistic";
}

/** Name of a robust metric under the evaluation attack: robustExcessLinf, robustErrorL2, ... */
export function robustMetricName(kind: "Excess" | "Error", norm: PerturbationNorm): string {
  return `robust${kind}${normSuffix(norm)}`;
}

/** The metrics of a trained first layer W: angles, target head fit and target risks. */
export function measureTwoLayer(config: TwoLayerConfig, data: TwoLayerReplicateData, w: Float64Array, rng: Rng): Record<string, number> {
  const { r, d, activation, labels, flip } = config.scenario;
  const angles = rowSpaceAngles(w, r, d, data.truth.bStar);
  const features = featureMatrix(networkWithHeads(w, r, d, new Float64Array(r)), activation, data.target.x, data.target.count);
  const head = fitTwoLayerHead(features, data.target.y, config.target.fit, config.target.headBound);
  const net = networkWithHeads(w, r, d, head);
  const metrics: Record<string, number> = { sinTheta: angles.sinTheta, sinThetaFrobenius: angles.sinThetaFrobenius };
  const attack = evaluationAttack(config);
  if (labels === "regression") {
    const excess = regressionExcessRisk(net, activation, data.test);
    const robust = robustTargetRisk(net, activation, data.test, attack, "regression", rng.fork("robust"));
    const name = robustMetricName("Excess", attack.norm);
    Object.assign(metrics, { targetExcess: excess.mean, targetExcessSE: excess.se, [name]: robust.mean, [`${name}SE`]: robust.se });
  } else {
    const error = classificationError(net, activation, data.test);
    const robust = robustTargetRisk(net, activation, data.test, attack, "classification", rng.fork("robust"));
    const scale = 1 - 2 * flip;
    const name = robustMetricName("Error", attack.norm);
    Object.assign(metrics, {
      targetExcess: scale * error.mean,
      targetExcessSE: scale * error.se,
      targetError: error.mean,
      targetErrorSE: error.se,
      [name]: robust.mean,
      [`${name}SE`]: robust.se,
    });
  }
  return metrics;
}

/** What the estimators see of a replicate's data, with an empty training cache. */
export function twoLayerFitInput(config: TwoLayerConfig, data: TwoLayerReplicateData): TwoLayerFitInput {
  return {
    config,
    truth: data.truth,
    source: data.source,
    unlabelled: data.unlabelled,
    init: data.init,
    labelled: labelledTrainingData(data.source),
    loss: trainingLoss(config.scenario),
    cache: { runs: new Map(), pooled: new Map(), inits: new Map(), workspaces: new Map() },
  };
}

function failure(method: TwoLayerMethod<unknown>, reason: string): MethodOutcome {
  return { method: method.label, ok: false, reason, metrics: {} };
}

/**
 * Runs every method of the config on one replicate drawn from `rng`: each method's estimator
 * fits on the shared data and cache (the built-in estimator trains each distinct (data, attack)
 * once), W is frozen, the target head fitted and the risks measured on the shared test set.
 */
export function runTwoLayerReplicate(config: TwoLayerConfig, rng: Rng): MethodOutcome[] {
  const data = drawTwoLayerReplicate(config, rng);
  const sc = config.scenario;
  const input = twoLayerFitInput(config, data);
  const atTruth = lossAtTruth(data.truth, sc.activation, sc.labels, data.source);
  return config.methods.map((method): MethodOutcome => {
    const result = method.estimator.fit(input, method.params, rng);
    if (typeof result === "string") return failure(method, result);
    const net = result.net;
    // The student of a pseudo-labelling method has heads for the same tasks: its loss on the
    // labelled data is comparable with every other method's.
    const sourceLoss = lossAndGradient(net, input.labelled, sc.activation, input.loss, null);
    const metrics: Record<string, number> = {
      ...measureTwoLayer(config, data, net.w, rng),
      sourceLoss,
      unitCollapse: unitCollapse(net.w, sc.r, sc.d),
      trainingSteps: result.steps,
      ...result.diagnostics,
    };
    if (atTruth !== null) Object.assign(metrics, { lossAtTruth: atTruth, lossGap: sourceLoss - atTruth });
    for (const [key, value] of Object.entries(metrics)) {
      if (!Number.isFinite(value)) return failure(method, `metric ${key} = ${value} is not finite`);
    }
    return { method: method.label, ok: true, metrics };
  });
}

/** Display names of the two-layer metrics. */
export const TWO_LAYER_METRIC_LABELS: Readonly<Record<string, string>> = {
  sinTheta: "sin theta(W, W*), spectral (row spaces)",
  sinThetaFrobenius: "sin theta(W, W*), Frobenius",
  targetExcess: "target excess risk",
  targetError: "target 0-1 error",
  robustExcessLinf: "robust target excess risk (l-inf attack)",
  robustErrorLinf: "robust target 0-1 error (l-inf attack)",
  robustExcessL2: "robust target excess risk (l2 attack)",
  robustErrorL2: "robust target 0-1 error (l2 attack)",
  sourceLoss: "clean loss on the labelled source data",
  lossAtTruth: "source loss at W* (best heads)",
  lossGap: "source loss minus the loss at W*",
  unitCollapse: "max |cos| between hidden units",
  trainingSteps: "training steps taken",
  pseudoLabelKept: "share of pseudo-labels kept",
};

/** Every metric the family reports: the labelled ones and their Monte Carlo standard errors. */
const TWO_LAYER_METRICS = [...Object.keys(TWO_LAYER_METRIC_LABELS), "targetExcessSE", "targetErrorSE", "robustExcessLinfSE", "robustErrorLinfSE", "robustExcessL2SE", "robustErrorL2SE"];

/** A fresh two-layer family with its own estimator registry. */
export function createTwoLayerFamily(): Family<TwoLayerConfig> {
  const estimators = new NamedRegistry<TwoLayerEstimator>("estimator", [jointTrainingEstimator]);
  return {
    name: "two-layer",
    description: "two-layer networks <w_t, phi(W* x)> trained jointly on the source tasks (MODEL §2.3, §3.6)",
    configKeys: TWO_LAYER_CONFIG_KEYS,
    parse: (raw) => parseTwoLayerConfig(raw, estimators),
    echo: echoTwoLayerConfig,
    methodLabels: (config) => config.methods.map((m) => m.label),
    runReplicate: runTwoLayerReplicate,
    metrics: { names: TWO_LAYER_METRICS, table: ["sinTheta", "targetExcess", "targetError", "robustErrorLinf", "robustExcessLinf", "failed"], labels: TWO_LAYER_METRIC_LABELS },
    demo: (): JsonObject => ({ family: "two-layer", replicates: 20, seed: 1 }),
    smallConfig: () => ({ scenario: { d: 12, s: 4, r: 2, T: 4, n: 20, m: 20, n0: 10 }, training: { steps: 30 }, evaluation: { testSize: 200 } }),
    estimators,
    extensions: {},
    resources(config) {
      // Training holds the inputs row-major and feature-major plus the attack's perturbed copy and
      // random start (4 copies of the source sample), the test set and its attacked copy.
      const { d, T, n, m } = config.scenario;
      const rows = T * (n + (config.methods.some(usesUnlabelled) ? m : 0));
      return { bytes: 8 * (4 * rows * d + 2 * config.evaluation.testSize * d), field: "scenario.d", value: d, formula: "4 T (n + m) d + 2 testSize d doubles" };
    },
  };
}
