/** The target step (MODEL §3.4): fit the head on the frozen representation. */
import { type Mat, norm2, timesVector, transposeTimesVector } from "../../../core/linalg/mat.js";

/** The fitted target predictor, or null when U^T v_0 = 0 (no direction to choose). */
export interface TargetFit {
  /** Head w = U^T v_0 / ||U^T v_0|| (length r). */
  readonly head: Float64Array;
  /** Predictor beta_0 = U w (length d, unit norm). */
  readonly predictor: Float64Array;
}

/**
 * w = argmin_{||w|| <= 1} -<w, U^T v_0> = U^T v_0 / ||U^T v_0||; beta_0 = U w (MODEL §3.4).
 * Returns null when U^T v_0 = 0.
 */
export function fitTargetHead(basis: Mat, targetStatistic: Float64Array): TargetFit | null {
  const projected = transposeTimesVector(basis, targetStatistic);
  const len = norm2(projected);
  if (!(len > 0)) return null;
  const head = projected.map((x) => x / len);
  return { head, predictor: timesVector(basis, head) };
}
