/**
 * l2 adversarial training (MODEL §3.1): beta_t = v_t / ||v_t|| when ||v_t|| > eps, else the task
 * is dropped. l2 training never changes a task's direction; it can only drop weak tasks.
 */
import { copyOf, norm2 } from "../../../../core/linalg/mat.js";
import { radiusRule } from "../perTaskRule.js";

export const l2Rule = radiusRule({
  name: "l2",
  attack: "l2",
  description: "l2 adversarial training: v_t / ||v_t|| if ||v_t|| > eps, else dropped (MODEL §3.1)",
  // B2 with the kept tasks' heads (docs/THEORY.md B2, "Dropped columns"); B5 is not derived for it.
  // Where no task is dropped its columns are standard training's, which L1 predicts.
  tags: () => ({ sinThetaBound: { name: "B2" }, endToEnd: false, limit: { name: "L1", whenAllKept: true } }),
  direction: (v, eps) => (norm2(v) > eps ? copyOf(v) : null),
});
