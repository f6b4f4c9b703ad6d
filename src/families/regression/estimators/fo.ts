/**
 * The non-convex "FO" ERM of prior work (MODEL §3.5; docs/THEORY.md "Regression family", R3):
 *
 *   f(U, W) = (1/(2nT)) sum_t ||y_t - X_t U w_t||^2 + (1/8) ||U^T U - W W^T||_F^2
 *
 * over U (d x r) and W (r x T) jointly, by L-BFGS (lbfgs.ts) from a random balanced start
 * U_0 = sqrt(lambda / d) G_U, W_0 = sqrt(lambda / T) G_W with lambda = initScale sqrt(T / r)
 * (U_0^T U_0 ~ W_0 W_0^T ~ lambda I). With D = U^T U - W W^T and G_beta = -(1/(nT)) [X_t^T (y_t -
 * X_t U w_t)]_t (d x T), the gradient is grad_U = G_beta W^T + (1/2) U D, grad_W = U^T G_beta - (1/2) D W.
 * Every stationary point with U or W of full rank is balanced (D = 0, R3), so the balancing term
 * changes which factorisation is found, not the fit. The tasks are read through their sufficient
 * statistics (equivalent samples), so both data paths work; one evaluation is one pass.
 * The representation is span(U) (orthonormalised); hitting the iteration cap is a failure with
 * the reason (the current U is still reported).
 */
import { rejectUnknownKeys } from "../../../core/config/parse.js";
import { type Mat, zeros } from "../../../core/linalg/mat.js";
import { thinQR } from "../../../core/linalg/decompositions.js";
import type { Rng } from "../../../core/random/rng.js";
import { ConfigError } from "../../../core/config/parse.js";
import type { RegressionData } from "../samplers.js";
import { type RegressionEstimator, parseCount, parseTolerance } from "./estimator.js";
import { lbfgs } from "./lbfgs.js";
import { workspace } from "../simd/kernels.js";
import { parseNumber } from "../../../core/config/parse.js";

export interface FoParams {
  readonly maxIterations: number;
  readonly gradientTolerance: number;
  readonly memory: number;
  readonly initScale: number;
}

/** f and its gradient at x = [vec U (column-major d x r), vec W (column-major r x T)]. */
export function foObjective(data: RegressionData, r: number): (x: Float64Array, g: Float64Array) => number {
  const { d, T, n, rows } = data;
  const D = new Float64Array(r * r);
  const scale = 1 / (n * T);
  const ws = workspace();
  return (x, g) => {
    g.fill(0);
    const U = x.subarray(0, d * r);
    const W = x.subarray(d * r);
    const gU = g.subarray(0, d * r);
    const gW = g.subarray(d * r);
    let data2 = 0;
    data.forEachTaskBlock((b) => {
      // Workspace: the block's rows, then beta_t (d), X beta_t and the weighted residuals (rows), the gradient in beta (d).
      const len = b.count * rows * d;
      const betaOff = len;
      const fOff = betaOff + d;
      const vOff = fOff + rows;
      const qOff = vOff + rows;
      ws.reserve(qOff + d);
      const m = ws.f64;
      m.set(b.x.subarray(0, len), 0);
      for (let k = 0; k < b.count; k++) {
        const t = b.first + k;
        m.fill(0, betaOff, betaOff + d);
        for (let l = 0; l < r; l++) {
          const wl = W[l + t * r];
          if (wl === 0) continue;
          const ol = l * d;
          for (let j = 0; j < d; j++) m[betaOff + j] += U[ol + j] * wl;
        }
        const xo = k * rows * d;
        ws.kernels.dots(xo, rows, d, betaOff, 1, fOff);
        let ss = b.rest[k];
        for (let i = 0; i < rows; i++) {
          const e = b.y[k * rows + i] - m[fOff + i];
          ss += e * e;
          m[vOff + i] = -e * scale;
        }
        data2 += ss;
        ws.kernels.axpyRows(xo, rows, d, vOff, qOff);
        for (let l = 0; l < r; l++) {
          const wl = W[l + t * r];
          const ol = l * d;
          let s = 0;
          for (let j = 0; j < d; j++) {
            const gb = m[qOff + j];
            gU[ol + j] += gb * wl;
            s += U[ol + j] * gb;
          }
          gW[l + t * r] = s;
        }
      }
    });
    // D = U^T U - W W^T.
    for (let a = 0; a < r; a++) {
      for (let c = 0; c <= a; c++) {
        let uu = 0;
        for (let j = 0; j < d; j++) uu += U[a * d + j] * U[c * d + j];
        let ww = 0;
        for (let t = 0; t < T; t++) ww += W[a + t * r] * W[c + t * r];
        D[a * r + c] = D[c * r + a] = uu - ww;
      }
    }
    let bal = 0;
    for (let a = 0; a < r * r; a++) bal += D[a] * D[a];
    // grad_U += (1/2) U D; grad_W -= (1/2) D W.
    for (let c = 0; c < r; c++) for (let a = 0; a < r; a++) {
      const dac = 0.5 * D[a * r + c];
      if (dac === 0) continue;
      for (let j = 0; j < d; j++) gU[c * d + j] += U[a * d + j] * dac;
      for (let t = 0; t < T; t++) gW[c + t * r] -= dac * W[a + t * r];
    }
    return 0.5 * scale * data2 + 0.125 * bal;
  };
}

