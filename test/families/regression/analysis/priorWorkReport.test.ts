import { describe, expect, it } from "vitest";
import { CELL_RECORD_FORMAT, type CellRecord } from "../../../../src/experiment/cellRecord.js";
import { logLogSlope, mergeMethodRecords, priorWorkSection } from "../../../../src/families/regression/analysis/priorWorkReport.js";

/** A record of one cell at T = x with the given per-replicate sinTheta columns. */
function record(cell: number, x: number, columns: Record<string, number[]>): CellRecord {
  const replicates = Object.values(columns)[0].length;
  return {
    format: CELL_RECORD_FORMAT,
    configHash: "h",
    code: "c",
    family: "regression",
    seed: 1,
    cell,
    cells: 4,
    point: { T: x },
    params: { "scenario.T": x },
    replicates,
    methods: Object.entries(columns).map(([method, v]) => ({ method, failures: [], metrics: { sinTheta: v, targetParameterError: v } })),
  };
}

const xs = [100, 400, 1600, 6400];
/** Values c x^-1/2 (1 +- 0.02): the replicate mean is exactly on the power law (up to rounding). */
const powerLaw = (x: number, c: number) => [1.02, 0.98, 1.02, 0.98].map((f) => c * f * x ** -0.5);

describe("the prior-work report", () => {
  it("a log-log fit of an exact power law in the means recovers its exponent (-1/2)", () => {
    const records = xs.map((x, i) => record(i, x, { altmin: powerLaw(x, 5) }));
    const s = logLogSlope(records, "altmin", "sinTheta", 0.7);
    expect(s).not.toBeNull();
    expect(Math.abs((s as { slope: number }).slope + 0.5)).toBeLessThan(1e-12);
    // Only the points below the threshold: 5 x^-1/2 < 0.7 for x > 51, so all 4 here; below 0.3, x > 277: 3.
    expect(logLogSlope(records, "altmin", "sinTheta", 0.3)?.points).toBe(3);
  });

  it("merges two sweeps' methods cell by cell and refuses records that do not share cells", () => {
    const a = xs.map((x, i) => record(i, x, { mom: powerLaw(x, 9), altmin: powerLaw(x, 5) }));
    const b = xs.map((x, i) => record(i, x, { fo: powerLaw(x, 5) }));
    const merged = mergeMethodRecords(a, b);
    expect(merged.map((r) => r.methods.map((m) => m.method))).toEqual(xs.map(() => ["mom", "altmin", "fo"]));
    expect(() => mergeMethodRecords(a, a)).toThrow(/in both sweeps/);
    expect(() => mergeMethodRecords(a, b.slice(1))).toThrow(/cells/);
    expect(() => mergeMethodRecords(a, [record(0, 200, { fo: [1, 1, 1, 1] }), ...b.slice(1)])).toThrow(/cell 0/);
  });

  it("says where ERM beats the method of moments and how far FO is from AltMin", () => {
    const T = xs.map((x, i) => record(i, x, { mom: powerLaw(x, 9).map((v) => Math.min(0.999, v)), altmin: powerLaw(x, 5) }));
    const fo = xs.map((x, i) => record(i, x, { fo: powerLaw(x, 5).map((v, k) => v + (k === 0 ? 1e-6 : 0)) }));
    const n = xs.map((x, i) => record(i, x, { mom: powerLaw(x, 9), altmin: powerLaw(x, 5) }));
    const text = priorWorkSection({ T: { records: T, config: "t.json", replicates: 4, seed: 1 }, n: { records: n, config: "n.json", replicates: 4, seed: 1 }, foT: { records: fo, config: "fo.json", replicates: 4, seed: 1 }, foTNote: "" });
    expect(text).toContain("AltMin is clearly better at T = 100, 400, 1600, 6400 (every point)");
    expect(text).toContain("| T | MoM | AltMin | FO |");
    expect(text).toMatch(/largest \|sinTheta_FO - sinTheta_AltMin\| over the replicates: 100: 1\.0e-6/);
  });
});
