/**
 * Sparse true representations shared by the families (MODEL §2.1, §2.2 `sparse`, §2.3): a
 * support S of s coordinates chosen uniformly and a Haar-random s x r orthonormal block on it.
 */
import { type Mat, zeros } from "../linalg/mat.js";
import { haarOrthonormal } from "../linalg/decompositions.js";
import type { Rng } from "../random/rng.js";

/**
 * A uniformly random s-subset of {0..d-1}, ascending (partial Fisher-Yates: s draws).
 * @example
 * const S = randomSupport(10, 3, rootRng(1));
 * S.length // 3
 * S.every((j, i) => 0 <= j && j < 10 && (i === 0 || S[i - 1] < j)) // true
 */
export function randomSupport(d: number, s: number, rng: Rng): Int32Array {
  const idx = Int32Array.from({ length: d }, (_, i) => i);
  for (let i = 0; i < s; i++) {
    const j = i + rng.integer(d - i);
    const t = idx[i];
    idx[i] = idx[j];
    idx[j] = t;
  }
  return idx.slice(0, s).sort();
}

/** A sparse orthonormal basis and its support. */
export interface SparseBasis {
  /** B*, d x r with orthonormal columns, zero outside the support. */
  readonly basis: Mat;
  /** The support S, ascending (all of 0..d-1 when s = d). */
  readonly support: Int32Array;
}

/**
 * B* of MODEL §2.1: support S uniform of size s from stream "support" (S = {0..d-1} when
 * s = d, which is what the draw would give too), B*[S, :] Haar on the s x r Stiefel manifold from
 * stream "basis", zero rows outside S.
 * @throws RangeError unless 1 <= r <= s <= d (a programming error: parsers check the ranges).
 * @example sparseHaarBasis(500, 20, 4, rootRng(1).fork("truth")).support.length // 20
 */
export function sparseHaarBasis(d: number, s: number, r: number, rng: Rng): SparseBasis {
  if (!(Number.isInteger(d) && Number.isInteger(s) && Number.isInteger(r) && 1 <= r && r <= s && s <= d)) {
    throw new RangeError(`sparseHaarBasis: need integers 1 <= r <= s <= d, got d = ${d}, s = ${s}, r = ${r}`);
  }
  const support = s === d ? Int32Array.from({ length: d }, (_, i) => i) : randomSupport(d, s, rng.fork("support"));
  const inner = haarOrthonormal(s, r, rng.fork("basis"));
  const basis = zeros(d, r);
  for (let j = 0; j < r; j++) for (let k = 0; k < s; k++) basis.data[support[k] + j * d] = inner.data[k + j * s];
  return { basis, support };
}
