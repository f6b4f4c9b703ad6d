/**
 * Data of a regression replicate (MODEL §2.2, §5; docs/THEORY.md "Regression family", R1): the
 * source tasks' samples or their sufficient statistics, streamed task block by task block, and
 * the target sample.
 *
 * Every task t is represented by an *equivalent sample* (R_t, c_t, rho_t): R_t has m = min(n, d)
 * rows of length d, c_t has m entries and rho_t >= 0, such that R_t^T R_t = X_t^T X_t,
 * R_t^T c_t = X_t^T y_t and ||c_t||^2 + rho_t = ||y_t||^2. Every estimator that uses only these
 * statistics (spectral, AltMin, FO, the target step) reads them through `forEachTaskBlock`; the
 * method of moments and the adversarial losses need the samples themselves (`forEachSampleBlock`).
 *
 * - Sample path ("sample"): task t's rows x ~ N(0, Sigma_x), then its noise, drawn from the stream
 *   of its chunk of CHUNK_TASKS tasks ("chunk:<c>"), tasks in order. For n <= d the equivalent
 *   sample is the sample; for n > d it is the Cholesky factor of X^T X (R1.3), computed from the
 *   sample.
 * - Exact path ("exact", THEORY R1.2): for n >= d, R_t = A^T Sigma^{1/2} with A a Bartlett factor,
 *   c_t = R_t beta_t + sigma g, rho_t = sigma^2 chi^2_{n-d}: O(d^2) random numbers per task
 *   whatever n, with exactly the law of the statistics. For n < d it draws the sample, as the
 *   sample path does (same streams, same numbers).
 *
 * Memory: the equivalent samples are stored (T m d values) only when a method makes several
 * passes and T m d <= maxStoredValues; otherwise every pass regenerates them from the chunk
 * streams (the same numbers). A raw pass (`forEachSampleBlock`) replays the sample stream unless
 * the stored equivalent sample is the sample. So memory is O(d T + d^2 + block) unless storage was
 * chosen, and storage never changes a number.
 */
import { type Mat, column, zeros } from "../../core/linalg/mat.js";
import type { Rng } from "../../core/random/rng.js";
import { cholesky, solveLower } from "./linalg.js";
import { type Workspace, createWorkspace } from "./simd/kernels.js";
import type { RegressionScenario, RegressionTruth } from "./scenario.js";

/** Which sampler draws a replicate's source data. */
export type RegressionSampler = "exact" | "sample";

/** Tasks per random-number chunk: the unit of the source streams (part of the streams' definition). */
export const CHUNK_TASKS = 64;

/** Values of one task block's buffer (a block holds at least one task). */
export const BLOCK_VALUES = 1 << 18;

/** Default storage limit: 2^24 values (128 MB of Float64), the prior-work T = 6400, n = 25 sample. */
export const DEFAULT_MAX_STORED_VALUES = 1 << 24;

/** Consecutive tasks' equivalent samples or samples, row-major. */
export interface TaskBlock {
  /** Index of the block's first task. */
  readonly first: number;
  /** Tasks in the block. */
  readonly count: number;
  /** Rows per task. */
  readonly rows: number;
  /** Row length (d). */
  readonly d: number;
  /** Rows of task first + k at x[(k rows + i) d ...], i < rows. */
  readonly x: Float64Array;
  /** Responses, task k's at y[k rows + i]. */
  readonly y: Float64Array;
  /** rho of each task: ||y_t||^2 - ||c_t||^2 (0 when the rows are the sample). */
  readonly rest: Float64Array;
  /**
   * When the block is the stored data: the element offsets of x and y in `RegressionData.workspace`
   * (x and y are then views of that memory), so the SIMD kernels read them without a copy.
   */
  readonly xOffset?: number;
  readonly yOffset?: number;
}

/** The source data of a replicate and its target sample. */
export interface RegressionData {
  readonly d: number;
  readonly T: number;
  readonly n: number;
  /** Rows of each task's equivalent sample: min(n, d). */
  readonly rows: number;
  /** Whether the samples themselves are available (sample path). */
  readonly hasSamples: boolean;
  /** Whether the equivalent samples are kept in memory. */
  readonly stored: boolean;
  /**
   * The SIMD workspace that holds the stored equivalent samples (rows, then responses) once the
   * first pass has filled the store, else null; its elements from `scratchBase` on are free for
   * an estimator's own use (so kernels read the store in place). Growing it keeps the store.
   */
  readonly workspace: Workspace | null;
  readonly scratchBase: number;
  /** Streams the equivalent samples of all tasks, in task order. */
  forEachTaskBlock(fn: (block: TaskBlock) => void): void;
  /** Streams the samples (rows = n); only on the sample path. */
  forEachSampleBlock(fn: (block: TaskBlock) => void): void;
  /** X_t^T y_t for every task (d x T). */
  xty(): Mat;
  /** ||y_t||^2 for every task. */
  yy(): Float64Array;
  /** The target sample: n0 rows of length d (row-major) and responses. */
  readonly target: { readonly n0: number; readonly x: Float64Array; readonly y: Float64Array };
  /** How many passes over the source data have been made (a cost diagnostic). */
  passes(): number;
}

