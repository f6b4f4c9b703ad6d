/**
 * Deterministic equivalents of a spiked matrix with a variance profile (MODEL §8, L2; derivation
 * in docs/THEORY.md "L2"): X + Y with X = B Theta C^T a fixed low-rank signal and Y independent
 * centred Gaussian entries of variance V_jt (Gaussian equivalence: the thresholded noise is
 * replaced by a Gaussian one with the same variances). For x = sigma^2 above the bulk, with
 * p_j = x [(x - Y Y^T)^{-1}]_jj and pt_t = x [(x - Y^T Y)^{-1}]_tt (Hachem, Loubaton and Najim 2007),
 *
 *   p_j = 1 / (1 - sum_t V_jt pt_t / x),     pt_t = 1 / (1 - sum_j V_jt p_j / x);
 *
 * the outliers are the x above the bulk edge where H(x) = x Theta Acal~(x) Theta Acal(x) has an
 * eigenvalue 1 (Acal = B^T diag(p / x) B, Acal~ = C^T diag(pt / x) C), and the i-th left singular
 * vector's projection on a fixed orthonormal Q is sqrt(x) Q^T diag(p / x) B eta_i, eta_i normalised
 * by 1 = -x eta^T Acal'(x) eta - xi^T (x Acal~)'(x) xi, xi = sqrt(x) Theta Acal eta. With a constant
 * profile this is Benaych-Georges and Nadakuditi's closed form (L1; tested).
 *
 * Rows come in groups of equal variance (the support rows one by one, the d - s off-support rows
 * as one group of that multiplicity), so the unknowns are the T values pt_t: each Newton step costs
 * O(g T + T^3) for g groups.
 */
import { type Mat, zeros } from "../../../core/linalg/mat.js";
import { singularValues } from "../../../core/linalg/decompositions.js";
import { type LuFactors, luFactorFlat, luSolve, symmetricEigen, symmetricEigenvaluesFlat } from "../../../core/linalg/small.js";

/** A variance profile with row groups: variances[g][t] for group g, and each group's multiplicity. */
export interface VarianceProfile {
  readonly variances: readonly (readonly number[])[];
  readonly multiplicity: readonly number[];
}

interface Solution {
  readonly p: Float64Array;
  readonly pt: Float64Array;
}

/** The fixed point of the profile's equations at x, with warm starts (file comment). */
export class ProfileSolver {
  readonly groups: number;
  readonly T: number;
  /** Row-major g x T variances, and each group's variances times its multiplicity. */
  private readonly V: Float64Array;
  private readonly wV: Float64Array;
  private readonly w: Float64Array;
  private readonly cache: { x: number; pt: Float64Array }[] = [];

  constructor(profile: VarianceProfile) {
    const g = profile.variances.length;
    if (g === 0 || profile.multiplicity.length !== g) throw new RangeError("ProfileSolver: the profile needs one multiplicity per row group, and at least one group");
    const T = profile.variances[0].length;
    this.groups = g;
    this.T = T;
    this.V = new Float64Array(g * T);
    this.wV = new Float64Array(g * T);
    this.w = Float64Array.from(profile.multiplicity);
    profile.variances.forEach((row, j) => {
      if (row.length !== T) throw new RangeError("ProfileSolver: every row group needs T variances");
      for (let t = 0; t < T; t++) {
        this.V[j * T + t] = row[t];
        this.wV[j * T + t] = row[t] * this.w[j];
      }
    });
  }

  /** p_j = 1 / (1 - (V pt)_j / x), into `p`; false when some denominator is not positive. */
  private pOf(x: number, pt: Float64Array, p: Float64Array): boolean {
    const { T, V } = this;
    for (let j = 0; j < this.groups; j++) {
      let acc = 0;
      const o = j * T;
      for (let t = 0; t < T; t++) acc += V[o + t] * pt[t];
      const q = 1 - acc / x;
      if (!(q > 0)) return false;
      p[j] = 1 / q;
    }
    return true;
  }

  /** F_t = 1 / (1 - (V^T (w p))_t / x), into `F`; false when some denominator is not positive. */
  private fOf(x: number, p: Float64Array, F: Float64Array): boolean {
    const { T, wV } = this;
    F.fill(0);
    for (let j = 0; j < this.groups; j++) {
      const pj = p[j];
      const o = j * T;
      for (let t = 0; t < T; t++) F[t] += wV[o + t] * pj;
    }
    for (let t = 0; t < T; t++) {
      const q = 1 - F[t] / x;
      if (!(q > 0)) return false;
      F[t] = 1 / q;
    }
    return true;
  }

