/**
 * Adversarial linear regression on one task (MODEL §3.5; docs/THEORY.md "Regression family", R4):
 *
 *   L(beta) = (1/n) sum_i sup_{||delta||_p <= eps} (y_i - <beta, x_i + delta>)^2
 *           = (1/n) sum_i (|y_i - <beta, x_i>| + eps ||beta||_q)^2,
 *
 * q = 2 for an l2 attack, q = 1 for an l-inf attack; L is convex. Two solvers:
 * - `etaTrickIrls`: the eta-trick of MODEL §3.5, (a + b)^2 = min_{0<eta<1} a^2/eta + b^2/(1 - eta),
 *   i.e. iteratively reweighted ridge regression, a majorise-minimise iteration (L never
 *   increases), accelerated by Anderson mixing of the iterates (a mixed iterate is kept only when
 *   it lowers L), stopped by a certificate: the relative duality gap of THEORY R4.6,
 *     h(beta) = || |r| + eps ||beta||_q 1 ||_2 >= v^T y for every (v, u) with |v| <= u,
 *     ||u||_2 <= 1, ||X^T v||_{q*} <= eps 1^T u,
 *   at a dual point built from the weighted residuals of the last reweighted step.
 * - for q = 1, the exact primal active-set method of linfActiveSet.ts (IRLS converges slowly there:
 *   coordinates going to zero shrink by their multiplier per step, THEORY R4.5).
 * `adversarialRegression` first tries the closed forms (THEORY R4.4): eps = 0 is least squares
 * (minimum norm when n <= p); beta = 0 is optimal iff eps >= ||X^T y||_{q*} / ||y||_1; for q = 2
 * and n <= p the minimum-norm interpolant is optimal iff eps <= ||beta_mn|| / (n ||(X X^T)^{-1} y||_inf).
 * Then q = 2 runs IRLS and q = 1 the active-set method (IRLS when that fails).
 *
 * X is n x p row-major.
 */
import { cholesky, choleskySolve, solveLowerTranspose } from "../linalg.js";
import type { PerturbationNorm } from "../../../core/model/perturbation.js";
import { apply, gramRows, ridge, transposeApply } from "./leastSquares.js";
import { linfActiveSet } from "./linfActiveSet.js";

/** Rows whose eta falls below this are eliminated through the |H| x |H| system. */
export const HEAVY = 1e-3;

/** Default relative duality gap 1 - (D / h)^2 at which IRLS stops (a bound on (L - L*) / L). */
export const DEFAULT_GAP_TOLERANCE = 1e-10;

/** Default IRLS iteration cap. */
export const DEFAULT_MAX_ITERATIONS = 5000;

/** Iterates mixed by Anderson acceleration. */
const ANDERSON_MEMORY = 5;

/** Whether the penalty is the l1 norm (an l-inf attack). */
function isL1(norm: PerturbationNorm): boolean {
  return norm === "linf";
}

/** ||beta||_q: the l1 norm for an l-inf attack, the l2 norm for an l2 attack. */
export function penaltyNorm(beta: ArrayLike<number>, norm: PerturbationNorm): number {
  let s = 0;
  if (isL1(norm)) {
    for (let j = 0; j < beta.length; j++) s += Math.abs(beta[j]);
    return s;
  }
  for (let j = 0; j < beta.length; j++) s += beta[j] * beta[j];
  return Math.sqrt(s);
}

/** ||g||_{q*}: l-inf for an l-inf attack (q = 1), l2 for an l2 attack. */
function dualOfPenalty(g: ArrayLike<number>, norm: PerturbationNorm): number {
  let s = 0;
  if (isL1(norm)) {
    for (let j = 0; j < g.length; j++) s = Math.max(s, Math.abs(g[j]));
    return s;
  }
  for (let j = 0; j < g.length; j++) s += g[j] * g[j];
  return Math.sqrt(s);
}

