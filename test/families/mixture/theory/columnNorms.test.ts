import { describe, expect, it } from "vitest";
import { fromRows } from "../../../../src/core/linalg/mat.js";
import { Rng } from "../../../../src/core/random/rng.js";
import {
  columnNormRatio,
  columnNormRatioBound,
  expectedSquaredNormSoftThreshold,
  expectedSquaredNormStandard,
} from "../../../../src/families/mixture/theory/columnNorms.js";
import { maxConsistentFailures } from "../../../../src/core/stats.js";

function softThreshold(v: number, eps: number): number {
  return Math.sign(v) * Math.max(Math.abs(v) - eps, 0);
}

describe("columnNormRatio", () => {
  it("is max/min over nonzero columns (worked by hand)", () => {
    // Columns (3, 4), (0, 0) (a dropped task), (1, 0): norms 5, -, 1.
    expect(columnNormRatio(fromRows([
      [3, 0, 1],
      [4, 0, 0],
    ]))).toBe(5);
    expect(columnNormRatio(fromRows([[0, 0]]))).toBeNull();
  });
});

describe("expected squared column norms (THEORY.md B2-B3)", () => {
  it("eps = 0 gives sum (m^2 + tau^2) and tau = 0 gives sum max(|m| - eps, 0)^2", () => {
    const m = [1.5, -0.2, 0, 3];
    expect(expectedSquaredNormSoftThreshold(m, 0.4, 0)).toBeCloseTo(2.25 + 0.04 + 0 + 9 + 4 * 0.16, 13);
    expect(expectedSquaredNormSoftThreshold(m, 0, 0.5)).toBeCloseTo(1 + 0 + 0 + 6.25, 14);
    expect(expectedSquaredNormStandard(1.5, 0.5, 10)).toBeCloseTo(2.25 + 2.5, 14);
  });

  it("is homogeneous of degree 2 in (mu, tau, eps), exactly for powers of two, far out into the exponent range", () => {
    // E S_{c eps}(c m + c tau Z)^2 = c^2 E S_eps(m + tau Z)^2 (soft thresholding is positively
    // homogeneous); scaling by 2^k changes no mantissa, so the identity holds bit for bit as long
    // as nothing under- or overflows.
    const mean = [1.5, -0.25, 3];
    const base = expectedSquaredNormSoftThreshold(mean, 0.7, 0.5);
    for (const k of [-300, -120, 120, 300]) {
      const c = 2 ** k;
      const scaled = expectedSquaredNormSoftThreshold(mean.map((m) => c * m), c * 0.7, c * 0.5);
      expect(scaled).toBe(base * c * c); // c^2 = 2^(2k) is still a normal double
    }
  });

  it("stays finite when |mean| / tau or eps / tau overflows: the tau -> 0 limit, not NaN", () => {
    // tau = 1e-101, mean 1e100: (eps + m) / tau = 1e201, whose square is Infinity. The expectation
    // is then max(|m| - eps, 0)^2 + O(tau^2), to double precision.
    const v = expectedSquaredNormSoftThreshold([1e100, -1e100, 0], 1e-101, 1e6);
    expect(Number.isFinite(v)).toBe(true);
    expect(v / (2 * (1e100 - 1e6) ** 2)).toBeCloseTo(1, 14);
    expect(expectedSquaredNormSoftThreshold([0], 1e-101, 1e6)).toBe(0);
  });

  it("matches Monte Carlo of ||S_eps(mu + tau z)||^2 within 4.5 SE (fixed seed)", () => {
    const rng = new Rng("test:softThresholdNorm");
    const m = [1.5, -0.2, 0, 0.7, -0.9];
    const [tau, eps, reps] = [0.4, 0.5, 100_000];
    let sum = 0;
    let sumSq = 0;
    for (let k = 0; k < reps; k++) {
      let q = 0;
      for (const mj of m) q += softThreshold(mj + tau * rng.normal(), eps) ** 2;
      sum += q;
      sumSq += q * q;
    }
    const mean = sum / reps;
    const se = Math.sqrt((sumSq / reps - mean * mean) / reps);
    expect(Math.abs(expectedSquaredNormSoftThreshold(m, tau, eps) - mean)).toBeLessThan(4.5 * se);
  });
});

describe("columnNormRatioBound (THEORY.md B2, model-only kappa)", () => {
  it("is unavailable (null), not NaN, when an expected squared norm overflows", () => {
    expect(columnNormRatioBound([1, Infinity], 0.1, 3).value).toBeNull();
    expect(() => columnNormRatioBound([1, NaN], 0.1, 3)).toThrow(RangeError);
  });

  it("matches the formula, worked by hand", () => {
    // e = (4, 9), tau = 0.5, x = 1: (3 + 0.5) / (sqrt(3.75) - 0.5); cost 2 * 2 * e^{-1/2} > 1 -> 1.
    const b = columnNormRatioBound([4, 9], 0.5, 1);
    expect(b.value).toBeCloseTo(3.5 / (Math.sqrt(3.75) - 0.5), 14);
    expect(b.probabilityCost).toBe(1);
    expect(columnNormRatioBound([0.01], 0.5, 1).value).toBeNull();
  });

  it("covers the data's kappa with the promised probability (one-sided binomial test, false alarm 1e-4)", () => {
    // Standard columns v_t = mu_t + tau z_t (E1) and l-inf columns S_eps(v_t) on a support of size 6
    // (off-support coordinates are zero on E0, so only the support is simulated).
    const rng = new Rng("test:kappaCoverage");
    const [T, d, tau, eps] = [5, 30, 0.3, 0.25];
    const mus = Array.from({ length: T }, (_, t) => Array.from({ length: 6 }, (_, j) => 0.6 * Math.cos(t + 2 * j) + 0.2 * t));
    const x = Math.sqrt(2 * Math.log((2 * T) / 0.5)); // cost 2 T exp(-x^2/2) = 0.5
    const stdBound = columnNormRatioBound(mus.map((mu) => mu.reduce((s, v) => s + v * v, 0) + d * tau * tau), tau, x);
    const linfBound = columnNormRatioBound(mus.map((mu) => expectedSquaredNormSoftThreshold(mu, tau, eps)), tau, x);
    expect(stdBound.probabilityCost).toBeCloseTo(0.5, 12);
    expect(stdBound.value).not.toBeNull();
    expect(linfBound.value).not.toBeNull();
    const reps = 4000;
    let stdFail = 0;
    let linfFail = 0;
    for (let k = 0; k < reps; k++) {
      let [sLo, sHi, lLo, lHi] = [Infinity, 0, Infinity, 0];
      for (const mu of mus) {
        let s2 = 0;
        let l2 = 0;
        for (let j = 0; j < d; j++) {
          const v = (j < mu.length ? mu[j] : 0) + tau * rng.normal();
          s2 += v * v;
          if (j < mu.length) l2 += softThreshold(v, eps) ** 2;
        }
        [sLo, sHi] = [Math.min(sLo, Math.sqrt(s2)), Math.max(sHi, Math.sqrt(s2))];
        [lLo, lHi] = [Math.min(lLo, Math.sqrt(l2)), Math.max(lHi, Math.sqrt(l2))];
      }
      if (sHi / sLo > (stdBound.value as number)) stdFail++;
      if (lHi / lLo > (linfBound.value as number)) linfFail++;
    }
    const allowed = maxConsistentFailures(reps, 0.5, 1e-4);
    expect(stdFail).toBeLessThanOrEqual(allowed);
    expect(linfFail).toBeLessThanOrEqual(allowed);
  });
});
