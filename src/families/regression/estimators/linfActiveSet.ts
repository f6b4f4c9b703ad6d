/**
 * The exact minimiser of the l-inf adversarial regression loss (q = 1, MODEL §3.5)
 *
 *   L(beta) = (1/n) sum_i (|r_i| + eps ||beta||_1)^2,   r = y - X beta,
 *
 * by a primal active-set method (docs/THEORY.md "Regression family", R4.5). L is convex and
 * piecewise quadratic: on a region where the zero residuals A, the support F of beta and the signs
 * s_i = sign(r_i) (i not in A), sigma_j = sign(beta_j) (j in F) are fixed, n L equals
 *
 *   Q(b) = sum_{i not in A} (s_i (y_i - x_iF^T b) + eps sigma^T b)^2 + |A| (eps sigma^T b)^2
 *
 * on the affine set {X_AF b = y_A}. The method keeps a point of the current region, moves towards
 * the minimiser of Q on the region's affine set until a sign would change (that residual joins A,
 * or that coordinate leaves F), and at a minimiser checks the subgradient conditions: the
 * multipliers of A give s_i = -lambda_i / (2 eps N) (N = ||beta||_1), which must lie in [-1, 1],
 * and every j outside F needs |x_j^T psi| <= eps sum_i phi_i (phi_i = |r_i| + eps N,
 * psi_i = s_i phi_i). The largest violation is released (a row leaves A with the sign of its s_i,
 * a column enters F with the sign of x_j^T psi), and the objective strictly decreases until all
 * conditions hold: then 0 lies in the subdifferential of the convex L and beta is a global
 * minimiser (the certificate). Started at beta = 0 (F and A empty).
 *
 * Each step costs O(m^2) (m = |F| + |A|) through an explicitly maintained inverse of the KKT matrix
 * [[2 G^T G, X_AF^T], [X_AF, 0]], updated by bordering, deletion and rank-2 Woodbury updates and
 * rebuilt from scratch every REBUILD_EVERY updates and before the final check, plus O(n p) for the
 * subgradient check. X is n x p row-major.
 */

/** Updates between rebuilds of the KKT inverse. */
const REBUILD_EVERY = 200;

/**
 * The column outside F whose subgradient |x_j^T psi| / budget - 1 is largest (budget = eps sum phi):
 * the entering candidate of the method, and the optimality test of the columns.
 */
function priceColumns(x: Float64Array, psi: Float64Array, inF: Uint8Array, n: number, p: number, budget: number, c: Float64Array): { index: number; violation: number; sign: number } {
  c.fill(0);
  for (let i = 0; i < n; i++) {
    const v = psi[i];
    if (v === 0) continue;
    const o = i * p;
    for (let j = 0; j < p; j++) c[j] += x[o + j] * v;
  }
  let best = -1;
  let bestAbs = -1;
  for (let j = 0; j < p; j++) {
    if (inF[j] === 1) continue;
    const a = Math.abs(c[j]);
    if (a > bestAbs) {
      bestAbs = a;
      best = j;
    }
  }
  return { index: best, violation: best < 0 ? -Infinity : bestAbs / budget - 1, sign: best >= 0 && c[best] < 0 ? -1 : 1 };
}

/** Result of the active-set method. */
export interface LinfActiveSetResult {
  readonly beta: Float64Array;
  /** Steps taken (moves plus releases). */
  readonly iterations: number;
  /** True when the optimality conditions hold to `tolerance` at the returned beta. */
  readonly converged: boolean;
  /** The largest violation of a subgradient condition (|s_i| - 1 or |g_j| - 1, 0 when none). */
  readonly violation: number;
  /** The weighted residuals psi (sign(r_i) phi_i, and eps N s_i on A): a dual direction. */
  readonly psi: Float64Array;
  readonly reason?: string;
}

