/** Standard training (MODEL §3.1): beta_t = v_t / ||v_t||; a zero statistic is a dropped task. */
import { copyOf } from "../../../../core/linalg/mat.js";
import type { PerTaskRule } from "../perTaskRule.js";
import { radiusWithoutAttack } from "../perTaskRule.js";

/** The standard rule takes no parameters; "eps" is accepted only as 0 (so an echo of eps 0 parses). */
export const standardRule: PerTaskRule<Record<string, never>> = {
  name: "standard",
  description: "standard training: beta_t = v_t / ||v_t|| (MODEL §3.1)",
  attack: "none",
  keys: ["eps"],
  studentKeys: ["eps"],
  parameters: (raw, field) => {
    if (raw.eps !== undefined && raw.eps !== 0) throw radiusWithoutAttack(`${field}.eps`, raw.eps, "method");
    return {};
  },
  echo: () => ({}),
  student: (_teacher, raw, field) => {
    if (raw.eps !== undefined && raw.eps !== 0) throw radiusWithoutAttack(`${field}.eps`, raw.eps, "student");
    return {};
  },
  echoStudent: () => ({}),
  label: () => "",
  studentLabel: () => "",
  tags: () => ({ sinThetaBound: { name: "B2", keepsAllTasks: true }, endToEnd: true, limit: { name: "L1" } }),
  direction: (v) => copyOf(v),
  examples: [{}],
};