/**
 * The adversarial loss L(beta) = (1/n) sum_i (|y_i - <beta, x_i>| + eps ||beta||_q)^2.
 * Two samples x = (1, 0), (0, 1), y = (1, 1), beta = (1, 0), eps = 0.5, l2 (||beta||_2 = 1): residuals
 * 0 and 1, so the loss is ((0 + 0.5)^2 + (1 + 0.5)^2) / 2:
 * @example adversarialLoss(Float64Array.of(1, 0, 0, 1), Float64Array.of(1, 1), 2, 2, Float64Array.of(1, 0), 0.5, "l2") // ((0 + 0.5) ** 2 + (1 + 0.5) ** 2) / 2
 */
export function adversarialLoss(x: Float64Array, y: ArrayLike<number>, n: number, p: number, beta: ArrayLike<number>, eps: number, norm: PerturbationNorm): number {
  const b = eps * penaltyNorm(beta, norm);
  let s = 0;
  for (let i = 0; i < n; i++) {
    const o = i * p;
    let f = 0;
    for (let j = 0; j < p; j++) f += x[o + j] * beta[j];
    const a = Math.abs(y[i] - f) + b;
    s += a * a;
  }
  return s / n;
}

/**
 * eps_0 = ||X^T y||_{q*} / ||y||_1: beta = 0 minimises L iff eps >= eps_0 (THEORY R4.4; the
 * directional derivative of L at 0 along v is (2/n)(eps ||y||_1 ||v||_q - y^T X v)). For y = 0,
 * beta = 0 is optimal at every eps and the function returns 0.
 */
export function zeroThreshold(x: Float64Array, y: ArrayLike<number>, n: number, p: number, norm: PerturbationNorm): number {
  let l1 = 0;
  for (let i = 0; i < n; i++) l1 += Math.abs(y[i]);
  if (l1 === 0) return 0;
  return dualOfPenalty(transposeApply(x, n, p, y), norm) / l1;
}

/**
 * The relative duality gap 1 - (D/h)^2 >= (L(beta) - L*) / L(beta) at beta (THEORY R4.6), with the
 * dual point built from weighted residuals w (which equal sign(r_i) phi_i at a fixed point):
 * u = phi / h, v_i = clamp(w_i / h, -u_i, u_i), scaled down until ||X^T v||_{q*} <= eps 1^T u;
 * D = v^T y. Returns the gap and L(beta) = h^2 / n.
 */
export function dualityGap(x: Float64Array, y: ArrayLike<number>, n: number, p: number, beta: ArrayLike<number>, w: ArrayLike<number>, eps: number, norm: PerturbationNorm): { gap: number; loss: number } {
  const b = eps * penaltyNorm(beta, norm);
  const phi = new Float64Array(n);
  let h2 = 0;
  let l1 = 0;
  for (let i = 0; i < n; i++) {
    const o = i * p;
    let f = 0;
    for (let j = 0; j < p; j++) f += x[o + j] * beta[j];
    phi[i] = Math.abs(y[i] - f) + b;
    h2 += phi[i] * phi[i];
    l1 += phi[i];
  }
  const h = Math.sqrt(h2);
  if (!(h > 0)) return { gap: 0, loss: 0 };
  const v = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const u = phi[i] / h;
    v[i] = Math.max(-u, Math.min(u, w[i] / h));
  }
  const a = dualOfPenalty(transposeApply(x, n, p, v), norm);
  const budget = (eps * l1) / h;
  const scale = a > budget ? budget / a : 1;
  let dval = 0;
  for (let i = 0; i < n; i++) dval += v[i] * scale * y[i];
  const ratio = Math.max(0, dval) / h;
  return { gap: Math.max(0, 1 - ratio * ratio), loss: h2 / n };
}

/** How a solution was obtained. */
export type AdversarialMethod = "least-squares" | "zero" | "interpolant" | "irls" | "active-set";

