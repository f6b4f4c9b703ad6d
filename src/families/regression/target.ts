/**
 * The target step of the regression family (MODEL §3.5): least squares of the target responses on
 * the frozen features U^T x, beta_hat_0 = U w_hat.
 */
import { type Mat, zeros } from "../../core/linalg/mat.js";
import { solveSpd } from "./linalg.js";

/** The fitted target head and predictor, or null when Z^T Z is singular (fewer than r independent features). */
export function fitTargetHead(basis: Mat, x: Float64Array, y: Float64Array, n0: number): { head: Float64Array; predictor: Float64Array } | null {
  const { rows: d, cols: r } = basis;
  // Z = X0 U (n0 x r, row-major).
  const z = zeros(n0, r).data;
  for (let i = 0; i < n0; i++) {
    const o = i * d;
    for (let k = 0; k < r; k++) {
      let s = 0;
      const uk = k * d;
      for (let j = 0; j < d; j++) s += x[o + j] * basis.data[uk + j];
      z[i * r + k] = s;
    }
  }
  const g = new Float64Array(r * r);
  const c = new Float64Array(r);
  for (let i = 0; i < n0; i++) {
    for (let a = 0; a < r; a++) {
      c[a] += z[i * r + a] * y[i];
      for (let b = 0; b < r; b++) g[a * r + b] += z[i * r + a] * z[i * r + b];
    }
  }
  const head = solveSpd(g, r, c);
  if (head === null) return null;
  const predictor = new Float64Array(d);
  for (let k = 0; k < r; k++) for (let j = 0; j < d; j++) predictor[j] += basis.data[k * d + j] * head[k];
  return { head, predictor };
}
