/**
 * Semi-supervised representation by pseudo-labelling (MODEL §3.3): a teacher fitted on the
 * labelled data labels the unlabelled samples; the student refits on the pooled statistic.
 */
import { ConfigError, parseInteger, parseNumber, parseObject, rejectUnknownKeys } from "../../../core/config/parse.js";
import { column, floats } from "../../../core/linalg/mat.js";
import { type MixtureEstimator, type RuleColumnsParams, RULE_ATTACKS, echoRuleColumns, parseRuleColumns, withColumnsSuffix } from "./estimator.js";
import { type RuleChoice, ruleDirection, ruleStep } from "./perTaskRule.js";
import { representationFromDirections } from "./representation.js";

/**
 * The pooled student statistic v' = (n v + lambda S) / (n + lambda m), where S is the
 * pseudo-labelled sum over m unlabelled samples (MODEL §3.3, with pseudo-label weight lambda).
 */
export function pseudoLabelStatistic(v: Float64Array, n: number, pseudoSum: Float64Array, m: number, weight: number): Float64Array {
  const out = floats(v.length);
  const inv = 1 / (n + weight * m);
  for (let i = 0; i < v.length; i++) out[i] = (n * v[i] + weight * pseudoSum[i]) * inv;
  return out;
}

/** Semi-supervised options of a method (MODEL §3.3). */
export interface PseudoLabelOptions {
  /** Unlabelled samples per task used. */
  readonly m: number;
  /** Rounds of pseudo-labelling; round k's student is round k+1's teacher. */
  readonly rounds: number;
  /** Weight lambda of the pseudo-labelled part: v' = (n v + lambda S) / (n + lambda m). */
  readonly weight: number;
}

/** Parameters of the pseudo-label estimator: the teacher's rule, the student's, the options. */
export interface PseudoLabelParams extends RuleColumnsParams {
  readonly ssl: PseudoLabelOptions;
  /** The student's rule: the teacher's rule with the student's parameters (e.g. its radius). */
  readonly student: RuleChoice;
}

const SSL_KEYS = ["m", "rounds", "weight"] as const;

/**
 * Teacher: the per-task rule on labelled data; student: the same rule, with the student's
 * parameters, on the pooled statistic (MODEL §3.3). With rounds > 1 each student teaches the next
 * round on the same unlabelled samples (the sample path only: E2 needs a teacher independent of
 * the unlabelled data, which the parser enforces).
 */
export const pseudoLabelEstimator: MixtureEstimator<PseudoLabelParams> = {
  name: "pseudo-label",
  description: "pseudo-labelling: a teacher's labels on m unlabelled samples per task, the student's rule on the pooled statistic (MODEL §3.3)",
  parameters(raw, field, context) {
    if (raw.ssl === undefined) throw new ConfigError(`${field}.estimator`, "pseudo-label", 'needs an "ssl" object');
    const base = parseRuleColumns(raw, field, context, ["ssl"]);
    const sf = `${field}.ssl`;
    const so = parseObject(sf, raw.ssl);
    const rule = base.rule.rule;
    rejectUnknownKeys(sf, so, [...SSL_KEYS, ...rule.studentKeys]);
    const { scenario } = context;
    if (so.m === undefined && scenario.m === 0) throw new ConfigError(`${sf}.m`, so.m, "must be an integer >= 1 (scenario.m is 0, so it must be given)");
    const m = parseInteger(`${sf}.m`, so.m ?? scenario.m, 1, 1e9);
    const rounds = parseInteger(`${sf}.rounds`, so.rounds ?? 1, 1, 1000);
    if (rounds > 1 && context.sampler === "exact") {
      throw new ConfigError(`${sf}.rounds`, rounds, 'must be 1 with sampler "exact" (E2 needs a teacher independent of the unlabelled data); use "sampler": "sample" for several rounds');
    }
    const weight = parseNumber(`${sf}.weight`, so.weight ?? 1, { min: 0, minOpen: true });
    const own: Record<string, unknown> = {};
    for (const k of rule.studentKeys) if (so[k] !== undefined) own[k] = so[k];
    const student = { rule, params: rule.student(base.rule.params, own, sf, { scenario, m, weight }) };
    return { ...base, ssl: { m, rounds, weight }, student };
  },
  echo: (p) => ({ ...echoRuleColumns(p), ssl: { m: p.ssl.m, rounds: p.ssl.rounds, weight: p.ssl.weight, ...p.student.rule.echoStudent(p.student.params) } }),
  label(p) {
    const teacher = p.rule.rule.label(p.rule.params);
    const sslPart = `ssl(m=${p.ssl.m})`;
    return withColumnsSuffix(teacher === "" ? sslPart : `${sslPart}+${p.rule.rule.studentLabel(p.rule.params, p.student.params)}`, p.columns);
  },
  tags: (p) => ({ attacks: RULE_ATTACKS, pseudoLabelling: true, svdOfColumns: true, labelledOnly: false, columns: p.columns, rule: p.rule }),
  fit({ data, r, n }, p, rng) {
    const stats = data.sourceStatistics;
    const directions: (Float64Array | null)[] = [];
    for (let t = 0; t < stats.cols; t++) {
      const v = column(stats, t);
      let teacher = ruleStep(p.rule, v);
      let student: Float64Array | null = null;
      for (let round = 0; round < p.ssl.rounds; round++) {
        const pseudoSum = data.pseudoLabelledSum(t, teacher, p.ssl.m, rng.fork(`task:${t}:round:${round}`));
        const pooled = pseudoLabelStatistic(v, n, pseudoSum, p.ssl.m, p.ssl.weight);
        student = ruleDirection(p.student, pooled);
        teacher = ruleStep(p.student, pooled);
      }
      directions.push(student);
    }
    return representationFromDirections(directions, r, p.columns);
  },
  examples: [{ ssl: { m: 50 } }, { attack: "linf", eps: 0.2, ssl: { m: 50 } }, { attack: "linf", eps: 0.2, ssl: { m: 30, eps: 0.1, weight: 0.5 } }],
};
