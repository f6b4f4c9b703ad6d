/**
 * Subspaces of the regression estimators: the top-r left singular vectors of a d x k matrix of
 * per-task columns (spectral estimator, MODEL §3.5) and the top-r eigenvectors of a symmetric
 * d x d matrix (method of moments), thin where that is the cheaper side.
 */
import { type Mat, zeros } from "../../../core/linalg/mat.js";
import { topLeftSingularVectors } from "../../../core/linalg/decompositions.js";
import { symmetricEigen } from "../linalg.js";

/** Relative size below which the r-th singular value counts as zero. */
export const RANK_TOLERANCE = 1e-12;

/** The top-r left singular subspace of a d x k matrix, with all its singular values (descending). */
export interface TopSubspace {
  readonly basis: Mat;
  readonly values: Float64Array;
}

/**
 * Top-r left singular vectors of M (d x k): for k <= d by the thin QR of M and the SVD of the
 * k x k factor (core/linalg, never a d x d matrix); for k > d, where d x d is the small side, by
 * the eigendecomposition of M M^T (d^2 k to form). Returns null when sigma_r <= RANK_TOLERANCE sigma_1.
 */
export function topSingularSubspace(m: Mat, r: number): TopSubspace | null {
  const d = m.rows;
  const k = m.cols;
  if (k < r || d < r) return null;
  if (k <= d) {
    const { u, values } = topLeftSingularVectors(m, r);
    if (!(values[r - 1] > RANK_TOLERANCE * values[0])) return null;
    return { basis: u, values };
  }
  const gram = new Float64Array(d * d);
  const data = m.data;
  for (let t = 0; t < k; t++) {
    const o = t * d;
    for (let a = 0; a < d; a++) {
      const va = data[o + a];
      if (va === 0) continue;
      const ra = a * d;
      for (let b = 0; b <= a; b++) gram[ra + b] += va * data[o + b];
    }
  }
  for (let a = 0; a < d; a++) for (let b = 0; b < a; b++) gram[b * d + a] = gram[a * d + b];
  const eig = symmetricEigen(gram, d);
  const values = Float64Array.from(eig.values, (v) => Math.sqrt(Math.max(0, v)));
  if (!(values[r - 1] > RANK_TOLERANCE * values[0])) return null;
  const basis = zeros(d, r);
  basis.data.set(eig.vectors.subarray(0, d * r));
  return { basis, values };
}

/** The top-r eigenvectors (d x r) and the r + 1 largest eigenvalues of a symmetric d x d matrix. */
export function topEigenvectors(a: Float64Array, d: number, r: number): { basis: Mat; values: Float64Array } {
  const eig = symmetricEigen(a, d);
  const basis = zeros(d, r);
  basis.data.set(eig.vectors.subarray(0, d * r));
  return { basis, values: eig.values.slice(0, Math.min(d, r + 1)) };
}
