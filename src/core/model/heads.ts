/** Task heads shared by the families (MODEL §2.1-§2.3): Gaussian directions at a prescribed norm. */
import { norm2 } from "../linalg/mat.js";
import type { Rng } from "../random/rng.js";

/**
 * Fills `out` with a draw of N(0, I) conditioned on being non-zero (redrawn while it is exactly
 * zero) and rescales it to Euclidean norm `norm`: a uniform direction on the sphere of radius
 * `norm`. Returns `out`.
 * @throws RangeError when norm is not a positive finite number.
 * @example
 * const w = scaledGaussianHead(new Float64Array(4), 1.5, rootRng(1));
 * Math.hypot(...w) // 1.5
 */
export function scaledGaussianHead(out: Float64Array, norm: number, rng: Rng): Float64Array {
  if (!(norm > 0 && Number.isFinite(norm))) throw new RangeError(`scaledGaussianHead: norm = ${norm}: must be positive and finite`);
  do rng.fillNormal(out);
  while (norm2(out) === 0);
  return rescaleToNorm(out, norm);
}

/**
 * Rescales a non-zero vector in place to Euclidean norm `norm` (the overflow-safe norm2), and
 * returns it.
 * @throws RangeError for a zero vector.
 * @example rescaleToNorm(Float64Array.of(3, 4), 1) // [0.6, 0.8]
 */
export function rescaleToNorm(v: Float64Array, norm: number): Float64Array {
  const len = norm2(v);
  if (!(len > 0)) throw new RangeError("rescaleToNorm: zero vector");
  const scale = norm / len;
  for (let i = 0; i < v.length; i++) v[i] *= scale;
  return v;
}
