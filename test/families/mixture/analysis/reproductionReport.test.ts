import { describe, expect, it } from "vitest";
import type { JsonValue } from "../../../../src/core/config/canonicalJson.js";
import { buildCellRecord, type CellRecord } from "../../../../src/experiment/cellRecord.js";
import { claimsReadme, radiusCurve } from "../../../../src/families/mixture/analysis/reproductionReport.js";

const R = 6;
/** Replicate noise shared by all methods and cells (common random numbers), small next to the effects. */
const noise = [0.01, -0.02, 0.015, 0, -0.01, 0.005];

/** A record whose method m has metric values base_m + noise_k (+ a tiny method-specific wobble). */
function record(cell: number, cells: number, point: Record<string, JsonValue>, means: Record<string, { sinTheta: number; targetExcess: number }>): CellRecord {
  const labels = Object.keys(means);
  const results = noise.map((z, k) => ({
    replicate: k,
    outcomes: labels.map((m, j) => ({
      method: m,
      ok: true,
      metrics: { sinTheta: means[m].sinTheta + z + (m === "standard" || m === "l2" ? 0 : 0.001 * ((k + j) % 3)), targetExcess: means[m].targetExcess + z / 2 },
    })),
  }));
  return buildCellRecord({ configHash: "h", code: "c0", family: "mixture", seed: 1, cell, cells, point, params: {} }, labels, results);
}

/** C1 records: sparse s = 20 with linf means `sparse[eps]`, dense s = 500 with linf means `dense[eps]`. */
function c1(sparse: number[], dense: number[]): CellRecord[] {
  const eps = [0, 0.1, 0.2, 0.3];
  const out: CellRecord[] = [];
  [20, 500].forEach((s, i) =>
    eps.forEach((e, j) => {
      const linf = (i === 0 ? sparse : dense)[j];
      out.push(record(i * 4 + j, 8, { s, eps: e }, { standard: { sinTheta: 0.8, targetExcess: 0.6 }, linf: { sinTheta: linf, targetExcess: linf - 0.2 }, l2: { sinTheta: 0.8, targetExcess: 0.6 } }));
    }),
  );
  return out;
}

const c2 = [100, 1000].map((m, i) =>
  record(i, 2, { m }, {
    standard: { sinTheta: 0.8, targetExcess: 0.6 },
    linf: { sinTheta: 0.6, targetExcess: 0.4 },
    ssl: { sinTheta: i === 0 ? 0.78 : 0.5, targetExcess: i === 0 ? 0.58 : 0.3 },
    "ssl+linf": { sinTheta: i === 0 ? 0.5 : 0.3, targetExcess: i === 0 ? 0.3 : 0.1 },
  }),
);
const c3 = [c2[1]].map((r) => ({ ...r, cell: 0, cells: 1, point: {} }));
const scenario = { d: 500, s: 20, r: 4, T: 20, n: 40, n0: 20, sigma: 1, snr: 1.5 };

describe("radiusCurve", () => {
  it("finds the minimising radius and the paired gains", () => {
    const curve = radiusCurve(c1([0.8, 0.6, 0.5, 0.7], [0.8, 0.85, 0.9, 0.95]), 20, "sinTheta");
    expect(curve.bestEps).toBe(0.2);
    // linf - standard at eps 0.2: 0.5 - 0.8 plus the wobble 0.001 ((k + 1) mod 3) averaged over k = 0..5: mean 0.001.
    expect(curve.bestGain.mean).toBeCloseTo(-0.3 + 0.001, 12);
    expect(curve.riseAfterBest.mean).toBeCloseTo(0.2, 12);
    expect(curve.l2MaxAbsDifference).toBe(0);
  });
});

describe("claimsReadme", () => {
  it("reports the expected picture as reproduced when the data show it", () => {
    const text = claimsReadme({ c1: c1([0.8, 0.6, 0.5, 0.7], [0.8, 0.85, 0.9, 0.95]), c2, c3, scenario, replicates: R, seed: 1, c3UnlabelledPerTask: 1000, teacherEps: 0.3 });
    expect(text).toContain("So the simulation reproduces C1");
    expect(text).toContain("the curve is U-shaped");
    expect(text).toContain("l2 training changes nothing");
    expect(text).toContain("l-inf training only hurts");
    expect(text).toContain("So the simulation reproduces C2");
    expect(text).toContain("So the simulation reproduces C3");
    expect(text).toContain("| adversarial (l-inf) |");
  });
  it("says so when the minimum sits at the end of the grid and the dense control improves", () => {
    const text = claimsReadme({ c1: c1([0.8, 0.7, 0.6, 0.5], [0.8, 0.7, 0.7, 0.7]), c2, c3, scenario, replicates: R, seed: 1, c3UnlabelledPerTask: 1000, teacherEps: 0.3 });
    expect(text).toContain("the minimum sits at the end of the grid (eps = 0.3), so the grid shows no U shape");
    expect(text).toContain("l-inf training helps at some radius, unlike the expected picture");
    expect(text).toContain("does not fully reproduce C1");
  });
});
