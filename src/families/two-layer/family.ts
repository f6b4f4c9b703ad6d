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
 * sourceLoss (clean weighted training loss at the end), targetExcess and targetExcessSE (the
 * Monte Carlo standard error within the replicate), and, with N = Linf or L2 the norm of the
 * evaluation attack,
 *   regression:      robustExcessN, robustExcessNSE
 *   classification:  targetError, targetErrorSE, robustErrorN, robustErrorNSE.
 * A method whose training diverges is reported with ok = false and the reason.
 */
import type { Rng } from "../../core/random/rng.js";
import {
  type TwoLayerNorm,
  drawTwoLayerTruth,
  evaluationAttack,
  labelModel,
  methodAttack,
  parseTwoLayerConfig,
  sampleTwoLayer,
  type TwoLayerAttack,
  type TwoLayerConfig,
  type TwoLayerMethod,
  type TwoLayerSample,
  type TwoLayerScenario,
  type TwoLayerSsl,
  type TwoLayerTruth,
} from "./scenario.js";
import { initialNetwork, networkWithHeads, type TwoLayerLoss, type TwoLayerNet } from "./estimators/network.js";
import { trainTwoLayer, type TrainingResult } from "./estimators/train.js";
import { labelledTrainingData, pooledTrainingData } from "./estimators/trainingData.js";
import { pseudoLabels } from "./estimators/pseudoLabel.js";
import { featureMatrix, fitTwoLayerHead } from "./estimators/targetHead.js";
import type { TrainingData } from "./estimators/kernels.js";
import {
  classificationError,
  regressionExcessRisk,
  robustTargetRisk,
  rowSpaceAngles,
  type TargetTestSet,
} from "./metrics.js";
import type { Family, MethodOutcome } from "../../experiment/family.js";

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
  const needsUnlabelled = config.methods.some((m) => m.ssl !== null);
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
export function robustMetricName(kind: "Excess" | "Error", norm: TwoLayerNorm): string {
  return `robust${kind}${norm === "linf" ? "Linf" : "L2"}`;
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

function failure(method: TwoLayerMethod, reason: string): MethodOutcome {
  return { method: method.label, ok: false, reason, metrics: {} };
}

/** A key naming a training run: its data (labelled, or pooled with a teacher and weight) and attack. */
function runKey(attack: TwoLayerAttack | null, pooled: string | null): string {
  return `${pooled ?? "labelled"}|${JSON.stringify(attack)}`;
}

/**
 * Runs every method of the config on one replicate drawn from `rng`. Training runs are cached by
 * (data, attack) and draw their attack starts from a stream named by that key, so a method's
 * numbers do not depend on which other methods run.
 */
export function runTwoLayerReplicate(config: TwoLayerConfig, rng: Rng): MethodOutcome[] {
  const data = drawTwoLayerReplicate(config, rng);
  const loss = trainingLoss(config.scenario);
  const act = config.scenario.activation;
  const labelled = labelledTrainingData(data.source);
  const runs = new Map<string, TrainingResult | string>();
  const train = (trainingData: TrainingData, attack: TwoLayerAttack | null, pooled: string | null): TrainingResult | string => {
    const key = runKey(attack, pooled);
    let run = runs.get(key);
    if (run === undefined) {
      try {
        run = trainTwoLayer(data.init, trainingData, act, loss, { ...config.training, attack }, rng.fork(`train:${key}`));
      } catch (e) {
        run = e instanceof RangeError ? e.message : String(e);
      }
      runs.set(key, run);
    }
    return run;
  };
  // Labelled + pseudo-labelled sets, one per (teacher attack, weight).
  const pooledSets = new Map<string, TrainingData | string>();
  const pooledData = (ssl: TwoLayerSsl, attack: TwoLayerAttack | null): { key: string; set: TrainingData | string } => {
    const teacherAttack = ssl.teacher === "adversarial" ? attack : null;
    const key = `pooled(teacher=${JSON.stringify(teacherAttack)},weight=${ssl.weight})`;
    let set = pooledSets.get(key);
    if (set === undefined) {
      const teacher = train(labelled, teacherAttack, null);
      const unl = data.unlabelled as TwoLayerSample;
      if (typeof teacher === "string") set = `teacher training failed: ${teacher}`;
      else {
        const y = pseudoLabels(teacher.net, act, config.scenario.labels, unl.x, unl.task);
        set = pooledTrainingData(data.source, { count: unl.count, dim: unl.dim, x: unl.x, y, task: unl.task }, ssl.weight);
      }
      pooledSets.set(key, set);
    }
    return { key, set };
  };
  return config.methods.map((method): MethodOutcome => {
    const attack = methodAttack(method);
    let result: TrainingResult | string;
    if (method.ssl === null) result = train(labelled, attack, null);
    else {
      const { key, set } = pooledData(method.ssl, attack);
      if (typeof set === "string") return failure(method, set);
      result = train(set, attack, key);
    }
    if (typeof result === "string") return failure(method, result);
    const metrics = { ...measureTwoLayer(config, data, result.net.w, rng), sourceLoss: result.finalLoss };
    for (const [key, value] of Object.entries(metrics)) {
      if (!Number.isFinite(value)) return failure(method, `metric ${key} = ${value} is not finite`);
    }
    return { method: method.label, ok: true, metrics };
  });
}

/** The two-layer family for the experiment layer. */
export const twoLayerFamily: Family<TwoLayerConfig> = {
  name: "two-layer",
  parse: parseTwoLayerConfig,
  methodLabels: (config) => config.methods.map((m) => m.label),
  runReplicate: runTwoLayerReplicate,
};