/** The minimiser of L with its certificate. */
export interface AdversarialSolution {
  readonly beta: Float64Array;
  readonly loss: number;
  readonly method: AdversarialMethod;
  /** IRLS iterations or active-set steps (0 for a closed form). */
  readonly iterations: number;
  /** Relative duality gap 1 - (D/h)^2 >= (L - L*) / L at the returned beta (0 for a closed form). */
  readonly gap: number;
  /** Whether the solver's optimality test passed (always for a closed form). */
  readonly converged: boolean;
  /** Why it did not converge. */
  readonly reason?: string;
}

/** Options of the IRLS solver. */
export interface IrlsOptions {
  /** Relative duality gap at which to stop (default 1e-10). */
  readonly tolerance?: number;
  /** Iteration cap (default 5000). */
  readonly maxIterations?: number;
  /** Start (default: least squares for n > p, half the minimum-norm interpolant for n <= p). */
  readonly start?: Float64Array;
  /** Anderson acceleration (default true); false gives the plain majorise-minimise sequence. */
  readonly accelerate?: boolean;
  /** Called with L after every iteration (tests of monotonicity). */
  readonly onIteration?: (loss: number) => void;
}

/**
 * The eta-trick IRLS for L (THEORY R4.2). Each step: from beta (||beta||_q > 0), r = y - X beta,
 * eta_i = |r_i| / (|r_i| + eps N), zeta_j = |beta_j| / N (q = 1; 1 for q = 2), mu = eps sum_i phi_i / N
 * (= eps^2 sum_i 1/(1 - eta_i)), and the next beta minimises sum_i r_i(b)^2 / eta_i +
 * mu b^T diag(1/zeta) b, computed in the variable g = diag(zeta)^{-1/2} b (scaled design
 * X_s = X diag(zeta)^{1/2}): for n <= p in the n x n kernel form (X_s X_s^T / mu + diag(eta)) z = y,
 * g = X_s^T z / mu, otherwise in the p x p primal form over the rows with eta >= HEAVY and the
 * heavy rows pushed through an |H| x |H| system. Both stay finite when some eta_i = 0, and both
 * give the weighted residuals w = r / eta (z in the kernel form) of the certificate.
 */
