/**
 * Bounds beside measurements for the regression family (docs/THEORY.md R7; the functions are in
 * theory/bounds.ts): for every fitted method of a replicate, each applicable bound beside the
 * measured value, as bound-check metrics (experiment/boundChecks.ts) when `evaluation.bounds` is
 * set. Which bounds apply is read from the estimator's tags (`bounds`), never from names:
 * - "mom" (R7.1, isotropic design only): MoM-D on sinTheta and sinThetaFrobenius (deterministic);
 *   with the dense solver also MoM-DK (deterministic) and the Chebyshev and Bernstein levels on
 *   momError = ||M_hat - E M_hat||_2; the composite model-only bounds MoM-Chebyshev and
 *   MoM-Bernstein on sinTheta (probability >= 1 - delta each);
 * - "spectral": B1 (deterministic) on sinTheta and sinThetaFrobenius;
 * - "least-squares": B1 and, for n > d with every task kept, R7.2's conditional Gaussian bound
 *   (given the designs) and its model-only form (probability >= 1 - delta each);
 * - null (ERM: AltMin, FO): none (R7.3: no explicit ERM bound that is not vacuous here).
 */
import { type Mat, column, frobenius, transposeTimes, times, zeros } from "../../core/linalg/mat.js";
import { residualOutside, singularValues } from "../../core/linalg/decompositions.js";
import { type BoundCheck, boundCheck } from "../../experiment/boundChecks.js";
import type { RegressionBoundsOptions, RegressionConfig, RegressionMethod } from "./config.js";
import type { RegressionFit } from "./estimators/estimator.js";
import { momApply } from "./estimators/mom.js";
import { symmetricEigen } from "./linalg.js";
import type { RegressionData } from "./samplers.js";
import type { RegressionTruth } from "./scenario.js";
import {
  type BernsteinLevel,
  bernsteinLevel,
  chebyshevLevel,
  columnsBound,
  gaussianDeviation,
  levelBound,
  momConstant,
  momDataBound,
  momErrorCap,
  momGap,
  momPerturbationBound,
  spectralGaussianBound,
  spectralModelOnlyBound,
  taskNoiseScales,
} from "./theory/bounds.js";

/** Display name of the quantity the MoM levels bound. */
export const MOM_ERROR_LABEL = "||M_hat - E M_hat||_2 (method of moments)";

/** What the bounds of one replicate share across its methods (computed on first use). */
export class RegressionBoundTheory {
  readonly betaNorms: Float64Array;
  readonly c: number;
  readonly gap: number;
  readonly sigmaRW: number;
  private chebyshev: number | null = null;
  private bernstein: BernsteinLevel | null = null;
  private scales: { lPerp: number; lPar: number } | null | undefined = undefined;
  constructor(
    readonly config: RegressionConfig,
    readonly truth: RegressionTruth,
    readonly data: RegressionData,
    readonly options: RegressionBoundsOptions,
  ) {
    const { heads } = truth;
    this.betaNorms = Float64Array.from({ length: heads.cols }, (_, t) => {
      const w = column(heads, t);
      let s = 0;
      for (let i = 0; i < w.length; i++) s += w[i] * w[i];
      return Math.sqrt(s);
    });
    this.c = momConstant(this.betaNorms, config.scenario.sigma);
    this.gap = momGap(heads);
    const sv = singularValues(heads);
    this.sigmaRW = heads.rows <= sv.length ? sv[heads.rows - 1] : 0;
  }
  chebyshevLevel(): number {
    const sc = this.config.scenario;
    this.chebyshev ??= chebyshevLevel(this.betaNorms, sc.sigma, sc.d, sc.n, this.options.delta);
    return this.chebyshev;
  }
  bernsteinLevel(): BernsteinLevel {
    const sc = this.config.scenario;
    this.bernstein ??= bernsteinLevel(this.truth.heads, sc.sigma, sc.d, sc.n, this.options.delta);
    return this.bernstein;
  }
  /** l_perp, l_par = max over tasks (THEORY R7.2) from one pass over the equivalent samples; null if a Gram is singular. */
  noiseScales(): { lPerp: number; lPar: number } | null {
    if (this.scales !== undefined) return this.scales;
    const d = this.data.d;
    let perp2 = 0;
    let par2 = 0;
    let ok = true;
    this.data.forEachTaskBlock((b) => {
      for (let k = 0; k < b.count && ok; k++) {
        const s = taskNoiseScales(b.x.subarray(k * b.rows * d, (k + 1) * b.rows * d), d, this.truth.basis);
        if (s === null) ok = false;
        else {
          perp2 = Math.max(perp2, s.perp2);
          par2 = Math.max(par2, s.par2);
        }
      }
    });
    this.scales = ok ? { lPerp: Math.sqrt(perp2), lPar: Math.sqrt(par2) } : null;
    return this.scales;
  }
}

