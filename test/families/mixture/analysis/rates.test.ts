import { beforeAll, describe, expect, it } from "vitest";
import { parseRateSweep } from "../../../../src/families/mixture/analysis/rates.js";
import { type RateResult, runRates } from "../../../../src/experiment/rates.js";
import { weightedSlope } from "../../../../src/core/stats.js";
import { ConfigError } from "../../../../src/core/config/parse.js";
import { createDefaultRegistry } from "../../../../src/families/index.js";

const registry = createDefaultRegistry();

describe("weightedSlope", () => {
  it("recovers an exact line, and its SE is 1/sqrt(sum w (x - xbar)^2), worked by hand", () => {
    const x = [0, 1, 2];
    expect(weightedSlope(x, [2, 1.5, 1])?.slope).toBeCloseTo(-0.5, 15);
    // w = (1, 4, 1): xbar = 1, sum w (x - 1)^2 = 2, SE = 1/sqrt 2.
    const fit = weightedSlope(x, [2, 1.5, 1], [1, 4, 1]);
    expect(fit?.slope).toBeCloseTo(-0.5, 15);
    expect(fit?.se).toBeCloseTo(Math.SQRT1_2, 15);
    expect(weightedSlope([1], [1])).toBeNull();
  });
});

describe("parseRateSweep", () => {
  it("takes MODEL §7-centred default grids and checks its input", () => {
    expect(parseRateSweep({}).values[0]).toBe(40);
    expect(parseRateSweep({ parameter: "T" }).parameter).toBe("T");
    expect(() => parseRateSweep({ parameter: "sigma" })).toThrow(ConfigError);
    expect(() => parseRateSweep({ values: [100, 50] })).toThrow(/values\[1\] = 50: must be larger/);
    expect(() => parseRateSweep({ values: [100] })).toThrow(ConfigError);
    expect(() => parseRateSweep({ delta: 0 })).toThrow(ConfigError);
  });
});

describe("runRates", () => {
  // Heads with equal singular values: sigma_r(W) = snr sqrt(T / 2) on every replicate, so the B2
  // formula tau a / (sigma_r - tau b) is the same on every replicate and its slope is computable by hand.
  const base = {
    scenario: { d: 60, s: 8, r: 2, T: 6, snr: 2, diversity: [1, 1] },
    replicates: 100,
    seed: 9,
  };
  const values = [250_000, 1_000_000, 4_000_000];
  const t = 2.5;
  let result: RateResult;
  beforeAll(async () => {
    result = await runRates(base, parseRateSweep({ parameter: "n", values }), { registry, boundOptions: { t } });
  });

  it("predicts B2's slope exactly (hand formula)", () => {
    const [a, b, sigmaR] = [Math.sqrt(58) + Math.sqrt(6) + t, Math.sqrt(2) + Math.sqrt(6) + t, 2 * Math.sqrt(3)];
    const b2 = (n: number) => a / Math.sqrt(n) / (sigmaR - b / Math.sqrt(n));
    result.points.forEach((p) => expect(p.methods[0].boundMean).toBeCloseTo(b2(p.value), 12));
    const hand = weightedSlope(values.map(Math.log), values.map((n) => Math.log(b2(n))));
    expect(result.fits[0].predicted?.slope).toBeCloseTo(hand?.slope as number, 12);
  });

  it("measures the first-order rate n^{-1/2} of sinTheta at small noise within 4.5 SE", () => {
    // sinTheta is tau times a random matrix functional plus O(tau^2) (first-order perturbation of
    // the SVD): the local slope between the last two grid values tends to -1/2. Its SE (delta
    // method with independent errors) is conservative here: both points use the same streams.
    for (const j of [0, 1]) {
      const [p, q] = [result.points[1].methods[j], result.points[2].methods[j]];
      const slope = Math.log(q.sinTheta.mean / p.sinTheta.mean) / Math.log(4);
      const se = Math.hypot(p.sinTheta.se / p.sinTheta.mean, q.sinTheta.se / q.sinTheta.mean) / Math.log(4);
      expect(Math.abs(slope + 0.5)).toBeLessThanOrEqual(4.5 * se);
    }
  });

  it("uses the l-inf radius eps(delta) of B3 at every grid value", () => {
    // eps(0.1) = sqrt(2 log(2 * 52 * 6 / 0.1)) / sqrt(n).
    result.points.forEach((p) => expect(p.methods[1].eps).toBeCloseTo(Math.sqrt(2 * Math.log(6240)) / Math.sqrt(p.value), 14));
  });

  it("names a bad grid value by its scenario field", async () => {
    await expect(runRates({ scenario: { r: 4 } }, parseRateSweep({ parameter: "T", values: [2, 8] }), { registry })).rejects.toThrow(/scenario\.T = 2/);
  });
});