  /** The symmetric S = V^T diag(w p^2) V / x^2 (T x T, row-major, full): dF/dpt = diag(F^2) S. */
  private gramS(x: number, p: Float64Array): Float64Array {
    const { T, V, wV } = this;
    const acc = new Float64Array(T * T);
    for (let j = 0; j < this.groups; j++) {
      const c = (p[j] * p[j]) / (x * x);
      if (c === 0) continue;
      const o = j * T;
      for (let a = 0; a < T; a++) {
        const va = wV[o + a] * c;
        if (va === 0) continue;
        const off = a * T;
        for (let b = a; b < T; b++) acc[off + b] += va * V[o + b];
      }
    }
    for (let a = 0; a < T; a++) for (let b = 0; b < a; b++) acc[a * T + b] = acc[b * T + a];
    return acc;
  }

  /** J = I - diag(F^2) S, row-major. */
  private jacobian(x: number, p: Float64Array, F: Float64Array): Float64Array {
    const T = this.T;
    const S = this.gramS(x, p);
    for (let a = 0; a < T; a++) {
      const fa = F[a] * F[a];
      for (let b = 0; b < T; b++) S[a * T + b] = (a === b ? 1 : 0) - fa * S[a * T + b];
    }
    return S;
  }

  /**
   * The solution at x by chord Newton iterations from `start` (the Jacobian is refreshed when the
   * residual falls by less than a factor 0.3), or null when there is none (x inside the bulk: q or
   * qt leaves (0, inf), or the iterations stall). With `checkStable`, also null when the spectral
   * radius of dF/dpt is not below 1 (the unstable branch).
   */
  private newton(x: number, start: Float64Array, checkStable: boolean): Solution | null {
    const T = this.T;
    const pt = Float64Array.from(start);
    const p = new Float64Array(this.groups);
    const F = new Float64Array(T);
    const G = new Float64Array(T);
    let J: LuFactors | null = null;
    let prev = Infinity;
    let stalls = 0;
    for (let it = 0; it < 40; it++) {
      if (!this.pOf(x, pt, p) || !this.fOf(x, p, F)) return null;
      let res = 0;
      let size = 0;
      for (let t = 0; t < T; t++) {
        G[t] = pt[t] - F[t];
        res = Math.max(res, Math.abs(G[t]));
        size = Math.max(size, Math.abs(pt[t]));
      }
      res /= size;
      if (res < 1e-12) {
        if (checkStable) {
          // diag(F) S diag(F) is symmetric and similar to dF/dpt = diag(F^2) S: same eigenvalues.
          const S = this.gramS(x, p);
          for (let a = 0; a < T; a++) for (let b = 0; b < T; b++) S[a * T + b] *= F[a] * F[b];
          const top = symmetricEigenvaluesFlat(T, S)[0];
          if (!(top < 1)) return null;
        }
        return { p: Float64Array.from(p), pt: Float64Array.from(F) };
      }
      // Inside the bulk the iterations wander: give up after three steps without a halving.
      stalls = res > 0.5 * prev ? stalls + 1 : 0;
      if (stalls >= 3) return null;
      if (J === null || res > 0.3 * prev) {
        J = luFactorFlat(T, this.jacobian(x, p, F));
        if (J === null) return null;
      }
      prev = res;
      const step = luSolve(J, G);
      for (let t = 0; t < T; t++) {
        pt[t] -= step[t];
        if (!Number.isFinite(pt[t])) return null;
      }
    }
    return null;
  }

  /** (p, pt) at x, warm-started from the cached solution at the nearest larger x; null inside the bulk. */
  solve(x: number, checkStable = false): Solution | null {
    let best: { x: number; pt: Float64Array } | null = null;
    for (const c of this.cache) if (c.x >= x && (best === null || c.x < best.x)) best = c;
    const ones = () => new Float64Array(this.T).fill(1);
    let res = this.newton(x, best?.pt ?? ones(), checkStable);
    if (res === null && best !== null && !checkStable) res = this.newton(x, ones(), checkStable);
    if (res === null) return null;
    this.cache.push({ x, pt: res.pt });
    return res;
  }

