/**
 * Limited-memory BFGS (Nocedal and Wright, "Numerical Optimization", 2nd ed., Algorithm 7.4 with
 * the two-loop recursion 7.5) with a line search satisfying the strong Wolfe conditions
 * (Algorithms 3.5 and 3.6, cubic interpolation safeguarded by bisection). For smooth functions of
 * a Float64Array; used by the FO ERM (MODEL §3.5).
 */

/** f(x), writing the gradient into g. */
export type Objective = (x: Float64Array, g: Float64Array) => number;

export interface LbfgsOptions {
  /** Correction pairs kept (default 10). */
  readonly memory?: number;
  /** Iteration cap (default 1000). */
  readonly maxIterations?: number;
  /** Stop when ||g||_2 <= gradientTolerance ||g_0||_2 (default 1e-9). */
  readonly gradientTolerance?: number;
  /** Evaluation cap of one line search (default 30). */
  readonly maxLineSearch?: number;
  /**
   * The initial inverse Hessian H0 at the current iterate: replaces v by H0 v in place, H0 symmetric
   * positive definite (called once per iteration first with `update` true, then for the products).
   * Without it H0 = gamma I (Nocedal and Wright 7.20).
   */
  readonly precondition?: (x: Float64Array, v: Float64Array, update: boolean) => void;
}

export interface LbfgsResult {
  readonly x: Float64Array;
  readonly f: number;
  /** ||g||_2 / ||g_0||_2 at the end. */
  readonly relativeGradient: number;
  readonly iterations: number;
  readonly evaluations: number;
  readonly converged: boolean;
  readonly reason?: string;
}

const C1 = 1e-4;
const C2 = 0.9;

