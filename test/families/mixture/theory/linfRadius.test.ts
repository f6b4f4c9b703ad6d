import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Rng } from "../../../../src/core/random/rng.js";
import { linfRadius, linfRadiusSharp, linfRadiusStudent, offSupportZeroingProbability } from "../../../../src/families/mixture/theory/linfRadius.js";

const defaults = { sigma: 1, n: 40, d: 500, s: 20, T: 20, delta: 0.05 }; // MODEL §7

describe("linfRadius (MODEL §6 B3)", () => {
  it("gives the hand-computed radii for the default scenario", () => {
    // (1/sqrt 40) sqrt(2 log(2 * 480 * 20 / 0.05)) = sqrt(2 log 384000) / 6.3246 = 0.80182...
    expect(linfRadius(defaults)).toBeCloseTo(0.8018228554852331, 14);
    // Without the factor 2: sqrt(2 log 192000) / sqrt 40.
    expect(linfRadiusSharp(defaults)).toBeCloseTo(0.7799118748618308, 14);
    // Student with n + m = 240 pooled samples.
    expect(linfRadiusStudent({ ...defaults, m: 200 })).toBeCloseTo(0.3273428100066995, 14);
  });

  it("is 0 for a dense support (nothing to zero)", () => {
    expect(linfRadius({ ...defaults, s: 500 })).toBe(0);
    expect(offSupportZeroingProbability({ ...defaults, s: 500, eps: 0 })).toBe(1);
  });

  it("certifies P(E0) >= 1 - delta at eps(delta), also without the factor 2 (THEORY.md B3)", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.05, max: 5, noNaN: true }),
        fc.integer({ min: 1, max: 10000 }),
        fc.integer({ min: 2, max: 5000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer({ min: 1, max: 200 }),
        fc.double({ min: 1e-6, max: 0.99, noNaN: true }),
        (sigma, n, d, sFrac, T, delta) => {
          const s = Math.max(1, Math.min(d - 1, Math.floor(sFrac * d)));
          const input = { sigma, n, d, s, T, delta };
          for (const eps of [linfRadius(input), linfRadiusSharp(input)]) {
            expect(offSupportZeroingProbability({ sigma, n, d, s, T, eps })).toBeGreaterThanOrEqual(1 - delta - 1e-12);
          }
        },
      ),
      { numRuns: 300, seed: 5 },
    );
  });

  it("rejects delta outside (0, 1)", () => {
    expect(() => linfRadius({ ...defaults, delta: 0 })).toThrow(RangeError);
    expect(() => linfRadius({ ...defaults, delta: 1 })).toThrow(RangeError);
  });
});

describe("offSupportZeroingProbability (THEORY.md B3, exact)", () => {
  it("gives the hand-computed value for the default scenario at eps = 0.6", () => {
    // (1 - 2 Q(0.6 sqrt 40))^{480 * 20}, mpmath: 0.24195414649928019.
    expect(offSupportZeroingProbability({ ...defaults, eps: 0.6 })).toBeCloseTo(0.24195414649928019, 12);
  });

  it("is 0 at eps = 0 when s < d", () => {
    expect(offSupportZeroingProbability({ ...defaults, eps: 0 })).toBe(0);
  });

  it("matches the frequency of {tau max |z_tj| <= eps} within 4.5 SE (fixed seed)", () => {
    // d - s = 10 off-support coordinates, T = 3 tasks, tau = 0.5, eps = 1.2 (probability about 0.6).
    const rng = new Rng("test:zeroing");
    const [sigma, n, d, s, T, eps] = [1, 4, 12, 2, 3, 1.2];
    const p = offSupportZeroingProbability({ sigma, n, d, s, T, eps });
    const reps = 20000;
    const z = new Float64Array((d - s) * T);
    let hits = 0;
    for (let k = 0; k < reps; k++) {
      rng.fillNormal(z);
      let ok = true;
      for (let i = 0; i < z.length; i++) if ((sigma / Math.sqrt(n)) * Math.abs(z[i]) > eps) ok = false;
      if (ok) hits++;
    }
    const se = Math.sqrt((p * (1 - p)) / reps);
    expect(p).toBeGreaterThan(0.3);
    expect(Math.abs(hits / reps - p)).toBeLessThan(4.5 * se);
  });
});
