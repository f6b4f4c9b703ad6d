/**
 * Bounds beside measurements (MODEL §6): for every method of a mixture replicate, the measured
 * sinTheta and the exact expected target excess given U (MODEL §4) beside each applicable bound
 * B1-B5. Which bounds apply is read from the estimator's tags (svdOfColumns, labelledOnly, the
 * per-task rule's sinThetaBound and endToEnd), never from names (docs/THEORY.md, "Scope"). The
 * checks become replicate metrics (experiment/boundChecks.ts) when the config's
 * `evaluation.bounds` is set, so `advtransfer bounds` is a run like any other.
 */
import { type Mat, column, norm2, selectColumns, transposeTimesVector, zeros } from "../../../core/linalg/mat.js";
import { singularValues } from "../../../core/linalg/decompositions.js";
import type { Rng } from "../../../core/random/rng.js";
import { type BoundCheck, type EventCheck, type LimitValue, type MeanBound, boundCheck, boundMetrics, limitMetrics } from "../../../experiment/boundChecks.js";
import type { BoundValue } from "../../../core/model/boundValue.js";
import type { BoundsOptions, MixtureConfig, MixtureMethod } from "../config.js";
import type { MixtureTags } from "../estimators/estimator.js";
import { ruleDirection } from "../estimators/perTaskRule.js";
import type { Representation } from "../estimators/representation.js";
import { fitTargetHead } from "../estimators/target.js";
import { excessLinearRisk, representationError, targetAngleSine } from "../metrics.js";
import { type MixtureReplicateFits, fitMixtureReplicate } from "../replicate.js";
import type { MixtureData } from "../samplers.js";
import type { MixtureScenario, MixtureTruth } from "../scenario.js";
import { columnNormRatioBound, expectedSquaredNormSoftThreshold, expectedSquaredNormStandard } from "../theory/columnNorms.js";
import { composeEndToEnd, endToEndBound } from "../theory/endToEnd.js";
import { type LimitPrediction, profileLimit, standardLimit } from "../theory/limits.js";
import { type ThresholdedMoments, linfSharpSinThetaBound, smallerModelBound, standardSharpSinThetaBound, thresholdedMoments } from "../theory/sharpBounds.js";
import { offSupportZeroingProbability } from "../theory/linfRadius.js";
import { adversarialLinfSinThetaBound, deterministicSinThetaBound, standardSinThetaBound, weightedColumnsSinThetaBound } from "../theory/sinThetaBounds.js";
import { expectedTargetExcess, targetExcessBound } from "../theory/targetExcess.js";

export type { BoundsOptions } from "../config.js";
export { DEFAULT_BOUNDS_OPTIONS, parseBoundsOptions } from "../config.js";

/** The bounds the checks report, by name (THEORY.md). */
export type BoundName =
  | "B1"
  | "B1-Frobenius"
  | "B2"
  | "B2w"
  | "B2''"
  | "B3"
  | "B3w"
  | "B3'"
  | "B3'-E0"
  | "B4"
  | "B4s"
  | "B5"
  | "B5-excess"
  | "B5s-excess"
  | "B5''"
  | "B5''-excess";

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
  /** B5'''s bound on the unconditional E[excess] (exact §4 form on B2'' or B3'); null when it does not apply. */
  readonly unconditionalSharp: number | null;
}

/** B* restricted to its support rows (s x r), in the order of the support. */
export function basisOnSupport(truth: MixtureTruth): Mat {
  const { basis, support } = truth;
  const s = support.length;
  const r = basis.cols;
  const out = zeros(s, r);
  for (let k = 0; k < r; k++) for (let j = 0; j < s; j++) out.data[j + k * s] = basis.data[support[j] + k * basis.rows];
  return out;
}

/**
 * Per replicate, what B3' and L2 share: the entrywise moments of the thresholded columns for each
 * radius (they depend on the truth, tau and eps only).
 */
