/**
 * The non-convex "FO" ERM of prior work (MODEL §3.5; docs/THEORY.md "Regression family", R3):
 *
 *   f(U, W) = (1/(2nT)) sum_t ||y_t - X_t U w_t||^2 + (1/8) ||U^T U - W W^T||_F^2
 *
 * over U (d x r) and W (r x T) jointly, by L-BFGS (lbfgs.ts; preconditioned by foPreconditioner
 * unless precondition = false) from a random balanced start
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
import { type RegressionData, placeBlock } from "../samplers.js";
import { type RegressionEstimator, parseCount, parseTolerance } from "./estimator.js";
import { lbfgs } from "./lbfgs.js";
import { workspace } from "../simd/kernels.js";
import { parseBoolean, parseNumber } from "../../../core/config/parse.js";
import { choleskyAt } from "../linalg.js";

export interface FoParams {
  readonly maxIterations: number;
  readonly gradientTolerance: number;
  readonly memory: number;
  readonly initScale: number;
  /** L-BFGS with the preconditioner H0 of foPreconditioner (default) or with gamma I. */
  readonly precondition: boolean;
}

/** f and its gradient at x = [vec U (column-major d x r), vec W (column-major r x T)]. */
export function foObjective(data: RegressionData, r: number): (x: Float64Array, g: Float64Array) => number {
  const { d, T, n, rows } = data;
  const D = new Float64Array(r * r);
  const scale = 1 / (n * T);
  if (data.stored) data.xty(); // fills the store, so the kernels read it in place
  const own = data.workspace;
  const ws = own ?? workspace();
  const base = own === null ? 0 : data.scratchBase;
  return (x, g) => {
    g.fill(0);
    const U = x.subarray(0, d * r);
    const W = x.subarray(d * r);
    const gU = g.subarray(0, d * r);
    const gW = g.subarray(d * r);
    let data2 = 0;
    // Workspace: U and grad_U (d r each, column-major), w_t, beta_t (d), X beta_t and the weighted
    // residuals (rows), the gradient in beta (d), U^T of it (r), then the block's rows.
    const uOff = base;
    const guOff = uOff + d * r;
    const wOff = guOff + d * r;
    const betaOff = wOff + r;
    const fOff = betaOff + d;
    const vOff = fOff + rows;
    const qOff = vOff + rows;
    const gwOff = qOff + d;
    const xOff = gwOff + r;
    ws.reserve(xOff);
    ws.f64.set(U, uOff);
    ws.f64.fill(0, guOff, guOff + d * r);
    data.forEachTaskBlock((b) => {
      const bx = placeBlock(ws, data, b, xOff, false).xOff;
      const m = ws.f64;
      for (let k = 0; k < b.count; k++) {
        const t = b.first + k;
        for (let l = 0; l < r; l++) m[wOff + l] = W[l + t * r];
        // beta_t = U w_t, X_t beta_t, residuals e, v = -e / (nT), q = X_t^T v.
        ws.kernels.axpyRows(uOff, r, d, wOff, betaOff);
        const xo = bx + k * rows * d;
        ws.kernels.dots(xo, rows, d, betaOff, 1, fOff);
        let ss = b.rest[k];
        const yo = k * rows;
        for (let i = 0; i < rows; i++) {
          const e = b.y[yo + i] - m[fOff + i];
          ss += e * e;
          m[vOff + i] = -e * scale;
        }
        data2 += ss;
        ws.kernels.axpyRows(xo, rows, d, vOff, qOff);
        // grad_W column t = U^T q; grad_U += q w_t^T.
        ws.kernels.dots(uOff, r, d, qOff, 1, gwOff);
        for (let l = 0; l < r; l++) gW[l + t * r] = m[gwOff + l];
        ws.kernels.addOuter(qOff, d, wOff, r, guOff);
      }
    });
    gU.set(ws.f64.subarray(guOff, guOff + d * r));
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

/** Iterations between two recomputations of the data part of the preconditioner's W-blocks. */
export const PRECONDITIONER_REFRESH = 10;

/**
 * H0 of the preconditioned L-BFGS (THEORY R3): an approximation of the inverse Hessian of f at x,
 * the inverse of P + (1/4) J^T J. P is block-diagonal: per task the W-block (1/(nT)) U^T X_t^T X_t U
 * + (1/2)(||w_t||^2 I + w_t w_t^T) (its data part recomputed every PRECONDITIONER_REFRESH
 * iterations, one pass), and for U the expected data U-block (c/T) W W^T (x) I_d, c = sum_t
 * ||X_t||_F^2 / (n T d) (the design's mean scale, from the data, computed in the first pass). (1/4) J^T J is the Gauss-Newton
 * Hessian of the balancing term, J(E_U, E_W) = E_U^T U + U^T E_U - E_W W^T - W E_W^T (values in the
 * symmetric r x r matrices, rank <= r(r+1)/2), added by the Woodbury identity. Every part is
 * symmetric positive (semi)definite, so H0 is SPD; a block whose Cholesky factorisation fails is
 * replaced by the identity. H0 changes only the path of L-BFGS, never f or its stationary points.
 * Returns apply(x, v, update): v <- H0(x) v; `update` rebuilds the factors at x (once per iteration).
 */
export function foPreconditioner(data: RegressionData, r: number): (x: Float64Array, v: Float64Array, update: boolean) => void {
  const { d, T, n, rows } = data;
  const dim = d * r + r * T;
  const scale = 1 / (n * T);
  const rr = r * r;
  const blocks = new Float64Array(T * rr);
  const dataBlocks = new Float64Array(T * rr);
  let updates = 0;
  let designScale = 1;
  const cu = new Float64Array(rr);
  let cuOk = false;
  const tmp = new Float64Array(r);
  if (data.stored) data.xty();
  const own = data.workspace;
  const ws = own ?? workspace();
  const base = own === null ? 0 : data.scratchBase;
  const nsym = (r * (r + 1)) / 2;
  const Z = Array.from({ length: nsym }, () => new Float64Array(dim));
  const small = new Float64Array(nsym * nsym);
  let smallOk = false;
  const coords = new Float64Array(nsym);
  const sym = new Float64Array(rr);
  let uCur: Float64Array = new Float64Array(0);
  let wCur: Float64Array = new Float64Array(0);
  const pairs: [number, number][] = [];
  for (let a = 0; a < r; a++) for (let b = a; b < r; b++) pairs.push([a, b]);
  /** Coordinates of J(E) in the orthonormal basis {e_a e_a^T, (e_a e_b^T + e_b e_a^T)/sqrt 2} of Sym(r). */
  const jOf = (e: Float64Array, out: Float64Array) => {
    for (let a = 0; a < r; a++) for (let b = a; b < r; b++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += e[a * d + j] * uCur[b * d + j] + uCur[a * d + j] * e[b * d + j];
      const eo = d * r;
      for (let t = 0; t < T; t++) s -= e[eo + a + t * r] * wCur[b + t * r] + wCur[a + t * r] * e[eo + b + t * r];
      sym[a * r + b] = s;
    }
    for (let k = 0; k < nsym; k++) {
      const [a, b] = pairs[k];
      out[k] = a === b ? sym[a * r + a] : Math.SQRT2 * sym[a * r + b];
    }
  };
  /** v <- P^{-1} v. */
  const applyP = (v: Float64Array) => {
    if (cuOk) for (let j = 0; j < d; j++) {
      for (let l = 0; l < r; l++) tmp[l] = v[l * d + j];
      choleskySolveRows(cu, 0, r, tmp);
      for (let l = 0; l < r; l++) v[l * d + j] = tmp[l];
    }
    for (let t = 0; t < T; t++) {
      const o = d * r + t * r;
      for (let l = 0; l < r; l++) tmp[l] = v[o + l];
      choleskySolveRows(blocks, t * rr, r, tmp);
      for (let l = 0; l < r; l++) v[o + l] = tmp[l];
    }
  };
  /** The data part of the W-blocks, (1/(nT)) A_t^T A_t with A_t = X_t U, and c (one pass). */
  const refreshData = (U: Float64Array) => {
    let fro = 0;
    const uOff = base;
    const aOff = uOff + d * r;
    const gOff = aOff + r * rows;
    const xOff = gOff + rr;
    ws.reserve(xOff);
    ws.f64.set(U, uOff);
    data.forEachTaskBlock((b) => {
      const bx = placeBlock(ws, data, b, xOff, false).xOff;
      const m = ws.f64;
      const len = b.count * rows * d;
      if (updates === 0) for (let i = 0; i < len; i++) fro += b.x[i] * b.x[i];
      for (let k = 0; k < b.count; k++) {
        const t = b.first + k;
        ws.kernels.dots(uOff, r, d, bx + k * rows * d, rows, aOff);
        ws.kernels.dots(aOff, r, rows, aOff, r, gOff);
        for (let i = 0; i < rr; i++) dataBlocks[t * rr + i] = m[gOff + i] * scale;
      }
    });
    if (updates === 0) designScale = fro / (n * T * d);
  };
  const rebuild = (U: Float64Array, W: Float64Array) => {
    uCur = U;
    wCur = W;
    if (updates % PRECONDITIONER_REFRESH === 0) refreshData(U);
    updates++;
    for (let a = 0; a < r; a++) for (let c = 0; c <= a; c++) {
      let w2 = 0;
      for (let t = 0; t < T; t++) w2 += W[a + t * r] * W[c + t * r];
      cu[a * r + c] = cu[c * r + a] = (designScale * w2) / T;
    }
    cuOk = choleskyAt(cu, 0, r);
    blocks.set(dataBlocks);
    for (let t = 0; t < T; t++) {
      const o = t * rr;
      let w2 = 0;
      for (let a = 0; a < r; a++) w2 += W[a + t * r] ** 2;
      for (let a = 0; a < r; a++) {
        for (let c = 0; c < r; c++) blocks[o + a * r + c] += 0.5 * W[a + t * r] * W[c + t * r];
        blocks[o + a * r + a] += 0.5 * w2;
      }
      if (!choleskyAt(blocks, o, r)) {
        blocks.fill(0, o, o + rr);
        for (let a = 0; a < r; a++) blocks[o + a * r + a] = 1;
      }
    }
    // Z_k = P^{-1} J^T S_k with J^T S = (2 U S, -2 S W); small = 4 I + [<J Z_k, S_l>].
    for (let k = 0; k < nsym; k++) {
      const [a, b] = pairs[k];
      const z = Z[k];
      z.fill(0);
      const c = a === b ? 2 : 2 * Math.SQRT1_2;
      for (let j = 0; j < d; j++) {
        z[b * d + j] += c * U[a * d + j];
        if (a !== b) z[a * d + j] += c * U[b * d + j];
      }
      for (let t = 0; t < T; t++) {
        z[d * r + a + t * r] -= c * W[b + t * r];
        if (a !== b) z[d * r + b + t * r] -= c * W[a + t * r];
      }
      applyP(z);
      jOf(z, coords);
      for (let l = 0; l < nsym; l++) small[k * nsym + l] = coords[l] + (k === l ? 4 : 0);
    }
    for (let k = 0; k < nsym; k++) for (let l = 0; l < k; l++) small[k * nsym + l] = small[l * nsym + k] = 0.5 * (small[k * nsym + l] + small[l * nsym + k]);
    smallOk = choleskyAt(small, 0, nsym);
  };
  return (x, v, update) => {
    if (update) rebuild(x.subarray(0, d * r), x.subarray(d * r));
    applyP(v);
    if (!smallOk) return;
    // Woodbury: (P + J^T J / 4)^{-1} v = P^{-1} v - P^{-1} J^T (4 I + J P^{-1} J^T)^{-1} J P^{-1} v.
    jOf(v, coords);
    choleskySolveRows(small, 0, nsym, coords);
    for (let k = 0; k < nsym; k++) {
      const ck = coords[k];
      const z = Z[k];
      for (let i = 0; i < dim; i++) v[i] -= ck * z[i];
    }
  };
}

/** Solves (L L^T) z = b in place (L from choleskyAt at offset lo of l, b separate). */
function choleskySolveRows(l: Float64Array, lo: number, r: number, b: Float64Array): void {
  for (let i = 0; i < r; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= l[lo + i * r + k] * b[k];
    b[i] = s / l[lo + i * r + i];
  }
  for (let i = r - 1; i >= 0; i--) {
    let s = b[i];
    for (let k = i + 1; k < r; k++) s -= l[lo + k * r + i] * b[k];
    b[i] = s / l[lo + i * r + i];
  }
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
    ...(p.precondition ? { precondition: foPreconditioner(data, r) } : {}),
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
  const diagnostics = { iterations: res.iterations, evaluations: res.evaluations, objective: res.f, relativeGradient: res.relativeGradient, imbalance: ww2 > 0 ? Math.sqrt(dd / ww2) : 0 };
  if (qr.dependent.length > 0) return { ok: false, reason: `U has rank < r = ${r} at the end of L-BFGS`, basis: null, diagnostics };
  return res.converged ? { ok: true, basis: qr.q, diagnostics } : { ok: false, reason: res.reason, basis: qr.q, diagnostics };
}

export const foEstimator: RegressionEstimator<FoParams> = {
  name: "fo",
  description: "non-convex ERM with the balancing term (1/8)||U^T U - W W^T||^2 by L-BFGS from a random start (MODEL §3.5)",
  parameters(raw, field, context) {
    if (raw.attack !== undefined) throw new ConfigError(`${field}.attack`, raw.attack, 'FO ERM is standard training; for adversarial ERM use "altmin" with an attack');
    rejectUnknownKeys(field, raw as Record<string, unknown>, ["maxIterations", "gradientTolerance", "memory", "initScale", "precondition"]);
    if (context.scenario.n < 1) throw new ConfigError(`${field}.estimator`, "fo", "needs n >= 1");
    return {
      maxIterations: parseCount(raw, "maxIterations", field, 5000),
      gradientTolerance: parseTolerance(raw, "gradientTolerance", field, 1e-8),
      memory: parseCount(raw, "memory", field, 10, 1, 1000),
      initScale: parseNumber(`${field}.initScale`, raw.initScale ?? 1, { min: 0, minOpen: true }),
      precondition: parseBoolean(`${field}.precondition`, raw.precondition ?? true),
    };
  },
  echo: (p) => ({ maxIterations: p.maxIterations, gradientTolerance: p.gradientTolerance, memory: p.memory, initScale: p.initScale, precondition: p.precondition }),
  label: () => "fo",
  tags: () => ({ attacks: [], pseudoLabelling: false, samples: false, passes: "many", bounds: null }),
  fit: ({ data, scenario }, p, rng) => fitFo(data, scenario.r, p, rng),
  examples: [{ maxIterations: 200 }, { maxIterations: 50, memory: 5, initScale: 0.5 }, { maxIterations: 100, precondition: false }],
};
