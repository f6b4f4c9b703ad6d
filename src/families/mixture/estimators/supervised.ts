/**
 * The paper's Algorithm 1, steps 1-2 (MODEL §3.1-§3.2): the per-task rule on each task's labelled
 * statistic, then the top-r SVD of the matrix of kept columns.
 */
import { ConfigError } from "../../../core/config/parse.js";
import { column } from "../../../core/linalg/mat.js";
import { type MixtureEstimator, type RuleColumnsParams, RULE_ATTACKS, echoRuleColumns, parseRuleColumns, withColumnsSuffix } from "./estimator.js";
import { ruleDirection } from "./perTaskRule.js";
import { representationFromDirections } from "./representation.js";

export const supervisedEstimator: MixtureEstimator<RuleColumnsParams> = {
  name: "supervised",
  description: "per-task rule on the labelled statistics, then the top-r SVD of the kept columns (MODEL §3.1-§3.2)",
  parameters(raw, field, context) {
    if (raw.ssl !== undefined) throw new ConfigError(`${field}.estimator`, "supervised", 'cannot use "ssl" options; use "pseudo-label"');
    return parseRuleColumns(raw, field, context, []);
  },
  echo: echoRuleColumns,
  label: (p) => withColumnsSuffix(p.rule.rule.label(p.rule.params) || "standard", p.columns),
  tags: (p) => ({ attacks: RULE_ATTACKS, pseudoLabelling: false, svdOfColumns: true, labelledOnly: true, columns: p.columns, rule: p.rule }),
  fit({ data, r }, p) {
    const stats = data.sourceStatistics;
    const directions = [];
    for (let t = 0; t < stats.cols; t++) directions.push(ruleDirection(p.rule, column(stats, t)));
    return representationFromDirections(directions, r, p.columns);
  },
  examples: [{}, { attack: "linf", eps: 0.3 }, { attack: "l2", eps: 0.5 }, { attack: "linf", eps: 0.2, columns: "unnormalised" }],
};
