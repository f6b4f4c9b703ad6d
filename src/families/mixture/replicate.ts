/**
 * One mixture replicate up to the fitted representations (MODEL §2.1, §3): the truth from stream
 * "truth", the data from stream "data" (exact or sample path), and every method's estimator fitted
 * on stream "method:<label>". The family's measurements and the bound checks both start here, so
 * they see the same draws.
 */
import type { Rng } from "../../core/random/rng.js";
import type { MixtureConfig, MixtureMethod } from "./config.js";
import type { Representation } from "./estimators/representation.js";
import { type MixtureData, exactMixtureData, sampleMixtureData } from "./samplers.js";
import { type MixtureTruth, drawMixtureTruth } from "./scenario.js";

/** Draws a replicate's data on the configured path. */
export function drawMixtureData(config: MixtureConfig, truth: MixtureTruth, rng: Rng): MixtureData {
  return config.sampler === "exact" ? exactMixtureData(config.scenario, truth, rng) : sampleMixtureData(config.scenario, truth, rng);
}

/** A replicate's truth, data and each method's fitted representation. */
export interface MixtureReplicateFits {
  readonly truth: MixtureTruth;
  readonly data: MixtureData;
  readonly fits: readonly { readonly method: MixtureMethod; readonly rep: Representation }[];
}

/** A replicate's truth (stream "truth") and data (stream "data"). */
export function drawMixtureReplicate(config: MixtureConfig, rng: Rng): { readonly truth: MixtureTruth; readonly data: MixtureData } {
  const truth = drawMixtureTruth(config.scenario, rng.fork("truth"));
  return { truth, data: drawMixtureData(config, truth, rng.fork("data")) };
}

/**
 * Fits every method of `config` on drawn truth and data, method j on stream "method:<label>" of
 * the replicate's `rng`. Streams are named, not consumed in order, so the fits do not depend on
 * whether the truth and data were drawn from the same `rng` just before or earlier for another
 * config with the same scenario and sampler.
 */
export function fitMixtureMethods(config: MixtureConfig, drawn: { readonly truth: MixtureTruth; readonly data: MixtureData }, rng: Rng): MixtureReplicateFits {
  const { scenario } = config;
  const { truth, data } = drawn;
  const fits = config.methods.map((method) => ({
    method,
    rep: method.estimator.fit({ data, r: scenario.r, n: scenario.n }, method.params, rng.fork(`method:${method.label}`)),
  }));
  return { truth, data, fits };
}

/** Draws the truth and data of a replicate and fits every method. */
export function fitMixtureReplicate(config: MixtureConfig, rng: Rng): MixtureReplicateFits {
  return fitMixtureMethods(config, drawMixtureReplicate(config, rng), rng);
}
