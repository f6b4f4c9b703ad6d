import { describe, expect, it } from "vitest";
import { Rng } from "../../../../src/core/random/rng.js";
import { drawTwoLayerTruth, sampleTwoLayer } from "../../../../src/families/two-layer/scenario.js";
import { initialNetwork } from "../../../../src/families/two-layer/estimators/network.js";
import { CONVERGENCE_WINDOW, NO_PENALTY, addPenalty, trainTwoLayer, trainingWorkspace } from "../../../../src/families/two-layer/estimators/train.js";
import { labelledTrainingData } from "../../../../src/families/two-layer/estimators/trainingData.js";
import { lossAndGradient } from "../../../../src/families/two-layer/estimators/kernels.js";
import { rowSpaceAngles } from "../../../../src/families/two-layer/metrics.js";
import type { Activation } from "../../../../src/families/two-layer/activation.js";

function planted(seed: string, act: Activation, d: number, r: number, T: number, n: number, sigma: number) {
  const rng = new Rng(seed);
  const truth = drawTwoLayerTruth({ d, r, T, s: d, headNorm: 1 }, rng.fork("truth"));
  const sample = sampleTwoLayer(truth, act, truth.sourceHeads, n, { kind: "regression", sigma }, rng.fork("sample"));
  const data = labelledTrainingData(sample);
  const init = initialNetwork(r, d, T, 1, rng.fork("init"));
  return { truth, data, init, rng };
}

describe("trainTwoLayer", () => {
  it("recovers a planted noise-free relu teacher exactly", () => {
    // Planted instance: d = 20, r = 3, T = 10 tasks of n = 200 noise-free samples, student of the
    // teacher's architecture. The global minimum has loss 0 and W's row space = span(B*); Adam
    // (lr 0.02, 1000 full-batch steps) from the seeded initialisation reaches it.
    const { truth, data, init, rng } = planted("planted-relu", "relu", 20, 3, 10, 200, 0);
    const res = trainTwoLayer(init, data, "relu", "squared", { optimiser: "adam", steps: 1000, learningRate: 0.02, attack: null }, rng);
    expect(res.finalLoss).toBeLessThan(1e-10);
    expect(rowSpaceAngles(res.net.w, 3, 20, truth.bStar).sinTheta).toBeLessThan(1e-6);
    expect(res.history[0]).toBeGreaterThan(0.1);
  });

  it("recovers a planted linear teacher by plain gradient descent", () => {
    const { truth, data, init, rng } = planted("planted-identity", "identity", 20, 3, 10, 50, 0);
    const res = trainTwoLayer(init, data, "identity", "squared", { optimiser: "gd", steps: 2000, learningRate: 0.5, attack: null }, rng);
    expect(res.finalLoss).toBeLessThan(1e-12);
    expect(rowSpaceAngles(res.net.w, 3, 20, truth.bStar).sinTheta).toBeLessThan(1e-5);
  });

  it("fits a noisy planted relu teacher down to the least-squares residual", () => {
    // sigma = 0.5, N = 2000 samples, p = r d + T r = 90 parameters. At the least-squares fit the
    // mean squared residual is about sigma^2 (1 - p / N) = 0.2388 (the projection of the noise
    // onto the model's tangent space is fitted); its sampling SD is sigma^2 sqrt(2 / N) = 0.0079.
    const { data, init, rng } = planted("planted-noisy", "relu", 20, 3, 10, 200, 0.5);
    const res = trainTwoLayer(init, data, "relu", "squared", { optimiser: "adam", steps: 500, learningRate: 0.02, attack: null }, rng);
    expect(Math.abs(res.finalLoss - 0.25 * (1 - 90 / 2000))).toBeLessThan(4 * 0.0079);
  });

  it("decreases the loss monotonically under gradient descent with a small step", () => {
    const { data, init, rng } = planted("monotone", "tanh", 10, 2, 4, 30, 0.3);
    const res = trainTwoLayer(init, data, "tanh", "squared", { optimiser: "gd", steps: 100, learningRate: 0.05, attack: null }, rng);
    for (let k = 1; k < res.history.length; k++) expect(res.history[k]).toBeLessThanOrEqual(res.history[k - 1]);
    expect(res.finalLoss).toBeLessThanOrEqual(res.history[res.history.length - 1]);
  });

  it("reports divergence as an error, never NaN parameters", () => {
    const { data, init, rng } = planted("diverge", "quadratic", 10, 2, 4, 30, 0.3);
    expect(() => trainTwoLayer(init, data, "quadratic", "squared", { optimiser: "gd", steps: 200, learningRate: 50, attack: null }, rng)).toThrow(
      /diverged/,
    );
  });

  it("trains adversarially on the attack's inputs and leaves the initial network untouched", () => {
    const { data, init, rng } = planted("adversarial", "relu", 10, 2, 4, 30, 0.3);
    const before = Float64Array.from(init.params);
    const attack = { kind: "pgd" as const, norm: "linf" as const, eps: 0.1, steps: 3, stepSize: 0.08, randomStart: true };
    const res = trainTwoLayer(init, data, "relu", "squared", { optimiser: "adam", steps: 50, learningRate: 0.02, attack }, rng);
    expect(Array.from(init.params)).toEqual(Array.from(before));
    expect(res.finalLoss).toBeCloseTo(lossAndGradient(res.net, data, "relu", "squared", null), 12);
    // The same steps without the attack give a different network.
    const plain = trainTwoLayer(init, data, "relu", "squared", { optimiser: "adam", steps: 50, learningRate: 0.02, attack: null }, rng);
    expect(plain.net.params).not.toEqual(res.net.params);
  });
});