/** The measured values the checks compare with. */
export interface RegressionMeasured {
  readonly sinTheta: number;
  readonly sinThetaFrobenius: number;
}

/** Every applicable bound of one fitted method (file comment); empty when none applies or there is no representation. */
export function regressionBoundChecks(method: RegressionMethod, fit: RegressionFit, measured: RegressionMeasured, theory: RegressionBoundTheory): BoundCheck[] {
  if (fit.basis === null) return [];
  const tag = method.estimator.tags(method.params).bounds;
  if (tag === "mom") return momChecks(fit, fit.basis, measured, theory);
  if (tag === "spectral" || tag === "least-squares") return spectralChecks(fit, measured, theory, tag === "least-squares");
  return [];
}

/** Whether the MoM bounds of R7.1 apply: x ~ N(0, I_d). */
export function momBoundsApply(config: RegressionConfig): boolean {
  return config.scenario.covariance.kind === "isotropic";
}

function momChecks(fit: RegressionFit, u: Mat, measured: RegressionMeasured, theory: RegressionBoundTheory): BoundCheck[] {
  const { config, truth, data, c, gap } = theory;
  if (!momBoundsApply(config) || fit.eigenvalues === undefined) return [];
  const { d, r, T } = config.scenario;
  const lambda = fit.eigenvalues;
  const pr = 1 - theory.options.delta;
  const bStar = truth.basis;
  // M_hat U: from the dense matrix, or one matrix-free pass.
  let mu: Mat;
  if (fit.matrix !== undefined) {
    const m = fit.matrix;
    mu = zeros(d, r);
    for (let k = 0; k < r; k++) {
      const uk = u.data.subarray(k * d, (k + 1) * d);
      const out = mu.data.subarray(k * d, (k + 1) * d);
      for (let a = 0; a < d; a++) {
        let s = 0;
        const ra = a * d;
        for (let b = 0; b < d; b++) s += m[ra + b] * uk[b];
        out[a] = s;
      }
    }
  } else mu = momApply(data, u);
  // M_bar U = c U + (2/T) B* (W W^T) (B*^T U); P = B* W W^T (d x r).
  const ww = times(truth.heads, { rows: T, cols: r, data: transposeHeads(truth.heads) });
  const p = times(bStar, ww);
  const k = times(p, transposeTimes(bStar, u));
  const eu = zeros(d, r);
  const res = zeros(d, r);
  for (let j = 0; j < r; j++) {
    for (let i = 0; i < d; i++) {
      const idx = i + j * d;
      eu.data[idx] = mu.data[idx] - c * u.data[idx] - (2 / T) * k.data[idx];
      res.data[idx] = mu.data[idx] - lambda[j] * u.data[idx];
    }
  }
  const perp = residualOutside(bStar, eu);
  const bound = momDataBound({
    perpSpectral: singularValues(perp)[0],
    perpFrobenius: frobenius(perp),
    residualSpectral: singularValues(res)[0],
    residualFrobenius: frobenius(res),
    lambdaR: lambda[r - 1],
    c,
    r,
    d,
  });
  const checks: BoundCheck[] = [boundCheck("MoM-D", "sinTheta", measured.sinTheta, bound.spectral, 1), boundCheck("MoM-D", "sinThetaFrobenius", measured.sinThetaFrobenius, bound.frobenius, 1)];
  const cheb = theory.chebyshevLevel();
  const bern = theory.bernsteinLevel().level;
  if (fit.matrix !== undefined) {
    // E = M_hat - M_bar (d x d: the estimator's own matrix, copied once) and ||E||_2.
    const m = fit.matrix;
    const e = new Float64Array(d * d);
    for (let a = 0; a < d; a++) {
      for (let b = 0; b < d; b++) {
        let s = 0;
        for (let q = 0; q < r; q++) s += p.data[a + q * d] * bStar.data[b + q * d];
        e[a * d + b] = m[a * d + b] - (a === b ? c : 0) - (2 / T) * s;
      }
    }
    const ev = symmetricEigen(e, d).values;
    const normE = Math.max(Math.abs(ev[0]), Math.abs(ev[d - 1]));
    const cap = momErrorCap(lambda[0], c, truth.heads);
    checks.push(boundCheck("MoM-DK", "sinTheta", measured.sinTheta, momPerturbationBound(normE, gap), 1));
    checks.push(boundCheck("Chebyshev", "momError", normE, levelBound(cheb, cap), pr));
    checks.push(boundCheck("Bernstein", "momError", normE, levelBound(bern, cap), pr));
  }
  checks.push(boundCheck("MoM-Chebyshev", "sinTheta", measured.sinTheta, momPerturbationBound(cheb, gap), pr));
  checks.push(boundCheck("MoM-Bernstein", "sinTheta", measured.sinTheta, momPerturbationBound(bern, gap), pr));
  return checks;
}

