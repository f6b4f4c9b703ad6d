/**
 * With phi = identity and regression labels the two-layer family is the linear model of MODEL
 * §2.2 (MODEL §2.3): f_t(x) = <W^T v_t, x>. These tests check the two-layer pipeline against the
 * linear theory where both apply: multi-task ERM (§3.5), the target step (§5 E3) and the
 * adversarial population risk (§5 E4).
 */
import { describe, expect, it } from "vitest";
import { Rng } from "../../../../src/core/random/rng.js";
import { type Mat, zeros } from "../../../../src/core/linalg/mat.js";
import { haarOrthonormal, sinTheta, thinQR } from "../../../../src/core/linalg/decompositions.js";
import { drawTwoLayerTruth, sampleTwoLayer } from "../../../../src/families/two-layer/scenario.js";
import { initialNetwork, networkWithHeads } from "../../../../src/families/two-layer/estimators/network.js";
import { trainTwoLayer } from "../../../../src/families/two-layer/estimators/train.js";
import { labelledTrainingData } from "../../../../src/families/two-layer/estimators/trainingData.js";
import { featureMatrix, fitTwoLayerHead, leastSquaresHead } from "../../../../src/families/two-layer/estimators/targetHead.js";
import { attackInputs } from "../../../../src/families/two-layer/estimators/attack.js";
import { lossAndGradient } from "../../../../src/families/two-layer/estimators/kernels.js";
import { meanSe } from "../../../statistics.js";

/** Solves the symmetric positive definite system A z = b (A k x k, row-major) by Cholesky. */
function solveSpd(a: Float64Array, b: Float64Array, k: number): Float64Array {
  const l = new Float64Array(k * k);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i * k + j];
      for (let p = 0; p < j; p++) s -= l[i * k + p] * l[j * k + p];
      l[i * k + j] = i === j ? Math.sqrt(s) : s / l[j * k + j];
    }
  }
  const z = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    let s = b[i];
    for (let p = 0; p < i; p++) s -= l[i * k + p] * z[p];
    z[i] = s / l[i * k + i];
  }
  for (let i = k - 1; i >= 0; i--) {
    let s = z[i];
    for (let p = i + 1; p < k; p++) s -= l[p * k + i] * z[p];
    z[i] = s / l[i * k + i];
  }
  return z;
}

/**
 * Multi-task ERM min_{U, w_t} sum_t ||y_t - X_t U w_t||^2 by alternating minimisation (MODEL
 * §3.5), written independently of the two-layer code: heads by least squares given U, then U by
 * least squares given the heads (a d r x d r system). Returns U (d x r) and the mean loss.
 */
function alternatingErm(x: Float64Array, y: Float64Array, task: Int32Array, d: number, r: number, T: number, u0: Mat, iterations: number) {
  const count = task.length;
  let u: Float64Array = Float64Array.from(u0.data); // column-major d x r
  const heads = new Float64Array(T * r);
  const z = new Float64Array(count * r); // z_i = U^T x_i
  for (let it = 0; it < iterations; it++) {
    for (let i = 0; i < count; i++) for (let k = 0; k < r; k++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += u[j + k * d] * x[i * d + j];
      z[i * r + k] = s;
    }
    for (let t = 0; t < T; t++) {
      const rows = [];
      for (let i = 0; i < count; i++) if (task[i] === t) rows.push(i);
      const a = zeros(rows.length, r);
      const yt = new Float64Array(rows.length);
      rows.forEach((i, q) => {
        for (let k = 0; k < r; k++) a.data[q + k * rows.length] = z[i * r + k];
        yt[q] = y[i];
      });
      heads.set(leastSquaresHead(a, yt), t * r);
    }
    // U: residual y_i - <x_i, U w_t> is linear in vec(U) with coefficient w_t (x) x_i.
    const k = d * r;
    const g = new Float64Array(k * k);
    const b = new Float64Array(k);
    const f = new Float64Array(k);
    for (let i = 0; i < count; i++) {
      const t = task[i];
      for (let c = 0; c < r; c++) for (let j = 0; j < d; j++) f[j + c * d] = heads[t * r + c] * x[i * d + j];
      for (let p = 0; p < k; p++) {
        b[p] += f[p] * y[i];
        for (let q = 0; q <= p; q++) g[p * k + q] += f[p] * f[q];
      }
    }
    for (let p = 0; p < k; p++) for (let q = p + 1; q < k; q++) g[p * k + q] = g[q * k + p];
    u = solveSpd(g, b, k);
  }
  let loss = 0;
  for (let i = 0; i < count; i++) {
    let fit = 0;
    for (let c = 0; c < r; c++) for (let j = 0; j < d; j++) fit += u[j + c * d] * heads[task[i] * r + c] * x[i * d + j];
    loss += (y[i] - fit) ** 2;
  }
  return { u: thinQR({ rows: d, cols: r, data: u }).q, loss: loss / count };
}

