/**
 * The built-in model families. This is the one place that names them: generic code takes a
 * Registry, and a new family is a folder under families/ plus one line below.
 */
import type { Family } from "../experiment/family.js";
import { Registry } from "../experiment/registry.js";
import { createMixtureFamily } from "./mixture/family.js";
import { createRegressionFamily } from "./regression/family.js";
import { createTwoLayerFamily } from "./two-layer/family.js";

/** Fresh instances of the built-in families, in the order help texts list them. */
export function builtinFamilies(): Family[] {
  return [
    createMixtureFamily(),
    createTwoLayerFamily(),
    createRegressionFamily(),
  ];
}

/** A fresh registry of the built-in families (with their own estimator registries). */
export function createDefaultRegistry(): Registry {
  return new Registry(builtinFamilies());
}

/** The library's shared registry: what `registerEstimator` and friends add to, and what the CLI uses. */
export const defaultRegistry: Registry = createDefaultRegistry();
