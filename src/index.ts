/**
 * advtransfer: a simulator of the theory of adversarial and semi-supervised training for
 * transfer learning via better representations. The library entry point: the pure layers (core,
 * experiment, families, report; no Node-only APIs), so it runs in Node, Deno, browsers and
 * notebooks. Runs and sweeps use the shared `defaultRegistry` unless given another.
 */
import type { Estimator } from "./experiment/estimator.js";
import type { Family } from "./experiment/family.js";
import type { Registry } from "./experiment/registry.js";
import { type RunResult, type SweepOptions, type SweepResult, run as runWith, runSweep as runSweepWith } from "./experiment/run.js";
import { type RunConfig, parseRunConfig as parseRunConfigWith } from "./experiment/runConfig.js";
import type { PerTaskRule } from "./families/mixture/estimators/perTaskRule.js";
import { defaultRegistry } from "./families/index.js";

// core
export * from "./core/linalg/index.js";
export * from "./core/random/index.js";
export * from "./core/config/parse.js";
export * from "./core/config/canonicalJson.js";
export * from "./core/config/sha256.js";
export * from "./core/stats.js";
export * from "./core/format.js";
export * from "./core/model/sparseBasis.js";
export * from "./core/model/heads.js";
export * from "./core/model/perturbation.js";
export * from "./core/model/boundValue.js";
// experiment
export type * from "./experiment/family.js";
export type * from "./experiment/estimator.js";
export * from "./experiment/registry.js";
export * from "./experiment/plugin.js";
export * from "./experiment/runConfig.js";
export * from "./experiment/replicate.js";
export * from "./experiment/task.js";
export * from "./experiment/executor.js";
export * from "./experiment/engine.js";
export * from "./experiment/run.js";
export * from "./experiment/sweepSpec.js";
export * from "./experiment/sweepPlan.js";
export * from "./experiment/shard.js";
export * from "./experiment/cellRecord.js";
export * from "./experiment/cellSummary.js";
export * from "./experiment/claims.js";
export * from "./experiment/pairedEffects.js";
export * from "./experiment/coverage.js";
export * from "./experiment/boundChecks.js";
export * from "./experiment/rates.js";
// families
export * from "./families/index.js";
export * from "./families/mixture/scenario.js";
export * from "./families/mixture/samplers.js";
export * from "./families/mixture/config.js";
export * from "./families/mixture/replicate.js";
export * from "./families/mixture/family.js";
export * from "./families/mixture/demo.js";
export * from "./families/mixture/metrics.js";
export * from "./families/mixture/estimators/estimator.js";
export * from "./families/mixture/estimators/perTaskRule.js";
export * from "./families/mixture/estimators/perTaskRules.js";
export * from "./families/mixture/estimators/rules/linf.js";
export * from "./families/mixture/estimators/representation.js";
export * from "./families/mixture/estimators/supervised.js";
export * from "./families/mixture/estimators/pseudoLabel.js";
export * from "./families/mixture/estimators/jointErm.js";
export * from "./families/mixture/estimators/target.js";
export * from "./families/mixture/estimators/registry.js";
export * from "./families/mixture/theory/index.js";
export * from "./families/mixture/analysis/bounds.js";
export * from "./families/mixture/analysis/rates.js";
export * from "./families/two-layer/activation.js";
export * from "./families/two-layer/scenario.js";
export * from "./families/two-layer/config.js";
export * from "./families/two-layer/family.js";
export * from "./families/two-layer/metrics.js";
export * from "./families/two-layer/estimators/jointTraining.js";
export * from "./families/two-layer/estimators/network.js";
export * from "./families/two-layer/estimators/kernels.js";
export * from "./families/two-layer/estimators/attack.js";
export * from "./families/two-layer/estimators/train.js";
export * from "./families/two-layer/estimators/trainingData.js";
export * from "./families/two-layer/estimators/pseudoLabel.js";
export * from "./families/two-layer/estimators/targetHead.js";
export * from "./families/two-layer/analysis/claims.js";
// report (pure; SVG rendering is in report/renderSvg.js, loaded on demand)
export * from "./report/table.js";
export * from "./report/summaryTable.js";
export * from "./report/figureSpec.js";
export * from "./report/figure.js";
export * from "./report/sweepOutputs.js";
export * from "./report/boundsTable.js";
export * from "./report/ratesTable.js";

/**
 * Parses a raw run config against `registry` (default: the shared registry of the built-in
 * families and whatever was registered): every default filled in, every value checked.
 * @throws ConfigError naming the field, the value and the allowed range.
 * @example parseRunConfig({ scenario: { d: 100 }, replicates: 10 }).replicates // 10
 */
export function parseRunConfig(raw: unknown, registry: Registry = defaultRegistry, extraKeys: readonly string[] = []): RunConfig {
  return parseRunConfigWith(raw, registry, extraKeys);
}

