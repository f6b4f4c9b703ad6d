/**
 * The two-layer family's estimator (MODEL §2.3, §3.6): the shared first layer W and one head per
 * task trained jointly on all source tasks by full-batch gradient descent or Adam, standard or
 * adversarial (PGD or FGSM, l-inf or l2), optionally with a penalty (l1 on W's entries, group
 * lasso over input coordinates, weight decay), a step budget (early stopping) and random restarts,
 * on labelled or labelled + pseudo-labelled data (MODEL §3.3).
 *
 * Keys shared with the mixture family, with the same meaning: "attack" ("none", "linf", "l2"),
 * "eps" (the radius, >= 0; 0 is standard training), "ssl.m" (unlabelled samples per task used,
 * default scenario.m), "ssl.eps" (the student's radius, default eps sqrt(n / (n + weight m)),
 * the teacher's radius rescaled to the student's sample size), "ssl.weight". Keys of its own:
 * "inner", "steps", "stepFactor", "randomStart" (the attack), "l1", "groupLasso", "weightDecay",
 * "inputL1" (penalties), "maxSteps", "restarts", "init", and "ssl.teacher", "ssl.init", "ssl.threshold".
 *
 * Within a replicate each distinct training run (data, attack, options, initial network) and each
 * pseudo-labelled set is computed once and shared by the methods that need it; a run draws its
 * attack starts from a stream named by its key, and restart k >= 1 starts from a network drawn
 * from the replicate's stream "init:k" (shared by all methods), so a method's numbers do not
 * depend on which other methods run.
 */
import type { JsonValue } from "../../../core/config/canonicalJson.js";
import { ConfigError, parseBoolean, parseChoice, parseInteger, parseNumber, parseObject, rejectUnknownKeys } from "../../../core/config/parse.js";
import { PERTURBATION_NORMS, type PerturbationNorm } from "../../../core/model/perturbation.js";
import type { Rng } from "../../../core/random/rng.js";
import type { Estimator, EstimatorTags } from "../../../experiment/estimator.js";
import type { TwoLayerConfig } from "../config.js";
import type { TwoLayerSample, TwoLayerScenario, TwoLayerTruth } from "../scenario.js";
import type { TrainingData } from "./kernels.js";
import { initialNetwork, networkWithHeads, type TwoLayerLoss, type TwoLayerNet } from "./network.js";
import { selectPseudoLabels } from "./pseudoLabel.js";
import { type TrainingResult, type TrainingWorkspace, type TwoLayerPenalty, trainTwoLayer, trainingWorkspace } from "./train.js";
import { pooledTrainingData } from "./trainingData.js";

/** An input attack (MODEL §3.6): PGD with K steps, or FGSM (one step of size eps from x). */
export interface TwoLayerAttack {
  readonly kind: "pgd" | "fgsm";
  readonly norm: PerturbationNorm;
  /** Radius of the perturbation ball, > 0. */
  readonly eps: number;
  /** Number of ascent steps K (1 for FGSM). */
  readonly steps: number;
  /** Absolute step size alpha (eps for FGSM). */
  readonly stepSize: number;
  /** Start from a uniform point of the ball (false for FGSM). */
  readonly randomStart: boolean;
}

/** Pseudo-labelling options of a method (MODEL §3.3). */
export interface TwoLayerSsl {
  /** Unlabelled samples per task used (the first m of scenario.m). */
  readonly m: number;
  /** The student's radius (0 without attack). */
  readonly eps: number;
  /** Weight of a pseudo-labelled sample relative to a labelled one, > 0. */
  readonly weight: number;
  /**
   * The network that pseudo-labels, trained on the labelled data: "adversarial" (the method's own
   * training, attack included; standard for a method without attack) or "standard" (the method's
   * training without its attack). MODEL §3.3 allows either teacher.
   */
  readonly teacher: "standard" | "adversarial";
  /**
   * The student's initial network: "fresh" (drawn from its own stream, independent of the
   * teacher's) or "shared" (the replicate's initial network, the teacher's own start).
   */
  readonly init: "fresh" | "shared";
  /**
   * Classification: a pseudo-label sign(f) is kept when the teacher's confidence
   * 1 / (1 + exp(-|f|)) is at least this (in [0.5, 1); 0.5 keeps all). null for regression.
   */
  readonly threshold: number | null;
}

