/**
 * Exact high-dimensional limits of the mixture family (MODEL §8; derivations in docs/THEORY.md
 * "L1", "L1t", "L2"): predictions of sinTheta, of the target angle and of the expected target
 * excess from the model parameters of one replicate (its B*, heads and target head), not bounds.
 *
 * - L1 (standard training): Benaych-Georges and Nadakuditi's limit for M = B* W + tau Z: with
 *   theta_i = sigma_i(W) / (tau sqrt(d)) and c = T / d, the i-th left singular vector's squared
 *   sine with span(B*) tends to (c + theta_i^2) / (theta_i^2 (1 + theta_i^2)) above the threshold
 *   theta_i^4 > c, and to 1 below it; sinTheta -> max_i of the square roots.
 * - L1t: cos^2(phi) -> sum_i (1 - s_i^2) <a_i, w_0>^2 / ||w_0||^2 (a_i: left singular vectors of
 *   W), then E[excess | U] by MODEL §4's quadrature at ||a|| = ||mu_0|| cos(phi).
 * - L2 (l-inf training): the thresholded matrix S_eps(M) = m + N, m its entrywise mean (B3'), N
 *   independent centred entries with the exact variance profile, treated as a spiked model with a
 *   variance profile (theory/spikedProfile.ts). Normalised columns divide column t of m and of the
 *   profile by sqrt(E||S_eps(v_t)||^2). L2t: the target angle from the predicted alignment.
 */
import { type Mat, zeros } from "../../../core/linalg/mat.js";
import { symmetricEigen } from "../../../core/linalg/small.js";
import { requireInteger, requireNumber } from "../../../core/config/parse.js";
import { spikedProfilePrediction } from "./spikedProfile.js";
import { type ThresholdedMoments, thresholdedSetting } from "./sharpBounds.js";
import { expectedTargetExcess } from "./targetExcess.js";

/**
 * BGN's limiting squared sine of a left singular vector (file comment): (c + theta^2) /
 * (theta^2 (1 + theta^2)) when theta^4 > c, else 1 (no detection).
 * @example bgnSineSquared(2, 0.04) // (0.04 + 4) / (4 * 5)
 */
export function bgnSineSquared(theta: number, c: number): number {
  requireNumber("theta", theta, { min: 0 });
  requireNumber("c", c, { min: 0, minOpen: true });
  const t2 = theta * theta;
  if (!(t2 * t2 > c)) return 1;
  return Math.min(1, (c + t2) / (t2 * (1 + t2)));
}

/** A limit's prediction for one method on one replicate. */
export interface LimitPrediction {
  /** Predicted sinTheta (spectral). */
  readonly sinTheta: number;
  readonly sinThetaFrobenius: number;
  /** Predicted sine of the angle between mu_0 and span(U). */
  readonly targetAngleSine: number;
  /** Predicted E[target excess | U] (MODEL §4 at the predicted angle). */
  readonly targetExcess: number;
}

/** What every limit needs of a replicate's truth. */
export interface LimitInput {
  readonly sigma: number;
  /** Labelled samples per source task. */
  readonly n: number;
  readonly d: number;
  /** Target samples (for the predicted excess). */
  readonly n0: number;
  /** W = [w_1 .. w_T] (r x T). */
  readonly heads: Mat;
  /** The target head w_0 (r entries; mu_0 = B* w_0). */
  readonly targetHead: ArrayLike<number>;
}

/** The target part of a prediction from the predicted alignment G (r x r, seen from B*'s side). */
function targetPart(alignment: readonly (readonly number[])[], input: LimitInput): { targetAngleSine: number; targetExcess: number } {
  const w0 = input.targetHead;
  const r = w0.length;
  let quad = 0;
  let norm2 = 0;
  for (let a = 0; a < r; a++) {
    norm2 += w0[a] * w0[a];
    for (let b = 0; b < r; b++) quad += w0[a] * alignment[a][b] * w0[b];
  }
  const cos2 = norm2 > 0 ? Math.min(1, Math.max(0, quad / norm2)) : 0;
  const mu0Norm = Math.sqrt(norm2);
  const targetExcess = mu0Norm > 0 ? expectedTargetExcess({ aNorm: mu0Norm * Math.sqrt(cos2), mu0Norm, sigma: input.sigma, n0: input.n0, r }) : 0;
  return { targetAngleSine: Math.sqrt(1 - cos2), targetExcess };
}

