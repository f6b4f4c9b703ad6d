import { describe, expect, it } from "vitest";
import { fromFormula, undefinedBound } from "../../src/core/model/boundValue.js";
import { boundCheck, boundMetrics, checksOf, isBoundMetric, summariseBoundChecks } from "../../src/experiment/boundChecks.js";
import { buildCellRecord } from "../../src/experiment/cellRecord.js";

const identity = { configHash: "h", code: "c", family: "f", seed: 1, cell: 0, cells: 1, point: {}, params: {} };

describe("bound checks as replicate metrics", () => {
  it("encode a check and decode it back from a record, replicate by replicate", () => {
    const held = boundCheck("B2", "sinTheta", 0.4, fromFormula(0.5, 1), 0.9);
    const vacuous = boundCheck("B3", "sinTheta", 0.4, undefinedBound(1), 0.8);
    const m = boundMetrics([held, vacuous], [{ name: "E0", occurred: true, probability: 0.25 }], [{ bound: "B5", quantity: "expectedExcess", value: 0.7 }]);
    expect(m["bound.sinTheta.B2.held"]).toBe(1);
    expect(m["bound.sinTheta.B3.formula"]).toBeUndefined();
    expect(Object.keys(m).every(isBoundMetric)).toBe(true);
    const record = buildCellRecord(identity, ["a"], [{ replicate: 0, outcomes: [{ method: "a", ok: true, metrics: { ...m, expectedExcess: 0.3 } }] }]);
    const back = checksOf(record, "a", 0);
    expect(back).toEqual([held, vacuous]);
  });

  it("summarise coverage, informative share, ratio median and events by hand", () => {
    // Four replicates: B2 holds in 3 (measured 0.4 <= 0.5) and fails in 1 (0.6 > 0.5); E0 occurs twice.
    const results = [0.4, 0.4, 0.4, 0.6].map((measured, k) => ({
      replicate: k,
      outcomes: [{ method: "a", ok: true, metrics: { ...boundMetrics([boundCheck("B2", "sinTheta", measured, fromFormula(0.5, 1), 0.9)], [{ name: "E0", occurred: k < 2, probability: 0.5 }]) } }],
    }));
    const { rows, methods } = summariseBoundChecks(buildCellRecord(identity, ["a"], results));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ method: "a", bound: "B2", quantity: "sinTheta", boundMean: 0.5, informative: 1 });
    expect(rows[0].measured.mean).toBeCloseTo(0.45, 15);
    expect(rows[0].ratioMedian).toBeCloseTo(1.25, 15);
    expect(rows[0].coverage).toMatchObject({ trials: 4, held: 3, coverage: 0.75, promised: 0.9 });
    // P(Binomial(4, 0.1) >= 1) = 1 - 0.9^4.
    expect(rows[0].coverage.pValue).toBeCloseTo(1 - 0.9 ** 4, 14);
    expect(methods[0].events).toEqual([{ name: "E0", frequency: 0.5, probability: 0.5, se: 0.25 }]);
  });
});