/** The parameters of a training method (checked). */
export interface TwoLayerTraining {
  /** "none" is standard training. */
  readonly attack: "none" | PerturbationNorm;
  /** Radius of the attack (0 without attack; 0 with an attack trains as standard). */
  readonly eps: number;
  /** The inner maximisation: PGD or FGSM. */
  readonly inner: "pgd" | "fgsm";
  /** PGD steps K (1 for FGSM). */
  readonly steps: number;
  /** PGD step size alpha = stepFactor eps / K (FGSM: alpha = eps). */
  readonly stepFactor: number;
  /** PGD starts from a uniform point of the ball (FGSM never does). */
  readonly randomStart: boolean;
  /** Train on the labelled plus ssl.m pseudo-labelled samples per task, or null. */
  readonly ssl: TwoLayerSsl | null;
  /** Penalty weights (train.ts). */
  readonly penalty: TwoLayerPenalty;
  /** Training steps of this method (early stopping), or null for training.steps. */
  readonly maxSteps: number | null;
  /** Random restarts: the run of lowest final training objective is kept. */
  readonly restarts: number;
  /**
   * "random": from the replicate's initial network (restart k >= 1 from its own draw); "truth":
   * from W* and the true source heads (a diagnostic of where the empirical minimum lies).
   */
  readonly init: "random" | "truth";
}

/** What the estimator's parser may use: the scenario (defaults of ssl.m and ssl.eps). */
export interface TwoLayerContext {
  readonly scenario: TwoLayerScenario;
}

/** Default l-inf and l2 radii of the method shorthands ("linf", "ssl+l2", ...). */
export const TWO_LAYER_DEFAULT_EPS = { linf: 0.05, l2: 0.5 } as const;

/** Default PGD settings of a method: K = 3 steps, alpha = 2.5 eps / K, random start. */
export const TWO_LAYER_PGD_DEFAULTS = { steps: 3, stepFactor: 2.5, randomStart: true } as const;

/** Default pseudo-labelling options of a method (m and eps depend on the scenario). */
export const TWO_LAYER_SSL_DEFAULTS = { weight: 1, teacher: "adversarial", init: "fresh", threshold: 0.5 } as const;

const TRAINING_KEYS = ["attack", "eps", "inner", "steps", "stepFactor", "randomStart", "ssl", "l1", "groupLasso", "weightDecay", "inputL1", "maxSteps", "restarts", "init"] as const;
const SSL_KEYS = ["m", "eps", "weight", "teacher", "init", "threshold"] as const;
const SHORTHAND = /^(?:(ssl)\+)?(?:(fgsm)-)?(linf|l2)$/;

/**
 * The raw method keys of a shorthand: "standard", "ssl", "[ssl+][fgsm-](linf|l2)" (default radii
 * TWO_LAYER_DEFAULT_EPS, PGD settings TWO_LAYER_PGD_DEFAULTS, pseudo-labelling defaults); null
 * when `label` is none of them.
 */
export function shorthandKeys(label: string): Record<string, unknown> | null {
  if (label === "standard") return {};
  if (label === "ssl") return { ssl: {} };
  const m = SHORTHAND.exec(label);
  if (m === null) return null;
  const attack = m[3] as PerturbationNorm;
  const keys: Record<string, unknown> = { attack, eps: TWO_LAYER_DEFAULT_EPS[attack] };
  if (m[2] !== undefined) keys.inner = "fgsm";
  if (m[1] !== undefined) keys.ssl = {};
  return keys;
}

