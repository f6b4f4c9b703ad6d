/**
 * Per-task rules (MODEL §3.1): how a task's sufficient statistic v_t becomes its column beta_t of
 * M before the representation step. Standard training normalises v_t; adversarial training (l2,
 * l-inf) minimises the adversarial linear loss; other rules (hard thresholding, plugins) are any
 * map from v_t to a direction or a dropped task. Rules are their own small registry
 * (perTaskRules.ts), used by the supervised and pseudo-label estimators, so a new rule is one file
 * plus one registry line, or a plugin (registerPerTaskRule).
 */
import type { JsonValue } from "../../../core/config/canonicalJson.js";
import { ConfigError } from "../../../core/config/parse.js";
import { type Radius, type RadiusScale, type RadiusUnit, echoRadius, parseRadius, radiusLabel, rescaledRadius } from "./radius.js";
import { dot, norm2 } from "../../../core/linalg/mat.js";
import { type AttackChoice, dualNorm } from "../../../core/model/perturbation.js";
import type { MixtureScenario } from "../scenario.js";

/** What a rule's parser may use. */
export interface RuleContext {
  readonly scenario: MixtureScenario;
}

/** What a pseudo-labelling student's parser may use (MODEL §3.3). */
export interface StudentContext extends RuleContext {
  /** Unlabelled samples per task and the weight lambda of the pseudo-labelled part. */
  readonly m: number;
  readonly weight: number;
}

/** What a rule supports, read by the bound checks (docs/THEORY.md "Scope"). */
export interface RuleTags {
  /**
   * The sinTheta bound of MODEL §6 that covers this rule on labelled data, if any. For B2,
   * `keepsAllTasks` says that every task enters M whatever the data (standard training), which
   * B2'' in its fixed-basis form needs; without it B2'' takes its kept-set form.
   */
  readonly sinThetaBound: { readonly name: "B2"; readonly keepsAllTasks?: boolean } | { readonly name: "B3"; readonly eps: number } | null;
  /** Whether B5 (B2 or B3 composed with B4) applies. */
  readonly endToEnd: boolean;
  /**
   * The limit of MODEL §8 that predicts this rule's representation, if any: L1 (standard columns;
   * `whenAllKept`: only on replicates where no task was dropped) or L2 (l-inf training at eps).
   */
  readonly limit?: { readonly name: "L1"; readonly whenAllKept?: boolean } | { readonly name: "L2"; readonly eps: number } | null;
}

/** A per-task rule with checked parameters P. */
export interface PerTaskRule<P = any> {
  readonly name: string;
  /** One line with the MODEL section. */
  readonly description: string;
  /** The "attack" value that selects this rule ("none", "l2", "linf"); null when only "rule" selects it. */
  readonly attack: AttackChoice | null;
  /** Method keys the rule owns (e.g. ["eps"]). */
  readonly keys: readonly string[];
  /** Keys the rule owns inside a method's "ssl" object (the student's own parameters, e.g. ["eps"]). */
  readonly studentKeys: readonly string[];
  /** Parses the rule's keys of a method (only those in `keys` are passed); ConfigError on `field.key`. */
  parameters(raw: Readonly<Record<string, unknown>>, field: string, context: RuleContext): P;
  /** The parameters as method keys; parameters(echo(p)) = p. */
  echo(params: P): { [key: string]: JsonValue };
  /** The student's parameters from the teacher's and the "ssl" object's student keys (only those are passed). */
  student(teacher: P, raw: Readonly<Record<string, unknown>>, field: string, context: StudentContext): P;
  /** The student's parameters as "ssl" keys; student(t, echoStudent(s)) = s. */
  echoStudent(student: P): { [key: string]: JsonValue };
  /** The rule's part of a default method label ("" for standard training, "linf(0.3)"). */
  label(params: P): string;
  /** The same for a teacher-student pair ("linf(0.3/0.0588)"). */
  studentLabel(teacher: P, student: P): string;
  tags(params: P): RuleTags;
  /**
   * The unnormalised column for statistic v, or null when the task is dropped (beta_t = 0). Must
   * not modify v. Normalising it gives the rule's beta_t.
   */
  direction(v: Float64Array, params: P): Float64Array | null;
  /** Example method keys the conformance tests use. */
  readonly examples: readonly { readonly [key: string]: JsonValue }[];
}

/** A rule with its parameters, as a method carries it. */
export interface RuleChoice<P = any> {
  readonly rule: PerTaskRule<P>;
  readonly params: P;
}