  /**
   * The right edge of the bulk: the smallest x with a stable solution, by bisection to `relTol`
   * (default 1e-3: an outlier that close to the edge carries almost no alignment, which vanishes
   * continuously at the threshold).
   */
  edge(relTol = 1e-3): number {
    const { T, V, wV } = this;
    let maxCol = 0;
    let maxRow = 0;
    for (let t = 0; t < T; t++) {
      let acc = 0;
      for (let j = 0; j < this.groups; j++) acc += wV[j * T + t];
      maxCol = Math.max(maxCol, acc);
    }
    for (let j = 0; j < this.groups; j++) {
      let acc = 0;
      for (let t = 0; t < T; t++) acc += V[j * T + t];
      maxRow = Math.max(maxRow, acc);
    }
    let x = 2 * (Math.sqrt(maxCol) + Math.sqrt(maxRow)) ** 2 + 1e-300;
    for (let k = 0; this.solve(x, true) === null; k++) {
      if (k > 200) throw new RangeError("ProfileSolver.edge: no solution above the bulk");
      x *= 2;
    }
    let hi = x;
    let lo = 0;
    for (;;) {
      const x2 = hi * 0.8;
      if (x2 < 1e-300) return 0;
      if (this.solve(x2, true) === null) {
        lo = x2;
        break;
      }
      hi = x2;
    }
    for (let k = 0; k < 80 && hi - lo > relTol * hi; k++) {
      const mid = 0.5 * (lo + hi);
      if (this.solve(mid, true) === null) lo = mid;
      else hi = mid;
    }
    return hi;
  }

  /** p, pt and their derivatives in x by implicit differentiation of the fixed point. */
  derivatives(x: number): (Solution & { dp: Float64Array; dpt: Float64Array }) | null {
    const sol = this.solve(x);
    if (sol === null) return null;
    const { p, pt } = sol;
    const { T, V, wV } = this;
    const g = this.groups;
    const dpPartial = new Float64Array(g);
    for (let j = 0; j < g; j++) {
      let vp = 0;
      for (let t = 0; t < T; t++) vp += V[j * T + t] * pt[t];
      dpPartial[j] = (-p[j] * p[j] * vp) / (x * x);
    }
    const dF = new Array<number>(T);
    for (let t = 0; t < T; t++) {
      let a = 0;
      let b = 0;
      for (let j = 0; j < g; j++) {
        a += wV[j * T + t] * p[j];
        b += wV[j * T + t] * dpPartial[j];
      }
      dF[t] = -pt[t] * pt[t] * (a / (x * x) - b / x);
    }
    const J = luFactorFlat(T, this.jacobian(x, p, pt));
    if (J === null) return null;
    const dpt = luSolve(J, dF);
    const dp = new Float64Array(g);
    for (let j = 0; j < g; j++) {
      let vd = 0;
      for (let t = 0; t < T; t++) vd += V[j * T + t] * dpt[t];
      dp[j] = dpPartial[j] + (p[j] * p[j] * vd) / x;
    }
    return { p, pt, dp, dpt };
  }
}

/** What the spiked-profile prediction gives. */
export interface SpikedPrediction {
  /** Predicted sinTheta (spectral) of the top-r left singular space against Q: sqrt(1 - lambda_min(G)), G = K^T K. */
  readonly sinTheta: number;
  /** Frobenius: sqrt(r - tr G). */
  readonly sinThetaFrobenius: number;
  /** G = K^T K (r x r): the predicted Q^T U U^T Q, for target angles. */
  readonly alignment: number[][];
  /** G + Cov, with the random part's projection on Q (finite-s correction; not used for the prediction). */
  readonly alignmentCorrected: number[][];
  /** Outliers found (<= r). */
  readonly outliers: number;
  readonly edge: number;
}

