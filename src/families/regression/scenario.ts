/**
 * The `regression` family's scenario (MODEL §2.2): multi-task linear regression with a shared
 * low-rank representation, y = <B* w_t, x> + xi, xi ~ N(0, sigma^2), x ~ N(0, Sigma_x). Two
 * generators: `prior-work` (dense Haar B*, heads N(0, I_r / r), the setting of Tripuraneni, Jin
 * and Jordan 2021) and `sparse` (B* on a support of s coordinates, heads of norm snr, as in the
 * mixture family). The design covariance is isotropic or spiked, Sigma_x = tau^2 I +
 * B* diag(lambda) B*^T. This file holds the scenario, its parser and echo, and the draw of the
 * true parameters.
 */
import { type Mat, column, zeros } from "../../core/linalg/mat.js";
import { haarOrthonormal, topLeftSingularVectors } from "../../core/linalg/decompositions.js";
import type { Rng } from "../../core/random/rng.js";
import { scaledGaussianHead } from "../../core/model/heads.js";
import { sparseHaarBasis } from "../../core/model/sparseBasis.js";
import { ConfigError, parseArray, parseChoice, parseInteger, parseNumber, parseObject, rejectUnknownKeys } from "../../core/config/parse.js";
import type { JsonObject } from "../../experiment/family.js";

/** The two generators of MODEL §2.2. */
export const REGRESSION_GENERATORS = ["prior-work", "sparse"] as const;
export type RegressionGenerator = (typeof REGRESSION_GENERATORS)[number];

/** The design covariance: I_d, or tau^2 I + B* diag(lambda) B*^T (MODEL §2.2). */
export type DesignCovariance = { readonly kind: "isotropic" } | { readonly kind: "spiked"; readonly tau: number; readonly lambda: readonly number[] };

/** A checked regression scenario (MODEL §1 notation). */
export interface RegressionScenario {
  readonly generator: RegressionGenerator;
  readonly d: number;
  readonly r: number;
  /** Support size of B* (r <= s <= d); d for the dense prior-work generator. */
  readonly s: number;
  readonly T: number;
  /** Samples per source task. */
  readonly n: number;
  /** Target samples. */
  readonly n0: number;
  /** Noise standard deviation (0 allowed: noise-free planted instances). */
  readonly sigma: number;
  /**
   * Head norm ||w_t|| of the sparse generator (root-mean-square when `diversity` is set); the
   * prior-work heads are N(0, I_r / r), of mean squared norm 1, and this field is 1 there.
   */
  readonly snr: number;
  readonly covariance: DesignCovariance;
  /** Relative singular values of W = [w_1 .. w_T] (length r), or null for i.i.d. heads. */
  readonly diversity: readonly number[] | null;
  /** Target head: random, or the weakest source direction (smallest singular value of W). */
  readonly target: "random" | "weakest";
}

/** The default scenario: the prior-work setting of MODEL §2.2 at T = 400 (README, "Regression family"). */
export const DEFAULT_REGRESSION_SCENARIO: RegressionScenario = {
  generator: "prior-work",
  d: 100,
  r: 5,
  s: 100,
  T: 400,
  n: 25,
  n0: 25,
  sigma: 1,
  snr: 1,
  covariance: { kind: "isotropic" },
  diversity: null,
  target: "random",
};

/** Defaults of the sparse generator where they differ (the mixture family's MODEL §7 sizes). */
export const SPARSE_DEFAULTS = { d: 500, r: 4, s: 20, T: 20, n: 40, n0: 20, snr: 1.5 } as const;

const SCENARIO_KEYS = ["generator", "d", "r", "s", "T", "n", "n0", "sigma", "snr", "covariance", "diversity", "target"] as const;

