/** The paper's Algorithm 1, steps 1-2 (MODEL §3.1-§3.2): per-task step on labelled data, then SVD. */
import { column } from "../../../core/linalg/mat.js";
import { perTaskDirection } from "./perTask.js";
import { representationFromDirections } from "./representation.js";
import type { RepresentationEstimator } from "./types.js";

/** Standard or adversarial (l2 / l-inf) per-task directions, then the top-r SVD. */
export const supervisedRepresentation: RepresentationEstimator = ({ data, r }, method) => {
  const stats = data.sourceStatistics;
  const directions = [];
  for (let t = 0; t < stats.cols; t++) directions.push(perTaskDirection(column(stats, t), method.attack, method.eps));
  return representationFromDirections(directions, r, method.columns);
};
