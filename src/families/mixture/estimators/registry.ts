/**
 * The mixture family's representation estimators by name (a method's "estimator" key). A new
 * estimator is one new file plus one line below, or a plugin (registerEstimator).
 */
import { NamedRegistry } from "../../../experiment/registry.js";
import type { MixtureEstimator } from "./estimator.js";
import { jointErmEstimator } from "./jointErm.js";
import { pseudoLabelEstimator } from "./pseudoLabel.js";
import { supervisedEstimator } from "./supervised.js";

/** The built-in estimators. */
export const BUILTIN_MIXTURE_ESTIMATORS: readonly MixtureEstimator[] = [supervisedEstimator, pseudoLabelEstimator, jointErmEstimator];

/** A fresh registry of the built-in estimators. */
export function createMixtureEstimators(): NamedRegistry<MixtureEstimator> {
  return new NamedRegistry<MixtureEstimator>("estimator", BUILTIN_MIXTURE_ESTIMATORS);
}
