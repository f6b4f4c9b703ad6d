import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { binomialUpperTail, maxConsistentFailures, mean, median, quantileSorted, quantiles, sampleVariance, standardError, summary } from "../../src/core/stats.js";

describe("mean, standardError", () => {
  it("match hand computations", () => {
    // {1, 2, 3, 6}: mean 3, squared deviations 4 + 1 + 0 + 9 = 14, variance 14 / 3, SE sqrt(14/3/4).
    expect(mean([1, 2, 3, 6])).toBe(3);
    expect(sampleVariance([1, 2, 3, 6])).toBeCloseTo(14 / 3, 14);
    expect(standardError([1, 2, 3, 6])).toBeCloseTo(Math.sqrt(14 / 12), 14);
  });
  it("leave the standard error undefined (null) below two values", () => {
    expect(standardError([5])).toBeNull();
    expect(sampleVariance([])).toBeNull();
    expect(() => mean([])).toThrow(RangeError);
  });
  it("agree with numpy on an irregular sample", () => {
    // numpy: x.mean(), x.std(ddof=1) / sqrt(n)
    const x = [3.1, -2.0, 7.5, 0.25, 4.0, 4.0, 10.0];
    expect(mean(x)).toBeCloseTo(3.835714285714286, 13);
    expect(standardError(x)).toBeCloseTo(1.5347837712491603, 13);
  });
});

describe("quantiles (type 7)", () => {
  it("agree with numpy.quantile's default method", () => {
    const x = [3.1, -2.0, 7.5, 0.25, 4.0, 4.0, 10.0];
    const q = quantiles(x, [0, 0.05, 0.25, 0.5, 0.75, 0.95, 1]);
    const numpy = [-2.0, -1.325, 1.675, 4.0, 5.75, 9.249999999999998, 10.0];
    q.forEach((v, i) => expect(v).toBeCloseTo(numpy[i], 12));
  });
  it("interpolate by hand: [1, 2, 3, 4] at 0.25 is 1.75", () => {
    expect(quantileSorted([1, 2, 3, 4], 0.25)).toBe(1.75);
    expect(quantileSorted([7], 0.3)).toBe(7);
  });
  // Invariants of type-7 quantiles: Q(0) = min, Q(1) = max, Q is non-decreasing in p, and shifting
  // the sample by c shifts every quantile by c (up to rounding).
  it("are monotone, bracketed by min and max, and shift-equivariant (property)", () => {
    const sample = fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 40 });
    fc.assert(
      fc.property(sample, fc.double({ min: -100, max: 100, noNaN: true }), (xs, c) => {
        const ps = [0, 0.1, 0.25, 0.5, 0.75, 0.9, 1];
        const q = quantiles(xs, ps);
        expect(q[0]).toBe(Math.min(...xs));
        expect(q[q.length - 1]).toBe(Math.max(...xs));
        for (let i = 1; i < q.length; i++) expect(q[i]).toBeGreaterThanOrEqual(q[i - 1]);
        const shifted = quantiles(xs.map((x) => x + c), ps);
        shifted.forEach((v, i) => expect(Math.abs(v - (q[i] + c))).toBeLessThanOrEqual(1e-9 * (1 + Math.abs(q[i]) + Math.abs(c))));
      }),
    );
  });
  it("reject p outside [0, 1]", () => {
    expect(() => quantileSorted([1, 2], 1.5)).toThrow(RangeError);
  });
});

describe("summary", () => {
  it("uses the n-1 denominator: values 1, 2, 3 have mean 2 and SE 1/sqrt(3)", () => {
    const { mean: m, se, n, sd } = summary([1, 2, 3]);
    expect(m).toBe(2);
    expect(se).toBeCloseTo(1 / Math.sqrt(3), 15);
    expect(sd).toBeCloseTo(1, 15);
    expect(n).toBe(3);
  });
  it("leaves sd and se undefined (null) for a single value, the one convention for n < 2", () => {
    expect(summary([4])).toEqual({ n: 1, mean: 4, sd: null, se: null });
    expect(() => summary([])).toThrow(RangeError);
  });
});

describe("median", () => {
  it("is the middle value, or the mean of the two middle values, by hand", () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([3, 1, 2, 10])).toBe(2.5);
    expect(median([])).toBeNull();
  });
});

describe("binomialUpperTail, maxConsistentFailures", () => {
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

