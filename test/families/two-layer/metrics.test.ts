import { describe, expect, it } from "vitest";
import { Rng } from "../../../src/core/random/rng.js";
import { haarOrthonormal, thinQR } from "../../../src/core/linalg/decompositions.js";
import { networkWithHeads } from "../../../src/families/two-layer/estimators/network.js";
import {
  classificationError,
  meanAndStandardError,
  regressionExcessRisk,
  robustTargetRisk,
  rowSpaceAngles,
  type TargetTestSet,
  lossAtTruth,
  unitCollapse,
} from "../../../src/families/two-layer/metrics.js";
import { drawTwoLayerTruth, sampleTwoLayer } from "../../../src/families/two-layer/scenario.js";
import { meanSe } from "../../statistics.js";

describe("meanAndStandardError", () => {
  it("computes the mean and sd / sqrt(n) by hand", () => {
    // Values 1, 2, 3, 6: mean 3, sample variance (4 + 1 + 0 + 9) / 3 = 14 / 3.
    const e = meanAndStandardError([1, 2, 3, 6]);
    expect(e.mean).toBe(3);
    expect(e.se).toBeCloseTo(Math.sqrt(14 / 3 / 4), 14);
  });
});

describe("rowSpaceAngles", () => {
  const d = 12;
  const r = 3;
  const rng = new Rng("angles");
  const bStar = haarOrthonormal(d, r, rng.fork("b"));

  it("is 0 for any W with the row space of W* (W = M W*, M invertible)", () => {
    const m = [2, -1, 0.5, 0.3, 1, 0, -0.7, 0.2, 3];
    const w = new Float64Array(r * d);
    for (let k = 0; k < r; k++) for (let c = 0; c < r; c++) for (let j = 0; j < d; j++) w[k * d + j] += m[k * r + c] * bStar.data[j + c * d];
    const a = rowSpaceAngles(w, r, d, bStar);
    expect(a.sinTheta).toBeLessThan(1e-12);
    expect(a.rank).toBe(r);
    for (const t of a.angles) expect(t).toBeLessThan(1e-7);
  });

  it("is 1 for a row space orthogonal to the truth, and for a rank-deficient W", () => {
    const q = haarOrthonormal(d, 2 * r, rng.fork("q"));
    // Columns r..2r-1 of a Haar basis of [B* | random] span a space orthogonal to B*.
    const basis = new Float64Array(d * 2 * r);
    basis.set(bStar.data);
    basis.set(q.data.subarray(0, d * r), d * r);
    const orth = thinQR({ rows: d, cols: 2 * r, data: basis }).q.data.subarray(d * r);
    const a = rowSpaceAngles(Float64Array.from(orth), r, d, bStar);
    expect(a.sinTheta).toBeCloseTo(1, 12);
    expect(a.sinThetaFrobenius).toBeCloseTo(Math.sqrt(r), 10);
    const deficient = new Float64Array(r * d);
    deficient.set(bStar.data.subarray(0, d)); // one row of W*, two zero rows
    const b = rowSpaceAngles(deficient, r, d, bStar);
    expect(b.rank).toBe(1);
    expect(b.sinTheta).toBe(1);
    expect(b.angles[0]).toBeLessThan(1e-7);
    expect(b.angles[2]).toBeCloseTo(Math.PI / 2, 12);
    expect(b.sinThetaFrobenius).toBeCloseTo(Math.sqrt(2), 10);
  });
});

/** A linear (phi = identity) predictor beta_hat = W^T v and a test set of a linear teacher beta_0. */
function linearCase(seed: string, d: number, count: number) {
  const rng = new Rng(seed);
  const beta0 = rng.fillNormal(new Float64Array(d));
  const w = rng.fillNormal(new Float64Array(2 * d)); // r = 2
  const head = Float64Array.from([0.7, -0.4]);
  const betaHat = new Float64Array(d);
  for (let j = 0; j < d; j++) betaHat[j] = head[0] * w[j] + head[1] * w[d + j];
  const x = rng.fork("test").fillNormal(new Float64Array(count * d));
  const clean = new Float64Array(count);
  for (let i = 0; i < count; i++) for (let j = 0; j < d; j++) clean[i] += beta0[j] * x[i * d + j];
  const test: TargetTestSet = { count, x, clean };
  return { net: networkWithHeads(w, 2, d, head), beta0, betaHat, test, rng };
}

