/**
 * Semi-supervised representation by pseudo-labelling (MODEL §3.3): a teacher fitted on the
 * labelled data labels the unlabelled samples; the student refits on the pooled statistic.
 */
import { column } from "../../../core/linalg/mat.js";
import type { Rng } from "../../../core/random/rng.js";
import { perTaskDirection, perTaskStep } from "./perTask.js";
import { representationFromDirections } from "./representation.js";
import type { RepresentationEstimator } from "./types.js";

/**
 * The pooled student statistic v' = (n v + lambda S) / (n + lambda m), where S is the
 * pseudo-labelled sum over m unlabelled samples (MODEL §3.3, with pseudo-label weight lambda).
 */
export function pseudoLabelStatistic(v: Float64Array, n: number, pseudoSum: Float64Array, m: number, weight: number): Float64Array {
  const out = new Float64Array(v.length);
  const inv = 1 / (n + weight * m);
  for (let i = 0; i < v.length; i++) out[i] = (n * v[i] + weight * pseudoSum[i]) * inv;
  return out;
}

/**
 * Teacher: the per-task step on labelled data at the method's radius; student: the per-task step
 * on the pooled statistic at the student's radius (MODEL §3.3). With rounds > 1 each student
 * teaches the next round on the same unlabelled samples (the sample path only: E2 needs a
 * teacher independent of the unlabelled data, which the config parser enforces).
 */
export const pseudoLabelRepresentation: RepresentationEstimator = ({ data, r, n }, method, rng: Rng) => {
  const ssl = method.ssl;
  if (ssl === null) throw new Error("pseudoLabelRepresentation: method has no ssl options");
  const stats = data.sourceStatistics;
  const directions: (Float64Array | null)[] = [];
  for (let t = 0; t < stats.cols; t++) {
    const v = column(stats, t);
    let teacher = perTaskStep(v, method.attack, method.eps);
    let student: Float64Array | null = null;
    for (let round = 0; round < ssl.rounds; round++) {
      const pseudoSum = data.pseudoLabelledSum(t, teacher, ssl.m, rng.fork(`task:${t}:round:${round}`));
      const pooled = pseudoLabelStatistic(v, n, pseudoSum, ssl.m, ssl.weight);
      student = perTaskDirection(pooled, method.attack, ssl.eps);
      teacher = perTaskStep(pooled, method.attack, ssl.eps);
    }
    directions.push(student);
  }
  return representationFromDirections(directions, r, method.columns);
};