function parseSsl(raw: unknown, field: string, attack: "none" | PerturbationNorm, eps: number, scenario: TwoLayerScenario): TwoLayerSsl {
  const so = raw === true ? {} : parseObject(field, raw);
  rejectUnknownKeys(field, so, SSL_KEYS);
  if (scenario.m === 0) throw new ConfigError("scenario.m", 0, `must be >= 1 when a method pseudo-labels (${field})`);
  const m = parseInteger(`${field}.m`, so.m ?? scenario.m, 1, 10_000_000);
  if (m > scenario.m) throw new ConfigError(`${field}.m`, so.m, `must be an integer in [1, scenario.m = ${scenario.m}]`);
  const weight = parseNumber(`${field}.weight`, so.weight ?? TWO_LAYER_SSL_DEFAULTS.weight, { min: 0, minOpen: true });
  let studentEps = 0;
  if (attack === "none") {
    if (so.eps !== undefined && so.eps !== 0) throw new ConfigError(`${field}.eps`, so.eps, 'needs "attack": "l2" or "linf" on the method (the student uses the teacher\'s norm)');
  } else {
    studentEps = so.eps === undefined ? eps * Math.sqrt(scenario.n / (scenario.n + weight * m)) : parseNumber(`${field}.eps`, so.eps, { min: 0 });
  }
  const teacher = parseChoice(`${field}.teacher`, so.teacher ?? TWO_LAYER_SSL_DEFAULTS.teacher, ["standard", "adversarial"] as const);
  const init = parseChoice(`${field}.init`, so.init ?? TWO_LAYER_SSL_DEFAULTS.init, ["fresh", "shared"] as const);
  let threshold: number | null = null;
  if (scenario.labels === "classification") {
    threshold = parseNumber(`${field}.threshold`, so.threshold ?? TWO_LAYER_SSL_DEFAULTS.threshold, { min: 0.5, max: 1, maxOpen: true });
  } else if (so.threshold !== undefined) {
    throw new ConfigError(`${field}.threshold`, so.threshold, 'applies to classification labels only (a regression pseudo-label is the teacher\'s output, docs/TWO_LAYER.md)');
  }
  return { m, eps: studentEps, weight, teacher, init, threshold };
}

/**
 * Parses a method object's training keys (the file comment lists them) against the scenario.
 * Throws a ConfigError naming `field.key`.
 */
export function parseTraining(o: Readonly<Record<string, unknown>>, field: string, context: TwoLayerContext): TwoLayerTraining {
  rejectUnknownKeys(field, o as Record<string, unknown>, TRAINING_KEYS);
  const attack = parseChoice(`${field}.attack`, o.attack ?? "none", ["none", ...PERTURBATION_NORMS] as const);
  let eps = 0;
  if (attack === "none") {
    // The checked form of a standard method carries eps 0 and the default PGD settings, so its
    // echo re-parses; any other value needs an attack.
    const neutral: Record<string, unknown> = { eps: 0, inner: "pgd", ...TWO_LAYER_PGD_DEFAULTS };
    for (const k of ["eps", "inner", "steps", "stepFactor", "randomStart"] as const) {
      if (o[k] !== undefined && o[k] !== neutral[k]) {
        throw new ConfigError(`${field}.${k}`, o[k], 'needs "attack": "linf" or "l2" (a method without attack is standard training)');
      }
    }
  } else {
    eps = parseNumber(`${field}.eps`, o.eps ?? TWO_LAYER_DEFAULT_EPS[attack], { min: 0 });
  }
  const inner = parseChoice(`${field}.inner`, o.inner ?? "pgd", ["pgd", "fgsm"] as const);
  if (inner === "fgsm") {
    for (const k of ["steps", "stepFactor", "randomStart"] as const) {
      if (o[k] !== undefined && !(k === "steps" && o[k] === 1) && !(k === "stepFactor" && o[k] === 1) && !(k === "randomStart" && o[k] === false)) {
        throw new ConfigError(`${field}.${k}`, o[k], "FGSM is one step of size eps from x (steps 1, stepFactor 1, randomStart false)");
      }
    }
  }
  const steps = inner === "fgsm" ? 1 : parseInteger(`${field}.steps`, o.steps ?? TWO_LAYER_PGD_DEFAULTS.steps, 1, 1000);
  const stepFactor = inner === "fgsm" ? 1 : parseNumber(`${field}.stepFactor`, o.stepFactor ?? TWO_LAYER_PGD_DEFAULTS.stepFactor, { min: 0, minOpen: true, max: 1000 });
  const randomStart = inner === "fgsm" ? false : parseBoolean(`${field}.randomStart`, o.randomStart ?? TWO_LAYER_PGD_DEFAULTS.randomStart);
  const penalty: TwoLayerPenalty = {
    l1: parseNumber(`${field}.l1`, o.l1 ?? 0, { min: 0 }),
    groupLasso: parseNumber(`${field}.groupLasso`, o.groupLasso ?? 0, { min: 0 }),
    weightDecay: parseNumber(`${field}.weightDecay`, o.weightDecay ?? 0, { min: 0 }),
    inputL1: parseNumber(`${field}.inputL1`, o.inputL1 ?? 0, { min: 0 }),
  };
  const maxSteps = o.maxSteps === undefined ? null : parseInteger(`${field}.maxSteps`, o.maxSteps, 1, 1_000_000);
  const restarts = parseInteger(`${field}.restarts`, o.restarts ?? 1, 1, 1000);
  const init = parseChoice(`${field}.init`, o.init ?? "random", ["random", "truth"] as const);
  let ssl: TwoLayerSsl | null = null;
  if (o.ssl !== undefined && o.ssl !== false) ssl = parseSsl(o.ssl, `${field}.ssl`, attack, eps, context.scenario);
  if (init === "truth") {
    if (restarts > 1) throw new ConfigError(`${field}.restarts`, restarts, 'must be 1 with "init": "truth" (a start at the truth is one start)');
    if (ssl !== null) throw new ConfigError(`${field}.init`, init, 'must be "random" for a pseudo-labelling method ("truth" is a diagnostic of supervised training)');
  }
  return { attack, eps, inner, steps, stepFactor, randomStart, ssl, penalty, maxSteps, restarts, init };
}