describe("target risks by Monte Carlo (MODEL §4), checked on linear predictors where they are exact", () => {
  const d = 6;
  const count = 20000;

  it("regression excess risk: E (f_hat - f_0)^2 = ||beta_hat - beta_0||^2 within 5 SE", () => {
    const { net, beta0, betaHat, test } = linearCase("excess", d, count);
    let exact = 0;
    for (let j = 0; j < d; j++) exact += (betaHat[j] - beta0[j]) ** 2;
    const e = regressionExcessRisk(net, "identity", test);
    expect(Math.abs(e.mean - exact)).toBeLessThan(5 * e.se);
    // SE of a mean of s^2 Z^2: s^2 sqrt(2 / N).
    expect(e.se).toBeCloseTo(exact * Math.sqrt(2 / count), 1);
  });

  it("classification error: P(sign f_hat != sign f_0) = angle(beta_hat, beta_0) / pi within 5 SE", () => {
    const { net, beta0, betaHat, test } = linearCase("error", d, count);
    let dot = 0;
    for (let j = 0; j < d; j++) dot += beta0[j] * betaHat[j];
    const angle = Math.acos(dot / (Math.hypot(...beta0) * Math.hypot(...betaHat)));
    const e = classificationError(net, "identity", test);
    expect(Math.abs(e.mean - angle / Math.PI)).toBeLessThan(5 * Math.max(e.se, 1e-3));
  });

  it("robust regression risk equals the closed form E(|<beta_hat - beta_0, x>| + eps ||beta_hat||_q)^2 (MODEL §5 E4, sigma = 0)", () => {
    const { net, beta0, betaHat, test, rng } = linearCase("robust", d, count);
    for (const norm of ["linf", "l2"] as const) {
      const eps = 0.1;
      const attack = { kind: "pgd" as const, norm, eps, steps: 5, stepSize: 0.5 * eps, randomStart: false };
      const e = robustTargetRisk(net, "identity", test, attack, "regression", rng.fork(norm));
      let s2 = 0;
      let q = 0;
      for (let j = 0; j < d; j++) {
        s2 += (betaHat[j] - beta0[j]) ** 2;
        q += norm === "linf" ? Math.abs(betaHat[j]) : betaHat[j] ** 2;
      }
      const c = eps * (norm === "linf" ? q : Math.sqrt(q));
      const s = Math.sqrt(s2);
      const exact = s2 + 2 * Math.sqrt(2 / Math.PI) * s * c + c * c;
      expect(Math.abs(e.mean - exact)).toBeLessThan(5 * e.se);
    }
  });

  it("robust classification error counts exactly the samples with y <beta_hat, x> < eps ||beta_hat||_1", () => {
    const { net, betaHat, test, rng } = linearCase("robust-class", d, 2000);
    const eps = 0.05;
    const attack = { kind: "pgd" as const, norm: "linf" as const, eps, steps: 3, stepSize: eps, randomStart: false };
    const e = robustTargetRisk(net, "identity", test, attack, "classification", rng);
    const l1 = betaHat.reduce((a, b) => a + Math.abs(b), 0);
    let errors = 0;
    for (let i = 0; i < test.count; i++) {
      let v = 0;
      for (let j = 0; j < d; j++) v += betaHat[j] * test.x[i * d + j];
      const y = test.clean[i] >= 0 ? 1 : -1;
      if (y * v < eps * l1) errors++;
    }
    expect(e.mean).toBeCloseTo(errors / test.count, 12);
    expect(e.mean).toBeGreaterThanOrEqual(classificationError(net, "identity", test).mean);
  });
});

describe("unitCollapse", () => {
  it("is 0 for orthogonal units, 1/2 at 60 degrees, 1 for parallel or opposite units, 0 with a zero unit", () => {
    expect(unitCollapse(Float64Array.from([1, 0, 0, 0, 2, 0]), 2, 3)).toBe(0);
    expect(unitCollapse(Float64Array.from([1, 0, 0, 0.5, Math.sqrt(3) / 2, 0]), 2, 3)).toBeCloseTo(0.5, 14);
    expect(unitCollapse(Float64Array.from([1, 2, 3, -2, -4, -6]), 2, 3)).toBeCloseTo(1, 14);
    expect(unitCollapse(Float64Array.from([1, 2, 3, 0, 0, 0]), 2, 3)).toBe(0);
    // The largest pair wins: units 0 and 2 at cos 0.8.
    expect(unitCollapse(Float64Array.from([1, 0, 0, 1, 0.8, 0.6]), 3, 2)).toBeCloseTo(0.8, 14);
    expect(unitCollapse(Float64Array.from([3, 4]), 1, 2)).toBe(0);
  });
});

describe("lossAtTruth", () => {
  const scenario = { d: 15, r: 3, T: 5, s: 6, headNorm: 1 };

  it("is 0 for noise-free regression labels (W* with the true heads fits exactly)", () => {
    const rng = new Rng("truth-0");
    const truth = drawTwoLayerTruth(scenario, rng.fork("truth"));
    const sample = sampleTwoLayer(truth, "relu", truth.sourceHeads, 20, { kind: "regression", sigma: 0 }, rng.fork("s"));
    expect(lossAtTruth(truth, "relu", "regression", sample)).toBeLessThan(1e-25);
  });

  it("has mean sigma^2 (1 - r / n) with noise: the least-squares residual of r features (within 5 SE)", () => {
    // Per task, y = A w_t + sigma xi with A the n x r features phi(W* X): the residual of least
    // squares on A has E ||res||^2 = sigma^2 (n - r) whatever A (full rank).
    const sigma = 0.5;
    const n = 12;
    const values: number[] = [];
    for (let k = 0; k < 400; k++) {
      const rng = new Rng(`truth-noise-${k}`);
      const truth = drawTwoLayerTruth(scenario, rng.fork("truth"));
      const sample = sampleTwoLayer(truth, "tanh", truth.sourceHeads, n, { kind: "regression", sigma }, rng.fork("s"));
      values.push(lossAtTruth(truth, "tanh", "regression", sample) as number);
    }
    const { mean, se } = meanSe(values);
    expect(Math.abs(mean - sigma ** 2 * (1 - 3 / n))).toBeLessThan(5 * se);
  });

  it("is null when a task has fewer than r samples", () => {
    const rng = new Rng("truth-few");
    const truth = drawTwoLayerTruth(scenario, rng.fork("truth"));
    const sample = sampleTwoLayer(truth, "relu", truth.sourceHeads, 2, { kind: "regression", sigma: 0.1 }, rng.fork("s"));
    expect(lossAtTruth(truth, "relu", "regression", sample)).toBeNull();
  });
});
