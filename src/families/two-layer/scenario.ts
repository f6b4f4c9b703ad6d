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
import { type Mat, zeros } from "../../core/linalg/mat.js";
import { haarOrthonormal } from "../../core/linalg/decompositions.js";
import type { Rng } from "../../core/random/rng.js";
import { randomSupport } from "../../core/model/sparseBasis.js";
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
} from "../../core/config/parse.js";

export type { Activation } from "./activation.js";

/** Perturbation norms p of MODEL §1 (named as in the mixture family's methods). */
export const ATTACK_NORMS = ["linf", "l2"] as const;
export type TwoLayerNorm = (typeof ATTACK_NORMS)[number];

/** An input attack (MODEL §3.6): PGD with K steps, or FGSM (one step of size eps from x). */
export interface TwoLayerAttack {
  readonly kind: "pgd" | "fgsm";
  readonly norm: TwoLayerNorm;
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

/** One training method of a run (checked; its JSON re-parses to itself). */
export interface TwoLayerMethod {
  readonly label: string;
  /** "none" is standard training. */
  readonly attack: "none" | TwoLayerNorm;
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

export type LabelKind = "regression" | "classification";
export type Optimiser = "adam" | "gd";
export type TwoLayerTargetFit = "least-squares" | "linear" | "logistic";

/** The scenario of a two-layer run (MODEL §2.3). */
export interface TwoLayerScenario {
  readonly d: number;
  readonly r: number;
  /** Support size s of W*'s columns (r <= s <= d); s = d is dense. */
  readonly s: number;
  readonly T: number;
  /** Labelled samples per source task. */
  readonly n: number;
  /** Unlabelled samples per source task (drawn only when a method pseudo-labels). */
  readonly m: number;
  /** Labelled target samples. */
  readonly n0: number;
  readonly activation: Activation;
  readonly labels: LabelKind;
  /** Regression noise standard deviation. */
  readonly sigma: number;
  /** Classification label-flip rate rho in [0, 0.5). */
  readonly flip: number;
  /** Norm of every teacher head w_t (drawn N(0, I_r), then rescaled). */
  readonly headNorm: number;
}

/** The checked config of a two-layer run. Every field is explicit (defaults filled by the parser). */
export interface TwoLayerConfig {
  readonly scenario: TwoLayerScenario;
  readonly training: {
    readonly optimiser: Optimiser;
    readonly steps: number;
    readonly learningRate: number;
    /** W starts N(0, initScale^2 / d) entrywise, heads N(0, initScale^2 / r). */
    readonly initScale: number;
  };
  readonly methods: readonly TwoLayerMethod[];
  readonly target: {
    readonly fit: TwoLayerTargetFit;
    /** Norm bound ||w|| <= headBound of the linear and logistic target heads. */
    readonly headBound: number;
  };
  readonly evaluation: {
    /** Fresh target samples for the Monte Carlo risks. */
    readonly testSize: number;
    /** Norm, radius and PGD steps of the robust target risk (no random start, step 2.5 eps / K). */
    readonly attack: TwoLayerNorm;
    readonly eps: number;
    readonly steps: number;
  };
}

/** Default l-inf and l2 radii of the method shorthands ("linf", "ssl+l2", ...). */
export const TWO_LAYER_DEFAULT_EPS = { linf: 0.05, l2: 0.5 } as const;

/**
 * The default scenario (README, "Two-layer family"): d = 50 inputs with a sparse teacher
 * (s = 10 coordinates), r = 4 relu units, T = 20 source tasks of n = 40 labelled and m = 100
 * unlabelled samples, n0 = 20 target samples, regression noise sigma = 0.5; Adam for 300
 * full-batch steps (learning rate 0.05); PGD with 3 steps and a random start; five methods, the
 * pseudo-labelling ones taught by a network trained on the labelled data against their own attack.
 */
export const TWO_LAYER_DEFAULTS = {
  scenario: {
    d: 50,
    r: 4,
    s: 10,
    T: 20,
    n: 40,
    m: 100,
    n0: 20,
    activation: "relu",
    labels: "regression",
    sigma: 0.5,
    flip: 0.1,
    headNorm: 1,
  },
  training: { optimiser: "adam", steps: 300, learningRate: 0.05, initScale: 1 },
  methods: [{ label: "standard" }, { label: "linf" }, { label: "l2" }, { label: "ssl" }, { label: "ssl+linf" }],
  target: { fit: "auto", headBound: 1 },
  evaluation: { testSize: 2000, attack: "linf", eps: 0.05, steps: 10 },
} as const;

/** Default PGD settings of a method: K = 3 steps, alpha = 2.5 eps / K, random start. */
export const TWO_LAYER_PGD_DEFAULTS = { steps: 3, stepFactor: 2.5, randomStart: true } as const;

/** Default pseudo-labelling options of a method. */
export const TWO_LAYER_SSL_DEFAULTS: TwoLayerSsl = { weight: 1, teacher: "adversarial" };

/**
 * Largest source sample T (n + m) d the parser accepts: training holds the inputs row-major and
 * feature-major, plus the attack's perturbed copy and random start, about 4 x 8 bytes per entry.
 */
export const MAX_SOURCE_ENTRIES = 20_000_000;

/** The keys a two-layer config may have besides the run keys (family, replicates, seed). */
export const TWO_LAYER_CONFIG_KEYS = ["scenario", "training", "methods", "target", "evaluation"] as const;
const SCENARIO_KEYS = ["d", "r", "s", "T", "n", "m", "n0", "activation", "labels", "sigma", "flip", "headNorm"] as const;
const METHOD_KEYS = ["label", "attack", "eps", "inner", "steps", "stepFactor", "randomStart", "ssl"] as const;

function merged(raw: Record<string, unknown>, key: string, defaults: Record<string, unknown>): Record<string, unknown> {
  const v = raw[key];
  return v === undefined ? { ...defaults } : { ...defaults, ...parseObject(key, v) };
}

/** Parses the scenario block (missing keys take the defaults; s defaults to min(10, d)). */
export function parseTwoLayerScenario(raw: unknown): TwoLayerScenario {
  const D = TWO_LAYER_DEFAULTS.scenario;
  const o = raw === undefined ? {} : parseObject("scenario", raw);
  rejectUnknownKeys("scenario", o, SCENARIO_KEYS);
  const get = (k: (typeof SCENARIO_KEYS)[number]) => (o[k] === undefined ? (D as Record<string, unknown>)[k] : o[k]);
  const d = parseInteger("scenario.d", get("d"), 1, 100_000);
  const s = o.s === undefined ? Math.min(D.s, d) : parseInteger("scenario.s", o.s, 1, d);
  const rRaw = get("r");
  const r = parseInteger("scenario.r", rRaw, 1, 64);
  if (r > s) throw new ConfigError("scenario.r", rRaw, `must be an integer in [1, s = ${s}] (r <= s <= d)`);
  const T = parseInteger("scenario.T", get("T"), 1, 100_000);
  const n = parseInteger("scenario.n", get("n"), 1, 10_000_000);
  const m = parseInteger("scenario.m", get("m"), 0, 10_000_000);
  const n0 = parseInteger("scenario.n0", get("n0"), r, 10_000_000);
  const activation = parseChoice("scenario.activation", get("activation"), ACTIVATIONS);
  const labels = parseChoice("scenario.labels", get("labels"), ["regression", "classification"] as const);
  const sigma = parseNumber("scenario.sigma", get("sigma"), { min: 0 });
  const flip = parseNumber("scenario.flip", get("flip"), { min: 0, max: 0.5, maxOpen: true });
  const headNorm = parseNumber("scenario.headNorm", get("headNorm"), { min: 0, minOpen: true });
  return { d, r, s, T, n, m, n0, activation, labels, sigma, flip, headNorm };
}

const SHORTHAND = /^(?:(ssl)\+)?(?:(fgsm)-)?(linf|l2)$/;

function shorthandMethod(label: string): TwoLayerMethod | null {
  const base = { label, inner: "pgd" as const, ...TWO_LAYER_PGD_DEFAULTS };
  if (label === "standard") return { ...base, attack: "none", eps: 0, ssl: null };
  if (label === "ssl") return { ...base, attack: "none", eps: 0, ssl: TWO_LAYER_SSL_DEFAULTS };
  const m = SHORTHAND.exec(label);
  if (m === null) return null;
  const attack = m[3] as TwoLayerNorm;
  const fgsm = m[2] !== undefined;
  return {
    label,
    attack,
    eps: TWO_LAYER_DEFAULT_EPS[attack],
    inner: fgsm ? "fgsm" : "pgd",
    steps: fgsm ? 1 : TWO_LAYER_PGD_DEFAULTS.steps,
    stepFactor: fgsm ? 1 : TWO_LAYER_PGD_DEFAULTS.stepFactor,
    randomStart: fgsm ? false : TWO_LAYER_PGD_DEFAULTS.randomStart,
    ssl: m[1] !== undefined ? TWO_LAYER_SSL_DEFAULTS : null,
  };
}

function defaultLabel(attack: "none" | TwoLayerNorm, eps: number, inner: "pgd" | "fgsm", ssl: boolean): string {
  const adv = attack === "none" ? "" : `${inner === "fgsm" ? "fgsm-" : ""}${attack}(${eps})`;
  if (!ssl) return adv === "" ? "standard" : adv;
  return adv === "" ? "ssl" : `ssl+${adv}`;
}

/**
 * Parses one method. A string, or an object holding only a label, that is one of the shorthands
 * "standard", "ssl", "[ssl+][fgsm-](linf|l2)" expands to it (default radii TWO_LAYER_DEFAULT_EPS,
 * PGD settings TWO_LAYER_PGD_DEFAULTS, pseudo-labelling TWO_LAYER_SSL_DEFAULTS); any other
 * label-only object is standard training, as in the mixture family. A full object:
 * { label?, attack: "none" | "linf" | "l2", eps, inner?: "pgd" | "fgsm", steps?, stepFactor?,
 * randomStart?, ssl?: { weight?, teacher? } }.
 */
export function parseTwoLayerMethod(raw: unknown, field: string): TwoLayerMethod {
  if (typeof raw === "string") {
    const m = shorthandMethod(raw);
    if (m === null) throw new ConfigError(field, raw, 'must be "standard", "ssl", "[ssl+][fgsm-](linf|l2)" or a method object');
    return m;
  }
  const o = parseObject(field, raw);
  rejectUnknownKeys(field, o, METHOD_KEYS);
  const keys = Object.keys(o);
  if (keys.length === 1 && keys[0] === "label") {
    const label = parseString(`${field}.label`, o.label);
    return shorthandMethod(label) ?? { ...(shorthandMethod("standard") as TwoLayerMethod), label };
  }
  const attack = parseChoice(`${field}.attack`, o.attack ?? "none", ["none", ...ATTACK_NORMS] as const);
  let eps = 0;
  if (attack === "none") {
    // The checked form of a standard method carries eps 0 and the default PGD settings, so its
    // JSON echo re-parses; any other value needs an attack.
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
  const label = o.label === undefined ? defaultLabel(attack, eps, inner, ssl !== null) : parseString(`${field}.label`, o.label);
  return { label, attack, eps, inner, steps, stepFactor, randomStart, ssl };
}

/** The attack a method trains against, or null for standard training. */
export function methodAttack(method: TwoLayerMethod): TwoLayerAttack | null {
  if (method.attack === "none") return null;
  const { eps, steps } = method;
  if (method.inner === "fgsm") return { kind: "fgsm", norm: method.attack, eps, steps: 1, stepSize: eps, randomStart: false };
  return { kind: "pgd", norm: method.attack, eps, steps, stepSize: (method.stepFactor * eps) / steps, randomStart: method.randomStart };
}

/** The attack of the robust target risk: PGD from x (no random start), step 2.5 eps / K. */
export function evaluationAttack(config: Pick<TwoLayerConfig, "evaluation">): TwoLayerAttack {
  const { attack, eps, steps } = config.evaluation;
  return { kind: "pgd", norm: attack, eps, steps, stepSize: (2.5 * eps) / steps, randomStart: false };
}

/**
 * Parses a raw two-layer config (the run keys family, replicates and seed already removed):
 * scenario, training, methods, target, evaluation, each with TWO_LAYER_DEFAULTS for missing keys.
 * Throws a ConfigError naming the dotted field, the value and the allowed range: unknown keys,
 * r > s, s > d, pseudo-labelling methods with scenario.m = 0, a flip rate >= 1/2, a target fit
 * that does not match the labels, duplicate labels, or a source sample too large for memory.
 */
export function parseTwoLayerConfig(raw: unknown): TwoLayerConfig {
  const obj = raw === undefined ? {} : parseObject("config", raw);
  rejectUnknownKeys("", obj, TWO_LAYER_CONFIG_KEYS);
  const D = TWO_LAYER_DEFAULTS;
  const scenario = parseTwoLayerScenario(obj.scenario);

  const trRaw = merged(obj, "training", D.training);
  rejectUnknownKeys("training", trRaw, ["optimiser", "steps", "learningRate", "initScale"]);
  const training = {
    optimiser: parseChoice("training.optimiser", trRaw.optimiser, ["adam", "gd"] as const),
    steps: parseInteger("training.steps", trRaw.steps, 0, 1_000_000),
    learningRate: parseNumber("training.learningRate", trRaw.learningRate, { min: 0, minOpen: true, max: 100 }),
    initScale: parseNumber("training.initScale", trRaw.initScale, { min: 0, minOpen: true, max: 100 }),
  };

  const tgRaw = merged(obj, "target", D.target);
  rejectUnknownKeys("target", tgRaw, ["fit", "headBound"]);
  const regression = scenario.labels === "regression";
  const fitRaw = tgRaw.fit === "auto" ? (regression ? "least-squares" : "linear") : tgRaw.fit;
  const fit = parseChoice("target.fit", fitRaw, ["least-squares", "linear", "logistic"] as const);
  if (regression && fit !== "least-squares") {
    throw new ConfigError("target.fit", tgRaw.fit, 'must be "least-squares" or "auto" for regression labels');
  }
  if (!regression && fit === "least-squares") {
    throw new ConfigError("target.fit", tgRaw.fit, 'must be "linear", "logistic" or "auto" for classification labels');
  }
  const target = { fit, headBound: parseNumber("target.headBound", tgRaw.headBound, { min: 0, minOpen: true }) };

  const evRaw = merged(obj, "evaluation", D.evaluation);
  rejectUnknownKeys("evaluation", evRaw, ["testSize", "attack", "eps", "steps"]);
  const evaluation = {
    testSize: parseInteger("evaluation.testSize", evRaw.testSize, 2, 10_000_000),
    attack: parseChoice("evaluation.attack", evRaw.attack, ATTACK_NORMS),
    eps: parseNumber("evaluation.eps", evRaw.eps, { min: 0, minOpen: true }),
    steps: parseInteger("evaluation.steps", evRaw.steps, 1, 1000),
  };

  const methodsRaw = parseArray("methods", obj.methods ?? D.methods, 1);
  const methods = methodsRaw.map((m, i) => parseTwoLayerMethod(m, `methods[${i}]`));
  const seen = new Set<string>();
  methods.forEach((m, i) => {
    if (seen.has(m.label)) throw new ConfigError(`methods[${i}].label`, m.label, "must be unique within a run");
    seen.add(m.label);
    if (m.ssl !== null && scenario.m === 0) {
      throw new ConfigError("scenario.m", 0, `must be >= 1 when a method pseudo-labels (methods[${i}] = ${JSON.stringify(m.label)})`);
    }
  });

  const { d, T, n, m } = scenario;
  const sourceRows = T * (n + (methods.some((x) => x.ssl !== null) ? m : 0));
  if (sourceRows * d > MAX_SOURCE_ENTRIES) {
    throw new ConfigError("scenario.d", d, `T (n + m) d = ${sourceRows * d} must be <= ${MAX_SOURCE_ENTRIES}`);
  }
  if (evaluation.testSize * d > MAX_SOURCE_ENTRIES) {
    throw new ConfigError("evaluation.testSize", evaluation.testSize, `testSize d must be <= ${MAX_SOURCE_ENTRIES}`);
  }
  return { scenario, training, methods, target, evaluation };
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
export function drawTwoLayerTruth(config: Pick<TwoLayerScenario, "d" | "r" | "T" | "s" | "headNorm">, rng: Rng): TwoLayerTruth {
  const { d, r, T, s, headNorm } = config;
  const support = randomSupport(d, s, rng.fork("support"));
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

/** How labels are made from the teacher output f (MODEL §2.3). */
export type LabelModel = { readonly kind: "regression"; readonly sigma: number } | { readonly kind: "classification"; readonly flip: number };

/** The label model of a config. */
export function labelModel(config: Pick<TwoLayerScenario, "labels" | "sigma" | "flip">): LabelModel {
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
