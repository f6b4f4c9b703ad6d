import fc from "fast-check";
import { SingularValueDecomposition, Matrix } from "ml-matrix";
import { describe, expect, it } from "vitest";
import {
  haarOrthonormal,
  principalAngles,
  sinTheta,
  sinThetaFrobenius,
  singularValues,
  thinQR,
  topLeftSingularVectors,
} from "../../../src/core/linalg/decompositions.js";
import { type Mat, fromRows, times, transposeTimes, zeros } from "../../../src/core/linalg/mat.js";
import { Rng } from "../../../src/core/random/rng.js";
import { dimsArb, gaussianMatrix, haarFromSeed, seedArb } from "../../arbitraries.js";
import { ALPHA, zCritical } from "../../statistics.js";

function maxAbsDiff(a: Mat, b: Mat): number {
  let m = 0;
  for (let i = 0; i < a.data.length; i++) m = Math.max(m, Math.abs(a.data[i] - b.data[i]));
  return m;
}

function identity(k: number): Mat {
  const m = zeros(k, k);
  for (let i = 0; i < k; i++) m.data[i + i * k] = 1;
  return m;
}

function mlSingularValues(a: Mat): number[] {
  const m = new Matrix(a.rows, a.cols);
  for (let i = 0; i < a.rows; i++) for (let j = 0; j < a.cols; j++) m.set(i, j, a.data[i + j * a.rows]);
  return [...new SingularValueDecomposition(m, { autoTranspose: true }).diagonal].sort((x, y) => y - x);
}

describe("thinQR", () => {
  it("A = QR with orthonormal Q and upper-triangular R on random tall matrices", () => {
    fc.assert(
      fc.property(dimsArb(60), seedArb, ({ d, r }, seed) => {
        const a = gaussianMatrix(d, r, seed);
        const { q, r: rr, dependent } = thinQR(a);
        expect(dependent).toEqual([]);
        expect(maxAbsDiff(times(q, rr), a)).toBeLessThan(1e-12 * (1 + d));
        expect(maxAbsDiff(transposeTimes(q, q), identity(r))).toBeLessThan(1e-13);
        for (let j = 0; j < r; j++) for (let i = j + 1; i < r; i++) expect(rr.data[i + j * r]).toBe(0);
      }),
    );
  });

  it("flags a repeated column as dependent", () => {
    const a = fromRows([
      [1, 2, 1],
      [0, 1, 0],
      [1, 0, 1],
    ]);
    expect(thinQR(a).dependent).toEqual([2]);
  });
});

describe("topLeftSingularVectors", () => {
  it("on a hand-worked case: diag(3, 2, 1) padded with zero rows", () => {
    const a = fromRows([
      [0, 2, 0],
      [3, 0, 0],
      [0, 0, 1],
      [0, 0, 0],
    ]);
    const { u, values } = topLeftSingularVectors(a, 2);
    expect(Array.from(values)).toEqual([3, 2, 1].map((v) => expect.closeTo(v, 14)));
    // Top left singular vectors: e_2 then e_1 (up to sign).
    expect(Math.abs(u.data[1])).toBeCloseTo(1, 14);
    expect(Math.abs(u.data[4 + 0])).toBeCloseTo(1, 14);
  });

  it("singular values agree with ml-matrix's full SVD, U is orthonormal and spans the top directions", () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 50 }), fc.integer({ min: 1, max: 12 }), seedArb, (d, T, seed) => {
        const a = gaussianMatrix(d, T, seed);
        const k = Math.min(d, T);
        const r = 1 + (seed % k);
        const { u, values } = topLeftSingularVectors(a, r);
        const ref = mlSingularValues(a);
        for (let i = 0; i < k; i++) expect(values[i]).toBeCloseTo(ref[i], 10);
        expect(maxAbsDiff(transposeTimes(u, u), identity(r))).toBeLessThan(1e-12);
        // ||U^T A||_F^2 = sum of the top r squared singular values.
        const proj = transposeTimes(u, a);
        let f = 0;
        for (const x of proj.data) f += x * x;
        const top = ref.slice(0, r).reduce((s, x) => s + x * x, 0);
        expect(f).toBeCloseTo(top, 8);
      }),
    );
  });
});

