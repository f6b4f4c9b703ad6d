import fc from "fast-check";
import { describe, expect, it } from "vitest";
import "../../../fastCheckSeed.js";
import { meanExcess, softThresholdMean, softThresholdMoments, squaredExcess } from "../../../../src/families/mixture/theory/softThreshold.js";
import { normalCdf, normalPdf } from "../../../../src/core/linalg/normal.js";
import { rootRng } from "../../../../src/core/random/rng.js";
import { meanSe } from "../../../statistics.js";

const soft = (x: number, eps: number) => (x > eps ? x - eps : x < -eps ? x + eps : 0);

describe("J_1 and J_2 (E (z - x)_+ and E (z - x)_+^2)", () => {
  it("match the closed forms at hand-checked points and stay positive far in the tail", () => {
    expect(meanExcess(0)).toBeCloseTo(normalPdf(0), 15);
    expect(squaredExcess(0)).toBeCloseTo(0.5, 15);
    // x = -2: E(z + 2)_+ = phi(2) + 2 Phi(2); E(z + 2)_+^2 = 5 Phi(2) + 2 phi(2).
    expect(meanExcess(-2)).toBeCloseTo(normalPdf(2) + 2 * normalCdf(2), 14);
    expect(squaredExcess(-2)).toBeCloseTo(5 * normalCdf(2) + 2 * normalPdf(2), 14);
    // Far tail: J_1(x) ~ phi(x) / x^2, J_2(x) ~ 2 phi(x) / x^3 (Mills' ratio expansion), relative 3/x^2 and 6/x^2.
    for (const x of [10, 20, 30]) {
      expect(Math.abs(meanExcess(x) / (normalPdf(x) / x ** 2) - 1)).toBeLessThan(4 / x ** 2);
      expect(Math.abs(squaredExcess(x) / ((2 * normalPdf(x)) / x ** 3) - 1)).toBeLessThan(7 / x ** 2);
    }
    expect(meanExcess(40)).toBe(0);
  });
});

describe("softThresholdMoments", () => {
  it("has the hand-checked edge cases: eps = 0, tau = 0, and the off-support entry a = 0", () => {
    expect(softThresholdMoments(0.7, 0.3, 0)).toEqual({ mean: 0.7, variance: 0.09, third: 0, fourth: 3 * 0.3 ** 4 });
    expect(softThresholdMoments(0.7, 0, 0.5).mean).toBeCloseTo(0.2, 15);
    expect(softThresholdMoments(-0.3, 0, 0.5).mean).toBe(0);
    // a = 0: mean 0, variance 2 tau^2 J_2(eps / tau), third moment 0.
    const m = softThresholdMoments(0, 0.5, 0.4);
    expect(m.mean).toBeCloseTo(0, 15);
    expect(m.third).toBeCloseTo(0, 15);
    expect(m.variance).toBeCloseTo(2 * 0.25 * squaredExcess(0.8), 14);
    expect(softThresholdMean(0.7, 0.3, 0.2)).toBeCloseTo(softThresholdMoments(0.7, 0.3, 0.2).mean, 14);
  });

  it("is odd in a, shrinks by at most eps, and has variance at most tau^2 (S_eps is 1-Lipschitz) (property)", () => {
    fc.assert(
      fc.property(fc.double({ min: -5, max: 5, noNaN: true }), fc.double({ min: 0.01, max: 2, noNaN: true }), fc.double({ min: 0, max: 3, noNaN: true }), (a, tau, eps) => {
        const m = softThresholdMoments(a, tau, eps);
        const n = softThresholdMoments(-a, tau, eps);
        expect(Math.abs(m.mean + n.mean)).toBeLessThan(1e-12);
        expect(Math.abs(m.third + n.third)).toBeLessThan(1e-10 * tau ** 3 + 1e-300);
        expect(Math.abs(m.mean - a)).toBeLessThanOrEqual(eps * (1 + 1e-12) + 1e-15);
        expect(m.variance).toBeLessThanOrEqual(tau * tau * (1 + 1e-9));
        expect(m.variance).toBeGreaterThanOrEqual(0);
        expect(m.fourth).toBeGreaterThanOrEqual(m.variance ** 2 * (1 - 1e-9));
      }),
      { numRuns: 300 },
    );
  });

  it("stays finite when a / tau or eps / tau overflows, with the limits the tails give", () => {
    // a far above eps (a - eps >> tau): S = a - eps + tau z almost surely (shifted Gaussian).
    expect(softThresholdMoments(1e100, 1e-101, 1e6)).toEqual({ mean: 1e100 - 1e6, variance: 1e-101 * 1e-101, third: 0, fourth: 3 * 1e-101 ** 4 });
    expect(softThresholdMoments(-1, 1e-300, 0.5).mean).toBe(-0.5);
    // a deep inside (-eps, eps): S = 0.
    expect(softThresholdMoments(0.25, 1e-300, 0.5)).toEqual({ mean: 0, variance: 0, third: 0, fourth: 0 });
    // a = eps with tau -> 0: u = 0, w = 2 eps / tau overflows. S / tau = (z)_+ on one branch, so
    // mean = tau phi(0) and variance = tau^2 (J_2(0) - J_1(0)^2) = tau^2 (1/2 - 1/(2 pi)); the same
    // law as at a moderate tau, where the ordinary path (w = 2e20) computes it.
    for (const tau of [1e-20, 1e-140]) { // w = 2e20 (ordinary path) and 2e140 (asymptotic path)
      const mo = softThresholdMoments(1, tau, 1);
      expect(mo.mean / tau).toBeCloseTo(1 / Math.sqrt(2 * Math.PI), 14);
      expect(mo.variance / tau / tau).toBeCloseTo(0.5 - 1 / (2 * Math.PI), 14);
    }
    expect(softThresholdMean(1e100, 1e-300, 1e6)).toBe(1e100 - 1e6);
  });

  it("agrees with Monte Carlo (2e5 draws per case, 4.5 SE: false alarm about 7e-6 per check)", () => {
    const rng = rootRng(2024);
    const N = 200_000;
    for (const [a, tau, eps] of [[0, 1, 1], [0.5, 0.3, 0.2], [-1, 0.5, 0.8], [0.05, 0.158, 0.3], [2, 0.4, 0.5]]) {
      const ys = new Float64Array(N);
      for (let i = 0; i < N; i++) ys[i] = soft(a + tau * rng.normal(), eps);
      const mo = softThresholdMoments(a, tau, eps);
      const mean = meanSe(ys);
      expect(Math.abs(mean.mean - mo.mean)).toBeLessThanOrEqual(4.5 * mean.se);
      // Second, third and fourth central moments, each as the mean of (y - exact mean)^k (its own SE).
      for (const [k, exact] of [[2, mo.variance], [3, mo.third], [4, mo.fourth]] as const) {
        const pow = meanSe(ys.map((y) => (y - mo.mean) ** k));
        expect(Math.abs(pow.mean - exact)).toBeLessThanOrEqual(4.5 * pow.se);
      }
    }
  });
});