/**
 * Minimises (1/n) sum_i (|y_i - x_i^T beta| + eps ||beta||_1)^2 exactly (eps > 0). `tolerance`
 * bounds the violation of the subgradient conditions accepted as optimal (default 1e-9);
 * `maxIterations` caps the steps (default 20 (n + p) + 100).
 */
export function linfActiveSet(x: Float64Array, y: Float64Array, n: number, p: number, eps: number, options: { tolerance?: number; maxIterations?: number } = {}): LinfActiveSetResult {
  const tolerance = options.tolerance ?? 1e-9;
  const maxIterations = options.maxIterations ?? 20 * (n + p) + 100;
  const beta = new Float64Array(p);
  const r = Float64Array.from(y);
  const s = new Float64Array(n);
  const inA = new Uint8Array(n);
  const sigma = new Float64Array(p);
  const inF = new Uint8Array(p);
  for (let i = 0; i < n; i++) {
    s[i] = y[i] >= 0 ? 1 : -1;
    if (y[i] === 0) inA[i] = 1;
  }
  // Slots of the KKT system: kind 0 = column j of F, 1 = row i of A.
  let cap = Math.min(n + p, 2 * n + 8) + 1;
  let kind = new Uint8Array(cap);
  let index = new Int32Array(cap);
  let m = 0;
  let inv = new Float64Array(cap * cap);
  let updates = 0;
  let needRebuild = false;
  let colScale = 0;
  for (let k = 0; k < n * p; k++) colScale += x[k] * x[k];
  const reg = 1e-13 * Math.max(1e-300, (2 * colScale) / p);
  const psi = new Float64Array(n);
  // Column-major copy of X: column j of X at xt[j n ..].
  const xt = new Float64Array(n * p);
  for (let i = 0; i < n; i++) for (let j = 0; j < p; j++) xt[j * n + i] = x[i * p + j];
  const g = (i: number, j: number) => -s[i] * xt[j * n + i] + eps * sigma[j];
  const countA = () => {
    let c = 0;
    for (let i = 0; i < n; i++) c += inA[i];
    return c;
  };
  for (let i = 0; i < n; i++) if (inA[i] === 1) addSlot(1, i);

  /** The KKT matrix entry between slots a and b. */
  function entry(a: number, b: number, nA: number): number {
    if (kind[a] === 1 && kind[b] === 1) return 0;
    if (kind[a] === 1) return x[index[a] * p + index[b]];
    if (kind[b] === 1) return x[index[b] * p + index[a]];
    const j = index[a];
    const l = index[b];
    const cj = j * n;
    const cl = l * n;
    const ej = eps * sigma[j];
    const el = eps * sigma[l];
    let h = 0;
    for (let i = 0; i < n; i++) if (inA[i] === 0) h += (ej - s[i] * xt[cj + i]) * (el - s[i] * xt[cl + i]);
    h = 2 * h + 2 * nA * eps * eps * sigma[j] * sigma[l];
    return a === b ? h + reg : h;
  }

  function grow(): void {
    const nc = cap * 2;
    const ninv = new Float64Array(nc * nc);
    for (let a = 0; a < m; a++) for (let b = 0; b < m; b++) ninv[a * nc + b] = inv[a * cap + b];
    const nk = new Uint8Array(nc);
    nk.set(kind);
    const ni = new Int32Array(nc);
    ni.set(index);
    cap = nc;
    inv = ninv;
    kind = nk;
    index = ni;
  }

  /** Rebuilds the inverse of the KKT matrix by Gauss-Jordan elimination with partial pivoting. */
  function rebuild(): boolean {
    updates = 0;
    needRebuild = false;
    const nA = countA();
    const w = 2 * m;
    const aug = new Float64Array(m * w);
    for (let a = 0; a < m; a++) {
      for (let b = 0; b < m; b++) aug[a * w + b] = entry(a, b, nA);
      aug[a * w + m + a] = 1;
    }
    for (let c = 0; c < m; c++) {
      let piv = c;
      for (let a = c + 1; a < m; a++) if (Math.abs(aug[a * w + c]) > Math.abs(aug[piv * w + c])) piv = a;
      const pv = aug[piv * w + c];
      if (!(Math.abs(pv) > 0) || !Number.isFinite(pv)) return false;
      if (piv !== c) for (let b = 0; b < w; b++) [aug[c * w + b], aug[piv * w + b]] = [aug[piv * w + b], aug[c * w + b]];
      const ip = 1 / aug[c * w + c];
      for (let b = 0; b < w; b++) aug[c * w + b] *= ip;
      for (let a = 0; a < m; a++) {
        if (a === c) continue;
        const f = aug[a * w + c];
        if (f === 0) continue;
        for (let b = 0; b < w; b++) aug[a * w + b] -= f * aug[c * w + b];
      }
    }
    for (let a = 0; a < m; a++) for (let b = 0; b < m; b++) inv[a * cap + b] = aug[a * w + m + b];
    return true;
  }

  /** Appends a slot (bordering update of the inverse). */
  function addSlot(k: number, idx: number): void {
    if (m + 1 > cap) grow();
    kind[m] = k;
    index[m] = idx;
    if (needRebuild) {
      m++;
      return;
    }
    const nA = countA();
    const v = new Float64Array(m);
    for (let a = 0; a < m; a++) v[a] = entry(a, m, nA);
    const delta = entry(m, m, nA);
    const wv = new Float64Array(m);
    for (let a = 0; a < m; a++) {
      let t = 0;
      for (let b = 0; b < m; b++) t += inv[a * cap + b] * v[b];
      wv[a] = t;
    }
    let sch = delta;
    for (let a = 0; a < m; a++) sch -= v[a] * wv[a];
    m++;
    updates++;
    if (!(Math.abs(sch) > 1e-12 * (Math.abs(delta) + 1e-300))) {
      needRebuild = true;
      return;
    }
    const last = m - 1;
    for (let a = 0; a < last; a++) {
      const wa = wv[a] / sch;
      for (let b = 0; b < last; b++) inv[a * cap + b] += wa * wv[b];
      inv[a * cap + last] = -wa;
      inv[last * cap + a] = -wa;
    }
    inv[last * cap + last] = 1 / sch;
  }

  /** Removes slot k (deletion update of the inverse, in place). */
  function removeSlot(k: number): void {
    const z = inv[k * cap + k];
    updates++;
    if (!(Math.abs(z) > 1e-300)) needRebuild = true;
    else {
      for (let a = 0; a < m; a++) {
        if (a === k) continue;
        const qa = inv[a * cap + k] / z;
        if (qa === 0) continue;
        const ra = a * cap;
        const rk = k * cap;
        for (let b = 0; b < m; b++) inv[ra + b] -= qa * inv[rk + b];
      }
    }
    // Compact: move rows and columns after k one place up and left.
    for (let a = 0; a < m; a++) {
      const ra = a * cap;
      for (let b = k; b < m - 1; b++) inv[ra + b] = inv[ra + b + 1];
    }
    for (let a = k; a < m - 1; a++) inv.copyWithin(a * cap, (a + 1) * cap, (a + 1) * cap + m - 1);
    for (let a = k; a < m - 1; a++) {
      kind[a] = kind[a + 1];
      index[a] = index[a + 1];
    }
    m--;
  }

  /** K += u1 u1^T d1 + u2 u2^T d2 on the F slots (Woodbury). */
  function rank2(u1: Float64Array, d1: number, u2: Float64Array, d2: number): void {
    updates++;
    if (needRebuild) return;
    const z1 = new Float64Array(m);
    const z2 = new Float64Array(m);
    for (let a = 0; a < m; a++) {
      let t1 = 0;
      let t2 = 0;
      for (let b = 0; b < m; b++) {
        t1 += inv[a * cap + b] * u1[b];
        t2 += inv[a * cap + b] * u2[b];
      }
      z1[a] = t1;
      z2[a] = t2;
    }
    let a11 = 1 / d1;
    let a22 = 1 / d2;
    let a12 = 0;
    for (let a = 0; a < m; a++) {
      a11 += u1[a] * z1[a];
      a22 += u2[a] * z2[a];
      a12 += u1[a] * z2[a];
    }
    const det = a11 * a22 - a12 * a12;
    if (!(Math.abs(det) > 1e-14 * (Math.abs(a11 * a22) + a12 * a12 + 1e-300))) {
      needRebuild = true;
      return;
    }
    const i11 = a22 / det;
    const i22 = a11 / det;
    const i12 = -a12 / det;
    for (let a = 0; a < m; a++) {
      const p1 = z1[a] * i11 + z2[a] * i12;
      const p2 = z1[a] * i12 + z2[a] * i22;
      for (let b = 0; b < m; b++) inv[a * cap + b] -= p1 * z1[b] + p2 * z2[b];
    }
  }

  /** The rank-2 change of H when row i enters (sign +1) or leaves (-1) A. */
  function rowChange(i: number, direction: 1 | -1): void {
    const u1 = new Float64Array(m);
    const u2 = new Float64Array(m);
    let any = false;
    for (let a = 0; a < m; a++) {
      if (kind[a] !== 0) continue;
      any = true;
      u1[a] = g(i, index[a]);
      u2[a] = eps * sigma[index[a]];
    }
    if (!any) return;
    rank2(u1, -2 * direction, u2, 2 * direction);
  }

  function slotOf(k: number, idx: number): number {
    for (let a = 0; a < m; a++) if (kind[a] === k && index[a] === idx) return a;
    return -1;
  }

  /** Solution of the KKT system for the current slots: b on F slots, lambda on A slots. */
  function solve(): Float64Array {
    const rhs = new Float64Array(m);
    for (let a = 0; a < m; a++) {
      if (kind[a] === 1) {
        rhs[a] = y[index[a]];
        continue;
      }
      const j = index[a];
      const cj = j * n;
      const ej = eps * sigma[j];
      let c = 0;
      for (let i = 0; i < n; i++) if (inA[i] === 0) c += (ej - s[i] * xt[cj + i]) * s[i] * y[i];
      rhs[a] = -2 * c;
    }
    const sol = new Float64Array(m);
    for (let a = 0; a < m; a++) {
      let t = 0;
      for (let b = 0; b < m; b++) t += inv[a * cap + b] * rhs[b];
      sol[a] = t;
    }
    return sol;
  }

  function refreshResiduals(): void {
    for (let i = 0; i < n; i++) {
      let f = 0;
      const o = i * p;
      for (let j = 0; j < p; j++) if (inF[j] === 1) f += x[o + j] * beta[j];
      r[i] = inA[i] === 1 ? 0 : y[i] - f;
    }
  }

  /** Rebuilds the inverse when an update was unstable or after REBUILD_EVERY updates. */
  function settle(): boolean {
    if (needRebuild || updates >= REBUILD_EVERY) return rebuild();
    return true;
  }

  const failed = (reason: string): LinfActiveSetResult => ({ beta, iterations, converged: false, violation, psi, reason });

  const drBuf = new Float64Array(n);
  const priceBuf = new Float64Array(p);
  let iterations = 0;
  let violation = Infinity;
  let verified = false;
  while (iterations < maxIterations) {
    iterations++;
    const sol = solve();
    // Ratio test from the current point towards the candidate.
    const db = new Float64Array(m);
    const dr = drBuf;
    for (let a = 0; a < m; a++) if (kind[a] === 0) db[a] = sol[a] - beta[index[a]];
    dr.fill(0);
    for (let a = 0; a < m; a++) {
      if (kind[a] !== 0 || db[a] === 0) continue;
      const cj = index[a] * n;
      const d = db[a];
      for (let i = 0; i < n; i++) dr[i] -= xt[cj + i] * d;
    }
    for (let i = 0; i < n; i++) if (inA[i] === 1) dr[i] = 0;
    let tau = 1;
    let blockKind = -1;
    let blockIdx = -1;
    for (let a = 0; a < m; a++) {
      if (kind[a] !== 0) continue;
      const j = index[a];
      if (sigma[j] * db[a] < 0) {
        const t = -beta[j] / db[a];
        if (t < tau) {
          tau = Math.max(0, t);
          blockKind = 0;
          blockIdx = j;
        }
      }
    }
    for (let i = 0; i < n; i++) {
      if (inA[i] === 1) continue;
      if (s[i] * dr[i] < 0) {
        const t = -r[i] / dr[i];
        if (t < tau) {
          tau = Math.max(0, t);
          blockKind = 1;
          blockIdx = i;
        }
      }
    }
    for (let a = 0; a < m; a++) if (kind[a] === 0) beta[index[a]] += tau * db[a];
    for (let i = 0; i < n; i++) if (inA[i] === 0) r[i] += tau * dr[i];
    if (blockKind === 0) {
      beta[blockIdx] = 0;
      inF[blockIdx] = 0;
      removeSlot(slotOf(0, blockIdx));
      sigma[blockIdx] = 0;
      verified = false;
      if (!settle()) return failed("the KKT matrix of the active set is singular");
      continue;
    }
    if (blockKind === 1) {
      r[blockIdx] = 0;
      rowChange(blockIdx, 1);
      inA[blockIdx] = 1;
      addSlot(1, blockIdx);
      verified = false;
      if (!settle()) return failed("the KKT matrix of the active set is singular");
      continue;
    }
    // At the minimiser of the region: the subgradient conditions.
    let N = 0;
    for (let j = 0; j < p; j++) if (inF[j] === 1) N += sigma[j] * beta[j];
    let Phi = 0;
    for (let i = 0; i < n; i++) {
      const phi = inA[i] === 1 ? eps * N : s[i] * r[i] + eps * N;
      psi[i] = s[i] * phi;
      Phi += phi;
    }
    let worst = 0;
    let worstKind = -1;
    let worstIdx = -1;
    let worstSign = 1;
    for (let a = 0; a < m; a++) {
      if (kind[a] !== 1) continue;
      const i = index[a];
      if (!(N > 0)) continue;
      const sh = -sol[a] / (2 * eps * N);
      psi[i] = eps * N * sh;
      const v = Math.abs(sh) - 1;
      if (v > worst) {
        worst = v;
        worstKind = 1;
        worstIdx = i;
        worstSign = sh >= 0 ? 1 : -1;
      }
    }
    if (Phi > 0) {
      const best = priceColumns(x, psi, inF, n, p, eps * Phi, priceBuf);
      if (best.violation > worst) {
        worst = best.violation;
        worstKind = 0;
        worstIdx = best.index;
        worstSign = best.sign;
      }
    }
    violation = worst;
    if (worst <= tolerance) {
      if (verified) return { beta, iterations, converged: true, violation: worst, psi };
      // Verify on a freshly rebuilt inverse and residuals (no accumulated update error).
      refreshResiduals();
      if (!rebuild()) return failed("the KKT matrix of the active set is singular");
      verified = true;
      continue;
    }
    verified = false;
    if (worstKind === 1) {
      const slot = slotOf(1, worstIdx);
      inA[worstIdx] = 0;
      removeSlot(slot);
      s[worstIdx] = worstSign;
      rowChange(worstIdx, -1);
    } else {
      inF[worstIdx] = 1;
      sigma[worstIdx] = worstSign;
      beta[worstIdx] = 0;
      addSlot(0, worstIdx);
    }
    if (!settle()) return failed("the KKT matrix of the active set is singular");
  }
  return { beta, iterations, converged: false, violation, psi, reason: `the active-set method reached its cap of ${maxIterations} steps (largest violation ${violation.toExponential(2)})` };
}
