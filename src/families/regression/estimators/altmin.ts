/**
 * ERM by alternating minimisation (MODEL §3.5; docs/THEORY.md "Regression family", R2 and R5):
 *
 *   standard:     F(U, W) = sum_t ||y_t - X_t U w_t||^2,
 *   adversarial:  F(U, W) = sum_t (1/n) sum_i (|y_ti - <U w_t, x_ti>| + eps ||U w_t||_q)^2,
 *
 * from the method-of-moments or the spectral start.
 *
 * Standard (R2), the algorithm scripts/bench_regression_numpy.py mirrors: each outer iteration
 * (a) W-step, exact: w_t = (U^T S_t U)^{-1} U^T X_t^T y_t with S_t = X_t^T X_t, and
 *     F = sum_t (||y_t||^2 - c_t^T w_t);
 * (b) stop when F_prev - F <= tolerance F, or at the cap (a failure with the reason; the current U
 *     is still reported);
 * (c) U-step, inexact: preconditioned conjugate gradients on the normal equations
 *     H vec(U) = vec(Zy W^T), H = sum_t (w_t w_t^T) kron S_t, from the current U, with products
 *     H(V) = sum_t X_t^T (X_t V w_t) w_t^T (one pass over the tasks) and the preconditioner
 *     (n W W^T) kron I_d (the expectation of H for an isotropic design), stopped when the residual
 *     falls to cgTolerance of its start or after cgMaxSteps;
 * (d) U <- the Q factor of U (the fits U w_t do not depend on the basis of span U).
 * Every block step lowers F (CG from a warm start decreases the quadratic at every step), so F is
 * non-increasing. The tasks are read through their sufficient statistics (equivalent samples),
 * so both data paths work; the W-step pass also accumulates H(U) for the U-step's residual.
 *
 * Adversarial (R5): each outer iteration makes `innerSteps` reweighted (majorise-minimise) steps
 * of the eta-trick per block: per task in w_t (features X_t U, penalty ||U w_t||_q, whose ridge
 * matrix is I for q = 2 with orthonormal U and U^T diag(1/zeta) U for q = 1), then for U (a
 * weighted least-squares problem in vec U, PCG from the current U). Each majorise-minimise step
 * lowers F, so F is non-increasing. It needs the samples (the sample path).
 */
import { ConfigError, parseChoice, rejectUnknownKeys } from "../../../core/config/parse.js";
import { type Mat, zeros } from "../../../core/linalg/mat.js";
import { thinQR } from "../../../core/linalg/decompositions.js";
import type { PerturbationNorm } from "../../../core/model/perturbation.js";
import { cholesky, choleskyAt, choleskySolve, choleskySolveAt, solveSpd } from "../linalg.js";
import { type RegressionData, type TaskBlock, placeBlock } from "../samplers.js";
import {
  type RegressionAttack,
  type RegressionEstimator,
  type RegressionFit,
  type RegressionFitInput,
  REGRESSION_ATTACKS,
  attackLabel,
  echoAttack,
  parseAttack,
  parseCount,
  parseTolerance,
  requireSamples,
} from "./estimator.js";
import { fitMom } from "./mom.js";
import { fitSpectral } from "./spectral.js";
import { workspace } from "../simd/kernels.js";

/** Options of the alternating minimisation. */
export interface AltMinOptions {
  /** Outer iteration cap (default 100). */
  readonly maxIterations?: number;
  /** Relative decrease of F over one outer iteration at which it stops (default 1e-8). */
  readonly tolerance?: number;
  /** CG stops when the residual is this fraction of its initial norm (default 0.1). */
  readonly cgTolerance?: number;
  /** CG step cap per U-step (default 20). */
  readonly cgMaxSteps?: number;
  /** Reweighted steps per block per outer iteration (adversarial only; default 1). */
  readonly innerSteps?: number;
  /** Called with F after every W-step (tests of monotonicity). */
  readonly onObjective?: (f: number) => void;
}

/** What the alternating minimisation returns. */
export interface AltMinResult {
  /** U, d x r orthonormal. */
  readonly basis: Mat;
  /** W, r x T (the heads of the last W-step, for the returned U up to the final orthonormalisation). */
  readonly heads: Mat;
  /** F at the last W-step. */
  readonly objective: number;
  /** Outer iterations (W-steps). */
  readonly iterations: number;
  readonly cgSteps: number;
  readonly converged: boolean;
  readonly reason?: string;
}

