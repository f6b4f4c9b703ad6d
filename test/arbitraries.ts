/**
 * fast-check arbitraries shared by the property tests: random orthonormal bases, vectors and
 * small scenarios, all derived from an integer seed through the library's own Rng so instances
 * are reproducible from the counterexample fast-check prints.
 */
import fc from "fast-check";
import { type Mat, zeros } from "../src/core/linalg/mat.js";
import { haarOrthonormal } from "../src/core/linalg/decompositions.js";
import { Rng } from "../src/core/random/rng.js";

/** A seed for the library's Rng. */
export const seedArb = fc.integer({ min: 0, max: 2 ** 31 - 1 });

/** Dimensions d >= r >= 1 with d <= maxD. */
export const dimsArb = (maxD = 40) =>
  fc.integer({ min: 1, max: maxD }).chain((d) => fc.record({ d: fc.constant(d), r: fc.integer({ min: 1, max: d }) }));

/** A Haar d x r orthonormal matrix from a seed. */
export function haarFromSeed(d: number, r: number, seed: number): Mat {
  return haarOrthonormal(d, r, new Rng(`arb:${seed}`));
}

/** A Gaussian vector of length d scaled by `scale`, from a seed. */
export function gaussianVector(d: number, seed: number, scale = 1): Float64Array {
  const v = new Rng(`vec:${seed}`).fillNormal(new Float64Array(d));
  for (let i = 0; i < d; i++) v[i] *= scale;
  return v;
}

/** A Gaussian d x k matrix from a seed. */
export function gaussianMatrix(d: number, k: number, seed: number): Mat {
  const m = zeros(d, k);
  new Rng(`mat:${seed}`).fillNormal(m.data);
  return m;
}
