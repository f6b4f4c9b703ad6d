import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type Mat, fromRows, times, zeros } from "../../../../src/core/linalg/mat.js";
import { haarOrthonormal, singularValues, sinTheta, sinThetaFrobenius, topLeftSingularVectors } from "../../../../src/core/linalg/decompositions.js";
import { Rng } from "../../../../src/core/random/rng.js";
import { adversarialLinfSinThetaBound, deterministicSinThetaBound, standardSinThetaBound } from "../../../../src/families/mixture/theory/sinThetaBounds.js";

function gaussian(rows: number, cols: number, rng: Rng, scale = 1): Mat {
  const m = zeros(rows, cols);
  rng.fillNormal(m.data);
  for (let i = 0; i < m.data.length; i++) m.data[i] *= scale;
  return m;
}

describe("deterministicSinThetaBound (MODEL §6 B1)", () => {
  it("is exact on a single column in the plane (worked by hand)", () => {
    // M = rho (cos t, sin t)^T, B* = e_1: sinTheta = |sin t|, ||P_perp M|| = rho |sin t|, sigma_1 = rho.
    for (const t of [0.1, 1, 2.5]) {
      const m = fromRows([[3 * Math.cos(t)], [3 * Math.sin(t)]]);
      const b = fromRows([[1], [0]]);
      const res = deterministicSinThetaBound(m, b, 1);
      expect(res.sigmaR).toBeCloseTo(3, 14);
      expect(res.spectral.formula).toBeCloseTo(Math.abs(Math.sin(t)), 14);
      expect(sinTheta(topLeftSingularVectors(m, 1).u, b)).toBeCloseTo(res.spectral.formula as number, 14);
    }
  });

  it("is undefined when M has fewer than r nonzero singular values", () => {
    const rng = new Rng("test:b1:undefined");
    const b = haarOrthonormal(6, 3, rng);
    const m = gaussian(6, 2, rng); // T = 2 < r = 3
    const res = deterministicSinThetaBound(m, b, 3);
    expect(res.sigmaR).toBe(0);
    expect(res.spectral).toEqual({ value: 1, formula: null, cap: 1, defined: false, vacuous: true });
    expect(res.frobenius.value).toBeCloseTo(Math.sqrt(3), 15);
  });

  it("holds on every random instance, spectral and Frobenius (THEORY.md B1)", () => {
    // Instances: M = B* W + noise * G + spike * (a direction outside span B*), over scales that make
    // the signal dominate, the noise dominate, or sigma_r nearly tie with sigma_{r+1}.
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 30 }),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 12 }),
        fc.double({ min: -4, max: 2, noNaN: true }),
        fc.double({ min: -4, max: 1, noNaN: true }),
        fc.integer({ min: 0, max: 1_000_000 }),
        (d, rRaw, T, logNoise, logSpike, seed) => {
          const r = Math.min(rRaw, d - 1);
          const rng = new Rng(`test:b1:${seed}`);
          const b = haarOrthonormal(d, r, rng);
          const w = gaussian(r, T, rng);
          const m = times(b, w);
          const noise = gaussian(d, T, rng, 10 ** logNoise);
          const spikeDir = gaussian(d, 1, rng);
          const spikeCoef = gaussian(1, T, rng, 10 ** logSpike);
          const spike = times(spikeDir, spikeCoef);
          for (let i = 0; i < m.data.length; i++) m.data[i] += noise.data[i] + spike.data[i];
          const res = deterministicSinThetaBound(m, b, r);
          if (r > Math.min(d, T)) {
            expect(res.spectral.defined).toBe(false);
            return;
          }
          const u = topLeftSingularVectors(m, r).u;
          // Floating-point allowance: a backward-stable SVD returns exact singular vectors of M + E,
          // ||E|| <= ~1e-13 ||M||, so the bound is checked for (||P_perp M|| + e) / (sigma_r - e).
          const e = 1e-12 * singularValues(m)[0];
          if (res.sigmaR <= 2 * e) return;
          expect(sinTheta(u, b)).toBeLessThanOrEqual((res.residualNorm + e) / (res.sigmaR - e) + 1e-14);
          expect(sinThetaFrobenius(u, b)).toBeLessThanOrEqual((res.residualFrobenius + Math.sqrt(r) * e) / (res.sigmaR - e) + 1e-14);
          expect(res.spectral.value).toBeLessThanOrEqual(1);
        },
      ),
      { numRuns: 400, seed: 2106 },
    );
  });

  it("rejects r outside [1, d]", () => {
    const m = zeros(3, 2);
    expect(() => deterministicSinThetaBound(m, zeros(3, 1), 0)).toThrow(RangeError);
    expect(() => deterministicSinThetaBound(m, zeros(3, 1), 4)).toThrow(RangeError);
  });
});