/** Stored equivalent samples: rows and responses in a SIMD workspace, rho in an array. */
interface Store {
  readonly ws: Workspace;
  readonly rest: Float64Array;
}

/** Options of the data of a replicate. */
export interface DataOptions {
  readonly sampler: RegressionSampler;
  /** Keep the equivalent samples in memory when they fit. */
  readonly store: boolean;
  readonly maxStoredValues?: number;
}

/** Draws task t's sample into x (n rows at offset xo) and y (offset yo) from rng. */
function drawTaskSample(truth: RegressionTruth, t: number, n: number, sigma: number, rng: Rng, x: Float64Array, xo: number, y: Float64Array, yo: number, noise: Float64Array): void {
  const d = truth.basis.rows;
  const xs = x.subarray(xo, xo + n * d);
  rng.fillNormal(xs);
  const design = truth.design;
  if (!design.isotropic) for (let i = 0; i < n; i++) design.root(x, xo + i * d);
  const beta = column(truth.betas, t);
  const support = truth.support;
  const dense = support.length === d;
  for (let i = 0; i < n; i++) {
    const o = xo + i * d;
    let s = 0;
    if (dense) for (let j = 0; j < d; j++) s += x[o + j] * beta[j];
    else for (let a = 0; a < support.length; a++) s += x[o + support[a]] * beta[support[a]];
    y[yo + i] = s;
  }
  const xi = noise.subarray(0, n);
  rng.fillNormal(xi);
  for (let i = 0; i < n; i++) y[yo + i] += sigma * xi[i];
}

/**
 * Draws task t's exact equivalent sample for n >= d (THEORY R1.2): rows of R = A^T Sigma^{1/2}
 * (row i = Sigma^{1/2} applied to (0, .., 0, chi_{n-i}, N(0,1), .., N(0,1))), c = R beta + sigma g,
 * and returns rho = sigma^2 chi^2_{n-d}.
 */
function drawTaskExact(truth: RegressionTruth, t: number, n: number, sigma: number, rng: Rng, x: Float64Array, xo: number, y: Float64Array, yo: number, noise: Float64Array): number {
  const d = truth.basis.rows;
  for (let i = 0; i < d; i++) {
    const o = xo + i * d;
    for (let j = 0; j < i; j++) x[o + j] = 0;
    x[o + i] = Math.sqrt(rng.chiSquare(n - i));
    if (i + 1 < d) rng.fillNormal(x.subarray(o + i + 1, o + d));
  }
  const design = truth.design;
  if (!design.isotropic) for (let i = 0; i < d; i++) design.root(x, xo + i * d);
  const beta = column(truth.betas, t);
  for (let i = 0; i < d; i++) {
    const o = xo + i * d;
    let s = 0;
    for (let j = 0; j < d; j++) s += x[o + j] * beta[j];
    y[yo + i] = s;
  }
  const g = noise.subarray(0, d);
  rng.fillNormal(g);
  for (let i = 0; i < d; i++) y[yo + i] += sigma * g[i];
  return sigma * sigma * rng.chiSquare(n - d);
}

/** Samples per call of the symmetric rank-k kernel in `compress`. */
const SYRK_CHUNK = 256;

/** The samplers' own workspace (the estimators' one may hold state during a pass that compresses). */
let samplerWs: Workspace | null = null;

/**
 * Compresses a sample of n > d rows to its equivalent sample (THEORY R1.3): R = L^T with
 * L L^T = X^T X (Cholesky), c = L^{-1} X^T y, rho = ||y||^2 - ||c||^2 (>= 0 up to round-off, and
 * set to 0 below: it is the residual sum of squares of least squares). Writes d rows into out.
 * X^T X, X^T y and ||y||^2 are the blocks of Z^T Z for Z = [X y] (n x (d + 1)), accumulated
 * SYRK_CHUNK rows at a time by the SIMD kernel syrk (simd/kernels.ts).
 * @throws Error when X^T X is not numerically positive definite (probability 0 for Gaussian designs).
 */
