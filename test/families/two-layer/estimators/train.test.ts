import { describe, expect, it } from "vitest";
import { Rng } from "../../../../src/core/random/rng.js";
import { drawTwoLayerTruth, sampleTwoLayer } from "../../../../src/families/two-layer/scenario.js";
import { initialNetwork } from "../../../../src/families/two-layer/estimators/network.js";
import { trainTwoLayer } from "../../../../src/families/two-layer/estimators/train.js";
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
