import { describe, expect, it } from "vitest";
import { type Mat, column, norm2, transposeTimesVector, times, zeros } from "../../../../src/core/linalg/mat.js";
import { haarOrthonormal, singularValues, sinTheta, topLeftSingularVectors } from "../../../../src/core/linalg/decompositions.js";
import { Rng } from "../../../../src/core/random/rng.js";
import { columnNormRatioBound, expectedSquaredNormSoftThreshold, expectedSquaredNormStandard } from "../../../../src/families/mixture/theory/columnNorms.js";
import { endToEndBound } from "../../../../src/families/mixture/theory/endToEnd.js";
import { linfRadius } from "../../../../src/families/mixture/theory/linfRadius.js";
import { standardSinThetaBound } from "../../../../src/families/mixture/theory/sinThetaBounds.js";
import { expectedTargetExcess, targetExcessBoundFromSinPhi } from "../../../../src/families/mixture/theory/targetExcess.js";
import { maxConsistentFailures } from "../../../../src/core/stats.js";

describe("endToEndBound (MODEL §6 B5) arithmetic", () => {
  const base = { training: "standard" as const, sigma: 1, n: 100, d: 101, r: 1, T: 4, t: 2, sigmaR: 10, mu0Norm: 2, n0: 10 };

  it("composes B2 with B4; unconditionally p g + (1 - p) ||mu_0|| (MODEL §6.1), below the old g + (1 - p) ||mu_0||", () => {
    const res = endToEndBound(base);
    const b2 = standardSinThetaBound(base);
    expect(res.sinTheta).toEqual(b2.sinTheta);
    expect(res.probability).toBe(b2.probability);
    const b4 = targetExcessBoundFromSinPhi({ mu0Norm: 2, sigma: 1, n0: 10, r: 1, sinPhiBound: b2.sinTheta.value });
    expect(res.conditionalExcess.value.value).toBe(b4.value.value);
    const p = b2.probability;
    expect(res.unconditionalExcess.value).toBeCloseTo(Math.min(2, p * b4.value.value + (1 - p) * 2), 14);
    expect(res.unconditionalExcess.value).toBeLessThanOrEqual(Math.min(2, b4.value.value + (1 - p) * 2));
    // The exact form (§4 at the smallest admissible cos phi) is below both B4 forms.
    expect(res.conditionalExcess.exact.value).toBeLessThanOrEqual(res.conditionalExcess.sharp.value + 1e-15);
    expect(res.conditionalExcess.exact.value).toBeLessThanOrEqual(res.conditionalExcess.value.value + 1e-15);
  });

  it("multiplies by a kappa bound and pays its probability", () => {
    const res = endToEndBound({ ...base, kappa: { value: 1.5, probabilityCost: 0.1 } });
    expect(res.sinTheta.formula).toBeCloseTo(1.5 * (standardSinThetaBound(base).sinTheta.formula as number), 14);
    expect(res.probability).toBeCloseTo(standardSinThetaBound(base).probability - 0.1, 14);
    const none = endToEndBound({ ...base, kappa: { value: null, probabilityCost: 0.1 } });
    expect(none.sinTheta.defined).toBe(false);
    expect(none.conditionalExcess.value.value).toBe(2);
  });

  it("requires s and eps for l-inf training", () => {
    expect(() => endToEndBound({ ...base, training: "linf" })).toThrow(RangeError);
  });
});

/** Soft threshold S_eps, elementwise (MODEL §1). */
function softThreshold(v: Float64Array, eps: number): Float64Array {
  return v.map((x) => Math.sign(x) * Math.max(Math.abs(x) - eps, 0));
}

/**
 * A fixed mixture instance (MODEL §2.1) with a sparse B* and heads on a circle, so that
 * sigma_r(W) = snr sqrt(T / 2) exactly (r = 2, W W^T = snr^2 T/2 I).
 */
function instance(d: number, s: number, T: number, snr: number, rng: Rng): { b: Mat; w: Mat; mu0: Float64Array } {
  const r = 2;
  const bs = haarOrthonormal(s, r, rng);
  const b = zeros(d, r);
  for (let j = 0; j < r; j++) for (let i = 0; i < s; i++) b.data[i * 7 + j * d] = bs.data[i + j * s]; // support {0, 7, 14, ...}
  const w = zeros(r, T);
  for (let t = 0; t < T; t++) {
    w.data[2 * t] = snr * Math.cos((2 * Math.PI * t) / T);
    w.data[2 * t + 1] = snr * Math.sin((2 * Math.PI * t) / T);
  }
  const w0 = Float64Array.from([snr * Math.cos(0.3), snr * Math.sin(0.3)]);
  const mu0 = times(b, { rows: r, cols: 1, data: w0 }).data;
  return { b, w, mu0 };
}

