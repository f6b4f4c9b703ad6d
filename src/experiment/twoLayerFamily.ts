/**
 * The `two-layer` family (MODEL §2.3, §3.6): one replicate draws a teacher, the labelled and
 * unlabelled source samples, the target samples and a fresh target test set; every method trains
 * the student on the source tasks from the same initialisation (common random numbers), freezes
 * W, fits the target head and is measured on the same test set.
 *
 * Methods: standard training; adversarial training (PGD or FGSM, l-inf or l2); semi-supervised
 * training on labelled plus pseudo-labelled samples, the pseudo-labels coming from the standard
 * network trained on the labelled data (the teacher); and adversarial training on the pooled
 * data. The standard network and the pseudo-labelled set are computed once per replicate.
 *
 * Metrics (finite numbers only): sinTheta, sinThetaFrobenius (row space of W against the truth),
 * sourceLoss (clean weighted training loss at the end), targetExcess and targetExcessSE, and
 *   regression:      robustTargetExcess, robustTargetExcessSE
 *   classification:  targetError, targetErrorSE, robustTargetError, robustTargetErrorSE.
 * A method whose training diverges is reported with ok = false and the reason.
 */
import type { Rng } from "../random/rng.js";
import {
  drawTwoLayerTruth,
  labelModel,
  parseTwoLayerConfig,
  sampleTwoLayer,
  type TwoLayerConfig,
  type TwoLayerMethod,
  type TwoLayerSample,
  type TwoLayerTruth,
} from "../model/twoLayer.js";
import { initialNetwork, networkWithHeads, type TwoLayerLoss, type TwoLayerNet } from "../estimators/twoLayer/network.js";
import { trainTwoLayer, type TrainingResult } from "../estimators/twoLayer/train.js";
import { labelledTrainingData, pooledTrainingData } from "../estimators/twoLayer/trainingData.js";
import { pseudoLabels } from "../estimators/twoLayer/pseudoLabel.js";
import { featureMatrix, fitTargetHead } from "../estimators/twoLayer/targetHead.js";
import type { TrainingData } from "../estimators/twoLayer/kernels.js";
import {
  classificationError,
  regressionExcessRisk,
  robustTargetRisk,
  rowSpaceAngles,
  type TargetTestSet,
} from "../metrics/twoLayer.js";
import type { Family, MethodOutcome } from "./types.js";

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
  const truth = drawTwoLayerTruth(config, rng.fork("truth"));
  const lm = labelModel(config);
  const act = config.activation;
  const source = sampleTwoLayer(truth, act, truth.sourceHeads, config.n, lm, rng.fork("source"));
  const needsUnlabelled = config.methods.some((m) => m.pseudoLabels);
  const unlabelled = needsUnlabelled ? sampleTwoLayer(truth, act, truth.sourceHeads, config.ssl.m, lm, rng.fork("unlabelled")) : null;
  const target = sampleTwoLayer(truth, act, truth.targetHead, config.n0, lm, rng.fork("target"));
  const testSample = sampleTwoLayer(truth, act, truth.targetHead, config.evaluation.testSize, lm, rng.fork("test"));
  const test: TargetTestSet = { count: testSample.count, x: testSample.x, clean: testSample.clean };
  const init = initialNetwork(config.r, config.d, config.T, config.training.initScale, rng.fork("init"));
  return { truth, source, unlabelled, target, test, init };
}

/** The training loss of a config: squared for regression labels, logistic for classification. */
export function trainingLoss(config: Pick<TwoLayerConfig, "labels">): TwoLayerLoss {
  return config.labels === "regression" ? "squared" : "logistic";
}