/**
 * L1 and L1t for standard training with unnormalised columns, or normalised columns when every
 * task has the same ||mu_t|| (MODEL's default heads): the normalisation is then a common scale up to
 * O(d^{-1/2}) and leaves U unchanged (THEORY.md L1, "Normalised columns").
 */
export function standardLimit(input: LimitInput): LimitPrediction {
  const sigma = requireNumber("sigma", input.sigma, { min: 0, minOpen: true });
  const n = requireNumber("n", input.n, { min: 1 });
  const d = requireInteger("d", input.d, 1);
  const W = input.heads;
  const r = W.rows;
  const T = W.cols;
  if (input.targetHead.length !== r) throw new RangeError(`standardLimit: the target head has ${input.targetHead.length} entries, W has ${r} rows`);
  const tau = sigma / Math.sqrt(n);
  // W W^T = A diag(sigma_i^2) A^T.
  const wwt = Array.from({ length: r }, (_, a) => Array.from({ length: r }, (_, b) => {
    let acc = 0;
    for (let t = 0; t < T; t++) acc += W.data[a + t * r] * W.data[b + t * r];
    return acc;
  }));
  const { values, vectors } = symmetricEigen(wwt);
  const c = T / d;
  const sin2 = values.map((l) => bgnSineSquared(Math.sqrt(Math.max(0, l)) / (tau * Math.sqrt(d)), c));
  const alignment = Array.from({ length: r }, (_, a) => Array.from({ length: r }, (_, b) => sin2.reduce((acc, s2, i) => acc + vectors[a][i] * (1 - s2) * vectors[b][i], 0)));
  return {
    sinTheta: Math.sqrt(Math.max(...sin2)),
    sinThetaFrobenius: Math.sqrt(sin2.reduce((a, b) => a + b, 0)),
    ...targetPart(alignment, input),
  };
}

/** Inputs of the profile limits: the limit input and B* on its support rows. */
export interface ProfileLimitInput extends LimitInput {
  /** B* restricted to its support rows (s x r). */
  readonly basisOnSupport: Mat;
  /** Per-task radius of l-inf training (0: standard training). */
  readonly eps: number;
  /** Whether the columns of M are normalised (the paper's Algorithm 1). */
  readonly normalised: boolean;
  /** Moments already computed for (basis, heads, tau, eps). */
  readonly moments?: ThresholdedMoments;
}

/**
 * L2 (and L2t) for l-inf training at radius eps; with eps = 0 and normalised columns it is the
 * variance-profile form of L1 for unequal task norms (THEORY.md L1, "Normalised columns").
 */
export function profileLimit(input: ProfileLimitInput): LimitPrediction {
  const { sigma, n, d, eps, s, r, T, tau, D, moments: mo } = thresholdedSetting(input);
  const B = input.basisOnSupport;
  const signal = zeros(s, T);
  const variances: number[][] = Array.from({ length: s }, () => new Array<number>(T).fill(0));
  const off = new Array<number>(T).fill(mo.offVariance);
  for (let t = 0; t < T; t++) {
    let scale = 1;
    if (input.normalised) {
      let e = D * mo.offVariance;
      for (let j = 0; j < s; j++) e += mo.mean.data[j + t * s] ** 2 + mo.variance.data[j + t * s];
      scale = e > 0 ? 1 / Math.sqrt(e) : 0;
    }
    for (let j = 0; j < s; j++) {
      signal.data[j + t * s] = mo.mean.data[j + t * s] * scale;
      variances[j][t] = mo.variance.data[j + t * s] * scale * scale;
    }
    off[t] = mo.offVariance * scale * scale;
  }
  const profile = D > 0 ? { variances: [...variances, off], multiplicity: [...new Array<number>(s).fill(1), D] } : { variances, multiplicity: new Array<number>(s).fill(1) };
  const pred = spikedProfilePrediction(signal, profile, B, r);
  return { sinTheta: pred.sinTheta, sinThetaFrobenius: pred.sinThetaFrobenius, ...targetPart(pred.alignment, input) };
}