function dotv(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/** The minimiser of a cubic through (a, fa, ga) and (b, fb, gb), safeguarded into the interval. */
function cubicStep(a: number, fa: number, ga: number, b: number, fb: number, gb: number): number {
  const d1 = ga + gb - (3 * (fa - fb)) / (a - b);
  const disc = d1 * d1 - ga * gb;
  const lo = Math.min(a, b);
  const hi = Math.max(a, b);
  if (disc >= 0) {
    const d2 = Math.sign(b - a) * Math.sqrt(disc);
    const t = b - ((b - a) * (gb + d2 - d1)) / (gb - ga + 2 * d2);
    if (Number.isFinite(t) && t > lo + 0.1 * (hi - lo) && t < hi - 0.1 * (hi - lo)) return t;
  }
  return (a + b) / 2;
}

/**
 * Minimises f from x0. Returns the last iterate, converged = true when the relative gradient
 * reached the tolerance, otherwise false with the reason (iteration cap, a failed line search).
 */
export function lbfgs(fg: Objective, x0: Float64Array, options: LbfgsOptions = {}): LbfgsResult {
  const memory = options.memory ?? 10;
  const maxIterations = options.maxIterations ?? 1000;
  const gtol = options.gradientTolerance ?? 1e-9;
  const maxLs = options.maxLineSearch ?? 30;
  const precondition = options.precondition;
  const dim = x0.length;
  const hy = new Float64Array(precondition === undefined ? 0 : dim);
  let x = Float64Array.from(x0);
  let g = new Float64Array(dim);
  let f = fg(x, g);
  let evaluations = 1;
  const g0 = Math.sqrt(dotv(g, g));
  if (!(g0 > 0)) return { x, f, relativeGradient: 0, iterations: 0, evaluations, converged: true };
  const S: Float64Array[] = [];
  const Y: Float64Array[] = [];
  const rho: number[] = [];
  const dir = new Float64Array(dim);
  const alphaBuf = new Float64Array(memory);
  let xt = new Float64Array(dim);
  let gt = new Float64Array(dim);
  for (let it = 1; it <= maxIterations; it++) {
    // Two-loop recursion: dir = -H g.
    dir.set(g);
    for (let k = S.length - 1; k >= 0; k--) {
      const a = rho[k] * dotv(S[k], dir);
      alphaBuf[k] = a;
      const yk = Y[k];
      for (let i = 0; i < dim; i++) dir[i] -= a * yk[i];
    }
    if (precondition !== undefined) {
      precondition(x, dir, true);
      if (S.length > 0) {
        // Scaled preconditioner: gamma = s^T y / y^T H0 y.
        const k = S.length - 1;
        hy.set(Y[k]);
        precondition(x, hy, false);
        const gamma = dotv(S[k], Y[k]) / dotv(Y[k], hy);
        for (let i = 0; i < dim; i++) dir[i] *= gamma;
      }
    } else if (S.length > 0) {
      const k = S.length - 1;
      const gamma = dotv(S[k], Y[k]) / dotv(Y[k], Y[k]);
      for (let i = 0; i < dim; i++) dir[i] *= gamma;
    } else {
      const scale = 1 / Math.sqrt(dotv(g, g));
      for (let i = 0; i < dim; i++) dir[i] *= scale;
    }
    for (let k = 0; k < S.length; k++) {
      const b = rho[k] * dotv(Y[k], dir);
      const sk = S[k];
      const c = alphaBuf[k] - b;
      for (let i = 0; i < dim; i++) dir[i] += c * sk[i];
    }
    for (let i = 0; i < dim; i++) dir[i] = -dir[i];
    let dg0 = dotv(g, dir);
    if (!(dg0 < 0)) {
      // Not a descent direction (round-off in the curvature pairs): restart with steepest descent.
      S.length = 0;
      Y.length = 0;
      rho.length = 0;
      const scale = 1 / Math.sqrt(dotv(g, g));
      for (let i = 0; i < dim; i++) dir[i] = -g[i] * scale;
      dg0 = dotv(g, dir);
    }
    // Strong Wolfe line search.
    // xt, gt and fLast hold the last point evaluated: every exit of the search evaluates the accepted step last.
    let fLast = f;
    const phi = (t: number): { f: number; dg: number } => {
      for (let i = 0; i < dim; i++) xt[i] = x[i] + t * dir[i];
      const ft = fg(xt, gt);
      evaluations++;
      fLast = ft;
      return { f: ft, dg: dotv(gt, dir) };
    };
    let tPrev = 0;
    let fPrev = f;
    let dgPrev = dg0;
    let t = 1;
    let accepted = false;
    let lo = 0, flo = f, dglo = dg0, hi = 0, fhi = 0, dghi = 0;
    let bracket = false;
    for (let ls = 0; ls < maxLs; ls++) {
      const v = phi(t);
      if (!Number.isFinite(v.f) || v.f > f + C1 * t * dg0 || (ls > 0 && v.f >= fPrev)) {
        lo = tPrev; flo = fPrev; dglo = dgPrev; hi = t; fhi = v.f; dghi = Number.isFinite(v.dg) ? v.dg : 0;
        bracket = true;
        break;
      }
      if (Math.abs(v.dg) <= -C2 * dg0) {
        accepted = true;
        break;
      }
      if (v.dg >= 0) {
        lo = t; flo = v.f; dglo = v.dg; hi = tPrev; fhi = fPrev; dghi = dgPrev;
        bracket = true;
        break;
      }
      tPrev = t;
      fPrev = v.f;
      dgPrev = v.dg;
      t *= 2;
    }
    if (!accepted && bracket) {
      for (let ls = 0; ls < maxLs; ls++) {
        const tj = Number.isFinite(fhi) ? cubicStep(lo, flo, dglo, hi, fhi, dghi) : (lo + hi) / 2;
        const v = phi(tj);
        if (!Number.isFinite(v.f) || v.f > f + C1 * tj * dg0 || v.f >= flo) {
          hi = tj; fhi = v.f; dghi = v.dg;
        } else {
          if (Math.abs(v.dg) <= -C2 * dg0) {
            t = tj;
            accepted = true;
            break;
          }
          if (v.dg * (hi - lo) >= 0) {
            hi = lo; fhi = flo; dghi = dglo;
          }
          lo = tj; flo = v.f; dglo = v.dg;
        }
        if (Math.abs(hi - lo) <= 1e-16 * Math.max(1, Math.abs(lo))) break;
      }
      if (!accepted && flo < f) {
        // Accept the best sufficient-decrease point found (the curvature condition could not be met in the budget).
        t = lo;
        phi(t);
        accepted = true;
      }
    }
    if (!accepted) {
      return { x, f, relativeGradient: Math.sqrt(dotv(g, g)) / g0, iterations: it - 1, evaluations, converged: false, reason: "the line search found no decrease (round-off level)" };
    }
    const s = new Float64Array(dim);
    const y = new Float64Array(dim);
    for (let i = 0; i < dim; i++) {
      s[i] = xt[i] - x[i];
      y[i] = gt[i] - g[i];
    }
    [x, xt] = [xt, x];
    [g, gt] = [gt, g];
    f = fLast;
    const sy = dotv(s, y);
    if (sy > 1e-16 * Math.sqrt(dotv(s, s) * dotv(y, y))) {
      S.push(s);
      Y.push(y);
      rho.push(1 / sy);
      if (S.length > memory) {
        S.shift();
        Y.shift();
        rho.shift();
      }
    }
    const rel = Math.sqrt(dotv(g, g)) / g0;
    if (rel <= gtol) return { x, f, relativeGradient: rel, iterations: it, evaluations, converged: true };
  }
  return {
    x,
    f,
    relativeGradient: Math.sqrt(dotv(g, g)) / g0,
    iterations: maxIterations,
    evaluations,
    converged: false,
    reason: `L-BFGS reached its cap of ${maxIterations} iterations (relative gradient ${(Math.sqrt(dotv(g, g)) / g0).toExponential(2)} > ${gtol})`,
  };
}
