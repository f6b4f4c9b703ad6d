/**
 * The method of moments (MODEL §3.5; Tripuraneni, Jin, Jordan 2021): U = the top-r eigenvectors of
 *
 *   M = (1/(n T)) sum_t sum_i y_ti^2 x_ti x_ti^T,
 *
 * whose expectation is c Sigma + (2/T) Sigma B* W W^T B*^T Sigma (docs/THEORY.md R7.1), with top-r
 * eigenspace span(B*). M is a fourth-order statistic of the sample, not a function of the
 * sufficient statistics, so the method needs the samples (the sample path), streamed once.
 *
 * Two solvers, chosen by size ("auto"): for d <= DENSE_MAX_D, M is accumulated task block by task
 * block (memory d^2, the SIMD symmetric rank-k kernel of simd/kernels.ts) and decomposed by a symmetric
 * eigensolver; above, M is never formed: block subspace iteration with Rayleigh-Ritz applies
 * M V = (1/N) sum_i y_i^2 x_i (x_i^T V) in one pass over the samples per iteration (memory O(d k)),
 * stopped when the top-r Ritz residuals are below TOLERANCE theta_1 or at the pass cap (a failure
 * with the reason). Forming M costs N d^2 / 2; one matrix-free pass costs 2 N d k with k = 2r + 4,
 * and the iteration needs many passes (the relevant eigenvalue ratio is near 1 at the reference
 * sizes, about 0.87), so forming M is the faster choice while d^2 fits comfortably in memory.
 */
import { ConfigError, parseChoice, rejectUnknownKeys } from "../../../core/config/parse.js";
import { type Mat, zeros } from "../../../core/linalg/mat.js";
import { thinQR } from "../../../core/linalg/decompositions.js";
import type { Rng } from "../../../core/random/rng.js";
import { symmetricEigen } from "../linalg.js";
import { workspace } from "../simd/kernels.js";
import type { RegressionData } from "../samplers.js";
import type { RegressionEstimator, RegressionFit } from "./estimator.js";
import { requireSamples } from "./estimator.js";
import { topEigenvectors } from "./subspace.js";

/** Largest d for which "auto" forms M (8 d^2 bytes: 2 MB at 512). */
export const DENSE_MAX_D = 512;

/** Ritz residual tolerance of the matrix-free solver, relative to the largest Ritz value. */
export const TOLERANCE = 1e-9;

/** Pass cap of the matrix-free solver. */
export const MAX_PASSES = 2000;

/** Which solver the method of moments uses. */
export type MomSolver = "auto" | "dense" | "matrix-free";

export interface MomParams {
  readonly solver: MomSolver;
  /** Whether M is formed: "dense", or "auto" with d <= DENSE_MAX_D. */
  readonly dense: boolean;
}

/** Samples per call of the symmetric rank-k kernel. */
const CHUNK = 256;

/**
 * M = (1/(n T)) sum y^2 x x^T (d x d, row-major, symmetric) from one pass over the samples: each
 * block's z_i = y_i x_i are gathered CHUNK at a time in column pairs and added by the SIMD kernel
 * syrk (simd/kernels.ts) to the upper 4 x 4 tiles of an accumulator of size dp = d rounded up to a
 * multiple of 4.
 * Worked case: d = 1, one sample x = 2, y = 3 (n = T = 1) gives M = 9 * 4 = 36.
 */
export function momMatrix(data: RegressionData): Float64Array {
  const d = data.d;
  const dp = Math.ceil(d / 4) * 4;
  const pairs = dp / 2;
  const ws = workspace();
  const chunkOff = dp * dp;
  ws.reserve(chunkOff + CHUNK * dp);
  ws.f64.fill(0, 0, dp * dp);
  data.forEachSampleBlock((b) => {
    const rows = b.count * b.rows;
    for (let s = 0; s < rows; s += CHUNK) {
      const c = Math.min(CHUNK, rows - s);
      const f = ws.f64;
      for (let i = 0; i < c; i++) {
        const yi = b.y[s + i];
        const o = (s + i) * d;
        for (let p = 0; p < pairs; p++) {
          const base = chunkOff + (p * c + i) * 2;
          const col = 2 * p;
          f[base] = col < d ? b.x[o + col] * yi : 0;
          f[base + 1] = col + 1 < d ? b.x[o + col + 1] * yi : 0;
        }
      }
      ws.kernels.syrk(chunkOff, c, dp, 0);
    }
  });
  const N = data.n * data.T;
  const f = ws.f64;
  const m = new Float64Array(d * d);
  for (let a = 0; a < d; a++) {
    for (let b = a; b < d; b++) {
      // Diagonal 4 x 4 tiles hold both triangles; off-diagonal tiles only the upper one.
      const v = f[a * dp + b] / N;
      m[a * d + b] = v;
      m[b * d + a] = v;
    }
  }
  return m;
}

/** M V for V (d x k, column-major) in one pass over the samples: (1/N) sum_i y_i^2 x_i (x_i^T V). */
export function momApply(data: RegressionData, v: Mat): Mat {
  const d = data.d;
  const k = v.cols;
  const out = zeros(d, k);
  const proj = new Float64Array(k);
  data.forEachSampleBlock((b) => {
    const rows = b.count * b.rows;
    for (let i = 0; i < rows; i++) {
      const o = i * d;
      const w = b.y[i] * b.y[i];
      for (let c = 0; c < k; c++) {
        let s = 0;
        const vc = c * d;
        for (let j = 0; j < d; j++) s += b.x[o + j] * v.data[vc + j];
        proj[c] = s * w;
      }
      for (let c = 0; c < k; c++) {
        const pc = proj[c];
        const oc = c * d;
        for (let j = 0; j < d; j++) out.data[oc + j] += b.x[o + j] * pc;
      }
    }
  });
  const N = data.n * data.T;
  for (let i = 0; i < out.data.length; i++) out.data[i] /= N;
  return out;
}