/** The metrics of a trained first layer W: angles, target head fit and target risks. */
export function measureTwoLayer(config: TwoLayerConfig, data: TwoLayerReplicateData, w: Float64Array, rng: Rng): Record<string, number> {
  const { r, d, activation } = config;
  const angles = rowSpaceAngles(w, r, d, data.truth.bStar);
  const features = featureMatrix(networkWithHeads(w, r, d, new Float64Array(r)), activation, data.target.x, data.target.count);
  const head = fitTargetHead(features, data.target.y, config.target.fit, config.target.headBound);
  const net = networkWithHeads(w, r, d, head);
  const metrics: Record<string, number> = { sinTheta: angles.sinTheta, sinThetaFrobenius: angles.sinThetaFrobenius };
  if (config.labels === "regression") {
    const excess = regressionExcessRisk(net, activation, data.test);
    const robust = robustTargetRisk(net, activation, data.test, config.evaluation.attack, "regression", rng.fork("robust"));
    Object.assign(metrics, {
      targetExcess: excess.mean,
      targetExcessSE: excess.se,
      robustTargetExcess: robust.mean,
      robustTargetExcessSE: robust.se,
    });
  } else {
    const error = classificationError(net, activation, data.test);
    const robust = robustTargetRisk(net, activation, data.test, config.evaluation.attack, "classification", rng.fork("robust"));
    const scale = 1 - 2 * config.flip;
    Object.assign(metrics, {
      targetExcess: scale * error.mean,
      targetExcessSE: scale * error.se,
      targetError: error.mean,
      targetErrorSE: error.se,
      robustTargetError: robust.mean,
      robustTargetErrorSE: robust.se,
    });
  }
  return metrics;
}

function failure(method: TwoLayerMethod, reason: string): MethodOutcome {
  return { method: method.label, ok: false, reason, metrics: {} };
}

/** Runs every method of the config on one replicate drawn from `rng`. */
export function runTwoLayerReplicate(config: TwoLayerConfig, rng: Rng): MethodOutcome[] {
  const data = drawTwoLayerReplicate(config, rng);
  const loss = trainingLoss(config);
  const act = config.activation;
  const labelled = labelledTrainingData(data.source);
  const train = (trainingData: TrainingData, method: TwoLayerMethod): TrainingResult =>
    trainTwoLayer(
      data.init,
      trainingData,
      act,
      loss,
      { ...config.training, attack: method.attack },
      rng.fork(`train:${method.pseudoLabels ? "pooled" : "labelled"}:${JSON.stringify(method.attack)}`),
    );
  // Networks trained on the labelled data, one per attack (null: standard), computed once.
  const labelledRuns = new Map<string, TrainingResult | string>();
  const labelledRun = (method: TwoLayerMethod): TrainingResult | string => {
    const key = JSON.stringify(method.attack);
    let run = labelledRuns.get(key);
    if (run === undefined) {
      try {
        run = train(labelled, method);
      } catch (e) {
        run = e instanceof RangeError ? e.message : String(e);
      }
      labelledRuns.set(key, run);
    }
    return run;
  };
  // Pooled labelled + pseudo-labelled sets, one per teacher.
  const pooledSets = new Map<string, TrainingData | string>();
  const pooledData = (method: TwoLayerMethod): TrainingData | string => {
    const teacherMethod: TwoLayerMethod =
      config.ssl.teacher === "adversarial" && method.attack !== null
        ? { label: `teacher:${method.label}`, attack: method.attack, pseudoLabels: false }
        : { label: "standard", attack: null, pseudoLabels: false };
    const key = JSON.stringify(teacherMethod.attack);
    let set = pooledSets.get(key);
    if (set === undefined) {
      const teacher = labelledRun(teacherMethod);
      const unl = data.unlabelled as TwoLayerSample;
      if (typeof teacher === "string") set = `teacher training failed: ${teacher}`;
      else {
        const y = pseudoLabels(teacher.net, act, config.labels, unl.x, unl.task);
        set = pooledTrainingData(data.source, { count: unl.count, dim: unl.dim, x: unl.x, y, task: unl.task }, config.ssl.weight);
      }
      pooledSets.set(key, set);
    }
    return set;
  };
  return config.methods.map((method): MethodOutcome => {
    let result: TrainingResult | string;
    if (!method.pseudoLabels) result = labelledRun(method);
    else {
      const trainingData = pooledData(method);
      if (typeof trainingData === "string") return failure(method, trainingData);
      try {
        result = train(trainingData, method);
      } catch (e) {
        result = e instanceof RangeError ? e.message : String(e);
      }
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
