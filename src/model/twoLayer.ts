/**
 * The `two-layer` family (MODEL §2.3): teacher networks f_t(x) = <w_t, phi(W* x)> with
 * W* = B*^T (r x d, orthonormal rows, optionally supported on s of the d coordinates), inputs
 * x ~ N(0, I_d), regression labels y = f_t(x) + xi or classification labels y = sign(f_t(x))
 * flipped at rate rho. This file holds the checked config and its parser, the draw of the true
 * parameters and the samplers; training lives in src/estimators/twoLayer.
 *
 * Layout: samples are rows of a row-major N x d Float64Array (sample i is x[i d .. i d + d)),
 * W is row-major r x d. A column-major d x r Mat and a row-major r x d array share one layout,
 * so `truth.bStar.data` is W* itself.
 */
import { type Mat, zeros } from "../linalg/mat.js";
import { haarOrthonormal } from "../linalg/decompositions.js";
import type { Rng } from "../random/rng.js";
import { type Activation, ACTIVATIONS, activate } from "./activation.js";
import {
  ConfigError,
  parseArray,
  parseBoolean,
  parseChoice,
  parseInteger,
  parseNumber,
  parseObject,
  parseString,
  rejectUnknownKeys,
} from "./parse.js";

export type { Activation } from "./activation.js";

/** Perturbation norms p of MODEL §1. */
export const ATTACK_NORMS = ["inf", "2"] as const;
export type AttackNorm = (typeof ATTACK_NORMS)[number];

/** An input attack (MODEL §3.6): PGD with K steps, or FGSM (one step of size eps from x). */
export interface TwoLayerAttack {
  readonly kind: "pgd" | "fgsm";
  readonly norm: AttackNorm;
  /** Radius of the perturbation ball, > 0. */
  readonly eps: number;
  /** Number of ascent steps K (1 for FGSM). */
  readonly steps: number;
  /** Absolute step size alpha (eps for FGSM). */
  readonly stepSize: number;
  /** Start from a uniform point of the ball (false for FGSM). */
  readonly randomStart: boolean;
}

/** One training method of a run: clean or adversarial, on labelled or pseudo-labelled data. */
export interface TwoLayerMethod {
  readonly label: string;
  /** Adversarial training against this attack, or null for standard training. */
  readonly attack: TwoLayerAttack | null;
  /** Train on the labelled samples plus m pseudo-labelled samples per task (MODEL §3.3). */
  readonly pseudoLabels: boolean;
}

export type LabelKind = "regression" | "classification";
export type Optimiser = "adam" | "gd";
export type TargetFit = "least-squares" | "linear" | "logistic";

/** The checked config of a two-layer run. Every field is explicit (defaults filled by the parser). */
export interface TwoLayerConfig {
  readonly d: number;
  readonly r: number;
  readonly T: number;
  readonly n: number;
  readonly n0: number;
  /** Support size s of W*'s columns (r <= s <= d); s = d is dense. */
  readonly s: number;
  readonly activation: Activation;
  readonly labels: LabelKind;
  /** Regression noise standard deviation. */
  readonly sigma: number;
  /** Classification label-flip rate rho in [0, 0.5). */
  readonly flip: number;
  /** Norm of every teacher head w_t (drawn N(0, I_r), then rescaled). */
  readonly headNorm: number;
  readonly ssl: {
    /** Unlabelled samples per source task. */
    readonly m: number;
    /** Weight of a pseudo-labelled sample relative to a labelled one. */
    readonly weight: number;
    /**
     * The network that pseudo-labels (trained on the labelled data): "standard", or
     * "adversarial", i.e. trained against the student's own attack (standard for students
     * without one). MODEL §3.3 allows either teacher.
     */
    readonly teacher: "standard" | "adversarial";
  };
  readonly training: {
    readonly optimiser: Optimiser;
    readonly steps: number;
    readonly learningRate: number;
    /** W starts N(0, initScale^2 / d) entrywise, heads N(0, initScale^2 / r). */
    readonly initScale: number;
  };
  readonly target: {
    readonly fit: TargetFit;
    /** Norm bound ||w|| <= headBound of the linear and logistic target heads. */
    readonly headBound: number;
  };
  readonly evaluation: {
    /** Fresh target samples for the Monte Carlo risks. */
    readonly testSize: number;
    /** The attack of the robust target risk. */
    readonly attack: TwoLayerAttack;
  };
  readonly methods: readonly TwoLayerMethod[];
}

