import { describe, expect, it } from "vitest";
import { integrate } from "../../../src/core/linalg/quadrature.js";

describe("integrate (adaptive Gauss-Kronrod 7/15)", () => {
  it("is exact for polynomials of degree <= 22 on one panel", () => {
    // int_{-1}^{2} x^k dx = (2^{k+1} - (-1)^{k+1}) / (k + 1)
    for (const k of [0, 1, 5, 12, 22]) {
      const exact = (2 ** (k + 1) - (-1) ** (k + 1)) / (k + 1);
      expect(integrate((x) => x ** k, -1, 2)).toBeCloseTo(exact, 9);
      expect(Math.abs(integrate((x) => x ** k, -1, 2) - exact)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(exact)));
    }
  });

  it("integrates smooth functions to ~1e-13", () => {
    expect(Math.abs(integrate(Math.exp, 0, 1) - (Math.E - 1))).toBeLessThan(1e-14);
    expect(Math.abs(integrate(Math.sin, 0, Math.PI) - 2)).toBeLessThan(1e-14);
    // A narrow peak needs bisection: int_0^1 exp(-10^4 (x - 0.3)^2) dx = sqrt(pi)/100 (tails below 1e-300).
    expect(Math.abs(integrate((x) => Math.exp(-1e4 * (x - 0.3) ** 2), 0, 1) - Math.sqrt(Math.PI) / 100)).toBeLessThan(1e-14);
  });

  it("handles empty and reversed intervals", () => {
    expect(integrate(Math.exp, 1, 1)).toBe(0);
    expect(integrate(Math.exp, 1, 0)).toBeCloseTo(-(Math.E - 1), 14);
  });
});
