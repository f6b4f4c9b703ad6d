/**
 * The `mixture` family (MODEL §2.1): the paper's linear model for classification. A scenario
 * config, its parser, and the draw of the true parameters (B*, support, heads, task means).
 */
import { type Mat, floats, zeros, column, times, fromColumns } from "../../core/linalg/mat.js";
import { haarOrthonormal, topLeftSingularVectors } from "../../core/linalg/decompositions.js";
import type { Rng } from "../../core/random/rng.js";
import { scaledGaussianHead } from "../../core/model/heads.js";
import { sparseHaarBasis } from "../../core/model/sparseBasis.js";
import {
  ConfigError,
  parseArray,
  parseChoice,
  parseInteger,
  parseNumber,
  parseObject,
  rejectUnknownKeys,
} from "../../core/config/parse.js";

/** How the target head w_0 is chosen (MODEL §2.1). */
export type TargetChoice = "random" | "weakest";

/** A checked mixture scenario (MODEL §1 notation). */
export interface MixtureScenario {
  /** Input dimension. */
  readonly d: number;
  /** Representation dimension. */
  readonly r: number;
  /** Support size of B* (r <= s <= d; s = d is dense). */
  readonly s: number;
  /** Number of source tasks. */
  readonly T: number;
  /** Labelled samples per source task. */
  readonly n: number;
  /** Unlabelled samples per source task (the pool semi-supervised methods draw from). */
  readonly m: number;
  /** Labelled target samples. */
  readonly n0: number;
  /** Noise level. */
  readonly sigma: number;
  /** Signal strength ||mu_t|| (root-mean-square over tasks when `diversity` is set). */
  readonly snr: number;
  /**
   * Relative singular values of the source heads W = [w_1 .. w_T] (length r, positive), or null
   * (the key omitted) for i.i.d. Gaussian heads each rescaled to ||mu_t|| = snr. Rescaled so that
   * ||W||_F^2 = T snr^2 (mean squared task norm snr^2).
   */
  readonly diversity: readonly number[] | null;
  /** Target head: random direction, or the weakest source direction (smallest singular value of W). */
  readonly target: TargetChoice;
}

/** MODEL §7's default scenario. */
export const DEFAULT_MIXTURE_SCENARIO: MixtureScenario = {
  d: 500,
  r: 4,
  s: 20,
  T: 20,
  n: 40,
  m: 0,
  n0: 20,
  sigma: 1,
  snr: 1.5,
  diversity: null,
  target: "random",
};

const SCENARIO_KEYS = ["d", "r", "s", "T", "n", "m", "n0", "sigma", "snr", "diversity", "target"] as const;

/**
 * The range of sigma, snr and the diversity values: wide enough for any experiment, and narrow
 * enough that every square and sum of squares the pipeline forms (d T terms of size up to
 * (snr + 10 sigma)^2, d T <= 10^13) stays a normal double: (10^101)^2 10^13 < 10^308 and
 * (10^-100)^2 > 2.2 10^-308 (docs/DECISIONS.md, "Configs").
 */
export const SCALE_RANGE = { min: 1e-100, max: 1e100 } as const;

/**
 * Parses a raw scenario object (missing keys take MODEL §7's defaults) into a checked
 * MixtureScenario. Throws ConfigError naming the field, its value and the allowed range (the
 * actual one: s in [1, d], r in [1, s], T >= r). A default that does not fit the other values is
 * never adjusted silently: with d < 20 the default s = 20 does not fit, so s must be given (and r
 * when s < 4).
 */