describe("sinTheta", () => {
  it("lies in [0, 1], is symmetric, vanishes on equal spans and is invariant to rotating either basis", () => {
    fc.assert(
      fc.property(dimsArb(30), seedArb, seedArb, ({ d, r }, s1, s2) => {
        const u = haarFromSeed(d, r, s1);
        const v = haarFromSeed(d, r, s2);
        const st = sinTheta(u, v);
        expect(st).toBeGreaterThanOrEqual(0);
        expect(st).toBeLessThanOrEqual(1);
        expect(sinTheta(v, u)).toBeCloseTo(st, 12);
        const rot = haarFromSeed(r, r, s1 + 1);
        expect(sinTheta(times(u, rot), v)).toBeCloseTo(st, 12);
        expect(sinTheta(u, times(v, rot))).toBeCloseTo(st, 12);
        expect(sinTheta(u, times(u, rot))).toBeLessThan(1e-7);
        // Frobenius: sqrt(sum sin^2) lies between the spectral value and sqrt(r) times it.
        const f = sinThetaFrobenius(u, v);
        expect(f).toBeGreaterThanOrEqual(st - 1e-12);
        expect(f).toBeLessThanOrEqual(Math.sqrt(r) * st + 1e-12);
      }),
    );
  });

  it("keeps relative precision for tiny angles: rotating one axis by 1e-9 gives sinTheta = sin(1e-9)", () => {
    const d = 5;
    const u = zeros(d, 2);
    u.data[0] = 1;
    u.data[d + 1] = 1;
    const v = zeros(d, 2);
    const t = 1e-9;
    v.data[0] = Math.cos(t);
    v.data[2] = Math.sin(t);
    v.data[d + 1] = 1;
    expect(Math.abs(sinTheta(u, v) / Math.sin(t) - 1)).toBeLessThan(1e-6);
  });

  it("principal angles: sin of the largest equals sinTheta; all angles of equal spans vanish", () => {
    fc.assert(
      fc.property(dimsArb(20), seedArb, seedArb, ({ d, r }, s1, s2) => {
        const u = haarFromSeed(d, r, s1);
        const v = haarFromSeed(d, r, s2);
        const angles = principalAngles(u, v);
        expect(Math.sin(angles[r - 1])).toBeCloseTo(sinTheta(u, v), 10);
        for (let i = 1; i < r; i++) expect(angles[i]).toBeGreaterThanOrEqual(angles[i - 1] - 1e-12);
      }),
    );
  });
});

describe("haarOrthonormal", () => {
  it("is orthonormal, and E[Q Q^T] = (k/n) I: the mean of Q_11^2 over draws is k/n within 4.5 SE", () => {
    const n = 6;
    const k = 2;
    const rng = new Rng("haar");
    const vals: number[] = [];
    for (let rep = 0; rep < 20_000; rep++) {
      const q = haarOrthonormal(n, k, rng);
      if (rep < 5) expect(maxAbsDiff(transposeTimes(q, q), identity(k))).toBeLessThan(1e-13);
      vals.push(q.data[0] ** 2 + q.data[n] ** 2);
    }
    const mean = vals.reduce((s, x) => s + x, 0) / vals.length;
    const sd = Math.sqrt(vals.reduce((s, x) => s + (x - mean) ** 2, 0) / (vals.length - 1));
    expect(Math.abs(mean - k / n)).toBeLessThan((zCritical(ALPHA) * sd) / Math.sqrt(vals.length));
  });
});

describe("singularValues", () => {
  it("match ml-matrix on wide and tall matrices", () => {
    for (const [rows, cols] of [
      [7, 3],
      [3, 7],
      [5, 5],
    ]) {
      const a = gaussianMatrix(rows, cols, rows * 10 + cols);
      const ours = Array.from(singularValues(a));
      const ref = mlSingularValues(a);
      ours.forEach((v, i) => expect(v).toBeCloseTo(ref[i], 11));
    }
  });
});

