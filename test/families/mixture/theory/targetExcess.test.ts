import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { normalCdf, normalPdf } from "../../../../src/core/linalg/normal.js";
import { integrate } from "../../../../src/core/linalg/quadrature.js";
import { Rng } from "../../../../src/core/random/rng.js";
import {
  expectedTargetExcess,
  projectedNormalCosineDeficit,
  targetExcessBound,
  targetExcessBoundFromSinPhi,
} from "../../../../src/families/mixture/theory/targetExcess.js";

/** Modified Bessel function I_k(x) by its power series sum_j (x/2)^{2j+k} / (j! (j+k)!). */
function besselI(k: number, x: number): number {
  let term = (x / 2) ** k;
  for (let i = 1; i <= k; i++) term /= i;
  let sum = term;
  for (let j = 1; j < 500; j++) {
    term *= (x * x) / 4 / (j * (j + k));
    sum += term;
    if (term < 1e-17 * sum) break;
  }
  return sum;
}

/** Gamma(k/2) for integer k >= 1, by the recurrence from Gamma(1/2) = sqrt(pi) and Gamma(1) = 1. */
function gammaHalf(k: number): number {
  let g = k % 2 === 0 ? 1 : Math.sqrt(Math.PI);
  for (let x = k % 2 === 0 ? 1 : 0.5; x < k / 2 - 1e-9; x += 1) g *= x;
  return g;
}

/**
 * E[cos psi] by the two-dimensional integral MODEL §4 describes, an implementation independent of
 * THEORY.md's reduction: zeta_1 ~ N(0, 1) and chi = ||zeta_perp|| with chi^2 ~ chi-square(r - 1),
 * density chi^{k-1} e^{-chi^2/2} / (2^{k/2 - 1} Gamma(k/2)), k = r - 1.
 */
function meanCosineTwoDimensional(lambda: number, r: number): number {
  const k = r - 1;
  const norm = 1 / (2 ** (k / 2 - 1) * gammaHalf(k));
  const inner = (z: number): number => {
    const x = lambda + z;
    return integrate((chi) => (x / Math.hypot(x, chi)) * norm * chi ** (k - 1) * Math.exp(-0.5 * chi * chi), 0, Math.sqrt(k) + 14, {
      relTol: 1e-11,
    });
  };
  // Split the outer integral where the inner integrand changes sign (z = -lambda).
  const f = (z: number) => inner(z) * normalPdf(z);
  return integrate(f, -14, -lambda, { relTol: 1e-11 }) + integrate(f, -lambda, 14, { relTol: 1e-11 });
}

describe("projectedNormalCosineDeficit D_r(lambda) (THEORY.md §4, (X2)-(X3))", () => {
  it("r = 1: D = 2 Q(lambda) (E[sign(lambda + Z)] = 2 Phi(lambda) - 1)", () => {
    for (const lambda of [0, 0.1, 1, 3, 8, 30]) {
      expect(projectedNormalCosineDeficit(lambda, 1)).toBeCloseTo(2 * normalCdf(-lambda), 15);
    }
  });

  it("lambda = 0: D = 1 for every r (u is isotropic)", () => {
    for (const r of [1, 2, 5, 40]) expect(projectedNormalCosineDeficit(0, r)).toBe(1);
  });

  it("r = 2: E[cos psi] = sqrt(pi/8) lambda e^{-lambda^2/4} (I_0 + I_1)(lambda^2/4), worked by hand", () => {
    for (const lambda of [0.2, 0.7, 1.5, 3, 6]) {
      const b = (lambda * lambda) / 4;
      const mean = Math.sqrt(Math.PI / 8) * lambda * Math.exp(-b) * (besselI(0, b) + besselI(1, b));
      expect(Math.abs(projectedNormalCosineDeficit(lambda, 2) - (1 - mean))).toBeLessThan(1e-12);
    }
  });

  it("r = 3: E[cos psi] = (2 lambda / sqrt(2 pi)) [J (1 - 1/(2c)) + e^{-c}/(2c)], c = lambda^2/2, worked by hand", () => {
    for (const lambda of [0.3, 1, 2.5, 5]) {
      const c = (lambda * lambda) / 2;
      const j = Math.sqrt(Math.PI / c) * (normalCdf(lambda) - 0.5);
      const mean = ((2 * lambda) / Math.sqrt(2 * Math.PI)) * (j * (1 - 1 / (2 * c)) + Math.exp(-c) / (2 * c));
      expect(Math.abs(projectedNormalCosineDeficit(lambda, 3) - (1 - mean))).toBeLessThan(1e-12);
    }
  });

  it("agrees with the two-dimensional integral over (normal, chi) of MODEL §4", () => {
    for (const [lambda, r] of [
      [0.5, 2],
      [1.3, 4],
      [4, 7],
      [0.2, 12],
    ]) {
      expect(Math.abs(projectedNormalCosineDeficit(lambda, r) - (1 - meanCosineTwoDimensional(lambda, r)))).toBeLessThan(1e-9);
    }
  });

  it("matches reference values of the 1F1 closed form (mpmath, 30 digits)", () => {
    // 1 - lambda Gamma((r+1)/2) / (sqrt 2 Gamma(r/2 + 1)) 1F1(1/2; r/2 + 1; -lambda^2/2), THEORY.md (X2).
    const ref: [number, number, number][] = [
      [0.7, 2, 0.58664283762743705],
      [3, 5, 0.18541530860920252],
      [50, 2, 0.00020006006010526548],
      [1000, 4, 1.4999988749990625e-6],
      [1e4, 7, 2.9999999100000015e-8],
    ];
    for (const [lambda, r, d] of ref) {
      expect(Math.abs(projectedNormalCosineDeficit(lambda, r) / d - 1)).toBeLessThan(1e-10);
    }
  });

  it("is asymptotically (r - 1) / (2 lambda^2) (THEORY.md B4)", () => {
    for (const r of [2, 4, 10]) {
      const lambda = 2000;
      expect(projectedNormalCosineDeficit(lambda, r) * lambda * lambda).toBeCloseTo((r - 1) / 2, 3);
    }
  });

  it("rejects bad arguments with a RangeError (a programming error)", () => {
    expect(() => projectedNormalCosineDeficit(-1, 2)).toThrow(RangeError);
    expect(() => projectedNormalCosineDeficit(1, 0)).toThrow(RangeError);
    expect(() => projectedNormalCosineDeficit(Number.NaN, 2)).toThrow(RangeError);
  });
});

