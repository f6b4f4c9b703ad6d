import { describe, expect, it } from "vitest";
import { buildCellRecord, CellRecordShapeError, parseCellRecord, sameRecord } from "../../src/experiment/cellRecord.js";
import { summariseCell, summariseRecords } from "../../src/experiment/cellSummary.js";
import type { ReplicateResult } from "../../src/experiment/family.js";

const identity = { configHash: "abc", code: "c0", family: "fake", seed: 3, cell: 2, cells: 4, point: { eps: 0.1 }, params: { "methods.a.eps": 0.1 } };

const results: ReplicateResult[] = [
  { replicate: 0, outcomes: [{ method: "a", ok: true, metrics: { x: 1, y: 10 } }, { method: "b", ok: true, metrics: { x: 2 } }] },
  { replicate: 1, outcomes: [{ method: "b", ok: false, reason: "dropped", metrics: {} }, { method: "a", ok: true, metrics: { x: 3, y: 30 } }] },
  { replicate: 2, outcomes: [{ method: "a", ok: true, metrics: { y: 50, x: 8 } }, { method: "b", ok: true, metrics: { x: 4 } }] },
];

describe("buildCellRecord", () => {
  it("lays out metrics per replicate, null where absent, failures with reasons", () => {
    const r = buildCellRecord(identity, ["a", "b"], results);
    expect(r.replicates).toBe(3);
    expect(r.methods[0]).toEqual({ method: "a", failures: [], metrics: { x: [1, 3, 8], y: [10, 30, 50] } });
    expect(r.methods[1]).toEqual({ method: "b", failures: [{ replicate: 1, reason: "dropped" }], metrics: { x: [2, null, 4] } });
  });
  it("does not depend on the order replicates arrive in", () => {
    const shuffled = [results[2], results[0], results[1]];
    expect(sameRecord(buildCellRecord(identity, ["a", "b"], shuffled), buildCellRecord(identity, ["a", "b"], results))).toBe(true);
    expect(JSON.stringify(buildCellRecord(identity, ["a", "b"], shuffled))).toBe(JSON.stringify(buildCellRecord(identity, ["a", "b"], results)));
  });
  it("rejects a non-finite metric, a missing method, an unknown method and a gap in replicates", () => {
    const nan: ReplicateResult[] = [{ replicate: 0, outcomes: [{ method: "a", ok: true, metrics: { x: Number.NaN } }] }];
    expect(() => buildCellRecord(identity, ["a"], nan)).toThrow(/metric x = NaN/);
    expect(() => buildCellRecord(identity, ["a", "b", "c"], results)).toThrow(/no outcome for method\(s\) c/);
    expect(() => buildCellRecord(identity, ["a"], results)).toThrow(/unknown method "b"/);
    expect(() => buildCellRecord(identity, ["a", "b"], [results[0], results[2]])).toThrow(/outside \[0, 2\)/);
  });
});

describe("parseCellRecord", () => {
  const good = JSON.parse(JSON.stringify(buildCellRecord(identity, ["a", "b"], results)));
  it("accepts a record read back from JSON", () => {
    expect(sameRecord(parseCellRecord(good), buildCellRecord(identity, ["a", "b"], results))).toBe(true);
  });
  it("names the first bad field", () => {
    const bad = (patch: (o: Record<string, unknown>) => void) => {
      const o = structuredClone(good);
      patch(o);
      try {
        parseCellRecord(o);
      } catch (e) {
        expect(e).toBeInstanceOf(CellRecordShapeError);
        return (e as CellRecordShapeError).path;
      }
      return "(accepted)";
    };
    expect(bad((o) => (o.format = "v0"))).toBe("format");
    expect(bad((o) => (o.cell = 4))).toBe("cell");
    expect(bad((o) => delete o.point)).toBe("point");
    expect(bad((o) => ((o.methods as { metrics: { x: unknown[] } }[])[0].metrics.x = [1, 2]))).toBe("methods[0].metrics.x");
    expect(bad((o) => ((o.methods as { metrics: { x: unknown[] } }[])[1].metrics.x[0] = "2"))).toBe("methods[1].metrics.x[0]");
    expect(bad((o) => ((o.methods as { failures: unknown[] }[])[1].failures[0] = { replicate: 9, reason: "r" }))).toBe("methods[1].failures[0]");
    expect(bad((o) => ((o.methods as { method: string }[])[1].method = "a"))).toBe("methods[1].method");
  });
});

describe("summariseCell", () => {
  it("gives n, failures, mean, SE and quantiles per method and metric, by hand", () => {
    const rows = summariseCell(buildCellRecord(identity, ["a", "b"], results), [0, 0.5, 1]);
    expect(rows.map((r) => [r.method, r.metric])).toEqual([["a", "x"], ["a", "y"], ["b", "x"]]);
    // a.x = {1, 3, 8}: mean 4, deviations -3, -1, 4 -> variance 26/2 = 13, SE sqrt(13/3).
    expect(rows[0]).toMatchObject({ n: 3, failures: 0, mean: 4, quantiles: [1, 3, 8] });
    expect(rows[0].se).toBeCloseTo(Math.sqrt(13 / 3), 14);
    // b.x = {2, 4} (replicate 1 failed without reporting x): mean 3, SE 1.
    expect(rows[2]).toMatchObject({ n: 2, failures: 1, mean: 3, quantiles: [2, 3, 4] });
    expect(rows[2].se).toBeCloseTo(1, 14);
  });
  it("sorts cells and refuses a repeated cell", () => {
    const r2 = buildCellRecord(identity, ["a", "b"], results);
    const r0 = buildCellRecord({ ...identity, cell: 0 }, ["a", "b"], results);
    expect(summariseRecords([r2, r0]).map((r) => r.cell)).toEqual([0, 0, 0, 2, 2, 2]);
    expect(() => summariseRecords([r2, r2])).toThrow(/appears twice/);
  });
});

describe("metricColumn and pairedDifference", () => {
  it("differences replicate by replicate over common replicates, by hand", async () => {
    const { pairedDifference } = await import("../../src/core/stats.js");
    const { metricColumn } = await import("../../src/experiment/cellRecord.js");
    const r = buildCellRecord(identity, ["a", "b"], results);
    // a.x = (1, 3, 8), b.x = (2, null, 4): pairs (1-2, 8-4) = (-1, 4): mean 1.5, SE |4-(-1)|/2 = 2.5.
    const d = pairedDifference(metricColumn(r, "a", "x")!, metricColumn(r, "b", "x")!)!;
    expect(d).toEqual({ mean: 1.5, se: 2.5, n: 2 });
    expect(metricColumn(r, "b", "y")).toBeNull();
    expect(pairedDifference([null], [1])).toBeNull();
  });
});