describe("trainTwoLayer: stopping at convergence", () => {
  it("stops at a multiple of the window where the rule holds, and equals the run truncated there", () => {
    const { data, init, rng } = planted("converge", "relu", 12, 2, 4, 60, 0.3);
    const opts = { optimiser: "adam" as const, steps: 2000, learningRate: 0.05, attack: null, tolerance: 1e-4 };
    const res = trainTwoLayer(init, data, "relu", "squared", opts, rng);
    const k = res.steps;
    expect(k).toBeLessThan(2000);
    expect(k % CONVERGENCE_WINDOW).toBe(0);
    const w = CONVERGENCE_WINDOW;
    const mean = (a: Float64Array) => a.reduce((s, v) => s + v, 0) / a.length;
    const last = mean(res.history.subarray(k - w, k));
    const prev = mean(res.history.subarray(k - 2 * w, k - w));
    expect(prev - last).toBeLessThanOrEqual(1e-4 * Math.abs(last));
    // Standard training is deterministic: stopping is truncation.
    const truncated = trainTwoLayer(init, data, "relu", "squared", { ...opts, steps: k, tolerance: 0 }, rng);
    expect(truncated.net.params).toEqual(res.net.params);
    expect(truncated.steps).toBe(k);
  });

  it("reuses a workspace across runs without changing the result", () => {
    const { data, init, rng } = planted("workspace", "tanh", 10, 3, 3, 40, 0.3);
    const attack = { kind: "pgd" as const, norm: "linf" as const, eps: 0.1, steps: 2, stepSize: 0.1, randomStart: true };
    const opts = { optimiser: "adam" as const, steps: 30, learningRate: 0.02, attack };
    const ws = trainingWorkspace(init.params.length, 3, 10, data.count, 30);
    const a = trainTwoLayer(init, data, "tanh", "squared", opts, new Rng("same"), ws);
    const b = trainTwoLayer(init, data, "tanh", "squared", opts, new Rng("same"), ws);
    const c = trainTwoLayer(init, data, "tanh", "squared", opts, new Rng("same"));
    expect(b.net.params).toEqual(a.net.params);
    expect(c.net.params).toEqual(a.net.params);
    expect(Array.from(c.history)).toEqual(Array.from(a.history));
    void rng;
  });
});

