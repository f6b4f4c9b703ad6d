import { describe, expect, it } from "vitest";
import { binomialUpperTail, maxConsistentFailures } from "./binomialTail.js";

describe("binomial tail used by the coverage tests", () => {
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
