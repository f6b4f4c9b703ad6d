/**
 * The spectral estimator (MODEL §3.5): a per-task estimate beta_hat_t of every source task, then
 * U = the top-r left singular vectors of M = [beta_hat_1 .. beta_hat_T] (d x T, thin). The per-task
 * step is least squares (the minimum-norm solution when n <= d), ridge, or adversarial regression
 * (l2 or l-inf, adversarialRegression.ts), the regression counterpart of the mixture family's
 * per-task adversarial step. Least squares and ridge use the sufficient statistics (both paths);
 * the adversarial step needs each task's samples (the sample path). A task whose estimate is
 * exactly zero (an adversarial radius at or above the task's eps_0) is dropped from M; fewer than
 * r kept tasks or a rank-deficient M is a failure with the reason.
 */
import { ConfigError, parseChoice, parseNumber, rejectUnknownKeys } from "../../../core/config/parse.js";
import { type Mat, column, norm2, zeros } from "../../../core/linalg/mat.js";
import type { RegressionData } from "../samplers.js";
import { adversarialRegression } from "./adversarialRegression.js";
import {
  type RegressionAttack,
  type RegressionEstimator,
  type RegressionFit,
  REGRESSION_ATTACKS,
  attackLabel,
  echoAttack,
  parseAttack,
  requireSamples,
} from "./estimator.js";
import { ridge, ridgeRows } from "./leastSquares.js";
import { topSingularSubspace } from "./subspace.js";

/** How the per-task estimates enter M. */
export type SpectralColumns = "unnormalised" | "normalised";

export interface SpectralParams {
  /** Ridge parameter lambda of (1/n) ||y - X b||^2 + lambda ||b||^2 (0: least squares / minimum norm). */
  readonly ridge: number;
  readonly attack: RegressionAttack;
  readonly columns: SpectralColumns;
}

/** The per-task estimates beta_hat_t (d x T) and the tasks kept, with the adversarial solver's record. */
export interface PerTaskEstimates {
  readonly estimates: Mat;
  readonly kept: number[];
  /** Tasks whose adversarial solver did not pass its optimality test, with the reason of the first. */
  readonly unconverged: number;
  readonly firstReason?: string;
  /** Mean steps of the adversarial solver per task (0 for least squares and ridge). */
  readonly meanSteps: number;
}

/** The per-task step on every task. */
export function perTaskEstimates(data: RegressionData, p: SpectralParams): PerTaskEstimates {
  const { d, T, n } = data;
  const estimates = zeros(d, T);
  let unconverged = 0;
  let firstReason: string | undefined;
  let steps = 0;
  if (p.attack.attack === "none") {
    data.forEachTaskBlock((b) => {
      for (let k = 0; k < b.count; k++) {
        const x = b.x.subarray(k * b.rows * d, (k + 1) * b.rows * d);
        const y = b.y.subarray(k * b.rows, (k + 1) * b.rows);
        const est = b.rows <= d ? ridgeRows(x, y, b.rows, d, n * p.ridge) : ridge(x, y, b.rows, d, n * p.ridge);
        if (est === null) {
          unconverged++;
          firstReason ??= `task ${b.first + k}: the design is rank deficient`;
          continue;
        }
        column(estimates, b.first + k).set(est);
      }
    });
  } else {
    const { attack, eps } = p.attack;
    data.forEachSampleBlock((b) => {
      for (let k = 0; k < b.count; k++) {
        const x = b.x.subarray(k * b.rows * d, (k + 1) * b.rows * d);
        const y = b.y.subarray(k * b.rows, (k + 1) * b.rows);
        const sol = adversarialRegression(x, y, b.rows, d, eps, attack);
        steps += sol.iterations;
        if (!sol.converged) {
          unconverged++;
          firstReason ??= `task ${b.first + k}: ${sol.reason}`;
        }
        column(estimates, b.first + k).set(sol.beta);
      }
    });
  }
  const kept: number[] = [];
  for (let t = 0; t < T; t++) if (norm2(column(estimates, t)) > 0) kept.push(t);
  return { estimates, kept, unconverged, firstReason, meanSteps: steps / T };
}