export class ReplicateTheory {
  readonly onSupport: Mat;
  private readonly moments = new Map<number, ThresholdedMoments>();
  constructor(
    readonly scenario: MixtureScenario,
    readonly truth: MixtureTruth,
  ) {
    this.onSupport = basisOnSupport(truth);
  }
  momentsAt(eps: number): ThresholdedMoments {
    let m = this.moments.get(eps);
    if (m === undefined) {
      m = thresholdedMoments(this.onSupport, this.truth.heads, this.scenario.sigma / Math.sqrt(this.scenario.n), eps);
      this.moments.set(eps, m);
    }
    return m;
  }
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
function keptColumnNorms(data: MixtureData, tags: MixtureTags, heads: Mat, kept: readonly number[], r: number) {
  const tasks: number[] = [];
  const norms: number[] = [];
  for (const t of kept) {
    const dir = tags.rule === null ? null : ruleDirection(tags.rule, column(data.sourceStatistics, t));
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

/** B2w / B3w for normalised columns, or null when no column is kept. */
function weightedCheck(
  name: "B2w" | "B3w",
  measured: number,
  source: { numerator: number; perturbation: number; probability: number },
  norms: { minNorm: number; sigmaRWeighted: number },
): BoundCheck | null {
  if (!(norms.minNorm > 0)) return null;
  const value = weightedColumnsSinThetaBound({ numerator: source.numerator, perturbation: source.perturbation, ...norms });
  return boundCheck(name, "sinTheta", measured, value, source.probability);
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
function modelKappa(sc: MixtureScenario, truth: MixtureTruth, linfEps: number | null, kappaDelta: number) {
  const tau = sc.sigma / Math.sqrt(sc.n);
  const x = Math.sqrt(2 * Math.log((2 * sc.T) / kappaDelta));
  const e: number[] = [];
  for (let t = 0; t < sc.T; t++) {
    const mu = column(truth.means, t);
    if (linfEps !== null) e.push(expectedSquaredNormSoftThreshold(Array.from(truth.support, (j) => mu[j]), tau, linfEps));
    else e.push(expectedSquaredNormStandard(norm2(mu), tau, sc.d));
  }
  return columnNormRatioBound(e, tau, x);
}

/**
 * Every applicable bound for one fitted method (THEORY.md "Scope"):
 * - B1 (deterministic) when U is the SVD of the per-task columns (tag svdOfColumns);
 * - B2 for labelled-only rules tagged B2 (standard, l2: kept tasks, data kappa for normalised
 *   columns), and its weighted form B2w for normalised columns;
 * - B3 for labelled-only rules tagged B3 (l-inf: data kappa over kept tasks), B3w for normalised
 *   columns, with the zeroing event E0;
 * - B4, B4s (given U) for every method with a representation;
 * - B5 from the model parameters alone (model-only kappa) for rules tagged endToEnd.
 * Students (pseudo-labelling) get B1 and B4 only.
 */
export function checkMethodBounds(
  config: MixtureConfig,
  truth: MixtureTruth,
  data: MixtureData,
  method: MixtureMethod,
  rep: Representation,
  options: BoundsOptions,
  theory: ReplicateTheory = new ReplicateTheory(config.scenario, truth),
): MethodBounds {
  const sc = config.scenario;
  const { d, r, s, T, n, n0, sigma } = sc;
  const mu0 = truth.targetMean;
  const mu0Norm = norm2(mu0);
  const tags = method.estimator.tags(method.params);
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
    if (tags.svdOfColumns) {
      const b1 = deterministicSinThetaBound(rep.columns, truth.basis, r);
      checks.push(boundCheck("B1", "sinTheta", sinTheta, b1.spectral, 1));
      checks.push(boundCheck("B1-Frobenius", "sinThetaFrobenius", sinThetaFrobenius, b1.frobenius, 1));
    }
    const b4 = targetExcessBound({ aNorm, mu0Norm, sigma, n0, r });
    checks.push(boundCheck("B4", "expectedExcess", measured.expectedExcess, b4.value, 1));
    checks.push(boundCheck("B4s", "expectedExcess", measured.expectedExcess, b4.sharp, 1));
  }
  // Without a representation the measured sinTheta is the worst case: a defined bound then fails.
  const sinMeasured = measured === null ? 1 : measured.sinTheta;
  const excessMeasured = measured === null ? mu0Norm : measured.expectedExcess;
  const ruleTags = tags.labelledOnly && tags.rule !== null ? tags.rule.rule.tags(tags.rule.params) : null;
  const normalised = tags.columns === "normalised";
  let zeroing: MethodBounds["zeroing"] = null;
  let unconditionalExcess: MethodBounds["unconditionalExcess"] = null;
  let unconditionalSharp: number | null = null;
  const norms = ruleTags !== null && normalised ? keptColumnNorms(data, tags, truth.heads, kept, r) : null;
  const sigmaRAll = ruleTags === null ? 0 : headsSigmaR(truth.heads, Array.from({ length: T }, (_, i) => i), r);
  const bound = ruleTags?.sinThetaBound ?? null;
  const dataKappa = norms === null ? 1 : norms.kappa;
  if (bound !== null && bound.name === "B2") {
    const b2 = standardSinThetaBound({ sigma, n, d, r, T, t: options.t, sigmaR: headsSigmaR(truth.heads, kept, r), kappa: dataKappa });
    checks.push(boundCheck("B2", "sinTheta", sinMeasured, b2.sinTheta, b2.probability));
    const w = norms === null ? null : weightedCheck("B2w", sinMeasured, b2, norms);
    if (w !== null) checks.push(w);
    // B2'' (THEORY.md): the fixed-basis form when every task enters M, else the kept-set form.
    const fixed = bound.keepsAllTasks === true;
    const b2pp = standardSharpSinThetaBound({ sigma, n, d, r, T, t: options.t, sigmaR: fixed ? sigmaRAll : headsSigmaR(truth.heads, kept, r), tasks: fixed ? "fixed" : "kept", kappa: dataKappa });
    checks.push(boundCheck("B2''", "sinTheta", sinMeasured, b2pp.sinTheta, b2pp.probability));
  }
  if (bound !== null && bound.name === "B3") {
    const b3 = adversarialLinfSinThetaBound({ sigma, n, d, r, T, t: options.t, s, eps: bound.eps, sigmaR: sigmaRAll, kappa: norms === null ? 1 : norms.kappa });
    checks.push(boundCheck("B3", "sinTheta", sinMeasured, b3.sinTheta, b3.probability));
    const w = norms === null ? null : weightedCheck("B3w", sinMeasured, b3, norms);
    if (w !== null) checks.push(w);
    zeroing = { occurred: zeroingOccurred(data, truth, bound.eps), probability: offSupportZeroingProbability({ sigma, n, d, s, T, eps: bound.eps }) };
    // B3' (THEORY.md): unnormalised columns take the smaller of the ratio and Wedin forms (both
    // functions of the model, so the choice costs no probability); normalised columns multiply the
    // ratio form (a bound on B1's ratio) by the data's kappa.
    const b3p = linfSharpSinThetaBound({ sigma, n, d, basisOnSupport: theory.onSupport, heads: truth.heads, eps: bound.eps, t: options.t, moments: theory.momentsAt(bound.eps) });
    const pick = (ratio: { sinTheta: BoundValue; probability: number }, wedin: BoundValue & { probability: number }) =>
      normalised ? { bound: scaleBound(ratio.sinTheta, dataKappa), probability: ratio.probability } : smallerModelBound({ bound: ratio.sinTheta, probability: ratio.probability }, { bound: wedin, probability: wedin.probability });
    const free = pick(b3p.free, b3p.wedin);
    checks.push(boundCheck("B3'", "sinTheta", sinMeasured, free.bound, free.probability));
    const e0 = pick(b3p.onE0, b3p.wedinOnE0);
    checks.push(boundCheck("B3'-E0", "sinTheta", sinMeasured, e0.bound, e0.probability));
  }
  if (bound !== null && ruleTags !== null && ruleTags.endToEnd) {
    const linfEps = bound.name === "B3" ? bound.eps : null;
    const b5 = endToEndBound({
      training: linfEps === null ? "standard" : "linf",
      sigma, n, d, r, T, t: options.t, sigmaR: sigmaRAll, mu0Norm, n0, s, eps: linfEps ?? 0,
      kappa: normalised ? modelKappa(sc, truth, linfEps, options.kappaDelta) : undefined,
    });
    checks.push(boundCheck("B5", "sinTheta", sinMeasured, b5.sinTheta, b5.probability));
    checks.push(boundCheck("B5-excess", "expectedExcess", excessMeasured, b5.conditionalExcess.value, b5.probability));
    checks.push(boundCheck("B5s-excess", "expectedExcess", excessMeasured, b5.conditionalExcess.sharp, b5.probability));
    unconditionalExcess = b5.unconditionalExcess;
    // B5'': the sharper sinTheta bounds from the model alone (B2'' or B3', times the model-only
    // kappa for normalised columns) composed with the exact conditional value of §4 (THEORY.md B5).
    let sharp: { bound: BoundValue; probability: number };
    if (linfEps === null) {
      const b = standardSharpSinThetaBound({ sigma, n, d, r, T, t: options.t, sigmaR: sigmaRAll, tasks: "fixed" });
      sharp = { bound: b.sinTheta, probability: b.probability };
    } else {
      const b = linfSharpSinThetaBound({ sigma, n, d, basisOnSupport: theory.onSupport, heads: truth.heads, eps: linfEps, t: options.t, moments: theory.momentsAt(linfEps) });
      sharp = normalised ? { bound: b.free.sinTheta, probability: b.free.probability } : smallerModelBound({ bound: b.free.sinTheta, probability: b.free.probability }, { bound: b.wedin, probability: b.wedin.probability });
    }
    if (normalised) {
      const kappaModel = modelKappa(sc, truth, linfEps, options.kappaDelta);
      sharp = {
        bound: kappaModel.value === null ? undefinedSinTheta() : scaleBound(sharp.bound, kappaModel.value),
        probability: Math.max(0, sharp.probability - kappaModel.probabilityCost),
      };
    }
    const b5pp = composeEndToEnd({ sinTheta: sharp.bound, probability: sharp.probability, mu0Norm, sigma, n0, r });
    checks.push(boundCheck("B5''", "sinTheta", sinMeasured, sharp.bound, sharp.probability));
    checks.push(boundCheck("B5''-excess", "expectedExcess", excessMeasured, b5pp.conditionalExcess.exact, sharp.probability));
    unconditionalSharp = b5pp.unconditionalExcess.exact;
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
    unconditionalSharp,
  };
}

/** A sinTheta bound multiplied by kappa >= 1 (capped at 1 again); an undefined bound stays undefined. */
function scaleBound(b: BoundValue, kappa: number): BoundValue {
  if (b.formula === null) return b;
  const formula = b.formula * kappa;
  return { value: Math.min(1, formula), formula, cap: 1, defined: true, vacuous: formula >= 1 };
}

function undefinedSinTheta(): BoundValue {
  return { value: 1, formula: null, cap: 1, defined: false, vacuous: true };
}

/** The bound checks of every method of a replicate whose fits are given. */
export function checkReplicateBounds(config: MixtureConfig, replicate: MixtureReplicateFits, options: BoundsOptions): MethodBounds[] {
  const theory = new ReplicateTheory(config.scenario, replicate.truth);
  return replicate.fits.map((f) => checkMethodBounds(config, replicate.truth, replicate.data, f.method, f.rep, options, theory));
}

/**
 * One replicate drawn from `rng` exactly as the family's replicate (same streams), with every
 * method's bound checks.
 */
export function boundsReplicate(config: MixtureConfig, options: BoundsOptions, rng: Rng): MethodBounds[] {
  return checkReplicateBounds(config, fitMixtureReplicate(config, rng), options);
}

/**
 * The metrics of a method's checks (experiment/boundChecks.ts encoding): `expectedExcess` when
 * there is a representation, each check, the zeroing event E0 and B5's unconditional bounds on
 * the mean of expectedExcess (B5 in the B4 form, B5s in the B4s form).
 */
export function mixtureBoundMetrics(b: MethodBounds): Record<string, number> {
  const events: EventCheck[] = b.zeroing === null ? [] : [{ name: "E0", ...b.zeroing }];
  const meanBounds: MeanBound[] =
    b.unconditionalExcess === null
      ? []
      : [
          { bound: "B5", quantity: "expectedExcess", value: b.unconditionalExcess.value },
          { bound: "B5s", quantity: "expectedExcess", value: b.unconditionalExcess.sharp },
        ];
  if (b.unconditionalSharp !== null) meanBounds.push({ bound: "B5''", quantity: "expectedExcess", value: b.unconditionalSharp });
  return { ...(b.measured === null ? {} : { expectedExcess: b.measured.expectedExcess }), ...boundMetrics(b.checks, events, meanBounds) };
}

// ---------------------------------------------------------------------------------------------
// Limits (MODEL §8): predictions beside the measurements

/**
 * The limits that apply to a method on a replicate (THEORY.md L1, L1t, L2): read from the per-task
 * rule's `limit` tag for labelled-only SVD estimators; none for students, joint ERM or rules without
 * one. L1 with `whenAllKept` applies only when no task was dropped. Normalised columns with unequal
 * task norms (a `diversity` spectrum) use the variance-profile form of L1.
 */
export function methodLimits(config: MixtureConfig, truth: MixtureTruth, method: MixtureMethod, rep: Representation, theory: ReplicateTheory): LimitValue[] {
  const tags = method.estimator.tags(method.params);
  if (!tags.svdOfColumns || !tags.labelledOnly || tags.rule === null) return [];
  const limit = tags.rule.rule.tags(tags.rule.params).limit ?? null;
  if (limit === null) return [];
  const sc = config.scenario;
  const normalised = tags.columns === "normalised";
  const base = { sigma: sc.sigma, n: sc.n, d: sc.d, n0: sc.n0, heads: truth.heads, targetHead: truth.targetHead };
  let pred: LimitPrediction;
  let names: [string, string];
  if (limit.name === "L1") {
    if (limit.whenAllKept === true && rep.keptTasks.length < sc.T) return [];
    const equalNorms = sc.diversity === null;
    pred = !normalised || equalNorms ? standardLimit(base) : profileLimit({ ...base, basisOnSupport: theory.onSupport, eps: 0, normalised, moments: theory.momentsAt(0) });
    names = ["L1", "L1t"];
  } else {
    pred = profileLimit({ ...base, basisOnSupport: theory.onSupport, eps: limit.eps, normalised, moments: theory.momentsAt(limit.eps) });
    names = ["L2", "L2t"];
  }
  return [
    { limit: names[0], quantity: "sinTheta", predicted: pred.sinTheta },
    { limit: names[0], quantity: "sinThetaFrobenius", predicted: pred.sinThetaFrobenius },
    { limit: names[1], quantity: "targetAngleSine", predicted: pred.targetAngleSine },
    { limit: names[1], quantity: "targetExcess", predicted: pred.targetExcess },
  ];
}

/** The limit metrics of every method of a replicate whose fits are given (experiment/boundChecks.ts encoding). */
export function replicateLimitMetrics(config: MixtureConfig, replicate: MixtureReplicateFits, theory: ReplicateTheory = new ReplicateTheory(config.scenario, replicate.truth)): Record<string, number>[] {
  return replicate.fits.map((f) => limitMetrics(methodLimits(config, replicate.truth, f.method, f.rep, theory)));
}

// ---------------------------------------------------------------------------------------------
// Metric names (for checking a sweep's plot section before any work)

/** The base metrics of a mixture method (family.ts). */
export const MIXTURE_BASE_METRICS = ["keptTasks", "sinTheta", "sinThetaFrobenius", "targetAngleSine", "targetExcess", "targetError", "excessError", "robustErrorLinf", "robustErrorL2"] as const;

const CHECK_FIELDS = ["measured", "value", "cap", "formula", "held", "probability", "vacuous"] as const;

/**
 * Every metric a replicate of `config` may report, per method label: the base metrics, with
 * `evaluation.bounds` the checks the method's tags call for (as in checkMethodBounds), and with
 * `evaluation.limits` the limits (as in methodLimits). A superset of what any replicate reports
 * (a failed method reports fewer); the tests check that it contains every reported name.
 */
export function mixtureMetricNames(config: MixtureConfig): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const method of config.methods) {
    const names: string[] = [...MIXTURE_BASE_METRICS];
    const tags = method.estimator.tags(method.params);
    const ruleTags = tags.labelledOnly && tags.rule !== null ? tags.rule.rule.tags(tags.rule.params) : null;
    if (config.evaluation.bounds !== null) {
      const checks: [string, string][] = [];
      if (tags.svdOfColumns) checks.push(["sinTheta", "B1"], ["sinThetaFrobenius", "B1-Frobenius"]);
      checks.push(["expectedExcess", "B4"], ["expectedExcess", "B4s"]);
      const bound = ruleTags?.sinThetaBound ?? null;
      const normalised = tags.columns === "normalised";
      if (bound?.name === "B2") {
        checks.push(["sinTheta", "B2"], ["sinTheta", "B2''"]);
        if (normalised) checks.push(["sinTheta", "B2w"]);
      }
      if (bound?.name === "B3") {
        checks.push(["sinTheta", "B3"], ["sinTheta", "B3'"], ["sinTheta", "B3'-E0"]);
        if (normalised) checks.push(["sinTheta", "B3w"]);
        names.push("event.E0.occurred", "event.E0.probability");
      }
      if (bound !== null && ruleTags?.endToEnd === true) {
        checks.push(["sinTheta", "B5"], ["expectedExcess", "B5-excess"], ["expectedExcess", "B5s-excess"], ["sinTheta", "B5''"], ["expectedExcess", "B5''-excess"]);
        names.push("meanBound.expectedExcess.B5", "meanBound.expectedExcess.B5s", "meanBound.expectedExcess.B5''");
      }
      names.push("expectedExcess");
      for (const [q, b] of checks) for (const f of CHECK_FIELDS) names.push(`bound.${q}.${b}.${f}`);
    }
    const limit = ruleTags?.limit ?? null;
    if (config.evaluation.limits && tags.svdOfColumns && limit !== null) {
      const [a, b] = limit.name === "L1" ? ["L1", "L1t"] : ["L2", "L2t"];
      names.push(`limit.sinTheta.${a}`, `limit.sinThetaFrobenius.${a}`, `limit.targetAngleSine.${b}`, `limit.targetExcess.${b}`);
    }
    out[method.label] = names;
  }
  return out;
}