export function etaTrickIrls(x: Float64Array, y: Float64Array, n: number, p: number, eps: number, norm: PerturbationNorm, options: IrlsOptions = {}): AdversarialSolution {
  const tolerance = options.tolerance ?? DEFAULT_GAP_TOLERANCE;
  const maxIterations = options.maxIterations ?? DEFAULT_MAX_ITERATIONS;
  const accelerate = options.accelerate ?? true;
  const l1 = isL1(norm);
  let beta: Float64Array;
  if (options.start !== undefined) beta = Float64Array.from(options.start);
  else {
    const ls = ridge(x, y, n, p, 0);
    if (ls === null) return { beta: new Float64Array(p), loss: adversarialLoss(x, y, n, p, new Float64Array(p), eps, norm), method: "irls", iterations: 0, gap: 1, converged: false, reason: "the design is rank deficient (no least-squares start)" };
    beta = n > p ? ls : ls.map((v) => 0.5 * v);
  }
  const kernel = n <= p;
  const r = new Float64Array(n);
  const eta = new Float64Array(n);
  const zeta = new Float64Array(p);
  const sz = new Float64Array(p);
  const w = new Float64Array(n);
  const gvec = new Float64Array(p);
  const next = new Float64Array(p);
  const k = new Float64Array(n * n);
  const z = new Float64Array(n);
  const P = kernel ? new Float64Array(0) : new Float64Array(p * p);
  const rhs = new Float64Array(p);
  const heavy = new Int32Array(n);
  // For q = 2 the kernel X X^T is the same at every step.
  const k0 = kernel && !l1 ? gramRows(x, n, p) : null;

  /** One reweighted step from `from` into `next` (and w); false if a system is not positive definite. */
  function step(from: Float64Array): boolean {
    apply(x, n, p, from, r);
    const N = penaltyNorm(from, norm);
    const b = eps * N;
    let sumPhi = 0;
    for (let i = 0; i < n; i++) {
      r[i] = y[i] - r[i];
      const a = Math.abs(r[i]);
      eta[i] = a / (a + b);
      sumPhi += a + b;
    }
    const mu = (eps * sumPhi) / N;
    let zmax = 1;
    if (l1) {
      zmax = 0;
      for (let j = 0; j < p; j++) {
        zeta[j] = Math.abs(from[j]) / N;
        if (zeta[j] > zmax) zmax = zeta[j];
      }
    } else zeta.fill(1);
    // Columns whose scale is below round-off of the largest one do not change the systems.
    const cut = zmax * 1e-16;
    for (let j = 0; j < p; j++) sz[j] = zeta[j] > cut ? Math.sqrt(zeta[j]) : 0;
    if (kernel) {
      // (X diag(zeta) X^T / mu + diag(eta)) z = y; g = X_s^T z / mu; w = z.
      if (k0 !== null) for (let a = 0; a < n * n; a++) k[a] = k0[a] / mu;
      else {
        for (let a = 0; a < n; a++) {
          const oa = a * p;
          for (let c = 0; c <= a; c++) {
            const oc = c * p;
            let s = 0;
            for (let j = 0; j < p; j++) if (zeta[j] > cut) s += x[oa + j] * zeta[j] * x[oc + j];
            k[a * n + c] = s / mu;
            k[c * n + a] = s / mu;
          }
        }
      }
      for (let a = 0; a < n; a++) k[a * n + a] += eta[a];
      if (!cholesky(k, n)) return false;
      z.set(y);
      choleskySolve(k, n, z);
      w.set(z);
      transposeApply(x, n, p, z, next);
      for (let j = 0; j < p; j++) next[j] = zeta[j] > cut ? (next[j] * zeta[j]) / mu : 0;
      return true;
    }
    // Primal form over the light rows, heavy rows pushed through (THEORY R4.2).
    P.fill(0);
    rhs.fill(0);
    let h = 0;
    for (let i = 0; i < n; i++) {
      if (eta[i] < HEAVY) {
        heavy[h++] = i;
        continue;
      }
      const o = i * p;
      const wi = 1 / eta[i];
      const yi = y[i] * wi;
      for (let a = 0; a < p; a++) {
        const xa = x[o + a] * sz[a];
        if (xa === 0) continue;
        rhs[a] += xa * yi;
        const ra = a * p;
        const xaw = xa * wi;
        for (let c = 0; c <= a; c++) P[ra + c] += xaw * x[o + c] * sz[c];
      }
    }
    for (let a = 0; a < p; a++) {
      P[a * p + a] += mu;
      for (let c = 0; c < a; c++) P[c * p + a] = P[a * p + c];
    }
    if (!cholesky(P, p)) return false;
    gvec.set(rhs);
    choleskySolve(P, p, gvec);
    if (h > 0) {
      const pxt = new Float64Array(h * p);
      for (let a = 0; a < h; a++) {
        const o = heavy[a] * p;
        const col = pxt.subarray(a * p, (a + 1) * p);
        for (let j = 0; j < p; j++) col[j] = x[o + j] * sz[j];
        choleskySolve(P, p, col);
      }
      const kh = new Float64Array(h * h);
      const res = new Float64Array(h);
      for (let a = 0; a < h; a++) {
        const oa = heavy[a] * p;
        let f = 0;
        for (let j = 0; j < p; j++) f += x[oa + j] * sz[j] * gvec[j];
        res[a] = y[heavy[a]] - f;
        for (let c = 0; c <= a; c++) {
          const col = pxt.subarray(c * p, (c + 1) * p);
          let s = 0;
          for (let j = 0; j < p; j++) s += x[oa + j] * sz[j] * col[j];
          kh[a * h + c] = s;
          kh[c * h + a] = s;
        }
        kh[a * h + a] += eta[heavy[a]];
      }
      if (!cholesky(kh, h)) return false;
      choleskySolve(kh, h, res);
      for (let a = 0; a < h; a++) {
        const col = pxt.subarray(a * p, (a + 1) * p);
        for (let j = 0; j < p; j++) gvec[j] += col[j] * res[a];
        w[heavy[a]] = res[a];
      }
    }
    for (let j = 0; j < p; j++) next[j] = sz[j] * gvec[j];
    for (let i = 0; i < n; i++) {
      if (eta[i] < HEAVY) continue;
      const o = i * p;
      let f = 0;
      for (let j = 0; j < p; j++) f += x[o + j] * next[j];
      w[i] = (y[i] - f) / eta[i];
    }
    return true;
  }

  // Anderson acceleration (type II) on the fixed-point map beta -> step(beta).
  const mem = accelerate ? ANDERSON_MEMORY : 0;
  const histG: Float64Array[] = [];
  const histF: Float64Array[] = [];
  let loss = adversarialLoss(x, y, n, p, beta, eps, norm);
  let gap = 1;
  const fail = (it: number, reason: string): AdversarialSolution => ({ beta, loss, method: "irls", iterations: it, gap, converged: false, reason });
  for (let it = 1; it <= maxIterations; it++) {
    if (!(penaltyNorm(beta, norm) > 0)) return fail(it - 1, "the iterate collapsed to beta = 0 although eps < eps_0");
    if (!step(beta)) return fail(it - 1, "a reweighted ridge system is not numerically positive definite");
    let candidate: Float64Array = Float64Array.from(next);
    let candLoss = adversarialLoss(x, y, n, p, candidate, eps, norm);
    if (mem > 0) {
      const f = new Float64Array(p);
      for (let j = 0; j < p; j++) f[j] = candidate[j] - beta[j];
      histG.push(Float64Array.from(candidate));
      histF.push(f);
      if (histG.length > mem + 1) {
        histG.shift();
        histF.shift();
      }
      const mixed = andersonMix(histG, histF);
      if (mixed !== null) {
        const mixedLoss = adversarialLoss(x, y, n, p, mixed, eps, norm);
        // The l1 penalty's weights need every coordinate's sign kept away from a spurious zero.
        if (Number.isFinite(mixedLoss) && mixedLoss < candLoss && penaltyNorm(mixed, norm) > 0) {
          candidate = mixed;
          candLoss = mixedLoss;
        }
      }
    }
    beta = candidate;
    loss = candLoss;
    options.onIteration?.(loss);
    const cert = dualityGap(x, y, n, p, beta, w, eps, norm);
    gap = cert.gap;
    if (gap <= tolerance) return { beta, loss, method: "irls", iterations: it, gap, converged: true };
  }
  return fail(maxIterations, `IRLS reached the cap of ${maxIterations} iterations with relative duality gap ${gap.toExponential(2)} > ${tolerance}`);
}

