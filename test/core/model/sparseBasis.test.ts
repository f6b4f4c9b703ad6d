import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { transposeTimes } from "../../../src/core/linalg/mat.js";
import { randomSupport, sparseHaarBasis } from "../../../src/core/model/sparseBasis.js";
import { scaledGaussianHead, rescaleToNorm } from "../../../src/core/model/heads.js";
import { dualNorm } from "../../../src/core/model/perturbation.js";
import { norm2 } from "../../../src/core/linalg/mat.js";
import { Rng } from "../../../src/core/random/rng.js";

describe("sparseHaarBasis (MODEL §2.1)", () => {
  it("has orthonormal columns, zero rows off an s-subset, and the identity support when s = d", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 30 }).chain((d) => fc.tuple(fc.constant(d), fc.integer({ min: 1, max: d }))).chain(([d, s]) => fc.tuple(fc.constant(d), fc.constant(s), fc.integer({ min: 1, max: s }), fc.integer())), ([d, s, r, seed]) => {
        const { basis, support } = sparseHaarBasis(d, s, r, new Rng(`b:${seed}`));
        expect(support).toHaveLength(s);
        const g = transposeTimes(basis, basis);
        for (let i = 0; i < r; i++) for (let j = 0; j < r; j++) expect(g.data[i + j * r]).toBeCloseTo(i === j ? 1 : 0, 12);
        const on = new Set(support);
        for (let row = 0; row < d; row++) if (!on.has(row)) for (let j = 0; j < r; j++) expect(basis.data[row + j * d]).toBe(0);
        if (s === d) expect(Array.from(support)).toEqual(Array.from({ length: d }, (_, i) => i));
      }),
      { numRuns: 60 },
    );
  });
  it("draws the support from stream 'support' exactly as randomSupport does", () => {
    const rng = new Rng("x");
    expect(Array.from(sparseHaarBasis(50, 7, 3, rng).support)).toEqual(Array.from(randomSupport(50, 7, rng.fork("support"))));
  });
  it("refuses r > s or s > d with a RangeError", () => {
    expect(() => sparseHaarBasis(5, 6, 1, new Rng("x"))).toThrow(RangeError);
    expect(() => sparseHaarBasis(5, 2, 3, new Rng("x"))).toThrow(RangeError);
  });
});

describe("heads and perturbation norms", () => {
  it("scaledGaussianHead has the prescribed norm; rescaleToNorm by hand", () => {
    expect(norm2(scaledGaussianHead(new Float64Array(4), 1.5, new Rng("h")))).toBeCloseTo(1.5, 14);
    const unit = rescaleToNorm(Float64Array.of(3, 4), 1);
    expect(unit[0]).toBeCloseTo(0.6, 15);
    expect(unit[1]).toBeCloseTo(0.8, 15);
    expect(() => rescaleToNorm(new Float64Array(2), 1)).toThrow(RangeError);
  });
  it("dualNorm is l1 for the l-inf attack and l2 for the l2 attack (MODEL §1)", () => {
    expect(dualNorm([3, -4], "linf")).toBe(7);
    expect(dualNorm([3, -4], "l2")).toBe(5);
  });
});