function compress(x: Float64Array, xo: number, y: Float64Array, yo: number, n: number, d: number, out: Float64Array, oo: number, c: Float64Array, co: number, gram: Float64Array, t: number): number {
  const ws = (samplerWs ??= createWorkspace());
  const dp = Math.ceil((d + 1) / 4) * 4;
  const pairs = dp / 2;
  const chunkOff = dp * dp;
  ws.reserve(chunkOff + SYRK_CHUNK * dp);
  const f = ws.f64;
  f.fill(0, 0, dp * dp);
  for (let s0 = 0; s0 < n; s0 += SYRK_CHUNK) {
    const cnt = Math.min(SYRK_CHUNK, n - s0);
    for (let i = 0; i < cnt; i++) {
      const o = xo + (s0 + i) * d;
      for (let p = 0; p < pairs; p++) {
        const base = chunkOff + (p * cnt + i) * 2;
        const col = 2 * p;
        f[base] = col < d ? x[o + col] : col === d ? y[yo + s0 + i] : 0;
        f[base + 1] = col + 1 < d ? x[o + col + 1] : col + 1 === d ? y[yo + s0 + i] : 0;
      }
    }
    ws.kernels.syrk(chunkOff, cnt, dp, 0);
  }
  // Upper 4 x 4 tiles: entry (a, b) with a <= b at f[a dp + b].
  const xty = c.subarray(co, co + d);
  for (let a = 0; a < d; a++) {
    for (let b = 0; b <= a; b++) gram[a * d + b] = f[b * dp + a];
    xty[a] = f[a * dp + d];
  }
  const yy = f[d * dp + d];
  if (!cholesky(gram, d)) throw new Error(`task ${t}: X^T X is not numerically positive definite (n = ${n}, d = ${d})`);
  solveLower(gram, d, xty);
  // R = L^T: row i of R is column i of L.
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) out[oo + i * d + j] = gram[j * d + i];
  let cc = 0;
  for (let i = 0; i < d; i++) cc += xty[i] * xty[i];
  return Math.max(0, yy - cc);
}