/**
 * The default scenario (README, "Two-layer family"): d = 50 inputs with a sparse teacher
 * (s = 10), r = 4 relu units, T = 20 source tasks of n = 40 labelled and m = 100 unlabelled
 * samples, n0 = 20 target samples, regression noise 0.5; Adam for 300 full-batch steps; PGD with
 * 5 steps; all five methods.
 */
export const TWO_LAYER_DEFAULTS = {
  d: 50,
  r: 4,
  T: 20,
  n: 40,
  n0: 20,
  s: 10,
  activation: "relu",
  labels: "regression",
  sigma: 0.5,
  flip: 0.1,
  headNorm: 1,
  ssl: { m: 100, weight: 1, teacher: "standard" },
  training: { optimiser: "adam", steps: 300, learningRate: 0.02, initScale: 1 },
  target: { fit: "auto", headBound: 1 },
  adversarial: { epsInf: 0.05, eps2: 0.5, steps: 5, stepFactor: 2.5, randomStart: true },
  evaluation: { testSize: 2000, attack: { kind: "pgd", norm: "inf", eps: 0.05, steps: 10 } },
  methods: ["standard", "pgd-inf", "pgd-2", "ssl", "ssl+pgd-inf"],
} as const;

/** Largest source sample T (n + m) d the parser accepts (doubles held in memory at once). */
export const MAX_SOURCE_ENTRIES = 50_000_000;

const TOP_KEYS = [
  "d",
  "r",
  "T",
  "n",
  "n0",
  "s",
  "activation",
  "labels",
  "sigma",
  "flip",
  "headNorm",
  "ssl",
  "training",
  "target",
  "adversarial",
  "evaluation",
  "methods",
] as const;

/** Shared settings that the method shorthands ("pgd-inf", "ssl+pgd-2", ...) draw on. */
interface AdversarialDefaults {
  readonly epsInf: number;
  readonly eps2: number;
  readonly steps: number;
  readonly stepFactor: number;
  readonly randomStart: boolean;
}

function field(prefix: string, key: string): string {
  return prefix === "" ? key : `${prefix}.${key}`;
}

function sub(raw: Record<string, unknown>, key: string, fallback: Record<string, unknown>): Record<string, unknown> {
  const v = raw[key];
  return v === undefined ? { ...fallback } : { ...fallback, ...parseObject(key, v) };
}

/**
 * Parses a raw two-layer config (missing keys take TWO_LAYER_DEFAULTS) into a checked
 * TwoLayerConfig. Throws a ConfigError naming the dotted field, the value and the allowed range:
 * unknown keys, r > s, s > d, pseudo-labelling methods with m = 0, a flip rate >= 1/2, a
 * target fit that does not match the labels, or a source sample too large for memory.
 *
 * Methods are strings or objects. Strings: "standard", "ssl", and "[ssl+](pgd|fgsm)-(inf|2)",
 * which take eps from adversarial.epsInf / adversarial.eps2 and K, the step factor and the random
 * start from `adversarial`. Objects: { label, pseudoLabels?, attack?: { kind, norm, eps, steps?,
 * stepFactor?, randomStart? } | null }. PGD's step size is alpha = stepFactor * eps / K; FGSM is
 * one step of size eps from x with no random start.
 */
