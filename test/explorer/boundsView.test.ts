/**
 * View 4 of the explorer (configs.ts boundsViewConfig, specs.ts boundPoints): beside the measured
 * curves it draws the exact limits of MODEL §8 the family reports, L1 / L1t for standard training
 * and L2 / L2t for l-inf training, each the mean of the rows' own limit metric.
 */
import { describe, expect, it } from "vitest";
import { runSweep } from "../../src/experiment/run.js";
import { createDefaultRegistry } from "../../src/families/index.js";
import { planState } from "../../explorer/src/configs.js";
import { boundPoints } from "../../explorer/src/specs.js";
import { DEFAULT_STATE } from "../../explorer/src/state.js";

const registry = createDefaultRegistry();

describe("the bounds view", () => {
  it("draws L1 and L1t for standard training and L2 and L2t for l-inf beside the measured sin theta and target excess", async () => {
    const state = { ...DEFAULT_STATE, scenario: { ...DEFAULT_STATE.scenario, d: "60", s: "8", r: "2", T: "6", n: "20", m: "40" }, epsGrid: "0, 0.2", replicates: "3" };
    const view = planState(state, registry).views.bounds;
    expect(view).toBeDefined();
    const { rows } = await runSweep(view!.config.raw, { registry });
    const points = boundPoints(rows, "eps");
    const curves = (method: string, quantity: string) => new Set(points.filter((p) => p.method === method && p.quantity === quantity).map((p) => p.curve));
    for (const [method, l, lt] of [["standard", "limit L1", "limit L1t"], ["linf", "limit L2", "limit L2t"]]) {
      expect(curves(method, "sinTheta")).toContain(l);
      expect(curves(method, "sinTheta")).toContain("measured");
      expect(curves(method, "targetExcess")).toEqual(new Set(["measured", lt]));
    }
    for (const p of points.filter((q) => q.kind === "limit")) {
      const row = rows.find((r) => r.method === p.method && r.point.eps === p.x && r.metric === `limit.${p.quantity}.${p.curve.slice("limit ".length)}`);
      expect(row?.mean).toBe(p.mean);
    }
  });
});