function parseCovariance(raw: unknown, field: string, r: number): DesignCovariance {
  if (raw === undefined || raw === "isotropic") return { kind: "isotropic" };
  if (typeof raw === "string") throw new ConfigError(field, raw, 'must be "isotropic" or { "kind": "spiked", "tau": .., "lambda": .. }');
  const obj = parseObject(field, raw);
  const kind = parseChoice(`${field}.kind`, obj.kind ?? "isotropic", ["isotropic", "spiked"] as const);
  if (kind === "isotropic") {
    rejectUnknownKeys(field, obj, ["kind"]);
    return { kind };
  }
  rejectUnknownKeys(field, obj, ["kind", "tau", "lambda"]);
  const tau = parseNumber(`${field}.tau`, obj.tau ?? 1, { min: 0, minOpen: true });
  if (obj.lambda === undefined) throw new ConfigError(`${field}.lambda`, undefined, `a spiked covariance needs lambda: one number >= 0 or r = ${r} of them`);
  let lambda: number[];
  if (typeof obj.lambda === "number") lambda = new Array<number>(r).fill(parseNumber(`${field}.lambda`, obj.lambda, { min: 0 }));
  else {
    const arr = parseArray(`${field}.lambda`, obj.lambda);
    if (arr.length !== r) throw new ConfigError(`${field}.lambda`, obj.lambda, `must be one number >= 0 or a list of r = ${r} of them`);
    lambda = arr.map((v, i) => parseNumber(`${field}.lambda[${i}]`, v, { min: 0 }));
  }
  return { kind, tau, lambda };
}

/**
 * Parses a raw scenario (missing keys take the generator's defaults: prior-work d = 100, r = 5,
 * T = 400, n = 25, n0 = 25, sigma = 1; sparse the mixture family's d = 500, s = 20, r = 4,
 * T = 20, n = 40, n0 = 20, snr = 1.5). ConfigError names the field, the value and the range.
 * `s` and `snr` belong to the sparse generator and are refused for prior-work, whose B* is dense
 * and whose heads are N(0, I_r / r).
 */
export function parseRegressionScenario(raw: unknown, field = "scenario"): RegressionScenario {
  const obj = raw === undefined ? {} : parseObject(field, raw);
  rejectUnknownKeys(field, obj, SCENARIO_KEYS);
  const f = (k: string) => `${field}.${k}`;
  const generator = parseChoice(f("generator"), obj.generator ?? "prior-work", REGRESSION_GENERATORS);
  const sparse = generator === "sparse";
  const def = sparse ? { ...DEFAULT_REGRESSION_SCENARIO, ...SPARSE_DEFAULTS } : DEFAULT_REGRESSION_SCENARIO;
  if (!sparse) {
    for (const k of ["s", "snr"] as const) {
      if (obj[k] !== undefined) throw new ConfigError(f(k), obj[k], `applies to the sparse generator only (prior-work: dense B*, heads N(0, I_r / r)); omit it or set ${f("generator")} to "sparse"`);
    }
  }
  const d = parseInteger(f("d"), obj.d ?? def.d, 1, 1e6);
  const s = sparse ? parseInteger(f("s"), obj.s ?? Math.min(def.s, d), 1, 1e6) : d;
  if (s > d) throw new ConfigError(f("s"), s, `must be an integer in [r, d = ${d}]`);
  const r = parseInteger(f("r"), obj.r ?? Math.min(def.r, s), 1, 1e4);
  if (r > s) throw new ConfigError(f("r"), r, sparse ? `must be an integer in [1, s = ${s}]` : `must be an integer in [1, d = ${d}]`);
  const T = parseInteger(f("T"), obj.T ?? def.T, 1, 1e7);
  if (T < r) throw new ConfigError(f("T"), T, `must be an integer >= r = ${r} (r tasks are needed to span the representation)`);
  const n = parseInteger(f("n"), obj.n ?? def.n, 1, 1e9);
  const n0 = parseInteger(f("n0"), obj.n0 ?? def.n0, r, 1e9);
  const sigma = parseNumber(f("sigma"), obj.sigma ?? def.sigma, { min: 0 });
  const snr = sparse ? parseNumber(f("snr"), obj.snr ?? def.snr, { min: 0, minOpen: true }) : 1;
  const covariance = parseCovariance(obj.covariance, f("covariance"), r);
  let diversity: number[] | null = null;
  if (obj.diversity !== undefined) {
    const arr = parseArray(f("diversity"), obj.diversity);
    if (arr.length !== r) throw new ConfigError(f("diversity"), obj.diversity, `must list r = ${r} singular values`);
    diversity = arr.map((v, i) => parseNumber(`${f("diversity")}[${i}]`, v, { min: 0, minOpen: true }));
  }
  const target = parseChoice(f("target"), obj.target ?? def.target, ["random", "weakest"] as const);
  return { generator, d, r, s, T, n, n0, sigma, snr, covariance, diversity, target };
}

