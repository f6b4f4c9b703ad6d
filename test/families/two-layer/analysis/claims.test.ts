import { describe, expect, it } from "vitest";
import type { ReplicateResult } from "../../../../src/experiment/family.js";
import { twoLayerClaims } from "../../../../src/families/two-layer/analysis/claims.js";

function replicate(k: number, standard: number, linf: number, okLinf = true): ReplicateResult {
  return {
    replicate: k,
    outcomes: [
      { method: "standard", ok: true, metrics: { sinTheta: standard } },
      { method: "linf", ok: okLinf, metrics: okLinf ? { sinTheta: linf } : {} },
    ],
  };
}

describe("twoLayerClaims", () => {
  it("takes paired differences over replicates where both methods succeeded", () => {
    // Differences 0.2, 0.3, 0.1 (replicate 3 has a failed linf and is skipped): mean 0.2,
    // sd 0.1, se 0.1 / sqrt(3).
    const results = [replicate(0, 0.9, 0.7), replicate(1, 0.8, 0.5), replicate(2, 0.6, 0.5), replicate(3, 0.9, 0, false)];
    const [c] = twoLayerClaims(results, ["sinTheta"], [{ claim: "C1", baseline: "standard", method: "linf" }]);
    expect(c.n).toBe(3);
    expect(c.improvement).toBeCloseTo(0.2, 14);
    expect(c.se).toBeCloseTo(0.1 / Math.sqrt(3), 14);
    expect(c.baselineMean).toBeCloseTo((0.9 + 0.8 + 0.6) / 3, 14);
    expect(c.verdict).toBe("better"); // 0.2 > 3 * 0.0577
  });

  it("says worse, or no clear difference, within 3 SE", () => {
    const worse = [replicate(0, 0.5, 0.6), replicate(1, 0.5, 0.61), replicate(2, 0.5, 0.59)];
    expect(twoLayerClaims(worse, ["sinTheta"])[0].verdict).toBe("worse");
    const unclear = [replicate(0, 0.5, 0.6), replicate(1, 0.5, 0.4), replicate(2, 0.5, 0.52)];
    expect(twoLayerClaims(unclear, ["sinTheta"])[0].verdict).toBe("no clear difference");
  });

  it("skips pairs whose methods are not in the results", () => {
    expect(twoLayerClaims([replicate(0, 0.5, 0.4)], ["sinTheta"]).map((c) => `${c.baseline}->${c.method}`)).toEqual(["standard->linf"]);
  });
});