export function parseTwoLayerConfig(raw: unknown): TwoLayerConfig {
  const obj = parseObject("config", raw);
  rejectUnknownKeys("", obj, TOP_KEYS);
  const D = TWO_LAYER_DEFAULTS;
  const get = (key: (typeof TOP_KEYS)[number]): unknown => (obj[key] === undefined ? (D as Record<string, unknown>)[key] : obj[key]);

  const d = parseInteger("d", get("d"), 1, 100_000);
  const r = parseInteger("r", get("r"), 1, Math.min(d, 64));
  const T = parseInteger("T", get("T"), 1, 100_000);
  const n = parseInteger("n", get("n"), 1, 10_000_000);
  const n0 = parseInteger("n0", get("n0"), r, 10_000_000);
  const s = obj.s === undefined ? Math.min(D.s, d) : parseInteger("s", obj.s, r, d);
  if (s < r) throw new ConfigError("s", s, `must be an integer in [r, d] = [${r}, ${d}]`);
  const activation = parseChoice("activation", get("activation"), ACTIVATIONS);
  const labels = parseChoice("labels", get("labels"), ["regression", "classification"] as const);
  const sigma = parseNumber("sigma", get("sigma"), { min: 0 });
  const flip = parseNumber("flip", get("flip"), { min: 0, max: 0.5, maxOpen: true });
  const headNorm = parseNumber("headNorm", get("headNorm"), { min: 0, minOpen: true });

  const sslRaw = sub(obj, "ssl", D.ssl);
  rejectUnknownKeys("ssl", sslRaw, ["m", "weight", "teacher"]);
  const ssl = {
    m: parseInteger("ssl.m", sslRaw.m, 0, 10_000_000),
    weight: parseNumber("ssl.weight", sslRaw.weight, { min: 0, minOpen: true }),
    teacher: parseChoice("ssl.teacher", sslRaw.teacher, ["standard", "adversarial"] as const),
  };

  const trRaw = sub(obj, "training", D.training);
  rejectUnknownKeys("training", trRaw, ["optimiser", "steps", "learningRate", "initScale"]);
  const training = {
    optimiser: parseChoice("training.optimiser", trRaw.optimiser, ["adam", "gd"] as const),
    steps: parseInteger("training.steps", trRaw.steps, 0, 1_000_000),
    learningRate: parseNumber("training.learningRate", trRaw.learningRate, { min: 0, minOpen: true, max: 100 }),
    initScale: parseNumber("training.initScale", trRaw.initScale, { min: 0, minOpen: true, max: 100 }),
  };

  const tgRaw = sub(obj, "target", D.target);
  rejectUnknownKeys("target", tgRaw, ["fit", "headBound"]);
  const fitRaw = tgRaw.fit === "auto" ? (labels === "regression" ? "least-squares" : "linear") : tgRaw.fit;
  const fit = parseChoice("target.fit", fitRaw, ["least-squares", "linear", "logistic"] as const);
  if (labels === "regression" && fit !== "least-squares") {
    throw new ConfigError("target.fit", tgRaw.fit, 'must be "least-squares" or "auto" for regression labels');
  }
  if (labels === "classification" && fit === "least-squares") {
    throw new ConfigError("target.fit", tgRaw.fit, 'must be "linear", "logistic" or "auto" for classification labels');
  }
  const target = { fit, headBound: parseNumber("target.headBound", tgRaw.headBound, { min: 0, minOpen: true }) };

  const advRaw = sub(obj, "adversarial", D.adversarial);
  rejectUnknownKeys("adversarial", advRaw, ["epsInf", "eps2", "steps", "stepFactor", "randomStart"]);
  const adv: AdversarialDefaults = {
    epsInf: parseNumber("adversarial.epsInf", advRaw.epsInf, { min: 0, minOpen: true }),
    eps2: parseNumber("adversarial.eps2", advRaw.eps2, { min: 0, minOpen: true }),
    steps: parseInteger("adversarial.steps", advRaw.steps, 1, 1000),
    stepFactor: parseNumber("adversarial.stepFactor", advRaw.stepFactor, { min: 0, minOpen: true, max: 1000 }),
    randomStart: parseBoolean("adversarial.randomStart", advRaw.randomStart),
  };

  const evRaw = sub(obj, "evaluation", D.evaluation);
  rejectUnknownKeys("evaluation", evRaw, ["testSize", "attack"]);
  const evaluation = {
    testSize: parseInteger("evaluation.testSize", evRaw.testSize, 2, 10_000_000),
    attack: parseAttack("evaluation.attack", evRaw.attack, { ...adv, randomStart: false }),
  };

  const methodsRaw = parseArray("methods", get("methods"), 1);
  const methods = methodsRaw.map((m, i) => parseMethod(`methods[${i}]`, m, adv));
  const seen = new Set<string>();
  methods.forEach((m, i) => {
    if (seen.has(m.label)) throw new ConfigError(`methods[${i}].label`, m.label, "must be unique within a run");
    seen.add(m.label);
    if (m.pseudoLabels && ssl.m === 0) {
      throw new ConfigError("ssl.m", 0, `must be >= 1 when a method uses pseudo-labels (methods[${i}] = ${JSON.stringify(m.label)})`);
    }
  });

  const sourceRows = T * (n + (methods.some((m) => m.pseudoLabels) ? ssl.m : 0));
  if (sourceRows * d > MAX_SOURCE_ENTRIES) {
    throw new ConfigError("d", d, `T (n + m) d = ${sourceRows * d} must be <= ${MAX_SOURCE_ENTRIES}`);
  }
  if (evaluation.testSize * d > MAX_SOURCE_ENTRIES) {
    throw new ConfigError("evaluation.testSize", evaluation.testSize, `testSize d must be <= ${MAX_SOURCE_ENTRIES}`);
  }
  return { d, r, T, n, n0, s, activation, labels, sigma, flip, headNorm, ssl, training, target, evaluation, methods };
}

