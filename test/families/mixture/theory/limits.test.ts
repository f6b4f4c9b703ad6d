import fc from "fast-check";
import { describe, expect, it } from "vitest";
import "../../../fastCheckSeed.js";
import { fromRows, zeros } from "../../../../src/core/linalg/mat.js";
import { singularValues } from "../../../../src/core/linalg/decompositions.js";
import { symmetricEigen } from "../../../../src/core/linalg/small.js";
import { rootRng } from "../../../../src/core/random/rng.js";
import { basisOnSupport } from "../../../../src/families/mixture/analysis/bounds.js";
import { drawMixtureTruth, parseMixtureScenario } from "../../../../src/families/mixture/scenario.js";
import { bgnSineSquared, profileLimit, standardLimit } from "../../../../src/families/mixture/theory/limits.js";
import { ProfileSolver, spikedProfilePrediction } from "../../../../src/families/mixture/theory/spikedProfile.js";
import { expectedTargetExcess } from "../../../../src/families/mixture/theory/targetExcess.js";

describe("L1 (Benaych-Georges and Nadakuditi)", () => {
  it("is the hand-computed value: theta = 2, c = 1/4 gives sin^2 = (1/4 + 4) / (4 * 5) = 0.2125; below the threshold it is 1", () => {
    expect(bgnSineSquared(2, 0.25)).toBeCloseTo(0.2125, 15);
    expect(bgnSineSquared(0.7, 0.25)).toBe(1); // 0.7^4 = 0.24 < 0.25: no detection
    // r = 1, d = 100, T = 25, tau = 1, ||W|| = 20: theta = 2; a target along w gives cos^2 phi = 1 - 0.2125.
    const heads = zeros(1, 25);
    heads.data.fill(4); // ||W|| = 4 * 5 = 20
    const pred = standardLimit({ sigma: 1, n: 1, d: 100, n0: 10, heads, targetHead: [1.5] });
    expect(pred.sinTheta).toBeCloseTo(Math.sqrt(0.2125), 14);
    expect(pred.targetAngleSine).toBeCloseTo(Math.sqrt(0.2125), 14);
    expect(pred.targetExcess).toBeCloseTo(expectedTargetExcess({ aNorm: 1.5 * Math.sqrt(0.7875), mu0Norm: 1.5, sigma: 1, n0: 10, r: 1 }), 14);
  });

  it("takes the largest sine for sinTheta, the root of the sum for Frobenius, and sees only detected directions of the target (L1t)", () => {
    // W = diag(20, 5) padded to T = 25 columns: theta = (2, 0.5); the second is below c^{1/4} = 0.707.
    const heads = fromRows([[20, 0, ...new Array(23).fill(0)], [0, 5, ...new Array(23).fill(0)]]);
    const pred = standardLimit({ sigma: 1, n: 1, d: 100, n0: 10, heads, targetHead: [0, 1] });
    expect(pred.sinTheta).toBe(1);
    expect(pred.sinThetaFrobenius).toBeCloseTo(Math.sqrt(0.2125 + 1), 14);
    expect(pred.targetAngleSine).toBeCloseTo(1, 14); // the target lies in the undetected direction
  });
});

describe("the variance-profile solver (L2's engine)", () => {
  it("with a constant profile reproduces BGN: the bulk edge tau^2 (sqrt d + sqrt T)^2 and the outliers' cosines (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000 }), fc.constantFrom([500, 500, 4, 20, 0.158], [100, 100, 2, 60, 0.3], [2000, 80, 4, 10, 0.05], [500, 20, 4, 20, 0.158]), (seed, [d, s, r, T, tau]) => {
        const sc = parseMixtureScenario({ d, s, r, T });
        const truth = drawMixtureTruth(sc, rootRng(seed).fork("truth"));
        const B = basisOnSupport(truth);
        const signal = zeros(s, T);
        for (let t = 0; t < T; t++) for (let j = 0; j < s; j++) for (let k = 0; k < r; k++) signal.data[j + t * s] += B.data[j + k * s] * truth.heads.data[k + t * r];
        const v = tau * tau;
        const profile = s < d ? { variances: [...Array.from({ length: s }, () => new Array(T).fill(v)), new Array(T).fill(v)], multiplicity: [...new Array(s).fill(1), d - s] } : { variances: Array.from({ length: s }, () => new Array(T).fill(v)), multiplicity: new Array(s).fill(1) };
        const edge = new ProfileSolver(profile).edge(1e-7);
        expect(Math.abs(edge / (v * (Math.sqrt(d) + Math.sqrt(T)) ** 2) - 1)).toBeLessThan(1e-6);
        const pred = spikedProfilePrediction(signal, profile, B, r);
        const c = T / d;
        const sw = Array.from(singularValues(truth.heads));
        const expected = sw.map((x) => 1 - bgnSineSquared(x / (tau * Math.sqrt(d)), c)).filter((x) => x > 0);
        const got = symmetricEigen(pred.alignment).values.filter((x) => x > 1e-9);
        expect(got.length).toBe(expected.length);
        // Detected directions: cos^2 to 1e-5 (the edge is located to 1e-3; an outlier that close to it is not resolved).
        expected.forEach((e, i) => expect(Math.abs(got[i] - e)).toBeLessThan(1e-5));
      }),
      { numRuns: 16 },
    );
  });
});

describe("L2 (l-inf training)", () => {
  it("at eps = 0 (unnormalised columns) is L1: the profile is then constant and the solver reproduces BGN", () => {
    const sc = parseMixtureScenario({});
    const truth = drawMixtureTruth(sc, rootRng(3).fork("truth"));
    const base = { sigma: 1, n: 40, d: 500, n0: 20, heads: truth.heads, targetHead: truth.targetHead };
    const l1 = standardLimit(base);
    const l2 = profileLimit({ ...base, basisOnSupport: basisOnSupport(truth), eps: 0, normalised: false });
    expect(Math.abs(l2.sinTheta - l1.sinTheta)).toBeLessThan(1e-5);
    expect(Math.abs(l2.targetExcess - l1.targetExcess)).toBeLessThan(1e-5);
  });

  it("predicts the U shape of C1 on MODEL §7's scenario: lower at eps = 0.3 than at 0 and at 0.6", () => {
    const sc = parseMixtureScenario({});
    const truth = drawMixtureTruth(sc, rootRng(4).fork("truth"));
    const at = (eps: number) => profileLimit({ sigma: 1, n: 40, d: 500, n0: 20, heads: truth.heads, targetHead: truth.targetHead, basisOnSupport: basisOnSupport(truth), eps, normalised: true }).sinTheta;
    const [a, b, c] = [at(0), at(0.3), at(0.6)];
    expect(b).toBeLessThan(a - 0.1);
    expect(b).toBeLessThan(c - 0.1);
  });
});