/** The rule's unnormalised column for v (null: dropped). A zero column is a dropped task too. */
export function ruleDirection(choice: RuleChoice, v: Float64Array): Float64Array | null {
  const dir = choice.rule.direction(v, choice.params);
  return dir !== null && norm2(dir) > 0 ? dir : null;
}

/** The rule's beta_t: its direction normalised to unit length, or null for a dropped task. */
export function ruleStep(choice: RuleChoice, v: Float64Array): Float64Array | null {
  const dir = ruleDirection(choice, v);
  if (dir === null) return null;
  const inv = 1 / norm2(dir);
  for (let i = 0; i < dir.length; i++) dir[i] *= inv;
  return dir;
}

/**
 * The adversarial linear loss of beta on statistic v (MODEL §3.1):
 * -<beta, v> + eps ||beta||_q, the sample average of sup_{||delta||_p <= eps} -y <beta, x + delta>.
 * For attack "none" the eps term is absent.
 * @example adversarialObjective([1, 0], [2, 1], "linf", 0.5) // -1.5
 */
export function adversarialObjective(beta: ArrayLike<number>, v: ArrayLike<number>, attack: AttackChoice, eps: number): number {
  const s = dot(beta, v);
  return attack === "none" ? -s : -s + eps * dualNorm(beta, attack);
}

/** Parameters of the adversarial rules: the radius of the per-task step (absolute) and how it was written. */
export interface RadiusParams {
  readonly eps: number;
  /** The unit of the config (estimators/radius.ts); absent means absolute. */
  readonly unit?: RadiusUnit;
}

function scaleOf(sc: MixtureScenario, samples: number): RadiusScale {
  return { sigma: sc.sigma, samples, d: sc.d, s: sc.s, T: sc.T };
}

function toParams(r: Radius): RadiusParams {
  return r.unit.kind === "absolute" ? { eps: r.eps } : { eps: r.eps, unit: r.unit };
}

function fromParams(p: RadiusParams): Radius {
  return { eps: p.eps, unit: p.unit ?? { kind: "absolute" } };
}

/**
 * An adversarial rule of radius eps (MODEL §3.1): its key "eps" (a number >= 0, or a natural unit:
 * {"tau": k} or {"epsDelta": k, "delta": d}, estimators/radius.ts) and its student's "ssl.eps", by
 * default eps sqrt(n / (n + weight m)): the teacher's radius rescaled to the student's sample size
 * under the 1/sqrt(samples) scaling of the noise of the statistic (MODEL §3.3, §6 B3;
 * docs/DECISIONS.md), which keeps a natural unit's multiple unchanged.
 */
export function radiusRule(spec: {
  readonly name: string;
  readonly attack: "l2" | "linf";
  readonly description: string;
  readonly tags: (eps: number) => RuleTags;
  readonly direction: (v: Float64Array, eps: number) => Float64Array | null;
}): PerTaskRule<RadiusParams> {
  return {
    name: spec.name,
    description: spec.description,
    attack: spec.attack,
    keys: ["eps"],
    studentKeys: ["eps"],
    parameters: (raw, field, ctx) => toParams(parseRadius(`${field}.eps`, raw.eps, scaleOf(ctx.scenario, ctx.scenario.n))),
    echo: (p) => ({ eps: echoRadius(fromParams(p)) }),
    student: (teacher, raw, field, ctx) => {
      const scale = scaleOf(ctx.scenario, ctx.scenario.n + ctx.weight * ctx.m);
      if (raw.eps !== undefined) return toParams(parseRadius(`${field}.eps`, raw.eps, scale));
      return toParams(rescaledRadius(fromParams(teacher), scale, Math.sqrt(ctx.scenario.n / (ctx.scenario.n + ctx.weight * ctx.m))));
    },
    echoStudent: (s) => ({ eps: echoRadius(fromParams(s)) }),
    label: (p) => `${spec.attack}(${radiusLabel(fromParams(p))})`,
    studentLabel: (t, s) => `${spec.attack}(${radiusLabel(fromParams(t))}/${radiusLabel(fromParams(s), 4)})`,
    tags: (p) => spec.tags(p.eps),
    direction: (v, p) => spec.direction(v, p.eps),
    examples: [{ attack: spec.attack, eps: 0.1 }, { attack: spec.attack, eps: 0 }],
  };
}

/** A ConfigError for a radius given to a method without an attack. */
export function radiusWithoutAttack(field: string, value: unknown, where: "method" | "student"): ConfigError {
  return new ConfigError(
    field,
    value,
    where === "method"
      ? 'needs "attack": "l2" or "linf" (a method without attack is standard training)'
      : 'needs "attack": "l2" or "linf" on the method (the student uses the teacher\'s norm)',
  );
}
