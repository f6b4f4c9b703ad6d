import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { jointErmBasis, jointErmObjective } from "../../../../src/families/mixture/estimators/jointErm.js";
import { thinQR, topLeftSingularVectors } from "../../../../src/core/linalg/decompositions.js";
import { fromColumns, transposeTimes } from "../../../../src/core/linalg/mat.js";
import { gaussianMatrix, seedArb } from "../../../arbitraries.js";

describe("jointErmBasis (MODEL §3.2 joint ERM)", () => {
  it("never does worse than its SVD start, returns orthonormal columns, and ends at a local maximum", () => {
    // Maximising the convex F over the Stiefel manifold has many local maxima: the invariant is
    // ascent from the SVD start to a point no small retracted perturbation improves, not global
    // optimality (a random basis can beat it).
    fc.assert(
      fc.property(fc.integer({ min: 3, max: 30 }), fc.integer({ min: 2, max: 10 }), seedArb, (d, T, seed) => {
        const r = 1 + (seed % Math.min(d - 1, T));
        const v = gaussianMatrix(d, T, seed);
        const u = jointErmBasis(v, r);
        const f = jointErmObjective(u, v);
        expect(f).toBeGreaterThanOrEqual(jointErmObjective(topLeftSingularVectors(v, r).u, v) - 1e-9);
        const g = transposeTimes(u, u);
        for (let i = 0; i < r; i++) for (let j = 0; j < r; j++) expect(g.data[i + j * r]).toBeCloseTo(i === j ? 1 : 0, 12);
        const noise = gaussianMatrix(d, r, seed + 1);
        for (const h of [1e-3, -1e-3, 1e-4]) {
          const moved = { rows: d, cols: r, data: u.data.map((x, k) => x + h * noise.data[k]) };
          expect(jointErmObjective(thinQR(moved, 0).q, v)).toBeLessThanOrEqual(f * (1 + 1e-9));
        }
      }),
      { numRuns: 60 },
    );
  });

  it("differs from the SVD where they should: r = 1, v_1 = (1, 0.05), v_2 = v_3 = (0, 0.9)", () => {
    // F(a) = |cos a + 0.05 sin a| + 1.8 sin a at u = (cos a, sin a) is maximal where
    // tan a = 1.85, with F = sqrt(1 + 1.85^2) = 2.1030. The SVD's direction is the top eigenvector
    // of V V^T = [[1, 0.05], [0.05, 1.6225]]: lambda = (2.6225 + sqrt(0.6225^2 + 0.01)) / 2 =
    // 1.62649, eigenvector (0.05, 0.62649) / 0.62848 = (0.07956, 0.99683), F = 0.12940 + 1.79429.
    const v = fromColumns([
      [1, 0.05],
      [0, 0.9],
      [0, 0.9],
    ]);
    const u = jointErmBasis(v, 1);
    expect(jointErmObjective(u, v)).toBeCloseTo(Math.sqrt(1 + 1.85 ** 2), 9);
    expect(u.data[1] / u.data[0]).toBeCloseTo(1.85, 5);
    expect(jointErmObjective(topLeftSingularVectors(v, 1).u, v)).toBeCloseTo(1.92369, 4);
  });

  it("stops at a first-order point: (I - U U^T) G = 0 and U^T G symmetric, G = sum_t v_t (U^T v_t)^T / ||U^T v_t||", () => {
    const v = gaussianMatrix(20, 8, 3);
    const r = 3;
    const u = jointErmBasis(v, r, { maxIterations: 5000, tolerance: 0 });
    const proj = transposeTimes(u, v);
    const g = new Float64Array(20 * r);
    for (let t = 0; t < 8; t++) {
      let s = 0;
      for (let i = 0; i < r; i++) s += proj.data[i + t * r] ** 2;
      for (let i = 0; i < r; i++) for (let k = 0; k < 20; k++) g[k + i * 20] += (v.data[k + t * 20] * proj.data[i + t * r]) / Math.sqrt(s);
    }
    const gm = { rows: 20, cols: r, data: g };
    const utg = transposeTimes(u, gm);
    for (let i = 0; i < r; i++) for (let j = 0; j < r; j++) expect(utg.data[i + j * r]).toBeCloseTo(utg.data[j + i * r], 5);
    const resid = Float64Array.from(g);
    for (let i = 0; i < r; i++) for (let k = 0; k < 20; k++) for (let j = 0; j < r; j++) resid[k + i * 20] -= u.data[k + j * 20] * utg.data[j + i * r];
    for (const x of resid) expect(Math.abs(x)).toBeLessThan(1e-5);
  });
});
