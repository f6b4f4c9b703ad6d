/**
 * Representation estimators by name: sweeps, configs and the CLI look them up here. A new
 * estimator is one new file plus one line below.
 */
import { jointErmRepresentation } from "./jointErm.js";
import { pseudoLabelRepresentation } from "./pseudoLabel.js";
import { supervisedRepresentation } from "./supervised.js";
import type { RepresentationEstimator } from "./types.js";

export const representationEstimators: Readonly<Record<string, RepresentationEstimator>> = {
  supervised: supervisedRepresentation,
  "pseudo-label": pseudoLabelRepresentation,
  "joint-erm": jointErmRepresentation,
};

/** Registered estimator names. */
export function estimatorNames(): string[] {
  return Object.keys(representationEstimators);
}
