/**
 * The regression family's estimators by name (a method's "estimator" key). A new estimator is one
 * new file plus one line below, or a plugin (registerEstimator).
 */
import { NamedRegistry } from "../../../experiment/registry.js";
import { altMinEstimator } from "./altmin.js";
import type { RegressionEstimator } from "./estimator.js";
import { foEstimator } from "./fo.js";
import { momEstimator } from "./mom.js";
import { spectralEstimator } from "./spectral.js";

/** The built-in estimators. */
export const BUILTIN_REGRESSION_ESTIMATORS: readonly RegressionEstimator[] = [momEstimator, spectralEstimator, altMinEstimator, foEstimator];

/** A fresh registry of the built-in estimators. */
export function createRegressionEstimators(): NamedRegistry<RegressionEstimator> {
  return new NamedRegistry<RegressionEstimator>("estimator", BUILTIN_REGRESSION_ESTIMATORS);
}