function attackFrom(kind: "pgd" | "fgsm", norm: AttackNorm, eps: number, steps: number, stepFactor: number, randomStart: boolean): TwoLayerAttack {
  if (kind === "fgsm") return { kind, norm, eps, steps: 1, stepSize: eps, randomStart: false };
  return { kind, norm, eps, steps, stepSize: (stepFactor * eps) / steps, randomStart };
}

function parseAttack(prefix: string, raw: unknown, adv: AdversarialDefaults): TwoLayerAttack {
  const o = parseObject(prefix, raw);
  rejectUnknownKeys(prefix, o, ["kind", "norm", "eps", "steps", "stepFactor", "randomStart"]);
  const kind = parseChoice(field(prefix, "kind"), o.kind ?? "pgd", ["pgd", "fgsm"] as const);
  const norm = parseChoice(field(prefix, "norm"), o.norm, ATTACK_NORMS);
  const eps = parseNumber(field(prefix, "eps"), o.eps, { min: 0, minOpen: true });
  const steps = parseInteger(field(prefix, "steps"), o.steps ?? adv.steps, 1, 1000);
  const stepFactor = parseNumber(field(prefix, "stepFactor"), o.stepFactor ?? adv.stepFactor, { min: 0, minOpen: true, max: 1000 });
  const randomStart = parseBoolean(field(prefix, "randomStart"), o.randomStart ?? adv.randomStart);
  return attackFrom(kind, norm, eps, steps, stepFactor, randomStart);
}

const SHORTHAND = /^(ssl\+)?(pgd|fgsm)-(inf|2)$/;

function parseMethod(prefix: string, raw: unknown, adv: AdversarialDefaults): TwoLayerMethod {
  if (typeof raw === "string") {
    if (raw === "standard") return { label: raw, attack: null, pseudoLabels: false };
    if (raw === "ssl") return { label: raw, attack: null, pseudoLabels: true };
    const m = SHORTHAND.exec(raw);
    if (m === null) {
      throw new ConfigError(prefix, raw, 'must be "standard", "ssl", "[ssl+](pgd|fgsm)-(inf|2)" or a method object');
    }
    const norm = m[3] as AttackNorm;
    const eps = norm === "inf" ? adv.epsInf : adv.eps2;
    const attack = attackFrom(m[2] as "pgd" | "fgsm", norm, eps, adv.steps, adv.stepFactor, adv.randomStart);
    return { label: raw, attack, pseudoLabels: m[1] !== undefined };
  }
  const o = parseObject(prefix, raw);
  rejectUnknownKeys(prefix, o, ["label", "attack", "pseudoLabels"]);
  const label = parseString(field(prefix, "label"), o.label);
  const pseudoLabels = parseBoolean(field(prefix, "pseudoLabels"), o.pseudoLabels ?? false);
  const attack = o.attack === undefined || o.attack === null ? null : parseAttack(field(prefix, "attack"), o.attack, adv);
  return { label, attack, pseudoLabels };
}

/** The true parameters of one replicate. */
export interface TwoLayerTruth {
  /** B* (d x r, orthonormal columns, zero outside the support); its data is W* (r x d, row-major). */
  readonly bStar: Mat;
  /** The support S of B*'s rows, ascending. */
  readonly support: Int32Array;
  /** Source heads w_1..w_T, row-major T x r. */
  readonly sourceHeads: Float64Array;
  /** Target head w_0 (length r). */
  readonly targetHead: Float64Array;
}

/**
 * Draws the truth (MODEL §2.3 with the support construction of §2.1): S uniform of size s,
 * B*[S, :] Haar on the s x r Stiefel manifold, heads w_t ~ N(0, I_r) rescaled to ||w_t|| = headNorm.
 */