/** U as a row-major d x r array (row j: U[j, 0..r-1]) for the per-row products x^T U. */
function rowMajor(u: Mat): Float64Array {
  const { rows: d, cols: r } = u;
  const out = new Float64Array(d * r);
  for (let k = 0; k < r; k++) for (let j = 0; j < d; j++) out[j * r + k] = u.data[k * d + j];
  return out;
}

/** sum_k a_k b_k over two d x r column-major matrices (Frobenius inner product). */
function inner(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/** R (d x r) times the r x r row-major matrix Q, as a new d x r column-major matrix. */
function timesSmall(rm: Float64Array, q: Float64Array, d: number, r: number): Float64Array {
  const out = new Float64Array(d * r);
  for (let k = 0; k < r; k++) for (let l = 0; l < r; l++) {
    const c = q[l * r + k];
    if (c === 0) continue;
    for (let j = 0; j < d; j++) out[k * d + j] += rm[l * d + j] * c;
  }
  return out;
}

/** Inverse of a small SPD matrix (row-major), or null. */
function inverseSpd(a: Float64Array, r: number): Float64Array | null {
  const l = Float64Array.from(a);
  if (!cholesky(l, r)) return null;
  const out = new Float64Array(r * r);
  const e = new Float64Array(r);
  for (let c = 0; c < r; c++) {
    e.fill(0);
    e[c] = 1;
    choleskySolve(l, r, e);
    for (let i = 0; i < r; i++) out[i * r + c] = e[i];
  }
  return out;
}

/**
 * Standard AltMin from U0 (R2). Memory: W (r T), the fitted values A_t w_t of each task (m T, m the
 * rows of the equivalent sample) and O(d r) work; the tasks are streamed (kept in memory by the
 * data when the config makes several passes and they fit).
 */
export function altMinErm(data: RegressionData, u0: Mat, options: AltMinOptions = {}): AltMinResult {
  const maxIterations = options.maxIterations ?? 100;
  const tolerance = options.tolerance ?? 1e-8;
  const cgTolerance = options.cgTolerance ?? 0.1;
  const cgMaxSteps = options.cgMaxSteps ?? 20;
  const { d, T, n, rows } = data;
  const r = u0.cols;
  const yy = data.yy();
  const zy = data.xty();
  let u = thinQR(u0, 0).q;
  const W = zeros(r, T);
  const fitted = new Float64Array(T * rows);
  const g = new Float64Array(r * r);
  const c = new Float64Array(r);
  let prev = Infinity;
  let objective = Infinity;
  let cgSteps = 0;
  let failure: string | null = null;

  // The kernels read the stored data in place (the data's own workspace, scratch from its
  // scratchBase on); otherwise every block is copied into this thread's workspace.
  const own = data.workspace;
  const ws = own ?? workspace();
  const base = own === null ? 0 : data.scratchBase;

  /**
   * Workspace layout (from base): fixed regions first (U or the CG direction and H(.) accumulated, d r each;
   * A_t^T, r rows; G_t, c_t, w_t; the fitted values, rows; X_t^T v and P w_t, d each), then the
   * block's rows and responses.
   */
  const L = (() => {
    const uOff = base;
    const hOff = uOff + d * r;
    const aOff = hOff + d * r;
    const gOff = aOff + r * rows;
    const cOff = gOff + r * r;
    const wOff = cOff + r;
    const vOff = wOff + r;
    const qOff = vOff + rows;
    const pOff = qOff + d;
    const xOff = pOff + d;
    return { uOff, hOff, aOff, gOff, cOff, wOff, vOff, qOff, pOff, xOff };
  })();
  /** The block's rows (and responses) in the workspace: in place when stored there, else copied. */
  const reserveBlock = (b: TaskBlock, withY: boolean) => {
    const { xOff, yOff } = placeBlock(ws, data, b, L.xOff, withY);
    return { m: ws.f64, xOff, yOff };
  };

  /**
   * The W-step pass: heads, fitted values, F and H(U) (d x r, column-major) into hu. Per task, with
   * the SIMD kernels: A_t^T = U^T X_t^T, G_t = A_t^T A_t, c_t = A_t^T y_t, w_t = G_t^{-1} c_t,
   * the fitted values A_t w_t, and H(U) += X_t^T (A_t w_t) w_t^T.
   */
  function wStep(ud: Float64Array, hu: Float64Array): number {
    let f = 0;
    ws.reserve(L.xOff);
    ws.f64.set(ud, L.uOff);
    ws.f64.fill(0, L.hOff, L.hOff + d * r);
    data.forEachTaskBlock((b: TaskBlock) => {
      const { m, xOff, yOff } = reserveBlock(b, true);
      for (let k = 0; k < b.count; k++) {
        const t = b.first + k;
        const xo = xOff + k * rows * d;
        ws.kernels.dots(L.uOff, r, d, xo, rows, L.aOff);
        ws.kernels.dots(L.aOff, r, rows, L.aOff, r, L.gOff);
        ws.kernels.dots(L.aOff, r, rows, yOff + k * rows, 1, L.cOff);
        // w_t = G_t^{-1} c_t by Cholesky in place in the workspace (G at gOff, c copied to wOff).
        if (!choleskyAt(m, L.gOff, r)) {
          failure ??= `task ${t}: U^T X_t^T X_t U is singular (the W-step needs n >= r)`;
          continue;
        }
        m.copyWithin(L.wOff, L.cOff, L.cOff + r);
        choleskySolveAt(m, L.gOff, r, L.wOff);
        let cw = 0;
        for (let l = 0; l < r; l++) {
          const wl = m[L.wOff + l];
          W.data[l + t * r] = wl;
          cw += m[L.cOff + l] * wl;
        }
        f += yy[t] - cw;
        ws.kernels.axpyRows(L.aOff, r, rows, L.wOff, L.vOff);
        for (let i = 0; i < rows; i++) fitted[t * rows + i] = m[L.vOff + i];
        ws.kernels.axpyRows(xo, rows, d, L.vOff, L.qOff);
        ws.kernels.addOuter(L.qOff, d, L.wOff, r, L.hOff);
      }
    });
    hu.set(ws.f64.subarray(L.hOff, L.hOff + d * r));
    return f;
  }

  /** H(P) (d x r, column-major) in one pass: sum_t X_t^T (X_t P w_t) w_t^T. */
  function applyH(pm: Float64Array, out: Float64Array): void {
    ws.reserve(L.xOff);
    ws.f64.set(pm, L.uOff);
    ws.f64.fill(0, L.hOff, L.hOff + d * r);
    data.forEachTaskBlock((b: TaskBlock) => {
      const { m, xOff } = reserveBlock(b, false);
      for (let k = 0; k < b.count; k++) {
        const t = b.first + k;
        for (let l = 0; l < r; l++) m[L.wOff + l] = W.data[l + t * r];
        ws.kernels.axpyRows(L.uOff, r, d, L.wOff, L.pOff);
        const xo = xOff + k * rows * d;
        ws.kernels.dots(xo, rows, d, L.pOff, 1, L.vOff);
        ws.kernels.axpyRows(xo, rows, d, L.vOff, L.qOff);
        ws.kernels.addOuter(L.qOff, d, L.wOff, r, L.hOff);
      }
    });
    out.set(ws.f64.subarray(L.hOff, L.hOff + d * r));
  }

  const hu = new Float64Array(d * r);
  const hp = new Float64Array(d * r);
  let iterations = 0;
  let converged = false;
  for (let k = 1; k <= maxIterations; k++) {
    iterations = k;
    objective = wStep(u.data, hu);
    if (failure !== null) return { basis: u, heads: W, objective, iterations, cgSteps, converged: false, reason: failure };
    options.onObjective?.(objective);
    if (prev - objective <= tolerance * objective) {
      converged = true;
      break;
    }
    if (k === maxIterations) break;
    prev = objective;
    // U-step: PCG on H vec(U) = vec(Zy W^T) from the current U.
    const res = new Float64Array(d * r);
    for (let t = 0; t < T; t++) {
      for (let l = 0; l < r; l++) {
        const wl = W.data[l + t * r];
        if (wl === 0) continue;
        const ol = l * d;
        const ot = t * d;
        for (let j = 0; j < d; j++) res[ol + j] += zy.data[ot + j] * wl;
      }
    }
    for (let i = 0; i < res.length; i++) res[i] -= hu[i];
    // Preconditioner (n W W^T)^{-1}, applied on the right.
    const wwt = new Float64Array(r * r);
    for (let t = 0; t < T; t++) for (let l = 0; l < r; l++) for (let m = 0; m < r; m++) wwt[l * r + m] += n * W.data[l + t * r] * W.data[m + t * r];
    const pinv = inverseSpd(wwt, r);
    if (pinv === null) return { basis: u, heads: W, objective, iterations, cgSteps, converged: false, reason: "the heads W have rank < r (the U-step is not determined)" };
    const ud = Float64Array.from(u.data);
    let z = timesSmall(res, pinv, d, r);
    let pdir = Float64Array.from(z);
    let rz = inner(res, z);
    const r0 = Math.sqrt(inner(res, res));
    let steps = 0;
    while (steps < cgMaxSteps && Math.sqrt(inner(res, res)) > cgTolerance * r0) {
      applyH(pdir, hp);
      const curv = inner(pdir, hp);
      if (!(curv > 0)) break;
      const alpha = rz / curv;
      for (let i = 0; i < ud.length; i++) {
        ud[i] += alpha * pdir[i];
        res[i] -= alpha * hp[i];
      }
      z = timesSmall(res, pinv, d, r);
      const rzNew = inner(res, z);
      const beta = rzNew / rz;
      for (let i = 0; i < pdir.length; i++) pdir[i] = z[i] + beta * pdir[i];
      rz = rzNew;
      steps++;
    }
    cgSteps += steps;
    u = thinQR({ rows: d, cols: r, data: ud }, 0).q;
  }
  return {
    basis: u,
    heads: W,
    objective,
    iterations,
    cgSteps,
    converged,
    ...(converged ? {} : { reason: `AltMin reached its cap of ${maxIterations} outer iterations (relative decrease ${((prev - objective) / objective).toExponential(2)} > ${tolerance})` }),
  };
}

/** The adversarial loss of one task at beta (n rows of x, y): (1/n) sum (|r_i| + eps ||beta||_q)^2. */
function taskLoss(x: Float64Array, xo: number, y: Float64Array, yo: number, n: number, d: number, beta: Float64Array, epsNorm: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) {
    const o = xo + i * d;
    let f = 0;
    for (let j = 0; j < d; j++) f += x[o + j] * beta[j];
    const a = Math.abs(y[yo + i] - f) + epsNorm;
    s += a * a;
  }
  return s / n;
}