/** A number in labels: at most 4 significant digits. */
function short(x: number): number {
  return Number(x.toPrecision(4));
}

/**
 * The default label of a training: "standard", "linf(0.05)", "ssl+fgsm-l2(0.5/0.2673)",
 * "l1(0.01)", "linf(0.05)+restarts(5)", "standard+init(truth)", "stop(100)".
 */
export function trainingLabel(p: TwoLayerTraining): string {
  const adv = p.attack === "none" ? "" : `${p.inner === "fgsm" ? "fgsm-" : ""}${p.attack}(${p.ssl === null ? p.eps : `${p.eps}/${short(p.ssl.eps)}`})`;
  const core = p.ssl !== null ? (adv === "" ? "ssl" : `ssl+${adv}`) : adv;
  const controls: string[] = [];
  if (p.penalty.l1 > 0) controls.push(`l1(${p.penalty.l1})`);
  if (p.penalty.groupLasso > 0) controls.push(`group-lasso(${p.penalty.groupLasso})`);
  if (p.penalty.weightDecay > 0) controls.push(`wd(${p.penalty.weightDecay})`);
  if (p.penalty.inputL1 > 0) controls.push(`input-l1(${p.penalty.inputL1})`);
  if (p.maxSteps !== null) controls.push(`stop(${p.maxSteps})`);
  const starts: string[] = [];
  if (p.restarts > 1) starts.push(`restarts(${p.restarts})`);
  if (p.init === "truth") starts.push("init(truth)");
  // A control reads as its own name; restarts and the start alone qualify "standard".
  const head = core !== "" ? [core] : controls.length === 0 ? ["standard"] : [];
  return [...head, ...controls, ...starts].join("+");
}

/** The attack of a training at radius eps, or null for standard training (no attack or eps = 0). */
export function attackAt(p: TwoLayerTraining, eps: number): TwoLayerAttack | null {
  if (p.attack === "none" || eps === 0) return null;
  const { steps } = p;
  if (p.inner === "fgsm") return { kind: "fgsm", norm: p.attack, eps, steps: 1, stepSize: eps, randomStart: false };
  return { kind: "pgd", norm: p.attack, eps, steps, stepSize: (p.stepFactor * eps) / steps, randomStart: p.randomStart };
}

/** The attack a (supervised) training runs against, or null for standard training. */
export function trainingAttack(p: TwoLayerTraining): TwoLayerAttack | null {
  return attackAt(p, p.eps);
}