describe("penalties (the regularisation controls)", () => {
  // With all labels 0 and all heads 0, f = 0 on every sample and the loss has zero gradient
  // (g_i = 2 c_i (f_i - y_i) = 0), so plain gradient descent moves W by the penalty alone:
  //   weight decay:  W_k = (1 - 2 lr lambda)^k W_0
  //   l1:            each entry moves lr lambda towards 0 per step while it keeps its sign
  //   group lasso:   each column keeps its direction and loses lr lambda of norm per step
  function penaltyOnly(seed: string) {
    const rng = new Rng(seed);
    const d = 6;
    const r = 3;
    const init = initialNetwork(r, d, 2, 1, rng.fork("init"));
    init.heads.fill(0);
    const x = rng.fillNormal(new Float64Array(20 * d));
    const data = labelledTrainingData({ count: 20, dim: d, x, y: new Float64Array(20), task: Int32Array.from({ length: 20 }, (_, i) => i % 2) });
    return { init, data, rng, d, r };
  }
  const gd = (steps: number, lr: number) => ({ optimiser: "gd" as const, steps, learningRate: lr, attack: null });

  it("weight decay shrinks every parameter geometrically", () => {
    const { init, data, rng } = penaltyOnly("wd");
    const res = trainTwoLayer(init, data, "relu", "squared", { ...gd(7, 0.1), penalty: { ...NO_PENALTY, weightDecay: 0.3 } }, rng);
    const f = (1 - 2 * 0.1 * 0.3) ** 7;
    for (let i = 0; i < init.params.length; i++) expect(res.net.params[i]).toBeCloseTo(f * init.params[i], 14);
  });

  it("l1 moves entries towards 0 by lr lambda per step", () => {
    const { init, data, rng } = penaltyOnly("l1");
    const lr = 0.01;
    const lambda = 0.5;
    const k = 5;
    const res = trainTwoLayer(init, data, "relu", "squared", { ...gd(k, lr), penalty: { ...NO_PENALTY, l1: lambda } }, rng);
    for (let i = 0; i < init.w.length; i++) {
      const w0 = init.w[i];
      if (Math.abs(w0) > k * lr * lambda) expect(res.net.w[i]).toBeCloseTo(w0 - Math.sign(w0) * k * lr * lambda, 14);
    }
  });

  it("group lasso shrinks the norm of every input column by lr lambda per step, keeping its direction", () => {
    const { init, data, rng, d, r } = penaltyOnly("group");
    const lr = 0.01;
    const lambda = 0.4;
    const k = 6;
    const res = trainTwoLayer(init, data, "relu", "squared", { ...gd(k, lr), penalty: { ...NO_PENALTY, groupLasso: lambda } }, rng);
    for (let j = 0; j < d; j++) {
      let n0 = 0;
      for (let q = 0; q < r; q++) n0 += init.w[q * d + j] ** 2;
      n0 = Math.sqrt(n0);
      if (n0 <= k * lr * lambda) continue;
      const f = (n0 - k * lr * lambda) / n0;
      for (let q = 0; q < r; q++) expect(res.net.w[q * d + j]).toBeCloseTo(f * init.w[q * d + j], 14);
    }
  });

  it("input l1: a task's input weights W^T v_t shrink along their sign (one step of gradient descent, hand-worked)", () => {
    // One task, r = 1, W = (w1, w2) = (0.5, -0.2), v = 2: beta = (1, -0.4), P = lambda (|1| + |0.4|);
    // dP/dW = lambda v sign(beta) = lambda (2, -2), dP/dv = lambda (w1 sign(beta1) + w2 sign(beta2)) = lambda 0.7.
    const net = initialNetwork(1, 2, 1, 1, new Rng("hand"));
    net.w.set([0.5, -0.2]);
    net.heads.set([2]);
    const grad = new Float64Array(3);
    expect(addPenalty(net, { ...NO_PENALTY, inputL1: 0.1 }, grad)).toBeCloseTo(0.14, 15);
    expect(Array.from(grad).map((g) => Number(g.toFixed(15)))).toEqual([0.2, -0.2, 0.07]);
  });

  it("adds its value to the objective and its gradient agrees with central differences away from kinks", () => {
    const rng = new Rng("penalty-fd");
    const net = initialNetwork(3, 5, 2, 1, rng.fork("net"));
    const penalty = { l1: 0.3, groupLasso: 0.2, weightDecay: 0.1, inputL1: 0.4 };
    const grad = new Float64Array(net.params.length);
    const value = addPenalty(net, penalty, grad);
    let l1 = 0;
    for (const v of net.w) l1 += Math.abs(v);
    let group = 0;
    for (let j = 0; j < 5; j++) group += Math.hypot(net.w[j], net.w[5 + j], net.w[10 + j]);
    let sq = 0;
    for (const v of net.params) sq += v * v;
    // (1/T) sum_t ||W^T v_t||_1 with T = 2 tasks.
    let input = 0;
    for (let t = 0; t < 2; t++) {
      for (let j = 0; j < 5; j++) {
        let beta = 0;
        for (let k = 0; k < 3; k++) beta += net.w[k * 5 + j] * net.heads[t * 3 + k];
        input += Math.abs(beta) / 2;
      }
    }
    expect(value).toBeCloseTo(0.3 * l1 + 0.2 * group + 0.1 * sq + 0.4 * input, 13);
    const h = 1e-6;
    for (let i = 0; i < net.params.length; i++) {
      const keep = net.params[i];
      net.params[i] = keep + h;
      const up = addPenalty(net, penalty, null);
      net.params[i] = keep - h;
      const down = addPenalty(net, penalty, null);
      net.params[i] = keep;
      expect(grad[i]).toBeCloseTo((up - down) / (2 * h), 6);
    }
  });
});
