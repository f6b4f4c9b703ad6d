import { describe, expect, it } from "vitest";
import { normalCdf, normalPdf } from "../../../src/core/linalg/normal.js";

describe("normalCdf", () => {
  // Reference values: standard tables of the normal distribution (e.g. Abramowitz and Stegun
  // 26.2; Phi(-x) for large x from the asymptotic Mills ratio to full precision).
  it.each([
    [0, 0.5],
    [1, 0.8413447460685429],
    [-1, 0.15865525393145707],
    [1.959963984540054, 0.975],
    [-2.5758293035489004, 0.005],
    [-3, 0.0013498980316301035],
    [-5, 2.866515718791939e-7],
    [-10, 7.619853024160527e-24],
    [-20, 2.7536241186062337e-89],
  ])("Phi(%f) = %e to 1e-13 relative", (x, p) => {
    expect(Math.abs(normalCdf(x) - p) / p).toBeLessThan(1e-13);
  });

  it("is continuous at the switch |x| = 3 between series and continued fraction", () => {
    for (const x of [-3, 3]) {
      const below = normalCdf(x - 1e-12);
      const above = normalCdf(x + 1e-12);
      expect(Math.abs(above - below)).toBeLessThan(1e-14);
    }
  });

  it("satisfies Phi(x) + Phi(-x) = 1 and has the limits 0 and 1", () => {
    for (let x = -8; x <= 8; x += 0.37) expect(normalCdf(x) + normalCdf(-x)).toBeCloseTo(1, 14);
    expect(normalCdf(-Infinity)).toBe(0);
    expect(normalCdf(Infinity)).toBe(1);
    expect(normalCdf(-50)).toBe(0);
    expect(Number.isNaN(normalCdf(NaN))).toBe(true);
  });

  it("has derivative phi (central difference)", () => {
    for (const x of [-4, -1.3, 0, 0.7, 2.9, 3.1]) {
      const h = 1e-5;
      expect((normalCdf(x + h) - normalCdf(x - h)) / (2 * h)).toBeCloseTo(normalPdf(x), 8);
    }
  });
});
