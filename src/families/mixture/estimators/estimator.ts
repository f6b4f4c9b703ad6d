/**
 * The mixture family's estimators (MODEL §3.1-§3.3): what they see of a replicate, what they
 * return, the tags the bound checks read, and the parsing they share (the per-task rule, chosen
 * by "attack" or "rule", and the column scaling of M).
 */
import type { JsonValue } from "../../../core/config/canonicalJson.js";
import { ConfigError, parseChoice, rejectUnknownKeys } from "../../../core/config/parse.js";
import type { AttackChoice } from "../../../core/model/perturbation.js";
import type { Estimator, EstimatorTags } from "../../../experiment/estimator.js";
import type { NamedRegistry } from "../../../experiment/registry.js";
import type { MixtureData } from "../samplers.js";
import type { MixtureScenario } from "../scenario.js";
import type { PerTaskRule, RuleChoice } from "./perTaskRule.js";
import { ruleForAttack } from "./perTaskRules.js";
import type { ColumnScaling, Representation } from "./representation.js";

/** Which sampler draws a replicate's data (MODEL §5). */
export type MixtureSampler = "exact" | "sample";

/** What an estimator sees: the replicate's data and the scenario sizes it needs. */
export interface EstimatorInput {
  readonly data: MixtureData;
  /** Representation dimension. */
  readonly r: number;
  /** Labelled samples per source task. */
  readonly n: number;
}

/** What a method parser may use: the scenario, the data path and the per-task rules. */
export interface MixtureContext {
  readonly scenario: MixtureScenario;
  readonly sampler: MixtureSampler;
  readonly rules: NamedRegistry<PerTaskRule>;
}

/** What a mixture estimator supports with given parameters (read by the bound checks). */
export interface MixtureTags extends EstimatorTags {
  /** U is the top-r left singular subspace of the matrix of kept per-task columns (B1 applies). */
  readonly svdOfColumns: boolean;
  /** The columns come from labelled data only (B2/B3/B5 can apply; students are not covered). */
  readonly labelledOnly: boolean;
  /** The column scaling of M. */
  readonly columns: ColumnScaling;
  /** The per-task rule, when the estimator uses one. */
  readonly rule: RuleChoice | null;
}

/** A mixture estimator with parameters P. */
export interface MixtureEstimator<P = any> extends Estimator<EstimatorInput, P, Representation, MixtureContext> {
  tags(params: P): MixtureTags;
}

/** Parameters shared by the rule-based estimators. */
export interface RuleColumnsParams {
  readonly rule: RuleChoice;
  readonly columns: ColumnScaling;
}

/** The keys every rule-based estimator owns, besides its rule's keys. */
export const RULE_COLUMN_KEYS = ["attack", "rule", "columns"] as const;

/**
 * Parses the per-task rule and the column scaling of a method. The rule is named by "rule" or
 * selected by "attack" ("none": standard training, default; "l2", "linf": adversarial training);
 * both may be given when they agree. The rule's own keys (e.g. "eps") are parsed by the rule.
 * Keys outside RULE_COLUMN_KEYS, the rule's keys and `extraKeys` are refused.
 */
export function parseRuleColumns(raw: Readonly<Record<string, unknown>>, field: string, context: MixtureContext, extraKeys: readonly string[]): RuleColumnsParams {
  let rule: PerTaskRule;
  if (raw.rule !== undefined) {
    rule = context.rules.get(raw.rule, `${field}.rule`);
    if (raw.attack !== undefined && raw.attack !== rule.attack) {
      throw new ConfigError(`${field}.attack`, raw.attack, `contradicts "rule": ${JSON.stringify(rule.name)}${rule.attack === null ? " (which is not an attack; omit \"attack\")" : ` (whose attack is ${JSON.stringify(rule.attack)})`}`);
    }
  } else {
    const attack = parseChoice(`${field}.attack`, raw.attack ?? "none", ["none", "l2", "linf"] as const) as AttackChoice;
    rule = ruleForAttack(context.rules, attack, `${field}.attack`);
  }
  rejectUnknownKeys(field, raw as Record<string, unknown>, [...RULE_COLUMN_KEYS, ...rule.keys, ...extraKeys]);
  const own: Record<string, unknown> = {};
  for (const k of rule.keys) if (raw[k] !== undefined) own[k] = raw[k];
  const params = rule.parameters(own, field, context);
  const columns = parseChoice(`${field}.columns`, raw.columns ?? "normalised", ["normalised", "unnormalised"] as const) as ColumnScaling;
  return { rule: { rule, params }, columns };
}

/** The rule and columns as method keys: "attack" for the attack rules, "rule" for the others. */
export function echoRuleColumns(p: RuleColumnsParams): { [key: string]: JsonValue } {
  const head: { [key: string]: JsonValue } = p.rule.rule.attack === null ? { rule: p.rule.rule.name } : { attack: p.rule.rule.attack };
  return { ...head, ...p.rule.rule.echo(p.rule.params), columns: p.columns };
}

/** A default label with the column-scaling suffix: "linf(0.3)", "standard[unnormalised]". */
export function withColumnsSuffix(base: string, columns: ColumnScaling): string {
  return columns === "unnormalised" ? `${base}[unnormalised]` : base;
}

/** The attacks a rule-based estimator supports: those of the registered rules. */
export const RULE_ATTACKS = ["l2", "linf"] as const;
