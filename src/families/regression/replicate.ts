/**
 * One regression replicate up to the fitted representations (MODEL §2.2, §3.5): the truth from
 * stream "truth", the data from stream "data" (exact or sample path; kept in memory when a method
 * makes several passes), and every method's estimator fitted on stream "method:<label>", with the
 * results methods share (the method-of-moments start of AltMin, ...) computed once. The family's
 * measurements and the bound checks both start here, so they see the same draws.
 */
import type { Rng } from "../../core/random/rng.js";
import type { RegressionConfig, RegressionMethod } from "./config.js";
import type { RegressionFit, RegressionFitInput } from "./estimators/estimator.js";
import { type RegressionData, drawRegressionData } from "./samplers.js";
import { type RegressionTruth, drawRegressionTruth } from "./scenario.js";

/** A replicate's truth, data and each method's fit. */
export interface RegressionReplicateFits {
  readonly truth: RegressionTruth;
  readonly data: RegressionData;
  readonly fits: readonly { readonly method: RegressionMethod; readonly fit: RegressionFit }[];
}

/** Draws the truth and data of a replicate and fits every method. */
export function fitRegressionReplicate(config: RegressionConfig, rng: Rng): RegressionReplicateFits {
  const { scenario } = config;
  const truth = drawRegressionTruth(scenario, rng.fork("truth"));
  const store = config.methods.some((m) => m.estimator.tags(m.params).passes === "many");
  const data = drawRegressionData(scenario, truth, rng.fork("data"), { sampler: config.sampler, store });
  const input: RegressionFitInput = { data, scenario, shared: new Map(), sharedRng: (name) => rng.fork(`shared:${name}`) };
  const fits = config.methods.map((method) => ({ method, fit: method.estimator.fit(input, method.params, rng.fork(`method:${method.label}`)) }));
  return { truth, data, fits };
}
