import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildCellRecord, type CellRecord } from "../../../../src/experiment/cellRecord.js";
import { againstBestControl, twoLayerClaimsFromRecord } from "../../../../src/families/two-layer/analysis/claims.js";
import { TWO_LAYER_CONTROLS, twoLayerClaimsSection, twoLayerRegimesSection } from "../../../../src/families/two-layer/analysis/claimsReport.js";
import { loadSweep } from "../../../../src/cli/sweepCommand.js";

/** Replicate noise shared by all methods (common random numbers). */
const noise = [0.01, -0.02, 0.015, 0, -0.01, 0.005];

function record(cell: number, labels: string, means: Record<string, number>): CellRecord {
  const methods = Object.keys(means);
  const robust = labels === "regression" ? "robustExcessLinf" : "robustErrorLinf";
  const results = noise.map((z, k) => ({
    replicate: k,
    outcomes: methods.map((m, j) => ({
      method: m,
      ok: true,
      metrics: { sinTheta: means[m] + z + 0.001 * ((k + j) % 3), targetExcess: means[m] / 2 + z, [robust]: means[m] + z },
    })),
  }));
  return buildCellRecord({ configHash: "h", code: "c", family: "two-layer", seed: 1, cell, cells: 2, point: { labels }, params: { "scenario.labels": labels } }, methods, results);
}

describe("the two-layer section of the reproduction report", () => {
  const regression = record(0, "regression", { standard: 0.95, linf: 0.65, l2: 0.85, ssl: 0.95, "ssl+linf": 0.65 });
  const classification = record(1, "classification", { standard: 0.99, linf: 0.99, l2: 0.99, ssl: 0.99, "ssl+linf": 0.99 });

  it("states each claim from the paired comparisons of the records", () => {
    const text = twoLayerClaimsSection([classification, regression], 6, 2021);
    expect(text.indexOf("### Regression")).toBeLessThan(text.indexOf("### Classification"));
    expect(text).toMatch(/- C1 holds here: l-inf adversarial training \(against standard\) lowers sinTheta from 0\.95\d to 0\.65\d/);
    expect(text).toMatch(/- C2 is not clear here: pseudo-labelling/);
    expect(text).toMatch(/- C3 holds here/);
    expect(text).toMatch(/\| C1 \| standard \| linf \| robustExcessLinf \|/);
    expect(text).toMatch(/\| C1 \| standard \| linf \| robustErrorLinf \|/);
    expect(text).toMatch(/6 replicates per cell, seed 2021/);
  });

  it("computes the same comparisons as the paired differences of the record's columns", () => {
    const c = twoLayerClaimsFromRecord(regression, ["sinTheta"]).find((x) => x.baseline === "standard" && x.method === "linf");
    expect(c?.improvement).toBeCloseTo(0.3 + (0.001 * [0, 1, 2, 0, 1, 2].reduce((a, b) => a + b, 0) - 0.001 * [1, 2, 0, 1, 2, 0].reduce((a, b) => a + b, 0)) / 6, 12);
    expect(c?.verdict).toBe("better");
  });

  it("configs/two-layer-claims.json is a two-cell two-layer sweep over the label kind", async () => {
    const loaded = await loadSweep({ config: join(__dirname, "../../../../configs/two-layer-claims.json") });
    expect(loaded.plan.cells.map((c) => c.cell.point.labels)).toEqual(["regression", "classification"]);
    expect(loaded.plan.cells[0].methodLabels).toEqual(["standard", "linf", "ssl", "ssl+linf"]);
    expect(loaded.plan.family).toBe("two-layer");
  });

  it("compares linf against the control of lowest mean in the cell, paired", () => {
    // Means: standard 0.95, l1 0.80, weight-decay 0.70 (the best control), linf 0.65; common noise cancels in the pairs.
    const cell = record(0, "regression", { standard: 0.95, linf: 0.65, l1: 0.8, "weight-decay": 0.7 });
    const rows = againstBestControl(cell, "linf", TWO_LAYER_CONTROLS, ["sinTheta"]);
    expect(rows).toHaveLength(1);
    expect(rows[0].bestControl).toBe("weight-decay");
    expect(rows[0].vsStandard.improvement).toBeCloseTo(0.3 + (0.001 * (0 + 1 + 2 + 0 + 1 + 2) - 0.001 * (1 + 2 + 0 + 1 + 2 + 0)) / 6, 12);
    // linf is method 1 and weight-decay method 3 ((k + j) mod 3 offsets): the same offsets up to a shift of 2.
    const offs = (j: number) => [0, 1, 2, 3, 4, 5].map((k) => 0.001 * ((k + j) % 3));
    const expected = 0.05 + (offs(3).reduce((a, b) => a + b) - offs(1).reduce((a, b) => a + b)) / 6;
    expect(rows[0].vsBestControl.improvement).toBeCloseTo(expected, 12);
    expect(rows[0].vsBestControl.verdict).toBe("better");
    const text = twoLayerRegimesSection([{ ...cell, point: { labels: "regression", n: 200 } }], 6, 7);
    expect(text).toMatch(/\| regression \| 200 \| sinTheta \| 0\.95\d \| 0\.65\d \| weight-decay \|/);
    expect(text).toMatch(/regression, n = 200: .* beats standard training and beats the best control \(weight-decay\)/);
  });

  it("configs/two-layer-regimes.json sweeps the label kind and n with linf beside every control", async () => {
    const loaded = await loadSweep({ config: join(__dirname, "../../../../configs/two-layer-regimes.json") });
    expect(new Set(loaded.plan.cells.map((c) => c.cell.point.labels))).toEqual(new Set(["regression", "classification"]));
    expect(loaded.plan.cells[0].methodLabels).toEqual(["standard", "linf", ...TWO_LAYER_CONTROLS]);
  });
});
