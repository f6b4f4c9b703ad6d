import { describe, expect, it } from "vitest";
import type { CellSummaryRow } from "../../src/experiment/cellSummary.js";
import { csvField, quantileColumn, summaryColumns, summaryCsv } from "../../src/report/summaryTable.js";

const row: CellSummaryRow = {
  cell: 0,
  point: { eps: 0.1, kind: 'a,"b"' },
  method: "linf",
  metric: "sinTheta",
  replicates: 3,
  n: 3,
  failures: 1,
  mean: 0.25,
  sd: null,
  se: null,
  quantiles: [0.125, 1e-7],
};

describe("summary CSV", () => {
  it("names quantile columns by percent", () => {
    expect([0.05, 0.25, 0.5, 0.95, 0.025, 1, 0].map(quantileColumn)).toEqual(["q05", "q25", "q50", "q95", "q2.5", "q100", "q00"]);
  });
  it("quotes fields per RFC 4180 and leaves undefined statistics empty", () => {
    expect(csvField('a,"b"')).toBe('"a,""b"""');
    expect(csvField(null)).toBe("");
    expect(csvField([1, { b: 2, a: 1 }])).toBe('"[1,{""a"":1,""b"":2}]"');
    const csv = summaryCsv([row], [{ name: "eps", label: "eps" }, { name: "kind", label: "kind" }], [0.5, 0.9]);
    expect(csv).toBe(
      'cell,eps,kind,method,metric,replicates,n,failures,mean,sd,se,q50,q90\n0,0.1,"a,""b""",linf,sinTheta,3,3,1,0.25,,,0.125,1e-7\n',
    );
  });
  it("refuses an axis named like a statistic column", () => {
    expect(() => summaryColumns([{ name: "mean", label: "mean" }], [0.5])).toThrow(/column "mean" appears twice/);
  });
});

describe("summary JSON", () => {
  it("is valid JSON with one flat row per line", async () => {
    const { summaryJson } = await import("../../src/report/summaryTable.js");
    const axes = [{ name: "eps", label: "eps", values: [0.1] }, { name: "kind", label: "kind", values: ['a,"b"'] }];
    const text = summaryJson([row, { ...row, method: "l2" }], { configHash: "h", family: "f", seed: 1, replicates: 3, cells: 2, missingCells: [1], axes }, [0.5, 0.9]);
    const doc = JSON.parse(text);
    expect(doc).toMatchObject({ complete: false, missingCells: [1], quantileLevels: [0.5, 0.9] });
    expect(doc.rows[1]).toEqual({ cell: 0, eps: 0.1, kind: 'a,"b"', method: "l2", metric: "sinTheta", replicates: 3, n: 3, failures: 1, mean: 0.25, sd: null, se: null, q50: 0.125, q90: 1e-7 });
    expect(text.split("\n").filter((l) => l.startsWith('    {"cell"'))).toHaveLength(2);
  });
});