describe("standardSinThetaBound (MODEL §6 B2)", () => {
  it("matches the formula, worked by hand", () => {
    // tau = 0.1; numerator 0.1 (10 + 2 + 2) = 1.4; denominator 10 - 0.1 (1 + 2 + 2) = 9.5.
    const input = { sigma: 1, n: 100, d: 101, r: 1, T: 4, t: 2, sigmaR: 10 };
    const b = standardSinThetaBound(input);
    expect(b.numerator).toBeCloseTo(1.4, 14);
    expect(b.denominator).toBeCloseTo(9.5, 14);
    expect(b.sinTheta.formula).toBeCloseTo(0.14736842105263157, 14);
    expect(b.probability).toBeCloseTo(0.7293294335267746, 15); // 1 - 2 e^{-2}
    expect(standardSinThetaBound({ ...input, kappa: 1.5 }).sinTheta.formula).toBeCloseTo(0.22105263157894736, 14);
  });

  it("is undefined, never NaN, when the denominator is not positive", () => {
    const b = standardSinThetaBound({ sigma: 1, n: 100, d: 101, r: 1, T: 4, t: 2, sigmaR: 0.4 });
    expect(b.denominator).toBeLessThan(0);
    expect(b.sinTheta).toEqual({ value: 1, formula: null, cap: 1, defined: false, vacuous: true });
  });

  it("flags a defined formula above 1 as vacuous", () => {
    const b = standardSinThetaBound({ sigma: 1, n: 40, d: 500, r: 4, T: 20, t: 3, sigmaR: 2 });
    expect(b.sinTheta.defined).toBe(true);
    expect(b.sinTheta.vacuous).toBe(true);
    expect(b.sinTheta.value).toBe(1);
  });

  it("rejects kappa < 1 and negative t", () => {
    const input = { sigma: 1, n: 100, d: 101, r: 1, T: 4, t: 2, sigmaR: 10 };
    expect(() => standardSinThetaBound({ ...input, kappa: 0.5 })).toThrow(RangeError);
    expect(() => standardSinThetaBound({ ...input, t: -1 })).toThrow(RangeError);
  });
});

describe("adversarialLinfSinThetaBound (MODEL §6 B3)", () => {
  it("matches the formula, worked by hand", () => {
    // tau = 0.1, bias = 0.5 sqrt(16 * 4) = 4; numerator 0.1 (sqrt 15 + 2 + 2) + 4; denominator 10 - 0.5 - 4.
    const b = adversarialLinfSinThetaBound({ sigma: 1, n: 100, d: 1000, s: 16, r: 1, T: 4, t: 2, eps: 0.5, sigmaR: 10 });
    expect(b.biasNorm).toBeCloseTo(4, 14);
    expect(b.denominator).toBeCloseTo(5.5, 14);
    expect(b.sinTheta.formula).toBeCloseTo(0.870417879021953, 14);
    // P(E0) = (1 - 2 Q(5))^{984 * 4} (mpmath: 0.99774602221078104); minus 2 e^{-2}.
    expect(b.zeroingProbability).toBeCloseTo(0.99774602221078104, 13);
    expect(b.probability).toBeCloseTo(0.72707545573755565, 13);
  });

  it("reduces to a sure zeroing event for a dense support (s = d)", () => {
    const b = adversarialLinfSinThetaBound({ sigma: 1, n: 100, d: 50, s: 50, r: 2, T: 4, t: 2, eps: 0, sigmaR: 10 });
    expect(b.zeroingProbability).toBe(1);
    expect(b.probability).toBeCloseTo(1 - 2 * Math.exp(-2), 15);
  });

  it("rejects s < r", () => {
    expect(() => adversarialLinfSinThetaBound({ sigma: 1, n: 10, d: 50, s: 1, r: 2, T: 4, t: 2, eps: 0.1, sigmaR: 1 })).toThrow(
      RangeError,
    );
  });
});
