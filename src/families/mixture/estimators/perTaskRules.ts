/**
 * The registry of per-task rules (MODEL §3.1). A new rule is one file in rules/ and one line
 * below (docs/ARCHITECTURE.md, "How to add an estimator").
 */
import { NamedRegistry } from "../../../experiment/registry.js";
import type { AttackChoice } from "../../../core/model/perturbation.js";
import { ConfigError } from "../../../core/config/parse.js";
import type { PerTaskRule } from "./perTaskRule.js";
import { hardThresholdRule } from "./rules/hardThreshold.js";
import { l2Rule } from "./rules/l2.js";
import { linfRule } from "./rules/linf.js";
import { standardRule } from "./rules/standard.js";

/** The built-in rules, in the order help texts list them. */
export const BUILTIN_PER_TASK_RULES: readonly PerTaskRule[] = [
  standardRule,
  l2Rule,
  linfRule,
  hardThresholdRule,
];

/** A fresh registry of the built-in rules (each family instance owns one, so plugins do not leak). */
export function createPerTaskRules(): NamedRegistry<PerTaskRule> {
  return new NamedRegistry<PerTaskRule>("per-task rule", BUILTIN_PER_TASK_RULES);
}

/** The rule an "attack" value selects: "none" standard training, "l2" and "linf" adversarial training. */
export function ruleForAttack(rules: NamedRegistry<PerTaskRule>, attack: AttackChoice, field: string): PerTaskRule {
  const rule = rules.values().find((r) => r.attack === attack);
  if (rule === undefined) throw new ConfigError(field, attack, "no registered per-task rule implements this attack");
  return rule;
}
