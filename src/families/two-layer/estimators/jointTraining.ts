/**
 * The two-layer family's estimator (MODEL §2.3, §3.6): the shared first layer W and one head per
 * task trained jointly on all source tasks by full-batch gradient descent or Adam, standard or
 * adversarial (PGD or FGSM, l-inf or l2), on labelled or labelled + pseudo-labelled data
 * (MODEL §3.3). Within a replicate each distinct training run (data, attack) and each
 * pseudo-labelled set is computed once and shared by the methods that need it; a training run
 * draws its attack starts from a stream named by that key, so a method's numbers do not depend on
 * which other methods run.
 */
import type { JsonValue } from "../../../core/config/canonicalJson.js";
import { ConfigError, parseBoolean, parseChoice, parseInteger, parseNumber, parseObject, rejectUnknownKeys } from "../../../core/config/parse.js";
import { PERTURBATION_NORMS, type PerturbationNorm } from "../../../core/model/perturbation.js";
import type { Rng } from "../../../core/random/rng.js";
import type { Estimator, EstimatorTags } from "../../../experiment/estimator.js";
import type { TwoLayerConfig } from "../config.js";
import type { TwoLayerSample } from "../scenario.js";
import type { TrainingData } from "./kernels.js";
import { type TwoLayerLoss, type TwoLayerNet } from "./network.js";
import { pseudoLabels } from "./pseudoLabel.js";
import { type TrainingResult, trainTwoLayer } from "./train.js";
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
  /** Weight of a pseudo-labelled sample relative to a labelled one, > 0. */
  readonly weight: number;
  /**
   * The network that pseudo-labels, trained on the labelled data: "standard", or "adversarial",
   * i.e. trained against the method's own attack (standard for a method without attack).
   * MODEL §3.3 allows either teacher.
   */
  readonly teacher: "standard" | "adversarial";
}

/** The parameters of a training method (checked). */
export interface TwoLayerTraining {
  /** "none" is standard training. */
  readonly attack: "none" | PerturbationNorm;
  /** Radius of the attack (0 without attack). */
  readonly eps: number;
  /** The inner maximisation: PGD or FGSM. */
  readonly inner: "pgd" | "fgsm";
  /** PGD steps K (1 for FGSM). */
  readonly steps: number;
  /** PGD step size alpha = stepFactor eps / K (FGSM: alpha = eps). */
  readonly stepFactor: number;
  /** PGD starts from a uniform point of the ball (FGSM never does). */
  readonly randomStart: boolean;
  /** Train on the labelled plus m pseudo-labelled samples per task, or null. */
  readonly ssl: TwoLayerSsl | null;
}

/** Default l-inf and l2 radii of the method shorthands ("linf", "ssl+l2", ...). */
export const TWO_LAYER_DEFAULT_EPS = { linf: 0.05, l2: 0.5 } as const;

/** Default PGD settings of a method: K = 3 steps, alpha = 2.5 eps / K, random start. */
export const TWO_LAYER_PGD_DEFAULTS = { steps: 3, stepFactor: 2.5, randomStart: true } as const;

/** Default pseudo-labelling options of a method. */
export const TWO_LAYER_SSL_DEFAULTS: TwoLayerSsl = { weight: 1, teacher: "adversarial" };

const TRAINING_KEYS = ["attack", "eps", "inner", "steps", "stepFactor", "randomStart", "ssl"] as const;
const SHORTHAND = /^(?:(ssl)\+)?(?:(fgsm)-)?(linf|l2)$/;

/**
 * The training of a method shorthand: "standard", "ssl", "[ssl+][fgsm-](linf|l2)" (default radii
 * TWO_LAYER_DEFAULT_EPS, PGD settings TWO_LAYER_PGD_DEFAULTS, pseudo-labelling
 * TWO_LAYER_SSL_DEFAULTS); null when `label` is none of them.
 */
export function shorthandTraining(label: string): TwoLayerTraining | null {
  const base = { inner: "pgd" as const, ...TWO_LAYER_PGD_DEFAULTS };
  if (label === "standard") return { ...base, attack: "none", eps: 0, ssl: null };
  if (label === "ssl") return { ...base, attack: "none", eps: 0, ssl: TWO_LAYER_SSL_DEFAULTS };
  const m = SHORTHAND.exec(label);
  if (m === null) return null;
  const attack = m[3] as PerturbationNorm;
  const fgsm = m[2] !== undefined;
  return {
    attack,
    eps: TWO_LAYER_DEFAULT_EPS[attack],
    inner: fgsm ? "fgsm" : "pgd",
    steps: fgsm ? 1 : TWO_LAYER_PGD_DEFAULTS.steps,
    stepFactor: fgsm ? 1 : TWO_LAYER_PGD_DEFAULTS.stepFactor,
    randomStart: fgsm ? false : TWO_LAYER_PGD_DEFAULTS.randomStart,
    ssl: m[1] !== undefined ? TWO_LAYER_SSL_DEFAULTS : null,
  };
}

/**
 * Parses a method object's training keys: { attack: "none" | "linf" | "l2", eps, inner?: "pgd" |
 * "fgsm", steps?, stepFactor?, randomStart?, ssl?: { weight?, teacher? } }.
 */