function normOf(v: Float64Array, norm: PerturbationNorm): number {
  let s = 0;
  if (norm === "linf") {
    for (const e of v) s += Math.abs(e);
    return s;
  }
  for (const e of v) s += e * e;
  return Math.sqrt(s);
}

/**
 * Adversarial AltMin from U0 (R5) on the samples: `innerSteps` majorise-minimise steps per block and
 * outer iteration, stopped on the relative decrease of F or at the cap.
 */
export function adversarialAltMin(data: RegressionData, u0: Mat, norm: PerturbationNorm, eps: number, options: AltMinOptions = {}): AltMinResult {
  const maxIterations = options.maxIterations ?? 100;
  const tolerance = options.tolerance ?? 1e-8;
  const cgTolerance = options.cgTolerance ?? 0.1;
  const cgMaxSteps = options.cgMaxSteps ?? 20;
  const innerSteps = options.innerSteps ?? 1;
  const { d, T, n } = data;
  const r = u0.cols;
  let u = thinQR(u0, 0).q;
  const W = zeros(r, T);
  const beta = new Float64Array(d);
  const feats = new Float64Array(n * r);
  let objective = Infinity;
  let prev = Infinity;
  let cgSteps = 0;
  let iterations = 0;
  let converged = false;
  let failure: string | null = null;

  // Start heads: the standard W-step of the start (least squares on X_t U).
  const betaOf = (t: number) => {
    beta.fill(0);
    for (let l = 0; l < r; l++) {
      const wl = W.data[l + t * r];
      if (wl === 0) continue;
      for (let j = 0; j < d; j++) beta[j] += u.data[l * d + j] * wl;
    }
    return beta;
  };

  /** F(U, W) over all tasks. */
  function objectiveOf(): number {
    let f = 0;
    data.forEachSampleBlock((b) => {
      for (let k = 0; k < b.count; k++) {
        const bt = betaOf(b.first + k);
        f += taskLoss(b.x, k * n * d, b.y, k * n, n, d, bt, eps * normOf(bt, norm));
      }
    });
    return f;
  }

  /**
   * One majorise-minimise step in w for one task: features A = X_t U (n x r), penalty N(U w); the
   * ridge matrix is I (q = 2, U orthonormal) or U^T diag(1/zeta) U (q = 1). Rows with small eta are
   * treated in the kernel (push-through) form, so a zero residual stays finite.
   */
  function wMmStep(b: TaskBlock, k: number, ur: Float64Array, w: Float64Array, first: boolean): boolean {
    const xo = k * n * d;
    const yo = k * n;
    feats.fill(0);
    for (let i = 0; i < n; i++) {
      const o = xo + i * d;
      for (let j = 0; j < d; j++) {
        const xij = b.x[o + j];
        for (let l = 0; l < r; l++) feats[i * r + l] += xij * ur[j * r + l];
      }
    }
    if (first) {
      // Least-squares heads on the start (the standard W-step).
      const g = new Float64Array(r * r);
      const c = new Float64Array(r);
      for (let i = 0; i < n; i++) for (let l = 0; l < r; l++) {
        c[l] += feats[i * r + l] * b.y[yo + i];
        for (let m = 0; m < r; m++) g[l * r + m] += feats[i * r + l] * feats[i * r + m];
      }
      const sol = solveSpd(g, r, c);
      if (sol === null) return false;
      w.set(sol);
      return true;
    }
    const bt = new Float64Array(d);
    for (let l = 0; l < r; l++) for (let j = 0; j < d; j++) bt[j] += u.data[l * d + j] * w[l];
    const N = normOf(bt, norm);
    if (!(N > 0)) return true;
    const bnorm = eps * N;
    const eta = new Float64Array(n);
    const res = new Float64Array(n);
    let sumPhi = 0;
    for (let i = 0; i < n; i++) {
      let f = 0;
      for (let l = 0; l < r; l++) f += feats[i * r + l] * w[l];
      res[i] = b.y[yo + i] - f;
      const a = Math.abs(res[i]);
      eta[i] = a / (a + bnorm);
      sumPhi += a + bnorm;
    }
    const mu = (eps * sumPhi) / N;
    // Ridge matrix Lambda_w (r x r).
    const lam = new Float64Array(r * r);
    if (norm === "l2") for (let l = 0; l < r; l++) lam[l * r + l] = 1;
    else {
      for (let j = 0; j < d; j++) {
        const z = Math.abs(bt[j]) / N;
        if (!(z > 0)) continue;
        for (let l = 0; l < r; l++) for (let m = 0; m < r; m++) lam[l * r + m] += (u.data[l * d + j] * u.data[m * d + j]) / z;
      }
    }
    // Normal equations with light rows in the primal matrix and heavy ones pushed through.
    const heavy: number[] = [];
    const P = new Float64Array(r * r);
    const rhs = new Float64Array(r);
    for (let i = 0; i < n; i++) {
      if (eta[i] < 1e-3) {
        heavy.push(i);
        continue;
      }
      const wi = 1 / eta[i];
      for (let l = 0; l < r; l++) {
        rhs[l] += feats[i * r + l] * b.y[yo + i] * wi;
        for (let m = 0; m < r; m++) P[l * r + m] += feats[i * r + l] * feats[i * r + m] * wi;
      }
    }
    for (let a = 0; a < r * r; a++) P[a] += mu * lam[a];
    if (!cholesky(P, r)) return false;
    const gv = Float64Array.from(rhs);
    choleskySolve(P, r, gv);
    if (heavy.length > 0) {
      const h = heavy.length;
      const pxt = new Float64Array(h * r);
      for (let a = 0; a < h; a++) {
        const col = pxt.subarray(a * r, (a + 1) * r);
        for (let l = 0; l < r; l++) col[l] = feats[heavy[a] * r + l];
        choleskySolve(P, r, col);
      }
      const kh = new Float64Array(h * h);
      const rr = new Float64Array(h);
      for (let a = 0; a < h; a++) {
        let f = 0;
        for (let l = 0; l < r; l++) f += feats[heavy[a] * r + l] * gv[l];
        rr[a] = b.y[yo + heavy[a]] - f;
        for (let c2 = 0; c2 < h; c2++) {
          let s = 0;
          for (let l = 0; l < r; l++) s += feats[heavy[a] * r + l] * pxt[c2 * r + l];
          kh[a * h + c2] = s;
        }
        kh[a * h + a] += eta[heavy[a]];
      }
      if (!cholesky(kh, h)) return false;
      choleskySolve(kh, h, rr);
      for (let a = 0; a < h; a++) for (let l = 0; l < r; l++) gv[l] += pxt[a * r + l] * rr[a];
    }
    w.set(gv);
    return true;
  }

  /**
   * One majorise-minimise step in U: minimise sum_t (1/n) [sum_i r_ti^2 / eta_ti + eps^2 c_t (U w_t)^T
   * Lambda_t (U w_t)] by PCG from the current U (every CG step lowers this quadratic, which touches
   * F at the current U). Rows with eta below 1e-12 (a residual at zero) keep weight 1e12: the
   * majoriser then exceeds F by at most 1e-12 of the row's term, so the step is monotone up to that.
   */
  function uMmStep(): boolean {
    // Per-task weights.
    const wts: { d: Float64Array; c: number; lam: Float64Array | null }[] = [];
    data.forEachSampleBlock((b) => {
      for (let k = 0; k < b.count; k++) {
        const t = b.first + k;
        const bt = betaOf(t);
        const N = normOf(bt, norm);
        const bnorm = eps * N;
        const dv = new Float64Array(n);
        let c = 0;
        for (let i = 0; i < n; i++) {
          const o = k * n * d + i * d;
          let f = 0;
          for (let j = 0; j < d; j++) f += b.x[o + j] * bt[j];
          const a = Math.abs(b.y[k * n + i] - f);
          const eta = Math.max(1e-12, a / (a + bnorm));
          dv[i] = 1 / eta;
          c += bnorm > 0 ? (a + bnorm) / bnorm : 0;
        }
        let lam: Float64Array | null = null;
        if (norm === "linf" && N > 0) {
          lam = new Float64Array(d);
          for (let j = 0; j < d; j++) {
            const z = Math.abs(bt[j]) / N;
            lam[j] = z > 1e-300 ? 1 / z : 1e300;
          }
        }
        wts.push({ d: dv, c, lam });
      }
    });
    const apply = (vm: Float64Array, out: Float64Array) => {
      out.fill(0);
      const vw = new Float64Array(d);
      const q = new Float64Array(d);
      data.forEachSampleBlock((b) => {
        for (let k = 0; k < b.count; k++) {
          const t = b.first + k;
          vw.fill(0);
          for (let l = 0; l < r; l++) {
            const wl = W.data[l + t * r];
            for (let j = 0; j < d; j++) vw[j] += vm[l * d + j] * wl;
          }
          q.fill(0);
          const wt = wts[t];
          for (let i = 0; i < n; i++) {
            const o = k * n * d + i * d;
            let s = 0;
            for (let j = 0; j < d; j++) s += b.x[o + j] * vw[j];
            s *= wt.d[i] / n;
            for (let j = 0; j < d; j++) q[j] += s * b.x[o + j];
          }
          const pen = (eps * eps * wt.c) / n;
          for (let j = 0; j < d; j++) q[j] += pen * (wt.lam === null ? 1 : wt.lam[j]) * vw[j];
          for (let l = 0; l < r; l++) {
            const wl = W.data[l + t * r];
            for (let j = 0; j < d; j++) out[l * d + j] += q[j] * wl;
          }
        }
      });
    };
    const rhsM = new Float64Array(d * r);
    data.forEachSampleBlock((b) => {
      const q = new Float64Array(d);
      for (let k = 0; k < b.count; k++) {
        const t = b.first + k;
        q.fill(0);
        for (let i = 0; i < n; i++) {
          const o = k * n * d + i * d;
          const s = (b.y[k * n + i] * wts[t].d[i]) / n;
          for (let j = 0; j < d; j++) q[j] += s * b.x[o + j];
        }
        for (let l = 0; l < r; l++) {
          const wl = W.data[l + t * r];
          for (let j = 0; j < d; j++) rhsM[l * d + j] += q[j] * wl;
        }
      }
    });
    const ud = Float64Array.from(u.data);
    const hv = new Float64Array(d * r);
    apply(ud, hv);
    const res = new Float64Array(d * r);
    for (let i = 0; i < res.length; i++) res[i] = rhsM[i] - hv[i];
    // Preconditioner (sum_t (mean_i D_ti) w_t w_t^T)^{-1} on the right.
    const pre = new Float64Array(r * r);
    for (let t = 0; t < T; t++) {
      let md = 0;
      for (let i = 0; i < n; i++) md += wts[t].d[i] / n;
      for (let l = 0; l < r; l++) for (let m = 0; m < r; m++) pre[l * r + m] += md * W.data[l + t * r] * W.data[m + t * r];
    }
    const pinv = inverseSpd(pre, r);
    if (pinv === null) return false;
    let z = timesSmall(res, pinv, d, r);
    const pdir = Float64Array.from(z);
    let rz = inner(res, z);
    const r0 = Math.sqrt(inner(res, res));
    let steps = 0;
    while (steps < cgMaxSteps && Math.sqrt(inner(res, res)) > cgTolerance * r0) {
      apply(pdir, hv);
      const curv = inner(pdir, hv);
      if (!(curv > 0)) break;
      const alpha = rz / curv;
      for (let i = 0; i < ud.length; i++) {
        ud[i] += alpha * pdir[i];
        res[i] -= alpha * hv[i];
      }
      z = timesSmall(res, pinv, d, r);
      const rzNew = inner(res, z);
      const bcoef = rzNew / rz;
      for (let i = 0; i < pdir.length; i++) pdir[i] = z[i] + bcoef * pdir[i];
      rz = rzNew;
      steps++;
    }
    cgSteps += steps;
    // Orthonormalise: U = Q R_u, w_t -> R_u w_t keeps every U w_t.
    const qr = thinQR({ rows: d, cols: r, data: ud }, 0);
    if (qr.dependent.length > 0) return false;
    const wNew = zeros(r, T);
    for (let t = 0; t < T; t++) for (let l = 0; l < r; l++) {
      let s = 0;
      for (let m = 0; m < r; m++) s += qr.r.data[l + m * r] * W.data[m + t * r];
      wNew.data[l + t * r] = s;
    }
    W.data.set(wNew.data);
    u = qr.q;
    return true;
  }

  /** W-block: innerSteps majorise-minimise steps per task (the first call: least squares). */
  function wBlock(first: boolean): void {
    const ur = rowMajor(u);
    const w = new Float64Array(r);
    data.forEachSampleBlock((b) => {
      for (let k = 0; k < b.count; k++) {
        const t = b.first + k;
        for (let l = 0; l < r; l++) w[l] = W.data[l + t * r];
        const steps = first ? 1 : innerSteps;
        for (let s = 0; s < steps; s++) {
          if (!wMmStep(b, k, ur, w, first && s === 0)) {
            failure ??= `task ${t}: a reweighted system of the W-step is not positive definite`;
            break;
          }
        }
        for (let l = 0; l < r; l++) W.data[l + t * r] = w[l];
      }
    });
  }

  wBlock(true);
  for (let k = 1; k <= maxIterations; k++) {
    iterations = k;
    wBlock(false);
    if (failure !== null) return { basis: u, heads: W, objective, iterations, cgSteps, converged: false, reason: failure };
    objective = objectiveOf();
    options.onObjective?.(objective);
    if (prev - objective <= tolerance * objective) {
      converged = true;
      break;
    }
    if (k === maxIterations) break;
    prev = objective;
    for (let s = 0; s < innerSteps; s++) {
      if (!uMmStep()) return { basis: u, heads: W, objective, iterations, cgSteps, converged: false, reason: "the U-step of adversarial AltMin is degenerate (heads or U of rank < r)" };
    }
    objective = objectiveOf();
    options.onObjective?.(objective);
  }
  return {
    basis: u,
    heads: W,
    objective,
    iterations,
    cgSteps,
    converged,
    ...(converged ? {} : { reason: `adversarial AltMin reached its cap of ${maxIterations} outer iterations` }),
  };
}

