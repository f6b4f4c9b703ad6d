/**
 * advtransfer: a simulator of the theory of adversarial and semi-supervised training for
 * transfer learning via better representations. The library entry point re-exports the pure
 * layers (no Node-only APIs): linalg, random, model, estimators, metrics, experiment.
 */
export * from "./linalg/index.js";
export * from "./random/index.js";
export * from "./model/parse.js";
export * from "./model/support.js";
export * from "./model/mixture.js";
export * from "./model/mixtureSamplers.js";
export * from "./model/activation.js";
export * from "./model/twoLayer.js";
export * from "./estimators/perTask.js";
export * from "./estimators/representation.js";
export * from "./estimators/pseudoLabel.js";
export * from "./estimators/supervised.js";
export * from "./estimators/target.js";
export * from "./estimators/registry.js";
export type * from "./estimators/types.js";
export * from "./metrics/mixture.js";
export * from "./estimators/twoLayer/network.js";
export * from "./estimators/twoLayer/kernels.js";
export * from "./estimators/twoLayer/attack.js";
export * from "./estimators/twoLayer/train.js";
export * from "./estimators/twoLayer/trainingData.js";
export * from "./estimators/twoLayer/pseudoLabel.js";
export * from "./estimators/twoLayer/targetHead.js";
export * from "./metrics/twoLayer.js";
export * from "./theory/index.js";
export type * from "./experiment/types.js";
export * from "./experiment/config.js";
export * from "./experiment/families.js";
export * from "./experiment/mixtureFamily.js";
export * from "./experiment/twoLayerFamily.js";
export * from "./experiment/run.js";
export * from "./experiment/demo.js";
export * from "./experiment/canonicalJson.js";
export * from "./experiment/sweepSpec.js";
export * from "./experiment/sweepPlan.js";
export * from "./experiment/shard.js";
export * from "./experiment/replicateRange.js";
export * from "./experiment/cellRecord.js";
export * from "./experiment/cellSummary.js";
export * from "./experiment/summaryStatistics.js";
export * from "./experiment/pairedDifference.js";
