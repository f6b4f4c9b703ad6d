/**
 * Bounds beside measurements (MODEL §6): for every replicate of a mixture run, the measured
 * sinTheta and the exact expected target excess given U (MODEL §4) beside each applicable bound
 * B1-B5 with the ratio bound / measured; over replicates, each probabilistic bound's coverage
 * beside the probability it promises. Replicate k uses the same streams as `runReplicates`, so
 * its measured values are those of `advtransfer run` with the same config and seed.
 */
import { representationEstimators } from "../estimators/registry.js";
import { perTaskDirection } from "../estimators/perTask.js";
import { fitTargetHead } from "../estimators/target.js";
import type { MixtureMethod } from "../estimators/types.js";
import { type Mat, column, norm2, selectColumns, transposeTimesVector } from "../../../core/linalg/mat.js";
import { singularValues } from "../../../core/linalg/decompositions.js";
import { excessLinearRisk, representationError, targetAngleSine } from "../metrics.js";
import { type MixtureScenario, type MixtureTruth, drawMixtureTruth } from "../scenario.js";
import type { MixtureData } from "../samplers.js";
import { parseNumber } from "../../../core/config/parse.js";
import { replicateRng, type Rng } from "../../../core/random/rng.js";
import { type BoundValue, boundRatio } from "../theory/boundValue.js";
import { columnNormRatioBound, expectedSquaredNormSoftThreshold, expectedSquaredNormStandard } from "../theory/columnNorms.js";
import { endToEndBound } from "../theory/endToEnd.js";
import { offSupportZeroingProbability } from "../theory/linfRadius.js";
import {
  adversarialLinfSinThetaBound,
  deterministicSinThetaBound,
  standardSinThetaBound,
  weightedColumnsSinThetaBound,
} from "../theory/sinThetaBounds.js";
import { expectedTargetExcess, targetExcessBound } from "../theory/targetExcess.js";
import type { RunConfig } from "../../../experiment/runConfig.js";
import { type Coverage, coverage } from "../../../experiment/coverage.js";
import { type MixtureConfig, drawMixtureData } from "../family.js";
import { meanAndSe } from "../../../experiment/run.js";

/** Options of the bound checks. */
export interface BoundsOptions {
  /** Deviation t >= 0 of the Gaussian events of B2-B3 (promised probability 1 - 2 exp(-t^2/2) and less). */
  readonly t: number;
  /** Probability spent on the model-only bound on kappa in B5 for normalised columns, in (0, 1). */
  readonly kappaDelta: number;
}

/** Defaults: t = 2.5 (B2 promises 1 - 2 e^{-3.125} = 0.912), kappaDelta = 0.05. */
export const DEFAULT_BOUNDS_OPTIONS: BoundsOptions = { t: 2.5, kappaDelta: 0.05 };

/** Parses bound options (missing keys take the defaults); ConfigError names the field. */
export function parseBoundsOptions(raw: { readonly t?: unknown; readonly kappaDelta?: unknown }): BoundsOptions {
  return {
    t: parseNumber("t", raw.t ?? DEFAULT_BOUNDS_OPTIONS.t, { min: 0 }),
    kappaDelta: parseNumber("kappaDelta", raw.kappaDelta ?? DEFAULT_BOUNDS_OPTIONS.kappaDelta, { min: 0, max: 1, minOpen: true, maxOpen: true }),
  };
}

/** The bounds the checks report, by name (THEORY.md). */
export type BoundName = "B1" | "B1-Frobenius" | "B2" | "B2w" | "B3" | "B3w" | "B4" | "B4s" | "B5" | "B5-excess" | "B5s-excess";

/** One bound checked on one replicate. */
export interface BoundCheck {
  readonly bound: BoundName;
  /** What it bounds: "sinTheta", "sinThetaFrobenius" or "expectedExcess" (E[excess | U], MODEL §4). */
  readonly quantity: "sinTheta" | "sinThetaFrobenius" | "expectedExcess";
  /** The measured quantity (for a method that produced no representation: the worst case, 1 for sinTheta). */
  readonly measured: number;
  /** The bound's value: a valid finite upper bound, capped, with its formula and flags (THEORY.md). */
  readonly upper: BoundValue;
  /** formula / measured; null when undefined. */
  readonly ratio: number | null;
  /** measured <= bound (floating-point allowance 1e-10 relative). */
  readonly held: boolean;
  /** The promised probability that it holds: 1 for B1 and B4 (deterministic, resp. exact given U). */
  readonly probability: number;
}