/**
 * Top-r eigenvectors of M without forming it: block subspace iteration with Rayleigh-Ritz on
 * k = min(d, 2r + 4) vectors from a random start. Returns null with the reason at the pass cap.
 */
function matrixFreeMom(data: RegressionData, r: number, rng: Rng): { basis: Mat; values: Float64Array; passes: number } | { reason: string } {
  const d = data.d;
  const k = Math.min(d, 2 * r + 4);
  let v = zeros(d, k);
  rng.fillNormal(v.data);
  v = thinQR(v, 0).q;
  for (let pass = 1; pass <= MAX_PASSES; pass++) {
    const w = momApply(data, v);
    // Rayleigh-Ritz: H = V^T M V (k x k).
    const h = new Float64Array(k * k);
    for (let a = 0; a < k; a++) {
      for (let b = 0; b < k; b++) {
        let s = 0;
        for (let j = 0; j < d; j++) s += v.data[a * d + j] * w.data[b * d + j];
        h[a * k + b] = s;
      }
    }
    for (let a = 0; a < k; a++) for (let b = 0; b < a; b++) h[a * k + b] = h[b * k + a] = (h[a * k + b] + h[b * k + a]) / 2;
    const eig = symmetricEigen(h, k);
    // Ritz vectors V S and their residuals W S - V S theta.
    const vs = zeros(d, k);
    const ws = zeros(d, k);
    for (let c = 0; c < k; c++) {
      for (let a = 0; a < k; a++) {
        const sa = eig.vectors[a + c * k];
        if (sa === 0) continue;
        for (let j = 0; j < d; j++) {
          vs.data[c * d + j] += v.data[a * d + j] * sa;
          ws.data[c * d + j] += w.data[a * d + j] * sa;
        }
      }
    }
    let worst = 0;
    for (let c = 0; c < r; c++) {
      let s = 0;
      for (let j = 0; j < d; j++) {
        const e = ws.data[c * d + j] - eig.values[c] * vs.data[c * d + j];
        s += e * e;
      }
      worst = Math.max(worst, Math.sqrt(s));
    }
    if (worst <= TOLERANCE * Math.abs(eig.values[0])) {
      const basis = zeros(d, r);
      basis.data.set(vs.data.subarray(0, d * r));
      return { basis: thinQR(basis, 0).q, values: eig.values.slice(0, Math.min(k, r + 1)), passes: pass };
    }
    v = thinQR(ws, 0).q;
  }
  return { reason: `matrix-free subspace iteration did not converge in ${MAX_PASSES} passes` };
}

/** Whether a solver choice forms M at dimension d. */
export function momIsDense(solver: MomSolver, d: number): boolean {
  return solver === "dense" || (solver === "auto" && d <= DENSE_MAX_D);
}

/**
 * The method of moments on a replicate's data, shared under "mom:<dense|matrix-free>" with the
 * other methods of the replicate; the matrix-free start comes from `startRng`, a stream of the
 * replicate (not of a method), so the shared result does not depend on which method asks first.
 */
export function fitMom(data: RegressionData, r: number, solver: MomSolver, startRng: Rng, shared?: Map<string, unknown>): RegressionFit {
  const dense = momIsDense(solver, data.d);
  const key = `mom:${dense ? "dense" : "matrix-free"}`;
  const cached = shared?.get(key) as RegressionFit | undefined;
  if (cached !== undefined) return cached;
  let fit: RegressionFit;
  if (dense) {
    const matrix = momMatrix(data);
    const { basis, values } = topEigenvectors(matrix, data.d, r);
    fit = { ok: true, basis, diagnostics: {}, eigenvalues: values, matrix };
  } else {
    const res = matrixFreeMom(data, r, startRng);
    fit = "reason" in res ? { ok: false, reason: res.reason, basis: null, diagnostics: {} } : { ok: true, basis: res.basis, diagnostics: { passes: res.passes }, eigenvalues: res.values };
  }
  shared?.set(key, fit);
  return fit;
}

export const momEstimator: RegressionEstimator<MomParams> = {
  name: "mom",
  description: "method of moments: top-r eigenvectors of (1/(nT)) sum y^2 x x^T, dense for d <= 512, matrix-free above (MODEL §3.5)",
  parameters(raw, field, context) {
    if (raw.attack !== undefined) throw new ConfigError(`${field}.attack`, raw.attack, "the method of moments has no adversarial version");
    rejectUnknownKeys(field, raw as Record<string, unknown>, ["solver"]);
    requireSamples(context, field, "mom");
    const solver = parseChoice(`${field}.solver`, raw.solver ?? "auto", ["auto", "dense", "matrix-free"] as const);
    return { solver, dense: momIsDense(solver, context.scenario.d) };
  },
  echo: (p) => ({ solver: p.solver }),
  label: (p) => (p.solver === "auto" ? "mom" : `mom[${p.solver}]`),
  tags: (p) => ({ attacks: [], pseudoLabelling: false, samples: true, passes: p.dense ? "one" : "many", bounds: "mom" }),
  fit: ({ data, scenario, shared, sharedRng }, p) => fitMom(data, scenario.r, p.solver, sharedRng("mom-start"), shared),
  examples: [{}, { solver: "matrix-free" }],
};