/** Brent's root finder on [a, b] with f(a), f(b) of opposite signs. */
function brent(f: (x: number) => number, a: number, b: number, tol: number): number {
  let fa = f(a);
  let fb = f(b);
  if (fa === 0) return a;
  if (fb === 0) return b;
  if (fa * fb > 0) throw new RangeError("brent: no sign change");
  let c = a;
  let fc = fa;
  let dd = b - a;
  let e = dd;
  for (let it = 0; it < 200; it++) {
    if (fb * fc > 0) {
      c = a;
      fc = fa;
      dd = b - a;
      e = dd;
    }
    if (Math.abs(fc) < Math.abs(fb)) {
      a = b;
      b = c;
      c = a;
      fa = fb;
      fb = fc;
      fc = fa;
    }
    const tol1 = 2 * Number.EPSILON * Math.abs(b) + 0.5 * tol;
    const xm = 0.5 * (c - b);
    if (Math.abs(xm) <= tol1 || fb === 0) return b;
    if (Math.abs(e) >= tol1 && Math.abs(fa) > Math.abs(fb)) {
      const s = fb / fa;
      let pp: number;
      let qq: number;
      if (a === c) {
        pp = 2 * xm * s;
        qq = 1 - s;
      } else {
        const q1 = fa / fc;
        const r1 = fb / fc;
        pp = s * (2 * xm * q1 * (q1 - r1) - (b - a) * (r1 - 1));
        qq = (q1 - 1) * (r1 - 1) * (s - 1);
      }
      if (pp > 0) qq = -qq;
      pp = Math.abs(pp);
      if (2 * pp < Math.min(3 * xm * qq - Math.abs(tol1 * qq), Math.abs(e * qq))) {
        e = dd;
        dd = pp / qq;
      } else {
        dd = xm;
        e = dd;
      }
    } else {
      dd = xm;
      e = dd;
    }
    a = b;
    fa = fb;
    b += Math.abs(dd) > tol1 ? dd : xm > 0 ? tol1 : -tol1;
    fb = f(b);
  }
  return b;
}

/** Thin SVD of a small s x T matrix: left vectors (s x k), values, right vectors (T x k), k = rank. */
function thinSvd(m: Mat): { left: number[][]; values: number[]; right: number[][] } {
  // Through the eigen-decomposition of the T x T Gram matrix (T is small), then left = m v / sigma.
  const s = m.rows;
  const T = m.cols;
  const gram = Array.from({ length: T }, () => new Array<number>(T).fill(0));
  for (let a = 0; a < T; a++) {
    for (let b = a; b < T; b++) {
      let acc = 0;
      for (let j = 0; j < s; j++) acc += m.data[j + a * s] * m.data[j + b * s];
      gram[a][b] = acc;
      gram[b][a] = acc;
    }
  }
  const eig = symmetricEigen(gram);
  const top = Math.sqrt(Math.max(0, eig.values[0] ?? 0));
  // Singular values from a direct computation (the Gram eigenvalues lose half the digits of small ones).
  const sv = singularValues(m);
  const values: number[] = [];
  const left: number[][] = Array.from({ length: s }, () => []);
  const right: number[][] = Array.from({ length: T }, () => []);
  for (let k = 0; k < Math.min(s, T); k++) {
    const sigma = sv[k];
    if (!(sigma > top * 1e-10)) break;
    values.push(sigma);
    const v = eig.vectors.map((row) => row[k]);
    for (let t = 0; t < T; t++) right[t].push(v[t]);
    for (let j = 0; j < s; j++) {
      let acc = 0;
      for (let t = 0; t < T; t++) acc += m.data[j + t * s] * v[t];
      left[j].push(acc / sigma);
    }
  }
  return { left, values, right };
}

/**
 * The predicted alignment of the top-r left singular space of signal + noise with Q (file
 * comment). `signal` is s x T on the first s row groups of `profile` (each of multiplicity 1; any
 * further groups carry noise only), `q` is s x r with orthonormal columns (B* on its support).
 */
