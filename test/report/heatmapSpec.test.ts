import { describe, expect, it } from "vitest";
import type { CellSummaryRow } from "../../src/experiment/cellSummary.js";
import type { PairedEffect } from "../../src/experiment/pairedEffects.js";
import { type PlotAxis, parsePlotOptions } from "../../src/report/figureSpec.js";
import { buildHeatmapSpec, heatmapData, predictedGain } from "../../src/report/heatmapSpec.js";
import { renderSvg } from "../../src/report/renderSvg.js";

const axes: PlotAxis[] = [
  { name: "s", label: "support size s", values: [20, 500] },
  { name: "eps", label: "radius eps", values: [0, 0.1, 0.2, 0.3] },
];

/** Hand-made paired gains (linf - standard) and limit predictions for each cell. */
const gains: Record<number, number[]> = { 20: [0, -0.2, -0.3, -0.1], 500: [0, 0.05, 0.1, 0.2] };
const predicted: Record<number, number[]> = { 20: [0, -0.1, -0.05, 0.05], 500: [0, 0.02, 0.04, 0.08] };

function fixtures() {
  const rows: CellSummaryRow[] = [];
  const effects: PairedEffect[] = [];
  let cell = 0;
  for (const s of [20, 500]) {
    for (const [i, eps] of [0, 0.1, 0.2, 0.3].entries()) {
      const point = { s, eps };
      const row = (method: string, metric: string, mean: number): CellSummaryRow => ({ cell, point, method, metric, replicates: 50, n: 50, failures: 0, mean, sd: 0.1, se: 0.01, quantiles: [] });
      rows.push(row("standard", "sinTheta", 0.8), row("linf", "sinTheta", 0.8 + gains[s][i]));
      rows.push(row("standard", "limit.sinTheta.L1", 0.8), row("linf", "limit.sinTheta.L2", 0.8 + predicted[s][i]));
      const g = gains[s][i];
      effects.push({ cell, point, method: "linf", metric: "sinTheta", baseline: "standard", n: 50, difference: g, differenceSe: g === 0 ? 0 : 0.02, ratio: (0.8 + g) / 0.8, ratioSe: 0.02, clear: Math.abs(g) > 0.06 });
      cell++;
    }
  }
  return { rows, effects };
}

describe("heatmapData (hand-worked grid)", () => {
  const { rows, effects } = fixtures();
  const options = parsePlotOptions({ x: "eps", heatmap: { y: "s" } }, { axes, baseline: "standard" });

  it("colours the paired difference, marks the best (lowest) value per row and flags rows whose best is on the edge", () => {
    const data = heatmapData(rows, effects, axes, options, "sinTheta");
    expect(data.cells).toHaveLength(8);
    const best = data.cells.filter((c) => c.best).map((c) => [c.yi, c.xi]);
    expect(best).toEqual([[0, 2], [1, 0]]);
    // Row s = 500: the best (0, no change) is at eps = 0, the first column: an edge.
    expect(data.edgeRows).toEqual([{ panel: "linf", method: "linf", yi: 1 }]);
    expect(data.cells.filter((c) => c.clear).map((c) => [c.yi, c.xi])).toEqual([[0, 1], [0, 2], [0, 3], [1, 2], [1, 3]]);
  });

  it("draws the predicted boundary where the limits' gain changes sign: between eps = 0.2 and 0.3 at 2.5 (linear interpolation), none where it never does", () => {
    expect(predictedGain(rows, 3, "linf", "standard", "sinTheta", "difference")).toBeCloseTo(0.05, 14);
    const data = heatmapData(rows, effects, axes, options, "sinTheta");
    expect(data.boundary).toHaveLength(1);
    expect(data.boundary[0].yi).toBe(0);
    expect(data.boundary[0].xi).toBeCloseTo(2.5, 12);
  });

  it("takes a predicted gain of rounding size (limits equal in theory, as at eps = 0) for 0, not for a change of sign", () => {
    // Row s = 500: the predicted gain -1e-12 at eps = 0 then +0.02: no crossing (a 1e-12 residue is not a sign).
    const residue = rows.map((r) => (r.cell === 4 && r.method === "linf" && r.metric === "limit.sinTheta.L2" ? { ...r, mean: 0.8 - 1e-12 } : r));
    const data = heatmapData(residue, effects, axes, options, "sinTheta");
    expect(data.boundary.map((b) => b.yi)).toEqual([0]);
    // A real negative gain there (-0.01) does give a crossing between eps = 0 and 0.1, at 1/3.
    const real = rows.map((r) => (r.cell === 4 && r.method === "linf" && r.metric === "limit.sinTheta.L2" ? { ...r, mean: 0.79 } : r));
    const withReal = heatmapData(real, effects, axes, options, "sinTheta").boundary.filter((b) => b.yi === 1);
    expect(withReal).toHaveLength(1);
    expect(withReal[0].xi).toBeCloseTo(1 / 3, 12);
  });

  it("renders: one panel per method, the clear outline, the diamonds, the boundary, a diverging scale centred at 0", async () => {
    const spec = buildHeatmapSpec(rows, effects, axes, options, "sinTheta", { fixed: { d: 500, n: 40 } });
    const color = (spec.spec as { layer: { encoding?: { color?: { scale?: { domainMid?: number } } } }[] }).layer[0].encoding?.color;
    expect(color?.scale?.domainMid).toBe(0);
    const subtitle = (spec.title as { subtitle: string[] }).subtitle.join("\n");
    expect(subtitle).toMatch(/d = 500, n = 40/);
    expect(subtitle).toMatch(/best value on the edge of the radius eps grid in 1 row/);
    const svg = await renderSvg(spec);
    expect(svg.startsWith("<svg")).toBe(true);
    for (const text of ["radius eps", "support size s", "0.3", "500"]) expect(svg).toContain(text);
  });
});
