import { describe, expect, it } from "vitest";
import { CLEAR_SE, comparePaired, isClear, zScore } from "../../src/experiment/claims.js";

describe("the paired-verdict engine", () => {
  it("z = mean / se, infinite for a constant non-zero difference, 0 without evidence", () => {
    expect(zScore({ mean: -0.3, se: 0.01, n: 200 })).toBeCloseTo(-30, 12);
    expect(zScore({ mean: 0.2, se: 0, n: 5 })).toBe(Infinity);
    expect(zScore({ mean: 0, se: 0, n: 5 })).toBe(0);
    expect(zScore({ mean: 1, se: null, n: 1 })).toBe(0);
    expect(isClear({ mean: 3.01, se: 1, n: 10 })).toBe(true);
    expect(isClear({ mean: CLEAR_SE, se: 1, n: 10 })).toBe(false);
  });
  it("compares a lower-is-better metric replicate by replicate, by hand", () => {
    // baseline - method = (0.3, 0.25, 0.23): mean 0.26, sd 0.0360555, se 0.0208167: z = 12.5: better.
    const c = comparePaired([0.9, 0.8, 0.85], [0.6, 0.55, 0.62])!;
    expect(c.improvement).toBeCloseTo(0.26, 14);
    expect(c.se).toBeCloseTo(Math.sqrt(((0.04 ** 2 + 0.01 ** 2 + 0.03 ** 2) / 2) / 3), 14);
    expect(c.verdict).toBe("better");
    expect(comparePaired([0.5, 0.6], [0.9, 1.0])?.verdict).toBe("worse");
    expect(comparePaired([1, 2, 3], [1.1, 1.9, 3.05])?.verdict).toBe("no clear difference");
    expect(comparePaired([null, 1], [2, null])).toBeNull();
    // Means over the replicates where both are measured.
    expect(comparePaired([1, null, 3], [0, 5, 1])).toMatchObject({ baselineMean: 2, methodMean: 0.5, n: 2 });
  });
});