/**
 * Anderson mixing: with G_k the last step outputs and F_k = G_k - x_k the residuals, the mixed
 * iterate G_k - sum_j gamma_j (G_{j+1} - G_j), gamma minimising ||F_k - sum_j gamma_j (F_{j+1} - F_j)||
 * (small least squares by normal equations with a relative ridge). Null with fewer than 2 entries
 * or a singular system.
 */
function andersonMix(hg: readonly Float64Array[], hf: readonly Float64Array[]): Float64Array | null {
  const mk = hg.length - 1;
  if (mk < 1) return null;
  const p = hg[0].length;
  const dF: Float64Array[] = [];
  for (let j = 0; j < mk; j++) {
    const v = new Float64Array(p);
    for (let c = 0; c < p; c++) v[c] = hf[j + 1][c] - hf[j][c];
    dF.push(v);
  }
  const a = new Float64Array(mk * mk);
  const b = new Float64Array(mk);
  const last = hf[mk];
  let tr = 0;
  for (let i = 0; i < mk; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let c = 0; c < p; c++) s += dF[i][c] * dF[j][c];
      a[i * mk + j] = s;
      a[j * mk + i] = s;
    }
    tr += a[i * mk + i];
    let s = 0;
    for (let c = 0; c < p; c++) s += dF[i][c] * last[c];
    b[i] = s;
  }
  if (!(tr > 0)) return null;
  for (let i = 0; i < mk; i++) a[i * mk + i] += 1e-12 * tr;
  if (!cholesky(a, mk)) return null;
  choleskySolve(a, mk, b);
  const out = Float64Array.from(hg[mk]);
  for (let j = 0; j < mk; j++) {
    const gj = b[j];
    if (gj === 0) continue;
    for (let c = 0; c < p; c++) out[c] -= gj * (hg[j + 1][c] - hg[j][c]);
  }
  for (let c = 0; c < p; c++) if (!Number.isFinite(out[c])) return null;
  return out;
}