describe("expectedTargetExcess (MODEL §4)", () => {
  it("matches mpmath reference values", () => {
    const ref: [number, number, number, number, number, number][] = [
      [1.2, 1.5, 1, 20, 4, 0.36082011389995075],
      [0.3, 2, 1.5, 5, 10, 1.9589605825312054],
      [1.0, 1.0, 0.5, 100, 2, 0.001252358561231624],
      [0.05, 1, 1, 1, 1, 0.99800611941616275],
    ];
    for (const [aNorm, mu0Norm, sigma, n0, r, value] of ref) {
      expect(Math.abs(expectedTargetExcess({ aNorm, mu0Norm, sigma, n0, r }) - value)).toBeLessThan(1e-12);
    }
  });

  it("r = 1 closed form ||mu_0|| - ||a|| (2 Phi(lambda) - 1)", () => {
    const e = expectedTargetExcess({ aNorm: 0.8, mu0Norm: 1, sigma: 2, n0: 9, r: 1 });
    expect(e).toBeCloseTo(1 - 0.8 * (2 * normalCdf(1.2) - 1), 15);
  });

  it("agrees with Monte Carlo over the target sample within 4.5 standard errors (fixed seed)", () => {
    // u = a + tau0 zeta, excess = ||mu_0|| - <a, u>/||u|| (MODEL §3.4, §4); a = ||a|| e_1 without loss of generality.
    const rng = new Rng("test:targetExcess:mc");
    const cases = [
      { aNorm: 1.2, mu0Norm: 1.5, sigma: 1, n0: 20, r: 4 },
      { aNorm: 0.4, mu0Norm: 1.5, sigma: 1, n0: 20, r: 4 },
      { aNorm: 0.9, mu0Norm: 1, sigma: 1, n0: 3, r: 2 },
      { aNorm: 0.2, mu0Norm: 0.5, sigma: 2, n0: 50, r: 9 },
    ];
    const draws = 40_000;
    for (const c of cases) {
      const tau0 = c.sigma / Math.sqrt(c.n0);
      const zeta = new Float64Array(c.r);
      let sum = 0;
      let sumSq = 0;
      for (let i = 0; i < draws; i++) {
        rng.fillNormal(zeta);
        let nrm2 = 0;
        for (let j = 0; j < c.r; j++) {
          const u = (j === 0 ? c.aNorm : 0) + tau0 * zeta[j];
          nrm2 += u * u;
        }
        const excess = c.mu0Norm - (c.aNorm * (c.aNorm + tau0 * zeta[0])) / Math.sqrt(nrm2);
        sum += excess;
        sumSq += excess * excess;
      }
      const mean = sum / draws;
      const se = Math.sqrt((sumSq / draws - mean * mean) / draws);
      expect(Math.abs(expectedTargetExcess(c) - mean)).toBeLessThan(4.5 * se);
    }
  });

  it("lies in [||mu_0|| - ||a||, ||mu_0||] and decreases in n0 (THEORY.md §4)", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.01, max: 10, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0.01, max: 10, noNaN: true }),
        fc.integer({ min: 1, max: 5000 }),
        fc.integer({ min: 1, max: 60 }),
        (mu0Norm, cosPhi, sigma, n0, r) => {
          const aNorm = mu0Norm * cosPhi;
          const e = expectedTargetExcess({ aNorm, mu0Norm, sigma, n0, r });
          const e2 = expectedTargetExcess({ aNorm, mu0Norm, sigma, n0: 2 * n0, r });
          expect(e).toBeGreaterThanOrEqual(mu0Norm - aNorm - 1e-12 * mu0Norm);
          expect(e).toBeLessThanOrEqual(mu0Norm * (1 + 1e-12));
          expect(e2).toBeLessThanOrEqual(e + 1e-12 * mu0Norm);
        },
      ),
      { numRuns: 300, seed: 20211 },
    );
  });

  it("rejects ||a|| > ||mu_0|| and non-positive sigma", () => {
    expect(() => expectedTargetExcess({ aNorm: 1.1, mu0Norm: 1, sigma: 1, n0: 5, r: 2 })).toThrow(RangeError);
    expect(() => expectedTargetExcess({ aNorm: 0.5, mu0Norm: 1, sigma: 0, n0: 5, r: 2 })).toThrow(RangeError);
  });
});

