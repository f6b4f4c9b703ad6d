/**
 * l-inf adversarial training (MODEL §3.1): beta_t = S_eps(v_t) / ||S_eps(v_t)||, the soft
 * threshold of the statistic, and a dropped task when S_eps(v_t) = 0.
 */
import { floats } from "../../../../core/linalg/mat.js";
import { radiusRule } from "../perTaskRule.js";

/**
 * S_eps(v) = sign(v) max(|v| - eps, 0) elementwise (MODEL §1).
 * @example softThreshold([3, -0.5, 0.5, -2, 0], 1) // [2, 0, 0, -1, 0]
 */
export function softThreshold(v: ArrayLike<number>, eps: number): Float64Array {
  const out = floats(v.length);
  for (let i = 0; i < v.length; i++) {
    const a = v[i];
    out[i] = a > eps ? a - eps : a < -eps ? a + eps : 0;
  }
  return out;
}

export const linfRule = radiusRule({
  name: "linf",
  attack: "linf",
  description: "l-inf adversarial training: the soft threshold S_eps(v_t), normalised (MODEL §3.1)",
  tags: (eps) => ({ sinThetaBound: { name: "B3", eps }, endToEnd: true, limit: { name: "L2", eps } }),
  direction: (v, eps) => softThreshold(v, eps),
});