/** One method on one replicate. */
export interface MethodBounds {
  readonly method: string;
  readonly ok: boolean;
  readonly reason?: string;
  readonly keptTasks: number;
  /** Measured values; null when the method produced no representation. */
  readonly measured: {
    readonly sinTheta: number;
    readonly sinThetaFrobenius: number;
    readonly targetAngleSine: number;
    /** E[excess | U] by quadrature (MODEL §4). */
    readonly expectedExcess: number;
    /** The realised excess of the fitted head (null when U^T v_0 = 0). */
    readonly targetExcess: number | null;
  } | null;
  readonly checks: readonly BoundCheck[];
  /** B3's zeroing event E0 on this replicate's labelled statistics, with its exact probability (l-inf methods). */
  readonly zeroing: { readonly occurred: boolean; readonly probability: number } | null;
  /** B5's bound on the unconditional E[excess] (B4 form, B4s form); null when B5 does not apply. */
  readonly unconditionalExcess: { readonly value: number; readonly sharp: number } | null;
}

/** All methods of one replicate. */
export interface BoundsReplicate {
  readonly replicate: number;
  readonly methods: readonly MethodBounds[];
}

const RELATIVE_ALLOWANCE = 1e-10;

function check(
  bound: BoundName,
  quantity: BoundCheck["quantity"],
  measured: number,
  value: BoundValue,
  probability: number,
): BoundCheck {
  return {
    bound,
    quantity,
    measured,
    upper: value,
    ratio: boundRatio(value, measured),
    held: measured <= value.value * (1 + RELATIVE_ALLOWANCE),
    probability,
  };
}

/** sigma_r of the heads of the tasks in `tasks` (0 when fewer than r). */
function headsSigmaR(heads: Mat, tasks: readonly number[], r: number): number {
  if (tasks.length < r) return 0;
  const sv = singularValues(tasks.length === heads.cols ? heads : selectColumns(heads, tasks));
  return sv[r - 1];
}

/**
 * The kept tasks' unnormalised per-task column norms ||c_t|| and what the normalised-column bounds
 * need from them (THEORY.md B2-B3): kappa = max/min, the smallest norm, and
 * sigma_r(W_K D_K^{-1}) (the kept heads divided by their columns' norms).
 */
function keptColumnNorms(data: MixtureData, method: MixtureMethod, heads: Mat, kept: readonly number[], r: number) {
  const tasks: number[] = [];
  const norms: number[] = [];
  for (const t of kept) {
    const dir = perTaskDirection(column(data.sourceStatistics, t), method.attack, method.eps);
    if (dir === null) continue;
    tasks.push(t);
    norms.push(norm2(dir));
  }
  if (tasks.length === 0) return { kappa: 1, minNorm: 0, sigmaRWeighted: 0 };
  const minNorm = Math.min(...norms);
  const weighted = selectColumns(heads, tasks);
  for (let j = 0; j < tasks.length; j++) for (let i = 0; i < weighted.rows; i++) weighted.data[i + j * weighted.rows] /= norms[j];
  const sigmaRWeighted = tasks.length >= r ? singularValues(weighted)[r - 1] : 0;
  return { kappa: Math.max(...norms) / minNorm, minNorm, sigmaRWeighted };
}

/** B2w / B3w for normalised columns, or undefined when no column is kept. */
function weightedCheck(
  name: "B2w" | "B3w",
  measured: number,
  source: { numerator: number; perturbation: number; probability: number },
  norms: { minNorm: number; sigmaRWeighted: number },
): BoundCheck | null {
  if (!(norms.minNorm > 0)) return null;
  const value = weightedColumnsSinThetaBound({ numerator: source.numerator, perturbation: source.perturbation, ...norms });
  return check(name, "sinTheta", measured, value, source.probability);
}