/** What the estimator sees of a replicate: the config, the samples, the initial network, and the replicate's training cache. */
export interface TwoLayerFitInput {
  readonly config: TwoLayerConfig;
  readonly truth: TwoLayerTruth;
  readonly source: TwoLayerSample;
  readonly unlabelled: TwoLayerSample | null;
  readonly init: TwoLayerNet;
  readonly labelled: TrainingData;
  readonly loss: TwoLayerLoss;
  /** Training runs, pseudo-labelled sets and initial networks of this replicate, by key. */
  readonly cache: {
    readonly runs: Map<string, TrainingResult | string>;
    readonly pooled: Map<string, { readonly set: TrainingData; readonly kept: number } | string>;
    readonly inits?: Map<string, TwoLayerNet>;
    readonly workspaces?: Map<number, TrainingWorkspace>;
  };
}

/** Where the initial networks of a run's restarts come from. */
type InitSource = "shared" | "student" | "truth";

/** The initial network of restart k from a source (drawn once per replicate and shared). */
function initialNetworkOf(input: TwoLayerFitInput, source: InitSource, k: number, rng: Rng): TwoLayerNet {
  if (source === "shared" && k === 0) return input.init;
  const key = source === "truth" ? "truth" : source === "shared" ? `init:${k}` : k === 0 ? "init:student" : `init:student:${k}`;
  const inits = input.cache.inits;
  const hit = inits?.get(key);
  if (hit !== undefined) return hit;
  const { r, d, T } = input.config.scenario;
  const net =
    source === "truth"
      ? networkWithHeads(input.truth.bStar.data, r, d, input.truth.sourceHeads)
      : initialNetwork(r, d, T, input.config.training.initScale, rng.fork(key));
  inits?.set(key, net);
  return net;
}

/** The replicate's training workspace for data of `count` samples (buffers reused across runs and restarts). */
function workspaceFor(input: TwoLayerFitInput, init: TwoLayerNet, count: number, steps: number): TrainingWorkspace | undefined {
  const workspaces = input.cache.workspaces;
  if (workspaces === undefined) return undefined;
  let ws = workspaces.get(count);
  if (ws === undefined || ws.history.length < steps) {
    ws = trainingWorkspace(init.params.length, init.r, init.d, count, steps);
    workspaces.set(count, ws);
  }
  return ws;
}

/** The training options of a method. */
function optionsOf(input: TwoLayerFitInput, p: TwoLayerTraining) {
  const t = input.config.training;
  return { optimiser: t.optimiser, steps: p.maxSteps ?? t.steps, learningRate: t.learningRate, tolerance: t.tolerance, penalty: p.penalty };
}

/**
 * The best of `restarts` training runs on a data set (by final objective), each run computed once
 * per replicate; a failed restart fails the method (divergence is a property of the settings).
 */
function bestRun(
  input: TwoLayerFitInput,
  data: TrainingData,
  dataKey: string,
  attack: TwoLayerAttack | null,
  p: TwoLayerTraining,
  source: InitSource,
  rng: Rng,
): TrainingResult | string {
  const options = optionsOf(input, p);
  const penaltyKey = Object.values(p.penalty).every((v) => v === 0) ? "none" : JSON.stringify(p.penalty);
  let best: TrainingResult | null = null;
  for (let k = 0; k < p.restarts; k++) {
    const key = `${dataKey}|${JSON.stringify(attack)}|steps=${options.steps}|penalty=${penaltyKey}|init=${source}:${k}`;
    let run = input.cache.runs.get(key);
    if (run === undefined) {
      try {
        const init = initialNetworkOf(input, source, k, rng);
        run = trainTwoLayer(init, data, input.config.scenario.activation, input.loss, { ...options, attack }, rng.fork(`train:${key}`), workspaceFor(input, init, data.count, options.steps));
      } catch (e) {
        run = e instanceof RangeError ? e.message : String(e);
      }
      input.cache.runs.set(key, run);
    }
    if (typeof run === "string") return p.restarts > 1 ? `restart ${k}: ${run}` : run;
    if (best === null || run.finalObjective < best.finalObjective) best = run;
  }
  return best as TrainingResult;
}

