/**
 * advtransfer: a simulator of the theory of adversarial and semi-supervised training for
 * transfer learning via better representations. The library entry point re-exports the pure
 * layers (no Node-only APIs): linalg, random, model, estimators, metrics, experiment.
 */
export * from "./core/linalg/index.js";
export * from "./core/random/index.js";
export * from "./core/config/parse.js";
export * from "./core/model/sparseBasis.js";
export * from "./families/mixture/scenario.js";
export * from "./families/mixture/samplers.js";
export * from "./families/two-layer/activation.js";
export * from "./families/two-layer/scenario.js";
export * from "./families/mixture/estimators/perTask.js";
export * from "./families/mixture/estimators/representation.js";
export * from "./families/mixture/estimators/pseudoLabel.js";
export * from "./families/mixture/estimators/supervised.js";
export * from "./families/mixture/estimators/target.js";
export * from "./families/mixture/estimators/registry.js";
export type * from "./families/mixture/estimators/types.js";
export * from "./families/mixture/metrics.js";
export * from "./families/two-layer/estimators/network.js";
export * from "./families/two-layer/estimators/kernels.js";
export * from "./families/two-layer/estimators/attack.js";
export * from "./families/two-layer/estimators/train.js";
export * from "./families/two-layer/estimators/trainingData.js";
export * from "./families/two-layer/estimators/pseudoLabel.js";
export * from "./families/two-layer/estimators/targetHead.js";
export * from "./families/two-layer/metrics.js";
export * from "./families/mixture/theory/index.js";
export type * from "./experiment/family.js";
export * from "./experiment/runConfig.js";
export * from "./families/index.js";
export * from "./families/mixture/family.js";
export * from "./families/two-layer/family.js";
export * from "./experiment/run.js";
export * from "./families/mixture/demo.js";
export * from "./core/config/canonicalJson.js";
export * from "./experiment/sweepSpec.js";
export * from "./experiment/sweepPlan.js";
export * from "./experiment/shard.js";
export * from "./experiment/replicateRange.js";
export * from "./experiment/cellRecord.js";
export * from "./experiment/cellSummary.js";
export * from "./core/stats.js";
export * from "./experiment/pairedDifference.js";