/** Whether every off-support coordinate of every labelled statistic lies within eps (THEORY.md B3, E0). */
function zeroingOccurred(data: MixtureData, truth: MixtureTruth, eps: number): boolean {
  const stats = data.sourceStatistics;
  const onSupport = new Uint8Array(stats.rows);
  for (const j of truth.support) onSupport[j] = 1;
  for (let t = 0; t < stats.cols; t++) {
    const v = column(stats, t);
    for (let j = 0; j < v.length; j++) if (onSupport[j] === 0 && Math.abs(v[j]) > eps) return false;
  }
  return true;
}

/** The model-only kappa bound of B5 for a method's columns (THEORY.md B2, B3). */
function modelKappa(sc: MixtureScenario, truth: MixtureTruth, method: MixtureMethod, kappaDelta: number) {
  const tau = sc.sigma / Math.sqrt(sc.n);
  const x = Math.sqrt(2 * Math.log((2 * sc.T) / kappaDelta));
  const e: number[] = [];
  for (let t = 0; t < sc.T; t++) {
    const mu = column(truth.means, t);
    if (method.attack === "linf") {
      e.push(expectedSquaredNormSoftThreshold(Array.from(truth.support, (j) => mu[j]), tau, method.eps));
    } else {
      e.push(expectedSquaredNormStandard(norm2(mu), tau, sc.d));
    }
  }
  return columnNormRatioBound(e, tau, x);
}

/**
 * One replicate: the truth from stream "truth", the data from "data", method j from
 * "method:<label>", exactly as `runMixtureReplicate`; then every applicable bound:
 * - B1 (deterministic) for SVD-based estimators (not joint ERM);
 * - B2 for supervised standard and l2 training (kept tasks, data kappa for normalised columns),
 *   and its weighted form B2w for normalised columns;
 * - B3 for supervised l-inf training (data kappa over kept tasks), B3w for normalised columns,
 *   with the zeroing event E0;
 * - B4, B4s (given U) for every method with a representation;
 * - B5 from the model parameters alone (model-only kappa) for supervised standard and l-inf training.
 * Students (pseudo-labelling) get B1 and B4 only: THEORY.md "Scope".
 */