describe("decompositions of matrices with extreme entries", () => {
  it("scale subnormal and huge matrices by an exact power of two (no hang, no overflow) and leave normal ones alone", async () => {
    const { extremeScale, singularValues, topLeftSingularVectors } = await import("../../../src/core/linalg/decompositions.js");
    const { fromRows } = await import("../../../src/core/linalg/mat.js");
    const base = fromRows([[3, 0], [4, 0], [0, 2]]);
    expect(extremeScale(base)).toBe(0);
    for (const factor of [5e-324, 1e-310, 1e300]) {
      const m = fromRows([[3 * factor, 0], [4 * factor, 0], [0, 2 * factor]]);
      const sv = singularValues(m);
      // Singular values of the base matrix are 5 and 2; scaling commutes (relative error of a few ulps, worse when subnormal inputs lost bits).
      expect(sv[0] / factor).toBeCloseTo(5, factor < 1e-300 ? 0 : 12);
      const { u } = topLeftSingularVectors(m, 1);
      expect(Math.abs(u.data[0])).toBeCloseTo(0.6, factor < 1e-320 ? 0 : 12);
    }
    expect(() => extremeScale(fromRows([[Number.NaN]]))).toThrow(RangeError);
  });
});

/** A = U diag(s) V^T with Haar U (n x p) and V (p x p) from `seed`: singular values s exactly (up to rounding). */
function planted(n: number, s: readonly number[], seed: number): { a: Mat; u: Mat } {
  const p = s.length;
  const u = haarFromSeed(n, p, seed);
  const v = haarFromSeed(p, p, seed + 1);
  const us = zeros(n, p);
  for (let j = 0; j < p; j++) for (let i = 0; i < n; i++) us.data[i + j * n] = u.data[i + j * n] * s[j];
  const vt = zeros(p, p);
  for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) vt.data[i + j * p] = v.data[j + i * p];
  return { a: times(us, vt), u };
}

describe("jacobiSvd", () => {
  it("on a hand-worked case: [[3, 0], [4, 5]] has A^T A = [[25, 20], [20, 25]], so singular values 3 sqrt(5) and sqrt(5)", async () => {
    const { jacobiSvd } = await import("../../../src/core/linalg/decompositions.js");
    const { values, v, w } = jacobiSvd(fromRows([[3, 0], [4, 5]]));
    expect([...values].sort((x, y) => y - x).map((x) => x / Math.sqrt(5))).toEqual([expect.closeTo(3, 14), expect.closeTo(1, 14)]);
    // V orthogonal and A V = W with orthogonal columns.
    expect(maxAbsDiff(transposeTimes(v, v), identity(2))).toBeLessThan(1e-15);
    expect(Math.abs(w.data[0] * w.data[2] + w.data[1] * w.data[3])).toBeLessThan(1e-14);
  });
});

describe("topLeftSingularVectorsGram", () => {
  it("spans the top-k subspace within its derived error and gives the top-k singular values (Davis-Kahan on the Gram matrix's rounding)", async () => {
    const { topLeftSingularVectorsGram } = await import("../../../src/core/linalg/decompositions.js");
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 24 }), fc.integer({ min: 1, max: 6 }), fc.integer({ min: 0, max: 1e6 }), fc.double({ min: 0.02, max: 1, noNaN: true }), (p, kRaw, seed, ratio) => {
        const k = Math.min(kRaw, p - 1);
        const n = 3 * p + 20;
        // Top k singular values in [ratio, 1] (so sigma_k / sigma_1 >= 0.02, the Gram route), the rest at most ratio / 2.
        const s = Array.from({ length: p }, (_, j) => (j < k ? 1 - ((1 - ratio) * j) / Math.max(1, k - 1) : (ratio / 2) * (1 - j / p)));
        const { a, u } = planted(n, s, seed);
        const got = topLeftSingularVectorsGram(a, k);
        const truth = { rows: n, cols: k, data: u.data.slice(0, n * k) };
        // ||fl(A^T A) - A^T A||_2 <= gamma_n p ||A||_F^2 (each entry within gamma_n ||a_i|| ||a_j||); the
        // eigenvectors move by at most that over the gap (Davis-Kahan), U = A V_k Lambda^{-1/2} by sigma_1 / sigma_k
        // more; the final re-orthonormalisation and the planted matrix's own rounding add a few eps.
        const gamma = (n * Number.EPSILON) / (1 - n * Number.EPSILON);
        const frob2 = s.reduce((acc, x) => acc + x * x, 0);
        const e = gamma * p * frob2;
        const gap = s[k - 1] ** 2 - s[k] ** 2;
        const bound = (s[0] / s[k - 1]) * (e / (gap - 2 * e)) + 1e-13;
        expect(sinTheta(got.u, truth)).toBeLessThanOrEqual(bound);
        // Weyl: |sigma_hat_i^2 - sigma_i^2| <= ||E||, plus the planted matrix's rounding (1e-14 relative).
        for (let i = 0; i < k; i++) expect(Math.abs(got.values[i] ** 2 - s[i] ** 2)).toBeLessThanOrEqual(e + 1e-13 * s[i] ** 2);
        expect(maxAbsDiff(transposeTimes(got.u, got.u), identity(k))).toBeLessThan(1e-14);
      }),
      { numRuns: 150, seed: 20261202 },
    );
  });

  it("hands an ill-conditioned matrix to the QR path: sigma_k / sigma_1 below 1e-2 and rank-deficient inputs give topLeftSingularVectors' result exactly", async () => {
    const { topLeftSingularVectorsGram, GRAM_MIN_RATIO } = await import("../../../src/core/linalg/decompositions.js");
    for (const small of [GRAM_MIN_RATIO / 2, 1e-9, 0]) {
      const { a } = planted(40, [1, 0.8, small, small / 2], 17);
      const viaGram = topLeftSingularVectorsGram(a, 3);
      const viaQr = topLeftSingularVectors(a, 3);
      expect(Array.from(viaGram.u.data)).toEqual(Array.from(viaQr.u.data));
      expect(Array.from(viaGram.values)).toEqual(Array.from(viaQr.values));
    }
  });
});

