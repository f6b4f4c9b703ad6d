import { describe, expect, it } from "vitest";
import { coverage } from "../../src/experiment/coverage.js";

describe("coverage", () => {
  it("counts held flags and gives the one-sided p-value under the promise", () => {
    const c = coverage([true, true, false, true], 0.9);
    expect(c).toMatchObject({ trials: 4, held: 3, coverage: 0.75, promised: 0.9 });
    // P(Binomial(4, 0.1) >= 1) = 1 - 0.9^4.
    expect(c.pValue).toBeCloseTo(1 - 0.9 ** 4, 14);
    expect(coverage([], 0.5)).toMatchObject({ trials: 0, coverage: 1, pValue: 1 });
  });
});