export function boundsReplicate(config: MixtureConfig, options: BoundsOptions, rng: Rng): MethodBounds[] {
  const sc = config.scenario;
  const { d, r, s, T, n, n0, sigma } = sc;
  const truth = drawMixtureTruth(sc, rng.fork("truth"));
  const data = drawMixtureData(config, truth, rng.fork("data"));
  const mu0 = truth.targetMean;
  const mu0Norm = norm2(mu0);
  const sigmaRAll = headsSigmaR(truth.heads, Array.from({ length: T }, (_, i) => i), r);
  return config.methods.map((method): MethodBounds => {
    const rep = representationEstimators[method.estimator]({ data, r, n }, method, rng.fork(`method:${method.label}`));
    const kept = rep.keptTasks;
    const checks: BoundCheck[] = [];
    let measured: MethodBounds["measured"] = null;
    if (rep.ok) {
      const { sinTheta, sinThetaFrobenius } = representationError(rep.basis, truth.basis);
      const aNorm = Math.min(mu0Norm, norm2(transposeTimesVector(rep.basis, mu0)));
      const fit = fitTargetHead(rep.basis, data.targetStatistic);
      measured = {
        sinTheta,
        sinThetaFrobenius,
        targetAngleSine: targetAngleSine(rep.basis, mu0),
        expectedExcess: expectedTargetExcess({ aNorm, mu0Norm, sigma, n0, r }),
        targetExcess: fit === null ? null : excessLinearRisk(fit.predictor, mu0),
      };
      if (method.estimator !== "joint-erm") {
        const b1 = deterministicSinThetaBound(rep.columns, truth.basis, r);
        checks.push(check("B1", "sinTheta", sinTheta, b1.spectral, 1));
        checks.push(check("B1-Frobenius", "sinThetaFrobenius", sinThetaFrobenius, b1.frobenius, 1));
      }
      const b4 = targetExcessBound({ aNorm, mu0Norm, sigma, n0, r });
      checks.push(check("B4", "expectedExcess", measured.expectedExcess, b4.value, 1));
      checks.push(check("B4s", "expectedExcess", measured.expectedExcess, b4.sharp, 1));
    }
    // Without a representation the measured sinTheta is the worst case: a defined bound then fails.
    const sinMeasured = measured === null ? 1 : measured.sinTheta;
    const excessMeasured = measured === null ? mu0Norm : measured.expectedExcess;
    const supervised = method.estimator === "supervised";
    const normalised = method.columns === "normalised";
    let zeroing: MethodBounds["zeroing"] = null;
    let unconditionalExcess: MethodBounds["unconditionalExcess"] = null;
    const norms = supervised && normalised ? keptColumnNorms(data, method, truth.heads, kept, r) : null;
    if (supervised && method.attack !== "linf") {
      const b2 = standardSinThetaBound({
        sigma, n, d, r, T, t: options.t,
        sigmaR: headsSigmaR(truth.heads, kept, r),
        kappa: norms === null ? 1 : norms.kappa,
      });
      checks.push(check("B2", "sinTheta", sinMeasured, b2.sinTheta, b2.probability));
      const w = norms === null ? null : weightedCheck("B2w", sinMeasured, b2, norms);
      if (w !== null) checks.push(w);
    }
    if (supervised && method.attack === "linf") {
      const b3 = adversarialLinfSinThetaBound({
        sigma, n, d, r, T, t: options.t, s, eps: method.eps,
        sigmaR: sigmaRAll,
        kappa: norms === null ? 1 : norms.kappa,
      });
      checks.push(check("B3", "sinTheta", sinMeasured, b3.sinTheta, b3.probability));
      const w = norms === null ? null : weightedCheck("B3w", sinMeasured, b3, norms);
      if (w !== null) checks.push(w);
      zeroing = {
        occurred: zeroingOccurred(data, truth, method.eps),
        probability: offSupportZeroingProbability({ sigma, n, d, s, T, eps: method.eps }),
      };
    }
    if (supervised && method.attack !== "l2") {
      const b5 = endToEndBound({
        training: method.attack === "linf" ? "linf" : "standard",
        sigma, n, d, r, T, t: options.t, sigmaR: sigmaRAll, mu0Norm, n0, s, eps: method.eps,
        kappa: normalised ? modelKappa(sc, truth, method, options.kappaDelta) : undefined,
      });
      checks.push(check("B5", "sinTheta", sinMeasured, b5.sinTheta, b5.probability));
      checks.push(check("B5-excess", "expectedExcess", excessMeasured, b5.conditionalExcess.value, b5.probability));
      checks.push(check("B5s-excess", "expectedExcess", excessMeasured, b5.conditionalExcess.sharp, b5.probability));
      unconditionalExcess = b5.unconditionalExcess;
    }
    return {
      method: method.label,
      ok: rep.ok,
      ...(rep.ok ? {} : { reason: rep.reason }),
      keptTasks: kept.length,
      measured,
      checks,
      zeroing,
      unconditionalExcess,
    };
  });
}

/** Replicates [from, to) of a mixture run with bound checks; replicate k uses replicateRng(seed, k). */
export function runBounds(run: RunConfig<MixtureConfig>, options: BoundsOptions, range: { from?: number; to?: number } = {}): BoundsReplicate[] {
  const out: BoundsReplicate[] = [];
  for (let k = range.from ?? 0; k < (range.to ?? run.replicates); k++) {
    out.push({ replicate: k, methods: boundsReplicate(run.config, options, replicateRng(run.seed, k)) });
  }
  return out;
}

/** One bound of one method over the replicates. */
export interface BoundsSummaryRow {
  readonly method: string;
  readonly bound: BoundName;
  readonly quantity: BoundCheck["quantity"];
  /** Mean and standard error of the measured quantity. */
  readonly measured: { readonly mean: number; readonly se: number };
  /** Mean of the (capped) bound. */
  readonly boundMean: number;
  /** Median of formula / measured over replicates where it is defined; null if never. */
  readonly ratioMedian: number | null;
  /** Share of replicates where the formula is defined and below its cap. */
  readonly informative: number;
  /** Share of replicates where it held, beside the (mean) promised probability, with the one-sided p-value. */
  readonly coverage: Coverage;
}

