import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { normalCdf } from "../../../src/core/linalg/normal.js";
import { fromColumns, norm2 } from "../../../src/core/linalg/mat.js";
import {
  bayesError,
  excessLinearRisk,
  monteCarloTargetMetrics,
  robustError,
  targetAngleSine,
  zeroOneError,
} from "../../../src/families/mixture/metrics.js";
import { sinTheta } from "../../../src/core/linalg/decompositions.js";
import { Rng } from "../../../src/core/random/rng.js";
import { gaussianVector, haarFromSeed, seedArb } from "../../arbitraries.js";
import { ALPHA, zCritical } from "../../statistics.js";

const Z = zCritical(ALPHA);

describe("excessLinearRisk without cancellation", () => {
  it("keeps the relative accuracy of a tiny excess next to a huge ||mu_0|| (by hand: ||mu_0|| (1 - cos t) ~ ||mu_0|| t^2 / 2)", () => {
    const t = 1e-9;
    const beta = Float64Array.of(Math.cos(t), Math.sin(t));
    expect(excessLinearRisk(beta, Float64Array.of(1e90, 0)) / 5e71).toBeCloseTo(1, 9);
    // beta = mu_0 / ||mu_0|| up to rounding: the excess is non-negative and at the rounding level of ||mu_0||.
    const e = excessLinearRisk(Float64Array.of(0.6, 0.8), Float64Array.of(0.6e90, 0.8e90));
    expect(e).toBeGreaterThanOrEqual(0);
    expect(e / 1e90).toBeLessThan(1e-30);
    expect(() => excessLinearRisk(Float64Array.of(1, 1), Float64Array.of(1, 0))).toThrow(RangeError);
    // Inside the ball: ||mu_0|| - <beta, mu_0> = 2 - 1 = 1.
    expect(excessLinearRisk(Float64Array.of(0.5, 0), Float64Array.of(2, 0))).toBeCloseTo(1, 15);
  });
});

describe("closed-form target metrics (MODEL §4)", () => {
  it("the Bayes direction beta = mu0/||mu0|| has zero excess and the Bayes error", () => {
    const mu0 = Float64Array.from([1.2, -0.9, 0]);
    const beta = mu0.map((x) => x / 1.5);
    expect(excessLinearRisk(beta, mu0)).toBeCloseTo(0, 15);
    expect(zeroOneError(beta, mu0, 2)).toBeCloseTo(normalCdf(-0.75), 15);
    expect(bayesError(mu0, 2)).toBeCloseTo(normalCdf(-0.75), 15);
    // The opposite direction: excess 2||mu0||, error Phi(+0.75).
    expect(excessLinearRisk(beta.map((x) => -x), mu0)).toBeCloseTo(3, 14);
  });

  it("robust error: at e = 0 it is the 0-1 error; for beta = e1 under l-inf it is Phi((e - mu_1)/sigma)", () => {
    const mu0 = Float64Array.from([1, 0.5]);
    const beta = Float64Array.from([1, 0]);
    expect(robustError(beta, mu0, 1, "linf", 0)).toBe(zeroOneError(beta, mu0, 1));
    expect(robustError(beta, mu0, 1, "linf", 0.3)).toBeCloseTo(normalCdf(-0.7), 15);
    // beta = (1,1)/sqrt2: ||beta||_1 = sqrt2, <beta,mu0> = 1.5/sqrt2, so the argument is (0.3 sqrt2 - 1.5/sqrt2).
    const b2 = Float64Array.from([Math.SQRT1_2, Math.SQRT1_2]);
    expect(robustError(b2, mu0, 1, "linf", 0.3)).toBeCloseTo(normalCdf(0.3 * Math.SQRT2 - 1.5 / Math.SQRT2), 15);
    expect(robustError(b2, mu0, 1, "l2", 0.3)).toBeCloseTo(normalCdf(0.3 - 1.5 / Math.SQRT2), 15);
  });

  it("closed forms agree with test-set Monte Carlo within 4.5 SE on random instances", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20 }), seedArb, fc.double({ min: 0.3, max: 2, noNaN: true }), fc.constantFrom("l2" as const, "linf" as const), (d, seed, sigma, attack) => {
        const mu0 = gaussianVector(d, seed, 0.6);
        const beta = gaussianVector(d, seed + 1);
        const len = norm2(beta);
        for (let i = 0; i < d; i++) beta[i] /= len;
        const e = 0.2;
        const mc = monteCarloTargetMetrics(beta, mu0, sigma, 20_000, new Rng(`mc:${seed}`), attack, e);
        expect(Math.abs(mc.excess.mean - excessLinearRisk(beta, mu0))).toBeLessThan(Z * mc.excess.se);
        const err = zeroOneError(beta, mu0, sigma);
        expect(Math.abs(mc.error.mean - err)).toBeLessThan(Z * Math.sqrt((err * (1 - err)) / 20_000) + 1e-12);
        const rob = robustError(beta, mu0, sigma, attack, e);
        expect(Math.abs(mc.robustError.mean - rob)).toBeLessThan(Z * Math.sqrt((rob * (1 - rob)) / 20_000) + 1e-12);
      }),
      { numRuns: 30 },
    );
  });

  it("targetAngleSine <= sinTheta(U, B*) whenever mu0 lies in span(B*) (MODEL §6 B4)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 25 }), seedArb, seedArb, (d, s1, s2) => {
        const r = 1 + (s1 % (d - 1));
        const b = haarFromSeed(d, r, s1);
        const u = haarFromSeed(d, r, s2);
        const w = gaussianVector(r, s2);
        const mu0 = Float64Array.from({ length: d }, (_, i) => {
          let acc = 0;
          for (let j = 0; j < r; j++) acc += b.data[i + j * d] * w[j];
          return acc;
        });
        expect(targetAngleSine(u, mu0)).toBeLessThanOrEqual(sinTheta(u, b) + 1e-12);
        expect(targetAngleSine(b, mu0)).toBeLessThan(1e-7);
      }),
    );
    expect(targetAngleSine(fromColumns([[1, 0]]), Float64Array.from([0, 2]))).toBe(1);
  });
});