export function parseMixtureScenario(raw: unknown, field = "scenario"): MixtureScenario {
  const obj = raw === undefined ? {} : parseObject(field, raw);
  rejectUnknownKeys(field, obj, SCENARIO_KEYS);
  const f = (k: string) => `${field}.${k}`;
  const def = DEFAULT_MIXTURE_SCENARIO;
  const d = parseInteger(f("d"), obj.d ?? def.d, 1, 1e7);
  if (obj.s === undefined && def.s > d) throw new ConfigError(f("s"), obj.s, `must be given when d = ${d} is below its default ${def.s}: an integer in [1, d = ${d}] (s = d is a dense representation)`);
  const s = parseInteger(f("s"), obj.s ?? def.s, 1, d, { max: "d" });
  if (obj.r === undefined && def.r > s) throw new ConfigError(f("r"), obj.r, `must be given when s = ${s} is below its default ${def.r}: an integer in [1, s = ${s}]`);
  const r = parseInteger(f("r"), obj.r ?? def.r, 1, s, { max: "s" });
  const T = parseInteger(f("T"), obj.T ?? def.T, r, 1e6, { min: "r" });
  const n = parseInteger(f("n"), obj.n ?? def.n, 1, 1e9);
  const m = parseInteger(f("m"), obj.m ?? def.m, 0, 1e9);
  const n0 = parseInteger(f("n0"), obj.n0 ?? def.n0, 1, 1e9);
  const sigma = parseNumber(f("sigma"), obj.sigma ?? def.sigma, SCALE_RANGE);
  const snr = parseNumber(f("snr"), obj.snr ?? def.snr, SCALE_RANGE);
  let diversity: number[] | null = null;
  if (obj.diversity !== undefined) {
    const arr = parseArray(f("diversity"), obj.diversity);
    if (arr.length !== r) throw new ConfigError(f("diversity"), obj.diversity, `must list r = ${r} singular values`);
    diversity = arr.map((v, i) => parseNumber(`${f("diversity")}[${i}]`, v, SCALE_RANGE));
  }
  const target = parseChoice(f("target"), obj.target ?? def.target, ["random", "weakest"] as const);
  return { d, r, s, T, n, m, n0, sigma, snr, diversity, target };
}

/** The scenario as raw JSON (every field written out, `diversity` only when set). */
export function echoMixtureScenario(sc: MixtureScenario): { [key: string]: number | string | number[] } {
  const { d, r, s, T, n, m, n0, sigma, snr, diversity, target } = sc;
  return { d, r, s, T, n, m, n0, sigma, snr, ...(diversity === null ? {} : { diversity: [...diversity] }), target };
}

/** The true parameters of one replicate (MODEL §2.1). */
export interface MixtureTruth {
  /** B*, d x r with orthonormal columns, zero outside the support. */
  readonly basis: Mat;
  /** The support S of B*, ascending. */
  readonly support: Int32Array;
  /** Source heads W = [w_1 .. w_T], r x T. */
  readonly heads: Mat;
  /** Task means mu_t = B* w_t, d x T. */
  readonly means: Mat;
  /** Target head w_0 (length r). */
  readonly targetHead: Float64Array;
  /** Target mean mu_0 = B* w_0 (length d), with ||mu_0|| = snr. */
  readonly targetMean: Float64Array;
}

/**
 * Draws B*, the heads and the means (MODEL §2.1). Each component has its own named stream, so,
 * e.g., changing `target` leaves B* and the source heads unchanged.
 */
export function drawMixtureTruth(sc: MixtureScenario, rng: Rng): MixtureTruth {
  const { d, r, s, T, snr } = sc;
  const { basis, support } = sparseHaarBasis(d, s, r, rng);
  const heads = zeros(r, T);
  const headRng = rng.fork("heads");
  if (sc.diversity === null) {
    for (let t = 0; t < T; t++) scaledGaussianHead(column(heads, t), snr, headRng);
  } else {
    // W = A diag(sv) C^T with A (r x r) and C (T x r) Haar: singular values exactly sv.
    const a = haarOrthonormal(r, r, headRng.fork("left"));
    const c = haarOrthonormal(T, r, headRng.fork("right"));
    const sumSq = sc.diversity.reduce((acc, v) => acc + v * v, 0);
    const scale = Math.sqrt((T * snr * snr) / sumSq);
    for (let t = 0; t < T; t++) {
      for (let i = 0; i < r; i++) {
        let acc = 0;
        for (let k = 0; k < r; k++) acc += a.data[i + k * r] * scale * sc.diversity[k] * c.data[t + k * T];
        heads.data[i + t * r] = acc;
      }
    }
  }
  const means = times(basis, heads);

  let targetHead: Float64Array;
  if (sc.target === "weakest") {
    // The left singular vector of W for its smallest singular value (r <= T by parsing).
    const left = topLeftSingularVectors(heads, r).u;
    targetHead = Float64Array.from(column(left, r - 1), (v) => v * snr);
  } else {
    targetHead = scaledGaussianHead(floats(r), snr, rng.fork("target"));
  }
  const targetMean = column(times(basis, fromColumns([targetHead])), 0).slice();
  return { basis, support, heads, means, targetHead, targetMean };
}