/** Per method, aggregate facts that are not per-bound rows. */
export interface BoundsMethodSummary {
  readonly method: string;
  readonly replicates: number;
  /** E0: observed frequency beside its exact probability and the standard error of the frequency (l-inf methods). */
  readonly zeroing: { readonly frequency: number; readonly probability: number; readonly se: number } | null;
  /**
   * B5 unconditional: mean E[excess | U] over replicates with a representation, beside the mean
   * over replicates (and so over the drawn truths) of B5's bound on E[excess].
   */
  readonly unconditionalExcess: { readonly measuredMean: number; readonly measuredSe: number; readonly value: number; readonly sharp: number } | null;
}

function median(xs: number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid] : 0.5 * (s[mid - 1] + s[mid]);
}

/**
 * Aggregates bound checks: one row per method and bound, in first-seen order. Coverage uses the
 * mean promised probability across replicates (a binomial tail at the mean failure probability is
 * conservative for independent trials with unequal probabilities, Hoeffding 1956).
 */
export function summariseBounds(results: readonly BoundsReplicate[]): { rows: BoundsSummaryRow[]; methods: BoundsMethodSummary[] } {
  const groups = new Map<string, BoundCheck[]>();
  const perMethod = new Map<string, MethodBounds[]>();
  for (const rep of [...results].sort((a, b) => a.replicate - b.replicate)) {
    for (const m of rep.methods) {
      if (!perMethod.has(m.method)) perMethod.set(m.method, []);
      (perMethod.get(m.method) as MethodBounds[]).push(m);
      for (const c of m.checks) {
        const key = `${m.method}\u0000${c.bound}`;
        if (!groups.has(key)) groups.set(key, []);
        (groups.get(key) as BoundCheck[]).push(c);
      }
    }
  }
  const rows: BoundsSummaryRow[] = [];
  for (const [key, checks] of groups) {
    const [method, bound] = key.split("\u0000") as [string, BoundName];
    const measured = meanAndSe(checks.map((c) => c.measured));
    const promised = checks.reduce((acc, c) => acc + c.probability, 0) / checks.length;
    rows.push({
      method,
      bound,
      quantity: checks[0].quantity,
      measured: { mean: measured.mean, se: measured.se },
      boundMean: checks.reduce((acc, c) => acc + c.upper.value, 0) / checks.length,
      ratioMedian: median(checks.flatMap((c) => (c.ratio === null ? [] : [c.ratio]))),
      informative: checks.filter((c) => !c.upper.vacuous).length / checks.length,
      coverage: coverage(checks.map((c) => c.held), promised),
    });
  }
  const methods: BoundsMethodSummary[] = [];
  for (const [method, list] of perMethod) {
    const z = list.flatMap((m) => (m.zeroing === null ? [] : [m.zeroing]));
    const zeroing =
      z.length === 0
        ? null
        : {
            frequency: z.filter((e) => e.occurred).length / z.length,
            probability: z[0].probability,
            se: Math.sqrt((z[0].probability * (1 - z[0].probability)) / z.length),
          };
    const u = list.flatMap((m) => (m.unconditionalExcess === null ? [] : [m]));
    let unconditionalExcess: BoundsMethodSummary["unconditionalExcess"] = null;
    if (u.length > 0) {
      const ex = meanAndSe(u.flatMap((m) => (m.measured === null ? [] : [m.measured.expectedExcess])));
      unconditionalExcess = {
        measuredMean: ex.mean,
        measuredSe: ex.se,
        value: u.reduce((acc, m) => acc + (m.unconditionalExcess as { value: number }).value, 0) / u.length,
        sharp: u.reduce((acc, m) => acc + (m.unconditionalExcess as { sharp: number }).sharp, 0) / u.length,
      };
    }
    methods.push({ method, replicates: list.length, zeroing, unconditionalExcess });
  }
  return { rows, methods };
}