/** The scenario as raw JSON with every default written out (s and snr only for sparse). */
export function echoRegressionScenario(sc: RegressionScenario): JsonObject {
  const out: JsonObject = { generator: sc.generator, d: sc.d, r: sc.r };
  if (sc.generator === "sparse") out.s = sc.s;
  Object.assign(out, { T: sc.T, n: sc.n, n0: sc.n0, sigma: sc.sigma });
  if (sc.generator === "sparse") out.snr = sc.snr;
  out.covariance = sc.covariance.kind === "isotropic" ? "isotropic" : { kind: "spiked", tau: sc.covariance.tau, lambda: [...sc.covariance.lambda] };
  if (sc.diversity !== null) out.diversity = [...sc.diversity];
  out.target = sc.target;
  return out;
}

/** The true parameters of one replicate (MODEL §2.2). */
export interface RegressionTruth {
  /** B*, d x r with orthonormal columns (zero outside the support for the sparse generator). */
  readonly basis: Mat;
  /** The support of B*, ascending (all of 0..d-1 for prior-work). */
  readonly support: Int32Array;
  /** Source heads W = [w_1 .. w_T], r x T. */
  readonly heads: Mat;
  /** Task parameters beta_t = B* w_t, d x T. */
  readonly betas: Mat;
  /** Target head w_0 and parameter beta_0 = B* w_0. */
  readonly targetHead: Float64Array;
  readonly targetBeta: Float64Array;
  /** The design covariance. */
  readonly design: Design;
}

/**
 * The design x ~ N(0, Sigma_x): Sigma_x^{1/2} applied to a vector and the quadratic form of
 * Sigma_x. For the spiked covariance Sigma_x = tau^2 I + B* diag(lambda) B*^T the root is
 * tau I + B* diag(sqrt(tau^2 + lambda) - tau) B*^T (B* orthonormal), O(d r) per vector.
 */
export interface Design {
  readonly isotropic: boolean;
  /** tau (1 for the isotropic design). */
  readonly tau: number;
  /** x = Sigma^{1/2} g in place on out (g given in out), for a d-vector at offset `offset`. */
  root(out: Float64Array, offset: number): void;
  /** v^T Sigma v. */
  quadratic(v: ArrayLike<number>): number;
  /** Sigma v as a new vector. */
  times(v: ArrayLike<number>): Float64Array;
}

/** The design of a scenario with basis B* (MODEL §2.2). */
export function designOf(cov: DesignCovariance, basis: Mat): Design {
  const d = basis.rows;
  const r = basis.cols;
  if (cov.kind === "isotropic") {
    return {
      isotropic: true,
      tau: 1,
      root() {},
      quadratic(v) {
        let s = 0;
        for (let i = 0; i < d; i++) s += v[i] * v[i];
        return s;
      },
      times: (v) => Float64Array.from(v),
    };
  }
  const tau = cov.tau;
  const rootShift = cov.lambda.map((l) => Math.sqrt(tau * tau + l) - tau);
  const b = basis.data;
  const coef = new Float64Array(r);
  const project = (v: ArrayLike<number>, off: number) => {
    for (let k = 0; k < r; k++) {
      let s = 0;
      const o = k * d;
      for (let i = 0; i < d; i++) s += b[o + i] * v[off + i];
      coef[k] = s;
    }
  };
  return {
    isotropic: false,
    tau,
    root(out, offset) {
      project(out, offset);
      for (let i = 0; i < d; i++) out[offset + i] *= tau;
      for (let k = 0; k < r; k++) {
        const c = coef[k] * rootShift[k];
        if (c === 0) continue;
        const o = k * d;
        for (let i = 0; i < d; i++) out[offset + i] += c * b[o + i];
      }
    },
    quadratic(v) {
      project(v, 0);
      let s = 0;
      for (let i = 0; i < d; i++) s += v[i] * v[i];
      let spike = 0;
      for (let k = 0; k < r; k++) spike += cov.lambda[k] * coef[k] * coef[k];
      return tau * tau * s + spike;
    },
    times(v) {
      project(v, 0);
      const out = new Float64Array(d);
      for (let i = 0; i < d; i++) out[i] = tau * tau * v[i];
      for (let k = 0; k < r; k++) {
        const c = coef[k] * cov.lambda[k];
        const o = k * d;
        for (let i = 0; i < d; i++) out[i] += c * b[o + i];
      }
      return out;
    },
  };
}