/**
 * Runs a run config in this thread (a one-cell sweep) and summarises it: `record` holds every
 * replicate's value of every metric, `summary` one row per method and metric (mean, SE, n).
 * @throws ConfigError for a bad config (one naming the field, the value and the allowed range).
 * @example
 * const { record, summary } = await run({ scenario: { d: 100, s: 10 }, methods: [{ label: "standard" }, { label: "linf", attack: "linf", eps: 0.3 }], replicates: 20, seed: 1 });
 * record.methods.map((m) => m.method) // ["standard", "linf"]
 * record.methods[0].metrics.sinTheta.length // 20
 * summary.find((r) => r.method === "linf" && r.metric === "sinTheta").n // 20
 */
export function run(raw: unknown, options: Partial<SweepOptions> = {}): Promise<RunResult> {
  return runWith(raw, { ...options, registry: options.registry ?? defaultRegistry });
}

/**
 * Runs a sweep config (a run config plus "sweep", "plot" and "baseline" sections; README
 * "Sweeps") in this thread and returns the records and the tidy rows of summary.csv. `onCell`
 * sees each finished cell, `onProgress` each finished task, `signal` cancels (the promise rejects
 * with its reason), `baseline` names the method the rows' paired effects compare with.
 * @throws ConfigError for a bad config or a baseline that is not a method of every cell.
 * @example
 * const cells = [];
 * const result = await runSweep({ scenario: { d: 100, s: 10 }, replicates: 20, sweep: { "scenario.n": [20, 80] } }, { onCell: (c) => cells.push(c.cell) });
 * result.records.length // 2
 * cells.sort() // [0, 1]
 * result.rows[0].point // { "scenario.n": 20 }
 * const effects = await runSweep({ scenario: { d: 100, s: 10 }, replicates: 20, methods: [{ label: "standard" }, { label: "linf", attack: "linf", eps: 0.3 }] }, { baseline: "standard" });
 * const linf = effects.rows.find((r) => r.method === "linf" && r.metric === "sinTheta");
 * const standard = effects.rows.find((r) => r.method === "standard" && r.metric === "sinTheta");
 * Math.abs(linf.difference - (linf.mean - standard.mean)) < 1e-12 // true
 * standard.difference // null
 */
export function runSweep(raw: unknown, options: Partial<SweepOptions> = {}): Promise<SweepResult> {
  return runSweepWith(raw, { ...options, registry: options.registry ?? defaultRegistry });
}

/**
 * Adds an estimator to a family of the shared registry; a method selects it by name
 * (`{ "estimator": "<name>", ...its keys }`).
 * @throws RangeError when the name is taken (pass `{ replace: true }` to replace on purpose).
 * @example
 * registerEstimator("mixture", { ...supervisedEstimator, name: "supervised-again" });
 * const { record } = await run({ methods: [{ label: "a" }, { label: "b", estimator: "supervised-again" }], replicates: 5 });
 * record.methods[1].metrics.sinTheta // record.methods[0].metrics.sinTheta
 */
export function registerEstimator(family: string, estimator: Estimator, options: { readonly replace?: boolean } = {}): void {
  defaultRegistry.registerEstimator(family, estimator, options);
}

/**
 * Adds a per-task rule (MODEL §3.1: how a task's statistic v_t becomes a column of M) to the
 * mixture family of the shared registry; a method selects it with `"rule": "<name>"` (README,
 * "Your own estimator, rule or family", has a complete rule).
 * @throws RangeError when the name is taken (pass `{ replace: true }` to replace on purpose).
 * @example
 * registerPerTaskRule({ ...linfRule, name: "linf-again", attack: null });
 * const { record } = await run({ methods: [{ label: "a", attack: "linf", eps: 0.3 }, { label: "b", rule: "linf-again", eps: 0.3 }], replicates: 5 });
 * record.methods[1].metrics.sinTheta // record.methods[0].metrics.sinTheta
 */
export function registerPerTaskRule(rule: PerTaskRule, options: { readonly replace?: boolean } = {}): void {
  defaultRegistry.registerExtension("mixture", "perTaskRules", rule, options);
}

/**
 * Adds a family (experiment/family.ts's contract) to the shared registry; a config selects it with
 * `"family": "<name>"`.
 * @throws RangeError when the name is taken (pass `{ replace: true }` to replace on purpose).
 * @example
 * registerFamily({ ...createMixtureFamily(), name: "mixture-again" });
 * (await run({ family: "mixture-again", replicates: 3 })).record.family // "mixture-again"
 */
export function registerFamily(family: Family, options: { readonly replace?: boolean } = {}): void {
  defaultRegistry.registerFamily(family, options);
}
