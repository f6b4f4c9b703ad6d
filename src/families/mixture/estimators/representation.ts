/**
 * The representation step (MODEL §3.2): U = top-r left singular vectors of the matrix of kept
 * per-task columns, computed thin.
 */
import { type Mat, zeros, norm2 } from "../../../core/linalg/mat.js";
import { topLeftSingularVectors } from "../../../core/linalg/decompositions.js";

/** How per-task columns enter M (MODEL §3.2). */
export type ColumnScaling = "normalised" | "unnormalised";

/** A fitted representation, or the reason there is none. */
export type Representation =
  | {
      readonly ok: true;
      /** U, d x r with orthonormal columns. */
      readonly basis: Mat;
      /** M, the d x k matrix of kept columns the SVD was taken of. */
      readonly columns: Mat;
      /** Indices (in 0..T-1) of the kept tasks, matching the columns of M. */
      readonly keptTasks: readonly number[];
      /** Singular values of M, descending. */
      readonly singularValues: Float64Array;
    }
  | {
      readonly ok: false;
      readonly reason: string;
      readonly keptTasks: readonly number[];
    };

/** Relative size below which sigma_r(M) counts as zero: rank deficiency is reported, not used. */
export const RANK_TOLERANCE = 1e-12;

/**
 * U from per-task directions (null = dropped task). Normalised columns are the paper's
 * Algorithm 1 (beta_t = v_t / ||v_t||); unnormalised keep the directions' lengths. Fewer than r
 * kept tasks, or sigma_r(M) <= RANK_TOLERANCE sigma_1(M), gives { ok: false } with the reason.
 */
export function representationFromDirections(
  directions: readonly (Float64Array | null)[],
  r: number,
  scaling: ColumnScaling,
): Representation {
  const keptTasks: number[] = [];
  directions.forEach((v, t) => {
    if (v !== null) keptTasks.push(t);
  });
  const T = directions.length;
  if (keptTasks.length < r) {
    return { ok: false, reason: `only ${keptTasks.length} of ${T} tasks kept, fewer than r = ${r}`, keptTasks };
  }
  const d = (directions[keptTasks[0]] as Float64Array).length;
  const columns = zeros(d, keptTasks.length);
  keptTasks.forEach((t, j) => {
    const v = directions[t] as Float64Array;
    const scale = scaling === "normalised" ? 1 / norm2(v) : 1;
    const off = j * d;
    for (let i = 0; i < d; i++) columns.data[off + i] = v[i] * scale;
  });
  if (d < r) return { ok: false, reason: `d = ${d} is smaller than r = ${r}`, keptTasks };
  const { u, values } = topLeftSingularVectors(columns, r);
  if (!(values[r - 1] > RANK_TOLERANCE * values[0])) {
    return {
      ok: false,
      reason: `kept columns have rank < r = ${r} (sigma_r / sigma_1 = ${(values[r - 1] / values[0]).toExponential(2)})`,
      keptTasks,
    };
  }
  return { ok: true, basis: u, columns, keptTasks, singularValues: values };
}