describe("gramMatrix", () => {
  it("equals the plain sequential inner products bit for bit, for dense columns and for sparse ones (dotted over their non-zeros)", async () => {
    const { gramMatrix } = await import("../../../src/core/linalg/decompositions.js");
    for (let c = 0; c < 60; c++) {
      const rng = new Rng(`gram/${c}`);
      const n = 40 + 13 * (c % 9);
      const p = 1 + (c % 10);
      const data = rng.fillNormal(new Float64Array(n * p));
      // Columns thresholded to various densities, some below a quarter (the sparse loop).
      for (let j = 0; j < p; j++) {
        const thr = [0, 0.7, 1.6, 2.6][(c + j) % 4];
        for (let t = 0; t < n; t++) if (Math.abs(data[j * n + t]) <= thr) data[j * n + t] = 0;
      }
      const g = gramMatrix({ rows: n, cols: p, data });
      for (let i = 0; i < p; i++) {
        for (let j = 0; j < p; j++) {
          let s = 0;
          for (let t = 0; t < n; t++) s += data[i * n + t] * data[j * n + t];
          expect(Object.is(g[i * p + j], s), `case ${c}, (${i}, ${j})`).toBe(true);
        }
      }
    }
  });
});

describe("thinQR on columns that share a few coordinates (rounding cannot leave their span)", () => {
  it("declares the columns beyond the rank dependent instead of normalising rounding noise, so Q stays orthonormal and the singular values beyond the rank vanish", () => {
    // Four columns of R^10, all on coordinates 1 and 8: rank 2 (the fuzz run's counterexample shape).
    const cols = [
      [-0.826, -0.563],
      [-0.799, -0.602],
      [0.755, 0.656],
      [0.847, 0.532],
    ];
    const a = zeros(10, 4);
    cols.forEach(([x, y], j) => {
      a.data[j * 10 + 1] = x;
      a.data[j * 10 + 8] = y;
    });
    const { q, dependent } = thinQR(a, 0);
    expect(dependent).toEqual([2, 3]);
    const g = transposeTimes(q, q);
    // Non-dependent columns orthonormal, dependent ones zero.
    for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) expect(Math.abs(g.data[i + 4 * j] - (i === j && i < 2 ? 1 : 0))).toBeLessThan(1e-15);
    // The matrix has rank 2: a backward-stable QR + SVD puts the other two singular values within
    // a few eps ||A|| of 0 (before the fix, normalised noise made sigma_3 about 0.08).
    const sv = singularValues(a);
    expect(sv[2]).toBeLessThan(8 * Number.EPSILON * sv[0]);
    expect(sv[3]).toBeLessThan(8 * Number.EPSILON * sv[0]);
    expect(sv[1]).toBeGreaterThan(0.05);
  });
});
