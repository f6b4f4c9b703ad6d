/**
 * Data of one mixture replicate (MODEL §2.1), drawn either sample by sample or through the exact
 * distributional facts E1 and E2 of MODEL §5. Estimators see only the `MixtureData` interface,
 * so every estimator runs unchanged on both paths.
 */
import { type Mat, copyOf, floats, zeros, column } from "../../core/linalg/mat.js";
import type { Rng, RngState } from "../../core/random/rng.js";
import type { MixtureScenario, MixtureTruth } from "./scenario.js";

/** What the mixture estimators may know of a replicate's data. */
export interface MixtureData {
  /** Labelled source statistics v_t = (1/n) sum_i y_i x_i as the columns of a d x T matrix. */
  readonly sourceStatistics: Mat;
  /** The target statistic v_0 = (1/n0) sum_i y_i x_i (length d). */
  readonly targetStatistic: Float64Array;
  /**
   * The pseudo-labelled sum sum_{i<m} yhat_i x_i over task t's unlabelled samples, with
   * yhat_i = sign(<teacher, x_i>) and sign(0) = +1 (MODEL §3.3); a null teacher (a dropped task)
   * labels every sample +1. On the exact path `rng` drives the draw (E2); the sample path
   * ignores it and uses the first m samples of task t's own stream.
   */
  pseudoLabelledSum(t: number, teacher: Float64Array | null, m: number, rng: Rng): Float64Array;
}

/**
 * Sample-level path: every sample x = y mu + sigma g is generated (MODEL §2.1). The labelled
 * samples are folded into v_t as they are drawn. The unlabelled samples of task t are the
 * prefix of a stream of its own ("unlabelled:t"), replayed at each pseudo-labelling call rather
 * than stored: every method and every round sees the same samples (the first m of them), memory
 * stays O(d), and a row never leaves the cache between its generation, its teacher's score and
 * its accumulation. Cost O(n d T) for the statistics plus O(m d) per pseudo-labelled task.
 */
export function sampleMixtureData(sc: MixtureScenario, truth: MixtureTruth, rng: Rng): MixtureData {
  const { d, T, n, n0, sigma } = sc;
  const sourceStatistics = zeros(d, T);
  const g = floats(d);
  const labelledRng = rng.fork("labelled");
  for (let t = 0; t < T; t++) {
    const mu = column(truth.means, t);
    const v = column(sourceStatistics, t);
    accumulateLabelled(v, mu, sigma, n, g, labelledRng);
  }
  const targetStatistic = floats(d);
  accumulateLabelled(targetStatistic, truth.targetMean, sigma, n0, g, rng.fork("target"));
  const row = floats(d);
  return {
    sourceStatistics,
    targetStatistic,
    pseudoLabelledSum(t, teacher, m) {
      const mu = column(truth.means, t);
      const stream = rng.fork(`unlabelled:${t}`);
      const out = floats(d);
      for (let i = 0; i < m; i++) {
        stream.fillNormal(row);
        const y = stream.sign();
        for (let k = 0; k < d; k++) row[k] = y * mu[k] + sigma * row[k];
        let yhat = 1;
        if (teacher !== null) {
          // Four partial sums break the dependency chain of the dot product.
          let s0 = 0;
          let s1 = 0;
          let s2 = 0;
          let s3 = 0;
          let k = 0;
          for (; k + 3 < d; k += 4) {
            s0 += teacher[k] * row[k];
            s1 += teacher[k + 1] * row[k + 1];
            s2 += teacher[k + 2] * row[k + 2];
            s3 += teacher[k + 3] * row[k + 3];
          }
          for (; k < d; k++) s0 += teacher[k] * row[k];
          yhat = s0 + s1 + (s2 + s3) >= 0 ? 1 : -1;
        }
        if (yhat > 0) for (let k = 0; k < d; k++) out[k] += row[k];
        else for (let k = 0; k < d; k++) out[k] -= row[k];
      }
      return out;
    },
  };
}

/** v <- (1/count) sum_i y_i x_i over `count` fresh samples x_i = y_i mu + sigma g_i. */
function accumulateLabelled(v: Float64Array, mu: Float64Array, sigma: number, count: number, g: Float64Array, rng: Rng): void {
  const d = v.length;
  for (let i = 0; i < count; i++) {
    rng.fillNormal(g);
    const y = rng.sign();
    // y * x = y * (y mu + sigma g) = mu + y sigma g, written out as the product of label and sample.
    for (let k = 0; k < d; k++) v[k] += y * (y * mu[k] + sigma * g[k]);
  }
  const inv = 1 / count;
  for (let k = 0; k < d; k++) v[k] *= inv;
}

/**
 * E1: v = mu + (sigma / sqrt(count)) z with z ~ N(0, I_d), exactly the law of
 * (1/count) sum_i y_i x_i, since y_i x_i = mu + sigma y_i g_i and y_i g_i ~ N(0, I_d). O(d).
 */
export function exactStatistic(mu: Float64Array, sigma: number, count: number, rng: Rng): Float64Array {
  const v = rng.fillNormal(floats(mu.length));
  const scale = sigma / Math.sqrt(count);
  for (let k = 0; k < v.length; k++) v[k] = mu[k] + scale * v[k];
  return v;
}