/** The data of a replicate: source streams from `rng` ("chunk:<c>"), target sample from "target". */
export function drawRegressionData(sc: RegressionScenario, truth: RegressionTruth, rng: Rng, options: DataOptions): RegressionData {
  const { d, T, n, n0, sigma } = sc;
  const rows = Math.min(n, d);
  const exactBartlett = options.sampler === "exact" && n >= d;
  const hasSamples = options.sampler === "sample";
  const maxStored = options.maxStoredValues ?? DEFAULT_MAX_STORED_VALUES;
  const stored = options.store && T * rows * d <= maxStored;
  const chunks = Math.ceil(T / CHUNK_TASKS);
  const chunkRng = (c: number) => rng.fork(`chunk:${c}`);

  // Target sample.
  const targetRng = rng.fork("target");
  const tx = new Float64Array(n0 * d);
  const ty = new Float64Array(n0);
  {
    targetRng.fillNormal(tx);
    if (!truth.design.isotropic) for (let i = 0; i < n0; i++) truth.design.root(tx, i * d);
    for (let i = 0; i < n0; i++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += tx[i * d + j] * truth.targetBeta[j];
      ty[i] = s;
    }
    const xi = targetRng.fillNormal(new Float64Array(n0));
    for (let i = 0; i < n0; i++) ty[i] += sigma * xi[i];
  }

  let passCount = 0;
  const noise = new Float64Array(Math.max(n, d));
  // Raw pass buffers: at least one task, at most a chunk.
  const rawTasksPerBlock = Math.max(1, Math.min(CHUNK_TASKS, Math.floor(BLOCK_VALUES / (n * d))));
  const statTasksPerBlock = Math.max(1, Math.min(CHUNK_TASKS, Math.floor(BLOCK_VALUES / (rows * d))));
  let rawX: Float64Array | null = null;
  let rawY: Float64Array | null = null;
  let statX: Float64Array | null = null;
  let statY: Float64Array | null = null;
  let statRest: Float64Array | null = null;
  const gram = n > d ? new Float64Array(d * d) : new Float64Array(0);

  /** Replays the sample stream: calls fn on blocks of samples (rows = n). */
  function replaySamples(fn: (b: TaskBlock) => void): void {
    passCount++;
    rawX ??= new Float64Array(rawTasksPerBlock * n * d);
    rawY ??= new Float64Array(rawTasksPerBlock * n);
    const zeroRest = new Float64Array(rawTasksPerBlock);
    for (let c = 0; c < chunks; c++) {
      const crng = chunkRng(c);
      const end = Math.min(T, (c + 1) * CHUNK_TASKS);
      for (let first = c * CHUNK_TASKS; first < end; first += rawTasksPerBlock) {
        const count = Math.min(rawTasksPerBlock, end - first);
        for (let k = 0; k < count; k++) drawTaskSample(truth, first + k, n, sigma, crng, rawX, k * n * d, rawY, k * n, noise);
        fn({ first, count, rows: n, d, x: rawX, y: rawY, rest: zeroRest });
      }
    }
  }

  /** Produces the equivalent samples (from the sample or the Bartlett stream): calls fn on blocks. */
  function produceStatistics(fn: (b: TaskBlock) => void): void {
    if (!exactBartlett && rows === n) {
      replaySamples(fn);
      return;
    }
    passCount++;
    statX ??= new Float64Array(statTasksPerBlock * rows * d);
    statY ??= new Float64Array(statTasksPerBlock * rows);
    statRest ??= new Float64Array(statTasksPerBlock);
    const sx = statX;
    const sy = statY;
    const sr = statRest;
    if (exactBartlett) {
      for (let c = 0; c < chunks; c++) {
        const crng = chunkRng(c);
        const end = Math.min(T, (c + 1) * CHUNK_TASKS);
        for (let first = c * CHUNK_TASKS; first < end; first += statTasksPerBlock) {
          const count = Math.min(statTasksPerBlock, end - first);
          for (let k = 0; k < count; k++) sr[k] = drawTaskExact(truth, first + k, n, sigma, crng, sx, k * d * d, sy, k * d, noise);
          fn({ first, count, rows, d, x: sx, y: sy, rest: sr });
        }
      }
      return;
    }
    // Sample path with n > d: compress each task's sample (one task per raw block here).
    const taskX = new Float64Array(n * d);
    const taskY = new Float64Array(n);
    for (let c = 0; c < chunks; c++) {
      const crng = chunkRng(c);
      const end = Math.min(T, (c + 1) * CHUNK_TASKS);
      for (let first = c * CHUNK_TASKS; first < end; first += statTasksPerBlock) {
        const count = Math.min(statTasksPerBlock, end - first);
        for (let k = 0; k < count; k++) {
          drawTaskSample(truth, first + k, n, sigma, crng, taskX, 0, taskY, 0, noise);
          sr[k] = compress(taskX, 0, taskY, 0, n, d, sx, k * d * d, sy, k * d, gram, first + k);
        }
        fn({ first, count, rows, d, x: sx, y: sy, rest: sr });
      }
    }
  }

  // Storage and the cached statistics X_t^T y_t, ||y_t||^2, filled by the first pass.
  let store: Store | null = null;
  const xLen = T * rows * d;
  const yLen = T * rows;
  /** A store in a workspace of its own: x at [0, xLen), y at [xLen, xLen + yLen). */
  const newStore = (): Store | null => {
    if (!stored) return null;
    const ws = createWorkspace();
    ws.reserve(xLen + yLen);
    return { ws, rest: new Float64Array(T) };
  };
  let xtyCache: Mat | null = null;
  let yyCache: Float64Array | null = null;

  /** One production pass that fills the caches (and the store), calling fn on each block too. */
  function fillPass(produce: (fn: (b: TaskBlock) => void) => void, fn: ((b: TaskBlock) => void) | null): void {
    const xtyM = zeros(d, T);
    const yyV = new Float64Array(T);
    const st = newStore();
    produce((b) => {
      if (b.rows === rows) {
        recordStatistics(b, xtyM, yyV);
        if (st !== null) {
          st.ws.f64.set(b.x.subarray(0, b.count * rows * d), b.first * rows * d);
          st.ws.f64.set(b.y.subarray(0, b.count * rows), xLen + b.first * rows);
          st.rest.set(b.rest.subarray(0, b.count), b.first);
        }
      }
      if (fn !== null) fn(b);
    });
    xtyCache = xtyM;
    yyCache = yyV;
    store = st;
  }

  function ensureStatistics(): void {
    if (xtyCache === null) fillPass(produceStatistics, null);
  }

  function forEachTaskBlock(fn: (b: TaskBlock) => void): void {
    if (xtyCache === null) {
      fillPass(produceStatistics, fn);
      return;
    }
    if (store !== null) {
      const st = store;
      for (let first = 0; first < T; first += statTasksPerBlock) {
        const count = Math.min(statTasksPerBlock, T - first);
        const f = st.ws.f64;
        const xOffset = first * rows * d;
        const yOffset = xLen + first * rows;
        fn({
          first,
          count,
          rows,
          d,
          x: f.subarray(xOffset, xOffset + count * rows * d),
          y: f.subarray(yOffset, yOffset + count * rows),
          rest: st.rest.subarray(first, first + count),
          xOffset,
          yOffset,
        });
      }
      return;
    }
    produceStatistics(fn);
  }

  function forEachSampleBlock(fn: (b: TaskBlock) => void): void {
    if (!hasSamples) throw new RangeError("forEachSampleBlock: the exact path has no samples (a method that needs them must run on the sample path)");
    if (rows === n) {
      // The equivalent sample is the sample: the first raw pass may fill the store.
      if (xtyCache === null) {
        fillPass(replaySamples, fn);
        return;
      }
      forEachTaskBlock(fn);
      return;
    }
    if (xtyCache === null) {
      fusedPass(fn);
      return;
    }
    replaySamples(fn);
  }

  /**
   * A raw pass (n > d) that also compresses every task's sample (the numbers of a statistics pass:
   * the same streams) and fills the caches and the store, so the statistics need no second draw.
   */
  function fusedPass(fn: (b: TaskBlock) => void): void {
    const xtyM = zeros(d, T);
    const yyV = new Float64Array(T);
    const st = newStore();
    const tx = new Float64Array(rows * d);
    const ty = new Float64Array(rows);
    const tr = new Float64Array(1);
    replaySamples((b) => {
      for (let k = 0; k < b.count; k++) {
        const t = b.first + k;
        tr[0] = compress(b.x, k * n * d, b.y, k * n, n, d, tx, 0, ty, 0, gram, t);
        recordStatistics({ first: t, count: 1, rows, d, x: tx, y: ty, rest: tr }, xtyM, yyV);
        if (st !== null) {
          st.ws.f64.set(tx, t * rows * d);
          st.ws.f64.set(ty, xLen + t * rows);
          st.rest[t] = tr[0];
        }
      }
      fn(b);
    });
    xtyCache = xtyM;
    yyCache = yyV;
    store = st;
  }

  return {
    d,
    T,
    n,
    rows,
    hasSamples,
    stored,
    get workspace() {
      return store === null ? null : store.ws;
    },
    scratchBase: xLen + yLen,
    forEachTaskBlock,
    forEachSampleBlock,
    xty() {
      ensureStatistics();
      return xtyCache as unknown as Mat;
    },
    yy() {
      ensureStatistics();
      return yyCache as unknown as Float64Array;
    },
    target: { n0, x: tx, y: ty },
    passes: () => passCount,
  };
}