/** Labelled + pseudo-labelled data for a teacher run and the method's ssl options, computed once per replicate. */
function pooledData(
  input: TwoLayerFitInput,
  teacherKey: string,
  teacher: TrainingResult,
  ssl: TwoLayerSsl,
): { key: string; pooled: { readonly set: TrainingData; readonly kept: number } } {
  const key = `pooled(${teacherKey},m=${ssl.m},weight=${ssl.weight},threshold=${ssl.threshold})`;
  let pooled = input.cache.pooled.get(key);
  if (pooled === undefined || typeof pooled === "string") {
    const unl = input.unlabelled as TwoLayerSample;
    const { activation, labels } = input.config.scenario;
    const chosen = selectPseudoLabels(teacher.net, activation, labels, unl, ssl.m, ssl.threshold);
    pooled = { set: pooledTrainingData(input.source, chosen.rows, ssl.weight), kept: chosen.rows.count / (unl.tasks * ssl.m) };
    input.cache.pooled.set(key, pooled);
  }
  return { key, pooled };
}

/** The two-layer estimator: a trained network, or the reason training failed (divergence). */
export const jointTrainingEstimator: Estimator<TwoLayerFitInput, TwoLayerTraining, TrainingResult | string, TwoLayerContext> = {
  name: "joint-training",
  description:
    "first layer and task heads trained jointly by full-batch GD or Adam, standard or adversarial (PGD, FGSM), with optional penalties, early stopping and restarts, optionally on pseudo-labels (MODEL §3.6, §3.3)",
  parameters: (raw, field, context) => parseTraining(raw, field, context),
  echo(p) {
    const out: { [key: string]: JsonValue } = {
      attack: p.attack,
      eps: p.eps,
      inner: p.inner,
      steps: p.steps,
      stepFactor: p.stepFactor,
      randomStart: p.randomStart,
      l1: p.penalty.l1,
      groupLasso: p.penalty.groupLasso,
      weightDecay: p.penalty.weightDecay,
      inputL1: p.penalty.inputL1,
      restarts: p.restarts,
      init: p.init,
    };
    if (p.maxSteps !== null) out.maxSteps = p.maxSteps;
    if (p.ssl !== null) {
      const s: { [key: string]: JsonValue } = { m: p.ssl.m, weight: p.ssl.weight, teacher: p.ssl.teacher, init: p.ssl.init };
      if (p.attack !== "none") s.eps = p.ssl.eps;
      if (p.ssl.threshold !== null) s.threshold = p.ssl.threshold;
      out.ssl = s;
    }
    return out;
  },
  label: trainingLabel,
  tags: (p): EstimatorTags => ({ attacks: PERTURBATION_NORMS, pseudoLabelling: true, attack: p.attack }),
  fit(input, p, rng) {
    if (p.ssl === null) return bestRun(input, input.labelled, "labelled", trainingAttack(p), p, p.init === "truth" ? "truth" : "shared", rng);
    const ssl = p.ssl;
    const teacherAttack = ssl.teacher === "adversarial" ? trainingAttack(p) : null;
    const teacher = bestRun(input, input.labelled, "labelled", teacherAttack, p, "shared", rng);
    if (typeof teacher === "string") return `teacher training failed: ${teacher}`;
    const teacherKey = `teacher(${JSON.stringify(teacherAttack)},steps=${optionsOf(input, p).steps},penalty=${JSON.stringify(p.penalty)},restarts=${p.restarts})`;
    const { key, pooled } = pooledData(input, teacherKey, teacher, ssl);
    const student = bestRun(input, pooled.set, key, attackAt(p, ssl.eps), p, ssl.init === "fresh" ? "student" : "shared", rng);
    if (typeof student === "string") return student;
    return { ...student, diagnostics: { pseudoLabelKept: pooled.kept } };
  },
  examples: [
    {},
    { attack: "linf", eps: 0.1, steps: 2 },
    { attack: "l2", eps: 0.5, inner: "fgsm" },
    { attack: "linf", eps: 0.1, ssl: { teacher: "standard", m: 10 } },
    { attack: "linf", eps: 0.1, ssl: { eps: 0.05, init: "shared" } },
    { l1: 0.01, restarts: 2 },
    { groupLasso: 0.01, maxSteps: 10 },
    { weightDecay: 0.001, init: "truth" },
  ],
};