/**
 * E2: an exact draw of sum_{i<m} yhat_i x_i for m fresh unlabelled samples of a task with mean
 * mu, pseudo-labelled by a unit teacher beta independent of them. With Z_i = <g_i, beta> and
 * g_i = Z_i beta + g_perp_i, yhat_i = sign(y_i c + sigma Z_i) (c = <beta, mu>) depends only on
 * the scalars (y_i, Z_i), and
 *   sum yhat_i x_i = (sum yhat_i y_i) mu + sigma (sum yhat_i Z_i) beta + sigma sqrt(m) h,
 * h ~ N(0, I - beta beta^T) independent of the scalars. A null teacher labels everything +1:
 * (sum y_i) mu + sigma sqrt(m) h with h ~ N(0, I_d). Cost O(m + d). `beta` must be a unit vector.
 */
export function exactPseudoLabelledSum(
  mu: Float64Array,
  sigma: number,
  beta: Float64Array | null,
  m: number,
  rng: Rng,
): Float64Array {
  return pseudoLabelledSumFromDraws(mu, sigma, beta, m, drawPseudoLabelNoise(mu.length, beta === null, m, rng));
}

/**
 * The random numbers E2 uses, in the order it draws them: h (d normals), then m signs y_i (a null
 * teacher) or m pairs (y_i, Z_i). They depend on the stream and on (d, m, whether the teacher is
 * null) only, not on the teacher's direction.
 */
interface PseudoLabelNoise {
  readonly h: Float64Array;
  readonly ys: Float64Array;
  readonly zs: Float64Array | null;
}

function drawPseudoLabelNoise(d: number, nullTeacher: boolean, m: number, rng: Rng): PseudoLabelNoise {
  const h = rng.fillNormal(floats(d));
  if (nullTeacher) {
    const ys = floats(m);
    for (let i = 0; i < m; i++) ys[i] = rng.sign();
    return { h, ys, zs: null };
  }
  // The pairs (y_i, Z_i), drawn as alternating sign() and normal() calls would draw them.
  const ys = floats(m);
  const zs = floats(m);
  rng.fillSignsAndNormals(ys, zs);
  return { h, ys, zs };
}

function pseudoLabelledSumFromDraws(mu: Float64Array, sigma: number, beta: Float64Array | null, m: number, noise: PseudoLabelNoise): Float64Array {
  const d = mu.length;
  const h = copyOf(noise.h);
  const root = sigma * Math.sqrt(m);
  const ys = noise.ys;
  if (beta === null) {
    let sumY = 0;
    for (let i = 0; i < m; i++) sumY += ys[i];
    for (let k = 0; k < d; k++) h[k] = sumY * mu[k] + root * h[k];
    return h;
  }
  const zs = noise.zs as Float64Array;
  let c = 0;
  for (let k = 0; k < d; k++) c += beta[k] * mu[k];
  let sumYhatY = 0;
  let sumYhatZ = 0;
  for (let i = 0; i < m; i++) {
    const y = ys[i];
    const z = zs[i];
    const yhat = y * c + sigma * z >= 0 ? 1 : -1;
    sumYhatY += yhat * y;
    sumYhatZ += yhat * z;
  }
  // Project h onto the orthogonal complement of beta: h <- h - <h, beta> beta.
  let hb = 0;
  for (let k = 0; k < d; k++) hb += h[k] * beta[k];
  const coefBeta = sigma * sumYhatZ - root * hb;
  for (let k = 0; k < d; k++) h[k] = sumYhatY * mu[k] + coefBeta * beta[k] + root * h[k];
  return h;
}

/**
 * Exact path: source and target statistics by E1, pseudo-labelled sums by E2 drawn afresh at each
 * call (fresh unlabelled data for every method and round). Cost O(d T) per replicate plus
 * O(m + d) per pseudo-labelled task.
 */
export function exactMixtureData(sc: MixtureScenario, truth: MixtureTruth, rng: Rng): MixtureData {
  const { d, T, n, n0, sigma } = sc;
  const sourceStatistics = zeros(d, T);
  const labelledRng = rng.fork("labelled");
  for (let t = 0; t < T; t++) {
    sourceStatistics.data.set(exactStatistic(column(truth.means, t), sigma, n, labelledRng), t * d);
  }
  const targetStatistic = exactStatistic(truth.targetMean, sigma, n0, rng.fork("target"));
  const noiseByStream = new Map<string, { readonly noise: PseudoLabelNoise; readonly state: RngState }>();
  return {
    sourceStatistics,
    targetStatistic,
    pseudoLabelledSum(t, teacher, m, callRng) {
      const mu = column(truth.means, t);
      if (!callRng.untouched || m + d > NOISE_MAX_DRAWS) return exactPseudoLabelledSum(mu, sigma, teacher, m, callRng);
      // A fresh stream's draws depend on its key alone, so methods that share a label (the cells
      // of an eps sweep: one stream per task for every radius) draw them once per replicate; the
      // stream is then left where the draws would have left it. Bit for bit the uncached result.
      const key = `${callRng.key}\u0000${m}\u0000${teacher === null ? "null" : "unit"}`;
      let seen = noiseByStream.get(key);
      if (seen === undefined) {
        const noise = drawPseudoLabelNoise(d, teacher === null, m, callRng);
        seen = { noise, state: callRng.snapshot() };
        if (noiseByStream.size >= 4 * T) noiseByStream.delete(noiseByStream.keys().next().value as string);
        noiseByStream.set(key, seen);
      } else {
        callRng.restore(seen.state);
      }
      return pseudoLabelledSumFromDraws(mu, sigma, teacher, m, seen.noise);
    },
  };
}

/**
 * The E2 draws a replicate's data keeps: those of at most 4 T streams (two labels with two rounds,
 * oldest dropped first), each of at most this many numbers (a stream of more is drawn each time).
 */
const NOISE_MAX_DRAWS = 1 << 16;
