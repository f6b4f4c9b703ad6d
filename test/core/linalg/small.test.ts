import fc from "fast-check";
import { describe, expect, it } from "vitest";
import "../../fastCheckSeed.js";
import { cholesky, luFactor, luSolve, solveLinear, symmetricEigen, symmetricEigenvalues } from "../../../src/core/linalg/small.js";

const symmetric = (n: number) =>
  fc.array(fc.double({ min: -5, max: 5, noNaN: true }), { minLength: n * n, maxLength: n * n }).map((xs) => {
    const a = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => xs[Math.min(i, j) * n + Math.max(i, j)]));
    return a;
  });

describe("symmetricEigen", () => {
  it("solves small cases worked by hand", () => {
    const e = symmetricEigen([[2, 1], [1, 2]]);
    expect(e.values[0]).toBeCloseTo(3, 14);
    expect(e.values[1]).toBeCloseTo(1, 14);
    expect(Math.abs(e.vectors[0][0])).toBeCloseTo(Math.SQRT1_2, 14);
    expect(symmetricEigen([[5]]).values).toEqual([5]);
    expect(symmetricEigen([[0, 0], [0, 0]]).values).toEqual([0, 0]);
    expect(symmetricEigen([[1, 0, 0], [0, 3, 0], [0, 0, 2]]).values).toEqual([3, 2, 1]);
  });
  it("gives A v = lambda v with orthonormal v, descending values, and the same values without vectors (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }).chain(symmetric), (a) => {
        const n = a.length;
        const { values, vectors } = symmetricEigen(a);
        const scale = Math.max(1, ...a.flat().map(Math.abs));
        for (let k = 0; k < n; k++) {
          if (k > 0) expect(values[k]).toBeLessThanOrEqual(values[k - 1]);
          for (let i = 0; i < n; i++) {
            const av = a[i].reduce((acc, x, j) => acc + x * vectors[j][k], 0);
            expect(Math.abs(av - values[k] * vectors[i][k])).toBeLessThan(1e-11 * scale * n);
          }
          for (let l = 0; l < n; l++) {
            const dot = vectors.reduce((acc, row) => acc + row[k] * row[l], 0);
            expect(Math.abs(dot - (k === l ? 1 : 0))).toBeLessThan(1e-12 * n);
          }
        }
        expect(symmetricEigenvalues(a)).toEqual(values);
      }),
      { numRuns: 60 },
    );
  });
  it("refuses non-square or non-finite input with a RangeError", () => {
    expect(() => symmetricEigen([[1, 2]])).toThrow(RangeError);
    expect(() => symmetricEigen([[NaN]])).toThrow(RangeError);
  });
});

describe("cholesky, luFactor/luSolve, solveLinear", () => {
  it("factor and solve hand cases", () => {
    expect(cholesky([[4, 2], [2, 5]])).toEqual([[2, 1], [0, 2]]);
    expect(cholesky([[1, 2], [2, 1]])).toBeNull();
    expect(solveLinear([[2, 0], [0, 4]], [2, 2])).toEqual([1, 0.5]);
    expect(solveLinear([[1, 2], [2, 4]], [1, 1])).toBeNull();
    const f = luFactor([[0, 1], [1, 0]]);
    expect(f).not.toBeNull();
    expect(Array.from(luSolve(f!, [3, 5]))).toEqual([5, 3]);
  });
  it("solve random well-conditioned systems to working precision (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10 }).chain(symmetric), fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: 10, maxLength: 10 }), (s, bFull) => {
        const n = s.length;
        // A = S + (||S||_1 + 1) I is diagonally dominant: well conditioned.
        const shift = 1 + Math.max(...s.map((row) => row.reduce((acc, x) => acc + Math.abs(x), 0)));
        const a = s.map((row, i) => row.map((x, j) => x + (i === j ? shift : 0)));
        const b = bFull.slice(0, n);
        for (const x of [solveLinear(a, b)!, Array.from(luSolve(luFactor(a)!, b))]) {
          for (let i = 0; i < n; i++) expect(Math.abs(a[i].reduce((acc, v, j) => acc + v * x[j], 0) - b[i])).toBeLessThan(1e-11 * shift * n);
        }
        const r = cholesky(a)!;
        for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
          const rtr = r.reduce((acc, row) => acc + row[i] * row[j], 0);
          expect(Math.abs(rtr - a[i][j])).toBeLessThan(1e-11 * shift * n);
        }
      }),
      { numRuns: 60 },
    );
  });
});
