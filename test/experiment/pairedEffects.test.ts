import { describe, expect, it } from "vitest";
import { buildCellRecord } from "../../src/experiment/cellRecord.js";
import { pairedEffects, pairedRatio } from "../../src/experiment/pairedEffects.js";

const identity = (cell: number) => ({ configHash: "h", code: "c", family: "f", seed: 1, cell, cells: 2, point: { eps: cell }, params: {} });

describe("pairedRatio", () => {
  it("is exact for proportional columns and follows the delta method by hand", () => {
    expect(pairedRatio([2, 4, 6], [1, 2, 3])).toEqual({ ratio: 2, se: 0 });
    // x = (1, 3), y = (2, 2): R = 1; s_x^2 = 2, s_y^2 = 0, s_xy = 0: Var = 2 / (2 * 4) = 0.25.
    expect(pairedRatio([1, 3], [2, 2])).toEqual({ ratio: 1, se: 0.5 });
    expect(pairedRatio([1], [0])).toEqual({ ratio: null, se: null });
    expect(pairedRatio([1], [2])).toEqual({ ratio: 0.5, se: null });
  });
});

describe("pairedEffects", () => {
  it("differences every method against the baseline, replicate by replicate, per cell and metric", () => {
    const records = [0, 1].map((cell) =>
      buildCellRecord(identity(cell), ["std", "adv"], [
        { replicate: 0, outcomes: [{ method: "std", ok: true, metrics: { s: 0.9 } }, { method: "adv", ok: true, metrics: { s: 0.6 - 0.1 * cell } }] },
        { replicate: 1, outcomes: [{ method: "std", ok: true, metrics: { s: 0.8 } }, { method: "adv", ok: true, metrics: { s: 0.55 - 0.1 * cell } }] },
        { replicate: 2, outcomes: [{ method: "std", ok: false, metrics: {} }, { method: "adv", ok: true, metrics: { s: 0.7 } }] },
      ]),
    );
    const e = pairedEffects(records, "std");
    expect(e.map((x) => [x.cell, x.method, x.metric, x.n])).toEqual([
      [0, "adv", "s", 2],
      [1, "adv", "s", 2],
    ]);
    // cell 0: differences (-0.3, -0.25): mean -0.275, SE 0.025: z = -11: clear.
    expect(e[0].difference).toBeCloseTo(-0.275, 14);
    expect(e[0].differenceSe).toBeCloseTo(0.025, 14);
    expect(e[0].ratio).toBeCloseTo(0.575 / 0.85, 14);
    expect(e[0].clear).toBe(true);
    expect(pairedEffects(records, "nobody")).toEqual([]);
  });
});