/** W^T as the data of a T x r column-major matrix. */
function transposeHeads(heads: Mat): Float64Array {
  const r = heads.rows;
  const T = heads.cols;
  const out = new Float64Array(T * r);
  for (let t = 0; t < T; t++) for (let i = 0; i < r; i++) out[t + i * T] = heads.data[i + t * r];
  return out;
}

function spectralChecks(fit: RegressionFit, measured: RegressionMeasured, theory: RegressionBoundTheory, leastSquares: boolean): BoundCheck[] {
  if (fit.columns === undefined) return [];
  const { config, truth } = theory;
  const { d, r, T, n, sigma } = config.scenario;
  const b1 = columnsBound(fit.columns, truth.basis, r);
  const checks = [boundCheck("B1", "sinTheta", measured.sinTheta, b1.spectral, 1), boundCheck("B1", "sinThetaFrobenius", measured.sinThetaFrobenius, b1.frobenius, 1)];
  // At sigma = 0 both bounds are 0, which only exact arithmetic attains: not checked.
  if (!leastSquares || !(n > d) || fit.columns.cols !== T || !(sigma > 0)) return checks;
  const delta = theory.options.delta;
  const scales = theory.noiseScales();
  if (scales !== null) {
    const cond = spectralGaussianBound({ sigma, lPerp: scales.lPerp, lPar: scales.lPar, d, r, T, sigmaRW: theory.sigmaRW, x: gaussianDeviation(delta) });
    checks.push(boundCheck("conditional", "sinTheta", measured.sinTheta, cond, 1 - delta));
  }
  const cov = config.scenario.covariance;
  const lambdaMinSigma = cov.kind === "isotropic" ? 1 : cov.tau * cov.tau;
  const model = spectralModelOnlyBound({ sigma, n, d, r, T, sigmaRW: theory.sigmaRW, delta, lambdaMinSigma });
  checks.push(boundCheck("model-only", "sinTheta", measured.sinTheta, model, 1 - delta));
  return checks;
}

/** Which methods of a config have fewer bounds than R7 lists, and why (printed under the bounds table). */
export function regressionBoundNotes(config: RegressionConfig): string[] {
  const { n, d, sigma } = config.scenario;
  const notes: string[] = [];
  for (const m of config.methods) {
    const tag = m.estimator.tags(m.params).bounds;
    if (tag === null) notes.push(`${m.label}: no bound (ERM: docs/THEORY.md R7.3, the published rates carry unspecified constants and an explicit version is vacuous at these sizes)`);
    else if (tag === "mom" && !momBoundsApply(config)) notes.push(`${m.label}: no bound (R7.1 is derived for the isotropic design x ~ N(0, I))`);
    else if (tag === "mom" && m.estimator.tags(m.params).passes === "many") notes.push(`${m.label}: MoM-D and the composite bounds only (the matrix-free solver never forms M, so ||E||_2 is not computed)`);
    else if (tag === "spectral") notes.push(`${m.label}: B1 only (R7.2's Gaussian bounds need unnormalised per-task least-squares columns)`);
    else if (tag === "least-squares" && !(n > d)) notes.push(`${m.label}: B1 only (n = ${n} <= d = ${d}: minimum-norm least squares, R7.2)`);
    else if (tag === "least-squares" && !(sigma > 0)) notes.push(`${m.label}: B1 only (sigma = 0: the Gaussian bounds are 0, attained only in exact arithmetic)`);
  }
  return notes;
}