/** Options of `adversarialRegression`. */
export interface AdversarialOptions {
  /** Relative duality gap at which IRLS stops (default 1e-10). */
  readonly tolerance?: number;
  /** IRLS iteration cap (default 5000). */
  readonly maxIterations?: number;
}

/**
 * Minimises the adversarial loss of MODEL §3.5 on one task (X n x p row-major): closed forms where
 * they apply (THEORY R4.4), otherwise IRLS (q = 2) or the exact active-set method (q = 1, IRLS
 * when the active-set method reports a failure). `converged` is false, with the reason, when no
 * solver passed its optimality test.
 */
export function adversarialRegression(x: Float64Array, y: Float64Array, n: number, p: number, eps: number, norm: PerturbationNorm, options: AdversarialOptions = {}): AdversarialSolution {
  const closed = (beta: Float64Array, method: AdversarialMethod): AdversarialSolution => ({
    beta,
    loss: adversarialLoss(x, y, n, p, beta, eps, norm),
    method,
    iterations: 0,
    gap: 0,
    converged: true,
  });
  if (eps === 0) {
    const ls = ridge(x, y, n, p, 0);
    if (ls === null) return { beta: new Float64Array(p), loss: adversarialLoss(x, y, n, p, new Float64Array(p), 0, norm), method: "least-squares", iterations: 0, gap: 1, converged: false, reason: "the design is rank deficient: least squares is not unique" };
    return closed(ls, "least-squares");
  }
  if (eps >= zeroThreshold(x, y, n, p, norm)) return closed(new Float64Array(p), "zero");
  if (!isL1(norm) && n <= p) {
    // The minimum-norm interpolant is optimal iff n eps ||(X X^T)^{-1} y||_inf <= ||beta_mn|| (R4.4).
    const k = gramRows(x, n, p);
    if (cholesky(k, n)) {
      const a = Float64Array.from(y);
      choleskySolve(k, n, a);
      let amax = 0;
      for (let i = 0; i < n; i++) amax = Math.max(amax, Math.abs(a[i]));
      const mn = transposeApply(x, n, p, a);
      if (n * eps * amax <= penaltyNorm(mn, norm)) return closed(mn, "interpolant");
    }
  }
  if (isL1(norm)) {
    const as = linfActiveSet(x, y, n, p, eps);
    if (as.converged) {
      const cert = dualityGap(x, y, n, p, as.beta, as.psi, eps, norm);
      return { beta: as.beta, loss: cert.loss, method: "active-set", iterations: as.iterations, gap: cert.gap, converged: true };
    }
    const fallback = etaTrickIrls(x, y, n, p, eps, norm, options);
    return fallback.converged ? fallback : { ...fallback, reason: `${as.reason}; then ${fallback.reason}` };
  }
  if (n < p) {
    // The minimiser lies in the row space of X (stationarity: beta is parallel to X^T psi), so with
    // X X^T = L L^T and beta = X^T L^{-T} c the problem is the same one in c with the n x n design L
    // (X beta = L c, ||beta|| = ||c||): IRLS on L, O(n^3) per step instead of O(n^2 p).
    const l = gramRows(x, n, p);
    if (cholesky(l, n)) {
      const sol = etaTrickIrls(l, y, n, n, eps, norm, options);
      const a = Float64Array.from(sol.beta);
      solveLowerTranspose(l, n, a);
      return { ...sol, beta: transposeApply(x, n, p, a) };
    }
  }
  return etaTrickIrls(x, y, n, p, eps, norm, options);
}