/** The random balanced start (R3). */
export function foStart(d: number, r: number, T: number, initScale: number, rng: Rng): Float64Array {
  const lambda = initScale * Math.sqrt(T / r);
  const x = rng.fillNormal(new Float64Array(d * r + r * T));
  const su = Math.sqrt(lambda / d);
  const sw = Math.sqrt(lambda / T);
  for (let i = 0; i < d * r; i++) x[i] *= su;
  for (let i = d * r; i < x.length; i++) x[i] *= sw;
  return x;
}

/** FO ERM on a replicate's data. */
export function fitFo(data: RegressionData, r: number, p: FoParams, rng: Rng) {
  const { d, T } = data;
  const res = lbfgs(foObjective(data, r), foStart(d, r, T, p.initScale, rng.fork("start")), {
    memory: p.memory,
    maxIterations: p.maxIterations,
    gradientTolerance: p.gradientTolerance,
  });
  const u: Mat = zeros(d, r);
  u.data.set(res.x.subarray(0, d * r));
  const qr = thinQR(u, 1e-12);
  // Balance ||U^T U - W W^T||_F / ||W W^T||_F at the end (0 at every full-rank stationary point, R3).
  const W = res.x.subarray(d * r);
  let dd = 0;
  let ww2 = 0;
  for (let a = 0; a < r; a++) for (let c = 0; c < r; c++) {
    let uu = 0;
    for (let j = 0; j < d; j++) uu += res.x[a * d + j] * res.x[c * d + j];
    let ww = 0;
    for (let t = 0; t < T; t++) ww += W[a + t * r] * W[c + t * r];
    dd += (uu - ww) ** 2;
    ww2 += ww * ww;
  }
  const diagnostics = { iterations: res.iterations, objective: res.f, relativeGradient: res.relativeGradient, imbalance: ww2 > 0 ? Math.sqrt(dd / ww2) : 0 };
  if (qr.dependent.length > 0) return { ok: false, reason: `U has rank < r = ${r} at the end of L-BFGS`, basis: null, diagnostics };
  return res.converged ? { ok: true, basis: qr.q, diagnostics } : { ok: false, reason: res.reason, basis: qr.q, diagnostics };
}

export const foEstimator: RegressionEstimator<FoParams> = {
  name: "fo",
  description: "non-convex ERM with the balancing term (1/8)||U^T U - W W^T||^2 by L-BFGS from a random start (MODEL §3.5)",
  parameters(raw, field, context) {
    if (raw.attack !== undefined) throw new ConfigError(`${field}.attack`, raw.attack, 'FO ERM is standard training; for adversarial ERM use "altmin" with an attack');
    rejectUnknownKeys(field, raw as Record<string, unknown>, ["maxIterations", "gradientTolerance", "memory", "initScale"]);
    if (context.scenario.n < 1) throw new ConfigError(`${field}.estimator`, "fo", "needs n >= 1");
    return {
      maxIterations: parseCount(raw, "maxIterations", field, 5000),
      gradientTolerance: parseTolerance(raw, "gradientTolerance", field, 1e-8),
      memory: parseCount(raw, "memory", field, 10, 1, 1000),
      initScale: parseNumber(`${field}.initScale`, raw.initScale ?? 1, { min: 0, minOpen: true }),
    };
  },
  echo: (p) => ({ maxIterations: p.maxIterations, gradientTolerance: p.gradientTolerance, memory: p.memory, initScale: p.initScale }),
  label: () => "fo",
  tags: () => ({ attacks: [], pseudoLabelling: false, samples: false, passes: "many", bounds: null }),
  fit: ({ data, scenario }, p, rng) => fitFo(data, scenario.r, p, rng),
  examples: [{ maxIterations: 200 }, { maxIterations: 50, memory: 5, initScale: 0.5 }],
};