/**
 * Source heads of a prescribed spectrum: W = A diag(c sv) C^T with A (r x r) and C (T x r) Haar,
 * c chosen so that ||W||_F^2 = T norm^2 (the mean squared head norm stays norm^2).
 */
function headsWithSpectrum(r: number, T: number, sv: readonly number[], norm: number, rng: Rng): Mat {
  const a = haarOrthonormal(r, r, rng.fork("left"));
  const c = haarOrthonormal(T, r, rng.fork("right"));
  const sumSq = sv.reduce((acc, v) => acc + v * v, 0);
  const scale = Math.sqrt((T * norm * norm) / sumSq);
  const heads = zeros(r, T);
  for (let t = 0; t < T; t++) {
    for (let i = 0; i < r; i++) {
      let acc = 0;
      for (let k = 0; k < r; k++) acc += a.data[i + k * r] * scale * sv[k] * c.data[t + k * T];
      heads.data[i + t * r] = acc;
    }
  }
  return heads;
}

/**
 * Draws B*, the heads and the target (MODEL §2.2), each from its own named stream ("basis" or the
 * sparse basis's "support"/"basis", "heads", "target").
 * - prior-work: B* Haar on the d x r Stiefel manifold (the Q factor of a Gaussian matrix; it spans
 *   the same subspace as its left singular vectors and, with heads whose law is rotation
 *   invariant, gives the same joint law of (span B*, beta_1 .. beta_T)); w_t ~ N(0, I_r / r).
 * - sparse: B* of the mixture family (support s, Haar block); w_t uniform on the sphere of radius snr.
 * With `diversity`, W has the prescribed relative singular values and ||W||_F^2 = T E||w_t||^2
 * (T for prior-work, T snr^2 for sparse). Target "random": w_0 drawn like a source head
 * (prior-work N(0, I_r / r), sparse norm snr); "weakest": the left singular vector of W of its
 * smallest singular value, of norm 1 (prior-work) or snr (sparse).
 */
export function drawRegressionTruth(sc: RegressionScenario, rng: Rng): RegressionTruth {
  const { d, r, s, T } = sc;
  const sparse = sc.generator === "sparse";
  const { basis, support } = sparse
    ? sparseHaarBasis(d, s, r, rng)
    : { basis: haarOrthonormal(d, r, rng.fork("basis")), support: Int32Array.from({ length: d }, (_, i) => i) };
  const headRng = rng.fork("heads");
  let heads: Mat;
  if (sc.diversity !== null) heads = headsWithSpectrum(r, T, sc.diversity, sparse ? sc.snr : 1, headRng);
  else {
    heads = zeros(r, T);
    if (sparse) for (let t = 0; t < T; t++) scaledGaussianHead(column(heads, t), sc.snr, headRng);
    else {
      headRng.fillNormal(heads.data);
      const scale = 1 / Math.sqrt(r);
      for (let i = 0; i < heads.data.length; i++) heads.data[i] *= scale;
    }
  }
  const betas = zeros(d, T);
  for (let t = 0; t < T; t++) {
    const out = column(betas, t);
    for (let k = 0; k < r; k++) {
      const w = heads.data[k + t * r];
      if (w === 0) continue;
      const o = k * d;
      for (let a = 0; a < support.length; a++) out[support[a]] += w * basis.data[o + support[a]];
    }
  }
  let targetHead: Float64Array;
  if (sc.target === "weakest") {
    const left = topLeftSingularVectors(heads, r).u;
    const norm = sparse ? sc.snr : 1;
    targetHead = Float64Array.from(column(left, r - 1), (v) => v * norm);
  } else if (sparse) targetHead = scaledGaussianHead(new Float64Array(r), sc.snr, rng.fork("target"));
  else {
    targetHead = rng.fork("target").fillNormal(new Float64Array(r));
    for (let k = 0; k < r; k++) targetHead[k] /= Math.sqrt(r);
  }
  const targetBeta = new Float64Array(d);
  for (let k = 0; k < r; k++) for (let i = 0; i < d; i++) targetBeta[i] += targetHead[k] * basis.data[i + k * d];
  return { basis, support, heads, betas, targetHead, targetBeta, design: designOf(sc.covariance, basis) };
}