export function spikedProfilePrediction(signal: Mat, profile: VarianceProfile, q: Mat, r: number): SpikedPrediction {
  const s = signal.rows;
  const T = signal.cols;
  if (q.rows !== s) throw new RangeError(`spikedProfilePrediction: Q has ${q.rows} rows, the signal ${s}`);
  for (let j = 0; j < s; j++) if (profile.multiplicity[j] !== 1) throw new RangeError("spikedProfilePrediction: the first s row groups must be the signal rows");
  const solver = new ProfileSolver(profile);
  const { left: Bm, values: th, right: C } = thinSvd(signal);
  const k = th.length;
  const BmFlat = new Float64Array(s * k);
  for (let j = 0; j < s; j++) for (let a = 0; a < k; a++) BmFlat[j * k + a] = Bm[j][a];
  const CFlat = new Float64Array(T * k);
  for (let t = 0; t < T; t++) for (let a = 0; a < k; a++) CFlat[t * k + a] = C[t][a];
  const empty = { sinTheta: 1, sinThetaFrobenius: Math.sqrt(r), alignment: zerosSq(r), alignmentCorrected: zerosSq(r), outliers: 0, edge: 0 };
  if (k === 0) return empty;
  const xe = solver.edge();
  // H(x) = x M A with M = Theta Acal~ Theta, A = Acal: with A = R^T R its eigenvalues are those of
  // the symmetric x R M R^T, and eta = R^{-1} y turns an eigenvector y of that into one of H.
  const hs = (x: number, wantVectors = false) => {
    const sol = solver.solve(x);
    if (sol === null) return null;
    // A = Bm^T diag(p / x) Bm and M = Theta C^T diag(pt / x) C Theta (k x k, row-major).
    const A = new Float64Array(k * k);
    const M = new Float64Array(k * k);
    for (let j = 0; j < s; j++) {
      const pw = sol.p[j] / x;
      const o = j * k;
      for (let a = 0; a < k; a++) {
        const ra = BmFlat[o + a] * pw;
        if (ra === 0) continue;
        for (let b = a; b < k; b++) A[a * k + b] += ra * BmFlat[o + b];
      }
    }
    for (let t = 0; t < T; t++) {
      const pw = sol.pt[t] / x;
      const o = t * k;
      for (let a = 0; a < k; a++) {
        const ra = CFlat[o + a] * pw;
        if (ra === 0) continue;
        for (let b = a; b < k; b++) M[a * k + b] += ra * CFlat[o + b];
      }
    }
    for (let a = 0; a < k; a++) {
      for (let b = a; b < k; b++) {
        A[b * k + a] = A[a * k + b];
        const m = th[a] * M[a * k + b] * th[b];
        M[a * k + b] = m;
        M[b * k + a] = m;
      }
    }
    // A = R^T R (Cholesky, R upper triangular, row-major).
    const R = new Float64Array(k * k);
    for (let j = 0; j < k; j++) {
      let dj = A[j * k + j];
      for (let q = 0; q < j; q++) dj -= R[q * k + j] * R[q * k + j];
      if (!(dj > 0)) return null;
      const rjj = Math.sqrt(dj);
      R[j * k + j] = rjj;
      for (let i = j + 1; i < k; i++) {
        let acc = A[j * k + i];
        for (let q = 0; q < j; q++) acc -= R[q * k + j] * R[q * k + i];
        R[j * k + i] = acc / rjj;
      }
    }
    // S = x R M R^T.
    const RM = new Float64Array(k * k);
    for (let a = 0; a < k; a++) {
      for (let c1 = a; c1 < k; c1++) {
        const rv = R[a * k + c1];
        if (rv === 0) continue;
        for (let b = 0; b < k; b++) RM[a * k + b] += rv * M[c1 * k + b];
      }
    }
    const S = new Float64Array(k * k);
    for (let a = 0; a < k; a++) {
      for (let b = a; b < k; b++) {
        let acc = 0;
        for (let c1 = b; c1 < k; c1++) acc += RM[a * k + c1] * R[b * k + c1];
        S[a * k + b] = x * acc;
        S[b * k + a] = x * acc;
      }
    }
    if (!wantVectors) return { values: symmetricEigenvaluesFlat(k, S), vectors: null, A: null, R: null, sol };
    const square = (m: Float64Array) => Array.from({ length: k }, (_, a) => Array.from(m.subarray(a * k, (a + 1) * k)));
    const eig = symmetricEigen(square(S));
    return { values: Float64Array.from(eig.values), vectors: eig.vectors, A: square(A), R: square(R), sol };
  };
  const xEval = xe * (1 + 1e-6);
  const atEdge = hs(xEval);
  if (atEdge === null) return { ...empty, edge: xe };
  const Kmat: number[][] = Array.from({ length: r }, () => new Array<number>(r).fill(0));
  const cov: number[][] = Array.from({ length: r }, () => new Array<number>(r).fill(0));
  let outliers = 0;
  let previous: number | null = null;
  for (let i = 0; i < Math.min(r, k); i++) {
    if (!(atEdge.values[i] > 1)) break;
    // Outliers come in decreasing order: the previous one brackets this one from above
    // (lambda_i(x_{i-1}) <= lambda_{i-1}(x_{i-1}) = 1).
    let xBig = previous ?? Math.max(2 * th[0] * th[0], xe) * 4;
    for (let guard = 0; ; guard++) {
      const h = hs(xBig);
      if (h !== null && h.values[i] < 1) break;
      if (guard > 200) throw new RangeError("spikedProfilePrediction: no upper bracket for an outlier");
      xBig *= 2;
    }
    const f = (x: number) => {
      const h = hs(x);
      return h === null ? 1 : h.values[i] - 1;
    };
    const xi = brent(f, xEval, xBig, 1e-8 * xBig);
    previous = xi;
    const h = hs(xi, true);
    const der = solver.derivatives(xi);
    if (h === null || der === null || h.vectors === null || h.A === null || h.R === null) break;
    const vec = h.vectors.map((row) => row[i]);
    // eta = R^{-1} y (back substitution; R upper triangular).
    let eta = new Array<number>(k).fill(0);
    for (let a = k - 1; a >= 0; a--) {
      let acc = vec[a];
      for (let b = a + 1; b < k; b++) acc -= h.R[a][b] * eta[b];
      eta[a] = acc / h.R[a][a];
    }
    const sig = Math.sqrt(xi);
    const Aeta = h.A.map((row) => row.reduce((acc, v, b) => acc + v * eta[b], 0));
    // Normalisation 1 = -x eta^T A'(x) eta - xi^T (C^T diag(pt') C) xi, xi = sig Theta A eta.
    let quadA = 0;
    for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) {
      let acc = 0;
      for (let j = 0; j < s; j++) acc += Bm[j][a] * (der.dp[j] / xi - der.p[j] / (xi * xi)) * Bm[j][b];
      quadA += eta[a] * acc * eta[b];
    }
    const xiv = Aeta.map((v, a) => sig * th[a] * v);
    let quadT = 0;
    for (let t = 0; t < T; t++) {
      let cx = 0;
      for (let a = 0; a < k; a++) cx += C[t][a] * xiv[a];
      quadT += der.dpt[t] * cx * cx;
    }
    const nrm = -xi * quadA - quadT;
    if (!(nrm > 0)) break;
    const scale = 1 / Math.sqrt(nrm);
    eta = eta.map((v) => v * scale);
    const bEta = Bm.map((row) => row.reduce((acc, v, a) => acc + v * eta[a], 0));
    for (let c = 0; c < r; c++) {
      let acc = 0;
      for (let j = 0; j < s; j++) acc += q.data[j + c * s] * (der.p[j] / xi) * bEta[j];
      Kmat[i][c] = sig * acc;
    }
    // The random part (x - Y Y^T)^{-1} Y C xi of u: its projection on Q has covariance about
    // Q^T diag(p_j^2 sum_t V_jt (pt_t / x)^2 (C xi)_t^2) Q (THEORY.md L2, "full+").
    const Aeta2 = h.A.map((row) => row.reduce((acc, v, b) => acc + v * eta[b], 0));
    const cxi = new Array<number>(T).fill(0);
    for (let t = 0; t < T; t++) for (let a = 0; a < k; a++) cxi[t] += C[t][a] * th[a] * Aeta2[a] * sig;
    for (let j = 0; j < s; j++) {
      let acc = 0;
      for (let t = 0; t < T; t++) acc += profile.variances[j][t] * (der.pt[t] / xi) ** 2 * cxi[t] * cxi[t];
      const e2 = der.p[j] * der.p[j] * acc;
      for (let a = 0; a < r; a++) for (let b = 0; b < r; b++) cov[a][b] += q.data[j + a * s] * e2 * q.data[j + b * s];
    }
    outliers += 1;
  }
  const leading = Array.from({ length: r }, (_, a) => Array.from({ length: r }, (_, b) => Kmat.reduce((acc, row) => acc + row[a] * row[b], 0)));
  const corrected = leading.map((row, a) => row.map((v, b) => v + cov[a][b]));
  // The prediction is the leading order K^T K (THEORY.md L2: the random-part correction changes the
  // mean error by less than 0.001 where L2 works, and keeps L2 equal to L1 at eps = 0).
  const ev = symmetricEigen(leading).values.map((v) => Math.min(1, Math.max(0, v)));
  const sinT = Math.sqrt(Math.max(0, 1 - ev[ev.length - 1]));
  const frob = Math.sqrt(Math.max(0, r - ev.reduce((a, b) => a + b, 0)));
  return { sinTheta: sinT, sinThetaFrobenius: frob, alignment: leading, alignmentCorrected: corrected, outliers, edge: xe };
}

function zerosSq(r: number): number[][] {
  return Array.from({ length: r }, () => new Array<number>(r).fill(0));
}