/** The spectral estimator on a replicate's data (shared under a key of its parameters). */
export function fitSpectral(data: RegressionData, r: number, p: SpectralParams, shared?: Map<string, unknown>): RegressionFit {
  const key = `spectral:${p.ridge}:${p.attack.attack}:${p.attack.attack === "none" ? 0 : p.attack.eps}:${p.columns}`;
  const cached = shared?.get(key) as RegressionFit | undefined;
  if (cached !== undefined) return cached;
  const est = perTaskEstimates(data, p);
  const d = data.d;
  const columns = zeros(d, est.kept.length);
  est.kept.forEach((t, j) => {
    const v = column(est.estimates, t);
    const scale = p.columns === "normalised" ? 1 / norm2(v) : 1;
    for (let i = 0; i < d; i++) columns.data[j * d + i] = v[i] * scale;
  });
  const diagnostics: Record<string, number> = { keptTasks: est.kept.length };
  if (p.attack.attack !== "none") diagnostics.solverSteps = est.meanSteps;
  let fit: RegressionFit;
  if (est.kept.length < r) fit = { ok: false, reason: `only ${est.kept.length} of ${data.T} tasks kept, fewer than r = ${r}`, basis: null, diagnostics };
  else {
    const sub = topSingularSubspace(columns, r);
    if (sub === null) fit = { ok: false, reason: `the kept estimates have rank < r = ${r}`, basis: null, diagnostics, columns };
    else if (est.unconverged > 0) fit = { ok: false, reason: `${est.unconverged} task(s) not solved to the solver's tolerance (${est.firstReason})`, basis: sub.basis, diagnostics, columns };
    else fit = { ok: true, basis: sub.basis, diagnostics, columns };
  }
  shared?.set(key, fit);
  return fit;
}

/** Parses the spectral estimator's keys. */
export function parseSpectralParams(raw: Readonly<Record<string, unknown>>, field: string): SpectralParams {
  rejectUnknownKeys(field, raw as Record<string, unknown>, ["ridge", "attack", "eps", "columns"]);
  const attack = parseAttack(raw, field);
  const ridgeValue = parseNumber(`${field}.ridge`, raw.ridge ?? 0, { min: 0 });
  if (attack.attack !== "none" && ridgeValue > 0) throw new ConfigError(`${field}.ridge`, raw.ridge, "cannot be combined with an attack (the adversarial loss has its own penalty)");
  const columns = parseChoice(`${field}.columns`, raw.columns ?? "unnormalised", ["unnormalised", "normalised"] as const);
  return { ridge: ridgeValue, attack, columns };
}

export const spectralEstimator: RegressionEstimator<SpectralParams> = {
  name: "spectral",
  description: "per-task least squares (minimum norm for n <= d), ridge or adversarial regression, then the top-r SVD of the stacked estimates (MODEL §3.5)",
  parameters(raw, field, context) {
    const p = parseSpectralParams(raw, field);
    if (p.attack.attack !== "none") requireSamples(context, field, "spectral with an attack");
    return p;
  },
  echo: (p) => ({ ridge: p.ridge, ...echoAttack(p.attack), columns: p.columns }),
  label(p) {
    const base = p.attack.attack !== "none" ? `spectral+${attackLabel(p.attack)}` : p.ridge > 0 ? `spectral(ridge=${p.ridge})` : "spectral";
    return p.columns === "normalised" ? `${base}[normalised]` : base;
  },
  tags: (p) => ({ attacks: REGRESSION_ATTACKS, pseudoLabelling: false, samples: p.attack.attack !== "none", passes: "one", bounds: p.ridge === 0 && p.attack.attack === "none" && p.columns === "unnormalised" ? "least-squares" : "spectral" }),
  fit: ({ data, scenario, shared }, p) => fitSpectral(data, scenario.r, p, shared),
  examples: [{}, { ridge: 0.1 }, { attack: "linf", eps: 0.1 }, { attack: "l2", eps: 0.5, columns: "normalised" }],
};