export function drawTwoLayerTruth(config: Pick<TwoLayerConfig, "d" | "r" | "T" | "s" | "headNorm">, rng: Rng): TwoLayerTruth {
  const { d, r, T, s, headNorm } = config;
  const support = sampleSupport(d, s, rng.fork("support"));
  const q = haarOrthonormal(s, r, rng.fork("basis"));
  const bStar = zeros(d, r);
  for (let k = 0; k < r; k++) for (let a = 0; a < s; a++) bStar.data[support[a] + k * d] = q.data[a + k * s];
  const heads = rng.fork("heads");
  const drawHead = (out: Float64Array) => {
    do heads.fillNormal(out);
    while (out.every((v) => v === 0));
    let nrm = 0;
    for (let k = 0; k < r; k++) nrm += out[k] * out[k];
    const f = headNorm / Math.sqrt(nrm);
    for (let k = 0; k < r; k++) out[k] *= f;
  };
  const sourceHeads = new Float64Array(T * r);
  for (let t = 0; t < T; t++) drawHead(sourceHeads.subarray(t * r, (t + 1) * r));
  const targetHead = new Float64Array(r);
  drawHead(targetHead);
  return { bStar, support, sourceHeads, targetHead };
}

/** A uniform s-subset of {0..d-1}, ascending (partial Fisher-Yates). */
export function sampleSupport(d: number, s: number, rng: Rng): Int32Array {
  const idx = Int32Array.from({ length: d }, (_, i) => i);
  for (let i = 0; i < s; i++) {
    const j = i + rng.integer(d - i);
    const t = idx[i];
    idx[i] = idx[j];
    idx[j] = t;
  }
  return idx.slice(0, s).sort();
}

/** How labels are made from the teacher output f (MODEL §2.3). */
export type LabelModel = { readonly kind: "regression"; readonly sigma: number } | { readonly kind: "classification"; readonly flip: number };

/** The label model of a config. */
export function labelModel(config: Pick<TwoLayerConfig, "labels" | "sigma" | "flip">): LabelModel {
  return config.labels === "regression" ? { kind: "regression", sigma: config.sigma } : { kind: "classification", flip: config.flip };
}

/** Samples of several tasks, grouped by task: rows t * perTask .. (t + 1) * perTask - 1 are task t. */
export interface TwoLayerSample {
  readonly count: number;
  readonly dim: number;
  readonly perTask: number;
  readonly tasks: number;
  /** Inputs, row-major count x dim. */
  readonly x: Float64Array;
  /** Task index of each row. */
  readonly task: Int32Array;
  /** Teacher outputs f_t(x) (noise free). */
  readonly clean: Float64Array;
  /** Labels: f + xi (regression) or sign(f) flipped at rate rho (classification); sign(0) = +1. */
  readonly y: Float64Array;
}

/**
 * The teacher output f_t(x) = <w_t, phi(W* x)> for one row x (offset `base` in `x`), using only
 * the support coordinates of W* (O(s r)).
 */
export function teacherOutput(truth: TwoLayerTruth, activation: Activation, head: ArrayLike<number>, x: Float64Array, base: number): number {
  const { bStar, support } = truth;
  const d = bStar.rows;
  const r = bStar.cols;
  const b = bStar.data;
  let f = 0;
  for (let k = 0; k < r; k++) {
    let h = 0;
    const off = k * d;
    for (let a = 0; a < support.length; a++) {
      const j = support[a];
      h += b[off + j] * x[base + j];
    }
    f += head[k] * activate(activation, h);
  }
  return f;
}

/**
 * Draws `perTask` samples for each of the tasks whose heads are the rows of `heads` (tasks x r):
 * x ~ N(0, I_d), f = f_t(x), labels by `labels`. Inputs are drawn first, then labels, from `rng`.
 */
export function sampleTwoLayer(
  truth: TwoLayerTruth,
  activation: Activation,
  heads: Float64Array,
  perTask: number,
  labels: LabelModel,
  rng: Rng,
): TwoLayerSample {
  const d = truth.bStar.rows;
  const r = truth.bStar.cols;
  const tasks = heads.length / r;
  const count = tasks * perTask;
  const x = rng.fillNormal(new Float64Array(count * d));
  const task = new Int32Array(count);
  const clean = new Float64Array(count);
  const y = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const t = Math.floor(i / perTask);
    task[i] = t;
    clean[i] = teacherOutput(truth, activation, heads.subarray(t * r, (t + 1) * r), x, i * d);
  }
  if (labels.kind === "regression") {
    for (let i = 0; i < count; i++) y[i] = clean[i] + labels.sigma * rng.normal();
  } else {
    for (let i = 0; i < count; i++) {
      const s = clean[i] >= 0 ? 1 : -1;
      y[i] = rng.uniform53() < labels.flip ? -s : s;
    }
  }
  return { count, dim: d, perTask, tasks, x, task, clean, y };
}