describe("targetExcessBound (MODEL §6 B4, THEORY.md B4/B4s)", () => {
  it("B4 and B4s hold on every instance, with the exact quadrature value as the left side", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.01, max: 10, noNaN: true }),
        fc.double({ min: 1e-6, max: 1, noNaN: true }),
        fc.double({ min: 0.01, max: 10, noNaN: true }),
        fc.integer({ min: 1, max: 20000 }),
        fc.integer({ min: 1, max: 60 }),
        (mu0Norm, cosPhi, sigma, n0, r) => {
          const input = { aNorm: mu0Norm * cosPhi, mu0Norm, sigma, n0, r };
          const exact = expectedTargetExcess(input);
          const bound = targetExcessBound(input);
          // Tolerance: the quadrature's relative accuracy (~1e-12), not slack in the bound.
          expect(exact).toBeLessThanOrEqual(bound.value.value * (1 + 1e-10));
          expect(exact).toBeLessThanOrEqual(bound.sharp.value * (1 + 1e-10));
          expect(bound.sharp.value).toBeLessThanOrEqual(mu0Norm);
          expect(Number.isNaN(bound.value.value)).toBe(false);
        },
      ),
      { numRuns: 500, seed: 424242 },
    );
  });

  it("B4 with the MODEL formula, worked by hand", () => {
    // ||mu_0|| = 2, cos phi = 0.8 (sin^2 = 0.36), sigma = 1, n0 = 10, r = 3:
    // 2 * 0.36 + 2 * 1 * 3 / (10 * 2 * 0.8) = 0.72 + 0.375 = 1.095.
    const b = targetExcessBound({ aNorm: 1.6, mu0Norm: 2, sigma: 1, n0: 10, r: 3 });
    expect(b.value.formula).toBeCloseTo(1.095, 14);
    expect(b.value.vacuous).toBe(false);
    // B4s: 2 - 1.6 + 2 * 1.6 * Q(1.6 sqrt(10)) + 1 * 0.1 / 1.6.
    expect(b.sharp.formula).toBeCloseTo(0.4 + 3.2 * normalCdf(-1.6 * Math.sqrt(10)) + 0.0625, 14);
  });

  it("is undefined (cap ||mu_0||) when cos phi = 0", () => {
    const b = targetExcessBound({ aNorm: 0, mu0Norm: 1.5, sigma: 1, n0: 10, r: 3 });
    expect(b.value).toEqual({ value: 1.5, formula: null, cap: 1.5, defined: false, vacuous: true });
    expect(expectedTargetExcess({ aNorm: 0, mu0Norm: 1.5, sigma: 1, n0: 10, r: 3 })).toBe(1.5);
  });

  it("B4s is asymptotically exact for r >= 3 (ratio -> 1 as n0 grows)", () => {
    const input = { aNorm: 1, mu0Norm: 1, sigma: 1, n0: 1e7, r: 5 };
    const ratio = (targetExcessBound(input).sharp.formula as number) / expectedTargetExcess(input);
    expect(ratio).toBeGreaterThanOrEqual(1);
    expect(ratio).toBeLessThan(1.001);
  });

  it("the sinPhi form bounds every representation with sin(phi) <= b (THEORY.md B5)", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.05, max: 5, noNaN: true }),
        fc.double({ min: 0, max: 0.999, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0.1, max: 3, noNaN: true }),
        fc.integer({ min: 1, max: 2000 }),
        fc.integer({ min: 1, max: 30 }),
        (mu0Norm, b, frac, sigma, n0, r) => {
          const sinPhi = b * frac;
          const aNorm = mu0Norm * Math.sqrt(1 - sinPhi * sinPhi);
          const composed = targetExcessBoundFromSinPhi({ mu0Norm, sigma, n0, r, sinPhiBound: b });
          const exact = expectedTargetExcess({ aNorm, mu0Norm, sigma, n0, r });
          const direct = targetExcessBound({ aNorm, mu0Norm, sigma, n0, r });
          expect(exact).toBeLessThanOrEqual(composed.sharp.value * (1 + 1e-10));
          expect(direct.value.value).toBeLessThanOrEqual(composed.value.value * (1 + 1e-10));
          expect(direct.sharp.value).toBeLessThanOrEqual(composed.sharp.value * (1 + 1e-10));
        },
      ),
      { numRuns: 300, seed: 77 },
    );
  });
});