describe("endToEndBound coverage on simulated source data (E1 sampler, fixed seed)", () => {
  // Each replicate draws M = B* W + tau Z exactly (E1), forms U as MODEL §3.1-§3.2 prescribe, and
  // evaluates E[excess | U] exactly (MODEL §4). The promised probability p is checked with a
  // one-sided binomial test at false-alarm rate 1e-4, and the unconditional bound on E[excess]
  // against the replicate mean plus 4.5 standard errors.
  const reps = 300;
  const alpha = 1e-4;

  for (const setting of [
    { training: "standard" as const, normalised: false },
    { training: "standard" as const, normalised: true },
    { training: "linf" as const, normalised: false },
    { training: "linf" as const, normalised: true },
  ]) {
    it(`${setting.training}, ${setting.normalised ? "normalised" : "unnormalised"} columns`, () => {
      const rng = new Rng(`test:b5:${setting.training}:${setting.normalised}`);
      const [d, s, T, snr, sigma, n, n0, r, t] = [200, 10, 8, 3, 1, 400, 20, 2, 2.5];
      const tau = sigma / Math.sqrt(n);
      const { b, w, mu0 } = instance(d, s, T, snr, rng);
      const sigmaR = singularValues(w)[r - 1];
      expect(sigmaR).toBeCloseTo(snr * Math.sqrt(T / 2), 12);
      const eps = setting.training === "linf" ? linfRadius({ sigma, n, d, s, T, delta: 0.1 }) : 0;
      const means = times(b, w);
      let kappa;
      if (setting.normalised) {
        const x = Math.sqrt(2 * Math.log((2 * T) / 0.05)); // costs 0.05
        const e = Array.from({ length: T }, (_, k) => {
          const mu = column(means, k);
          if (setting.training === "standard") return expectedSquaredNormStandard(norm2(mu), tau, d);
          return expectedSquaredNormSoftThreshold(Array.from({ length: s }, (_, i) => mu[i * 7]), tau, eps);
        });
        kappa = columnNormRatioBound(e, tau, x);
      }
      const bound = endToEndBound({ training: setting.training, sigma, n, d, r, T, t, sigmaR, mu0Norm: norm2(mu0), n0, s, eps, kappa });
      expect(bound.sinTheta.vacuous).toBe(false);
      let sinFail = 0;
      let excessFail = 0;
      let sum = 0;
      let sumSq = 0;
      const m = zeros(d, T);
      for (let k = 0; k < reps; k++) {
        rng.fillNormal(m.data);
        for (let i = 0; i < m.data.length; i++) m.data[i] = means.data[i] + tau * m.data[i];
        for (let c = 0; c < T; c++) {
          let col = column(m, c);
          if (setting.training === "linf") col.set(softThreshold(col, eps));
          col = column(m, c);
          const nrm = norm2(col);
          if (setting.normalised && nrm > 0) for (let i = 0; i < d; i++) col[i] /= nrm;
        }
        const u = topLeftSingularVectors(m, r).u;
        if (sinTheta(u, b) > bound.sinTheta.value) sinFail++;
        const excess = expectedTargetExcess({ aNorm: norm2(transposeTimesVector(u, mu0)), mu0Norm: norm2(mu0), sigma, n0, r });
        if (excess > bound.conditionalExcess.sharp.value) excessFail++;
        sum += excess;
        sumSq += excess * excess;
      }
      const allowed = maxConsistentFailures(reps, 1 - bound.probability, alpha);
      expect(sinFail).toBeLessThanOrEqual(allowed);
      expect(excessFail).toBeLessThanOrEqual(allowed);
      const mean = sum / reps;
      const se = Math.sqrt(Math.max(0, sumSq / reps - mean * mean) / reps);
      expect(mean - 4.5 * se).toBeLessThanOrEqual(bound.unconditionalExcess.sharp);
      expect(mean - 4.5 * se).toBeLessThanOrEqual(bound.unconditionalExcess.value);
    });
  }
});