describe("phi = identity agrees with the linear model", () => {
  it("training reaches the multi-task ERM of MODEL §3.5 (alternating minimisation)", () => {
    const d = 8;
    const r = 2;
    const T = 6;
    const rng = new Rng("erm");
    const truth = drawTwoLayerTruth({ d, r, T, s: d, headNorm: 1 }, rng.fork("truth"));
    const sample = sampleTwoLayer(truth, "identity", truth.sourceHeads, 25, { kind: "regression", sigma: 0.5 }, rng.fork("sample"));
    const init = initialNetwork(r, d, T, 1, rng.fork("init"));
    const net = trainTwoLayer(init, labelledTrainingData(sample), "identity", "squared", { optimiser: "gd", steps: 20000, learningRate: 0.3, attack: null }, rng).net;
    const erm = alternatingErm(sample.x, sample.y, sample.task, d, r, T, haarOrthonormal(d, r, rng.fork("u0")), 300);
    // Equal task sizes: the two-layer objective (mean over tasks of mean squared error) is the
    // ERM objective divided by the sample count.
    const nnLoss = lossAndGradient(net, labelledTrainingData(sample), "identity", "squared", null);
    expect(nnLoss).toBeCloseTo(erm.loss, 9);
    const rows = thinQR({ rows: d, cols: r, data: Float64Array.from(net.w) }).q;
    expect(sinTheta(rows, erm.u)).toBeLessThan(1e-5);
  });

  it("the target step matches E3: E[excess | U] = b^2 + (sigma^2 + b^2) r / (n0 - r - 1)", () => {
    // MODEL §5 E3 for least squares on U^T x with x ~ N(0, I_d): b^2 = ||(I - U U^T) beta_0||^2,
    // and the excess of a linear predictor is exactly ||U w - beta_0||^2.
    const d = 10;
    const r = 3;
    const n0 = 12;
    const sigma = 0.7;
    const rng = new Rng("e3");
    const truth = drawTwoLayerTruth({ d, r, T: 1, s: d, headNorm: 1.3 }, rng.fork("truth"));
    // A representation at a moderate angle to the truth: orthonormalised B* + 0.6 G.
    const g = rng.fork("g").fillNormal(new Float64Array(d * r));
    const u = thinQR({ rows: d, cols: r, data: Float64Array.from(truth.bStar.data, (v, i) => v + 0.6 * g[i]) }).q;
    const beta0 = new Float64Array(d);
    for (let k = 0; k < r; k++) for (let j = 0; j < d; j++) beta0[j] += truth.bStar.data[j + k * d] * truth.targetHead[k];
    const coef = new Float64Array(r);
    for (let k = 0; k < r; k++) for (let j = 0; j < d; j++) coef[k] += u.data[j + k * d] * beta0[j];
    let b2 = 0;
    for (let j = 0; j < d; j++) {
      let proj = 0;
      for (let k = 0; k < r; k++) proj += u.data[j + k * d] * coef[k];
      b2 += (beta0[j] - proj) ** 2;
    }
    const expected = b2 + ((sigma * sigma + b2) * r) / (n0 - r - 1);
    const frozen = networkWithHeads(u.data, r, d, new Float64Array(r)); // W = U^T (row-major r x d)
    const excess: number[] = [];
    for (let rep = 0; rep < 4000; rep++) {
      const target = sampleTwoLayer(truth, "identity", truth.targetHead, n0, { kind: "regression", sigma }, rng.fork(`target-${rep}`));
      const w = fitTwoLayerHead(featureMatrix(frozen, "identity", target.x, n0), target.y, "least-squares", 1);
      let e = 0;
      for (let j = 0; j < d; j++) {
        let fit = 0;
        for (let k = 0; k < r; k++) fit += u.data[j + k * d] * w[k];
        e += (fit - beta0[j]) ** 2;
      }
      excess.push(e);
    }
    const { mean, se } = meanSe(excess);
    expect(Math.abs(mean - expected)).toBeLessThan(5 * se);
  });

  it("the adversarial training objective has the population value of E4", () => {
    // MODEL §5 E4: E (|y - <beta, x>| + eps ||beta||_q)^2 = s^2 + 2 sqrt(2/pi) eps ||beta||_q s
    // + eps^2 ||beta||_q^2, s^2 = ||beta - beta*||^2 + sigma^2 (Sigma = I). PGD is exact for
    // phi = identity (first step from x of size >= eps), so the objective the training step
    // differentiates is this sample average.
    const d = 6;
    const r = 2;
    const sigma = 0.4;
    const rng = new Rng("e4");
    const truth = drawTwoLayerTruth({ d, r, T: 1, s: d, headNorm: 1 }, rng.fork("truth"));
    const sample = sampleTwoLayer(truth, "identity", truth.sourceHeads, 40000, { kind: "regression", sigma }, rng.fork("sample"));
    const net = initialNetwork(r, d, 1, 1, rng.fork("net"));
    const beta = new Float64Array(d);
    const betaStar = new Float64Array(d);
    for (let k = 0; k < r; k++) for (let j = 0; j < d; j++) {
      beta[j] += net.heads[k] * net.w[k * d + j];
      betaStar[j] += truth.sourceHeads[k] * truth.bStar.data[j + k * d];
    }
    const data = labelledTrainingData(sample);
    for (const norm of ["linf", "l2"] as const) {
      const eps = 0.2;
      const xAdv = attackInputs(net, "identity", "squared", { kind: "pgd", norm, eps, steps: 2, stepSize: eps, randomStart: false }, sample, rng);
      const perSample: number[] = [];
      for (let i = 0; i < sample.count; i++) {
        let f = 0;
        for (let j = 0; j < d; j++) f += beta[j] * xAdv[i * d + j];
        perSample.push((f - sample.y[i]) ** 2);
      }
      const { mean, se } = meanSe(perSample);
      expect(lossAndGradient(net, data, "identity", "squared", null, xAdv)).toBeCloseTo(mean, 10);
      let s2 = sigma * sigma;
      let q = 0;
      for (let j = 0; j < d; j++) {
        s2 += (beta[j] - betaStar[j]) ** 2;
        q += norm === "linf" ? Math.abs(beta[j]) : beta[j] ** 2;
      }
      const c = eps * (norm === "linf" ? q : Math.sqrt(q));
      const s = Math.sqrt(s2);
      expect(Math.abs(mean - (s2 + 2 * Math.sqrt(2 / Math.PI) * c * s + c * c))).toBeLessThan(5 * se);
    }
  });
});
