import { describe, expect, it } from "vitest";
import { coverage } from "../../src/experiment/coverage.js";
import { binomialUpperTail, maxConsistentFailures } from "../../src/core/stats.js";

describe("binomial tail of the coverage checks", () => {
  it("matches hand-computed tails", () => {
    expect(binomialUpperTail(2, 3, 0.5)).toBeCloseTo(0.5, 15); // (3 + 1) / 8
    expect(binomialUpperTail(1, 10, 0.1)).toBeCloseTo(1 - 0.9 ** 10, 14);
    expect(binomialUpperTail(0, 10, 0.1)).toBe(1);
    expect(binomialUpperTail(11, 10, 0.1)).toBe(0);
  });

  it("gives the largest failure count consistent with the worst case", () => {
    // n = 10, q = 0.1, alpha = 0.01: P(X >= 4) = 0.0128 > 0.01, P(X >= 5) = 0.00163 <= 0.01.
    expect(maxConsistentFailures(10, 0.1, 0.01)).toBe(4);
    expect(maxConsistentFailures(100, 0, 1e-4)).toBe(0);
  });
});

describe("coverage", () => {
  it("counts held flags and gives the one-sided p-value under the promise", () => {
    const c = coverage([true, true, false, true], 0.9);
    expect(c).toMatchObject({ trials: 4, held: 3, coverage: 0.75, promised: 0.9 });
    // P(Binomial(4, 0.1) >= 1) = 1 - 0.9^4.
    expect(c.pValue).toBeCloseTo(1 - 0.9 ** 4, 14);
    expect(coverage([], 0.5)).toMatchObject({ trials: 0, coverage: 1, pValue: 1 });
  });
});