/**
 * Where a block's rows (and, with `withY`, responses) are in `ws` for the SIMD kernels: in place
 * when `ws` is the data's own workspace and the block is stored there, else copied to the
 * elements from `scratch` on (ws grown to fit: views taken before are stale).
 */
export function placeBlock(ws: Workspace, data: RegressionData, b: TaskBlock, scratch: number, withY: boolean): { xOff: number; yOff: number } {
  if (ws === data.workspace) {
    // Every block of a stored data set carries its offsets; growing its memory would detach b.x.
    if (b.xOffset === undefined || b.yOffset === undefined) throw new Error("placeBlock: a block in the data's own workspace without offsets");
    return { xOff: b.xOffset, yOff: b.yOffset };
  }
  const len = b.count * b.rows * b.d;
  ws.reserve(scratch + len + (withY ? b.count * b.rows : 0));
  ws.f64.set(b.x.subarray(0, len), scratch);
  if (withY) ws.f64.set(b.y.subarray(0, b.count * b.rows), scratch + len);
  return { xOff: scratch, yOff: scratch + len };
}

/** Adds a block's X_t^T y_t = R_t^T c_t and ||y_t||^2 = ||c_t||^2 + rho_t to the caches. */
function recordStatistics(b: TaskBlock, xty: Mat, yy: Float64Array): void {
  const { d, rows } = b;
  for (let k = 0; k < b.count; k++) {
    const t = b.first + k;
    const out = column(xty, t);
    let s = b.rest[k];
    for (let i = 0; i < rows; i++) {
      const yi = b.y[k * rows + i];
      s += yi * yi;
      const o = (k * rows + i) * d;
      for (let j = 0; j < d; j++) out[j] += b.x[o + j] * yi;
    }
    yy[t] = s;
  }
}