export function parseTraining(o: Readonly<Record<string, unknown>>, field: string): TwoLayerTraining {
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
    eps = parseNumber(`${field}.eps`, o.eps ?? TWO_LAYER_DEFAULT_EPS[attack], { min: 0, minOpen: true });
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
  let ssl: TwoLayerSsl | null = null;
  if (o.ssl !== undefined && o.ssl !== null && o.ssl !== false) {
    const sf = `${field}.ssl`;
    const so = o.ssl === true ? {} : parseObject(sf, o.ssl);
    rejectUnknownKeys(sf, so, ["weight", "teacher"]);
    ssl = {
      weight: parseNumber(`${sf}.weight`, so.weight ?? TWO_LAYER_SSL_DEFAULTS.weight, { min: 0, minOpen: true }),
      teacher: parseChoice(`${sf}.teacher`, so.teacher ?? TWO_LAYER_SSL_DEFAULTS.teacher, ["standard", "adversarial"] as const),
    };
  }
  return { attack, eps, inner, steps, stepFactor, randomStart, ssl };
}

/** The default label of a training: "standard", "linf(0.05)", "ssl+fgsm-l2(0.5)". */
export function trainingLabel(p: TwoLayerTraining): string {
  const adv = p.attack === "none" ? "" : `${p.inner === "fgsm" ? "fgsm-" : ""}${p.attack}(${p.eps})`;
  if (p.ssl === null) return adv === "" ? "standard" : adv;
  return adv === "" ? "ssl" : `ssl+${adv}`;
}

/** The attack a training runs against, or null for standard training. */
export function trainingAttack(p: TwoLayerTraining): TwoLayerAttack | null {
  if (p.attack === "none") return null;
  const { eps, steps } = p;
  if (p.inner === "fgsm") return { kind: "fgsm", norm: p.attack, eps, steps: 1, stepSize: eps, randomStart: false };
  return { kind: "pgd", norm: p.attack, eps, steps, stepSize: (p.stepFactor * eps) / steps, randomStart: p.randomStart };
}

/** What the estimator sees of a replicate: the config, the samples, the initial network, and the replicate's training cache. */
export interface TwoLayerFitInput {
  readonly config: TwoLayerConfig;
  readonly source: TwoLayerSample;
  readonly unlabelled: TwoLayerSample | null;
  readonly init: TwoLayerNet;
  readonly labelled: TrainingData;
  readonly loss: TwoLayerLoss;
  /** Training runs and pseudo-labelled sets of this replicate, by key (a result or the reason it failed). */
  readonly cache: { readonly runs: Map<string, TrainingResult | string>; readonly pooled: Map<string, TrainingData | string> };
}

/** A key naming a training run: its data (labelled, or pooled with a teacher and weight) and attack. */
function runKey(attack: TwoLayerAttack | null, pooled: string | null): string {
  return `${pooled ?? "labelled"}|${JSON.stringify(attack)}`;
}

/** The training run (data, attack) of a replicate, computed once; `rng` is the replicate's stream. */
function train(input: TwoLayerFitInput, trainingData: TrainingData, attack: TwoLayerAttack | null, pooled: string | null, rng: Rng): TrainingResult | string {
  const key = runKey(attack, pooled);
  let run = input.cache.runs.get(key);
  if (run === undefined) {
    try {
      run = trainTwoLayer(input.init, trainingData, input.config.scenario.activation, input.loss, { ...input.config.training, attack }, rng.fork(`train:${key}`));
    } catch (e) {
      run = e instanceof RangeError ? e.message : String(e);
    }
    input.cache.runs.set(key, run);
  }
  return run;
}

/** Labelled + pseudo-labelled data for a teacher attack and weight, computed once per replicate. */
function pooledData(input: TwoLayerFitInput, ssl: TwoLayerSsl, attack: TwoLayerAttack | null, rng: Rng): { key: string; set: TrainingData | string } {
  const teacherAttack = ssl.teacher === "adversarial" ? attack : null;
  const key = `pooled(teacher=${JSON.stringify(teacherAttack)},weight=${ssl.weight})`;
  let set = input.cache.pooled.get(key);
  if (set === undefined) {
    const teacher = train(input, input.labelled, teacherAttack, null, rng);
    const unl = input.unlabelled as TwoLayerSample;
    if (typeof teacher === "string") set = `teacher training failed: ${teacher}`;
    else {
      const y = pseudoLabels(teacher.net, input.config.scenario.activation, input.config.scenario.labels, unl.x, unl.task);
      set = pooledTrainingData(input.source, { count: unl.count, dim: unl.dim, x: unl.x, y, task: unl.task }, ssl.weight);
    }
    input.cache.pooled.set(key, set);
  }
  return { key, set };
}

/** The two-layer estimator: a trained network, or the reason training failed (divergence). */
export const jointTrainingEstimator: Estimator<TwoLayerFitInput, TwoLayerTraining, TrainingResult | string> = {
  name: "joint-training",
  description: "first layer and task heads trained jointly by full-batch GD or Adam, standard or adversarial (PGD, FGSM), optionally on pseudo-labels (MODEL §3.6)",
  parameters: (raw, field) => parseTraining(raw, field),
  echo(p) {
    const out: { [key: string]: JsonValue } = { attack: p.attack, eps: p.eps, inner: p.inner, steps: p.steps, stepFactor: p.stepFactor, randomStart: p.randomStart };
    if (p.ssl !== null) out.ssl = { weight: p.ssl.weight, teacher: p.ssl.teacher };
    return out;
  },
  label: trainingLabel,
  tags: (p): EstimatorTags => ({ attacks: PERTURBATION_NORMS, pseudoLabelling: true, attack: p.attack }),
  fit(input, p, rng) {
    const attack = trainingAttack(p);
    if (p.ssl === null) return train(input, input.labelled, attack, null, rng);
    const { key, set } = pooledData(input, p.ssl, attack, rng);
    if (typeof set === "string") return set;
    return train(input, set, attack, key, rng);
  },
  examples: [{}, { attack: "linf", eps: 0.1, steps: 2 }, { attack: "l2", eps: 0.5, inner: "fgsm" }, { attack: "linf", eps: 0.1, ssl: { teacher: "standard" } }],
};