/** Where AltMin starts. */
export type AltMinStart = "mom" | "spectral";

export interface AltMinParams {
  readonly start: AltMinStart;
  readonly attack: RegressionAttack;
  readonly maxIterations: number;
  readonly tolerance: number;
  readonly cgTolerance: number;
  readonly cgMaxSteps: number;
  readonly innerSteps: number;
}

/** The start of AltMin: the method of moments or the spectral estimator (least squares), shared with other methods. */
export function altMinStart(input: RegressionFitInput, start: AltMinStart): RegressionFit {
  return start === "mom"
    ? fitMom(input.data, input.scenario.r, "auto", input.sharedRng("mom-start"), input.shared)
    : fitSpectral(input.data, input.scenario.r, { ridge: 0, attack: { attack: "none" }, columns: "unnormalised" }, input.shared);
}

export const altMinEstimator: RegressionEstimator<AltMinParams> = {
  name: "altmin",
  description: "ERM by alternating minimisation from the method-of-moments or spectral start; adversarial with an attack (MODEL §3.5)",
  parameters(raw, field, context) {
    rejectUnknownKeys(field, raw as Record<string, unknown>, ["start", "attack", "eps", "maxIterations", "tolerance", "cgTolerance", "cgMaxSteps", "innerSteps"]);
    const attack = parseAttack(raw, field);
    const start = parseChoice(`${field}.start`, raw.start ?? "mom", ["mom", "spectral"] as const);
    if (start === "mom") requireSamples(context, field, "altmin from the method-of-moments start");
    if (attack.attack !== "none") requireSamples(context, field, "altmin with an attack");
    if (context.scenario.n < context.scenario.r) throw new ConfigError(`${field}.estimator`, "altmin", `needs n >= r (the W-step solves r x r systems from n samples); the scenario has n = ${context.scenario.n}, r = ${context.scenario.r}`);
    if (raw.innerSteps !== undefined && attack.attack === "none") throw new ConfigError(`${field}.innerSteps`, raw.innerSteps, "applies only with an attack");
    return {
      start,
      attack,
      maxIterations: parseCount(raw, "maxIterations", field, 100),
      tolerance: parseTolerance(raw, "tolerance", field, 1e-8),
      cgTolerance: parseTolerance(raw, "cgTolerance", field, 0.1),
      cgMaxSteps: parseCount(raw, "cgMaxSteps", field, 20),
      innerSteps: parseCount(raw, "innerSteps", field, 1, 1, 1000),
    };
  },
  echo: (p) => ({
    start: p.start,
    ...echoAttack(p.attack),
    maxIterations: p.maxIterations,
    tolerance: p.tolerance,
    cgTolerance: p.cgTolerance,
    cgMaxSteps: p.cgMaxSteps,
    ...(p.attack.attack === "none" ? {} : { innerSteps: p.innerSteps }),
  }),
  label: (p) => `altmin${p.start === "mom" ? "" : `[${p.start}]`}${p.attack.attack === "none" ? "" : `+${attackLabel(p.attack)}`}`,
  tags: (p) => ({ attacks: REGRESSION_ATTACKS, pseudoLabelling: false, samples: p.start === "mom" || p.attack.attack !== "none", passes: "many", bounds: null }),
  fit(input, p) {
    const start = altMinStart(input, p.start);
    if (start.basis === null) return { ok: false, reason: `the ${p.start} start failed: ${start.reason}`, basis: null, diagnostics: {} };
    const options = { maxIterations: p.maxIterations, tolerance: p.tolerance, cgTolerance: p.cgTolerance, cgMaxSteps: p.cgMaxSteps, innerSteps: p.innerSteps };
    const res = p.attack.attack === "none" ? altMinErm(input.data, start.basis, options) : adversarialAltMin(input.data, start.basis, p.attack.attack, p.attack.eps, options);
    const scale = p.attack.attack === "none" ? input.data.n * input.data.T : input.data.T;
    // A fit that fails before its first W-step completes has no objective yet (Infinity): omitted.
    const diagnostics = { iterations: res.iterations, cgSteps: res.cgSteps, ...(Number.isFinite(res.objective) ? { objective: res.objective / scale } : {}) };
    return res.converged ? { ok: true, basis: res.basis, diagnostics } : { ok: false, reason: res.reason, basis: res.basis, diagnostics };
  },
  examples: [{}, { start: "spectral" }, { start: "spectral", attack: "l2", eps: 0.1, maxIterations: 5 }, { attack: "linf", eps: 0.05, maxIterations: 5 }],
};
