import { describe, expect, it } from "vitest";
import { configHash } from "../../src/core/config/canonicalJson.js";
import { ConfigError } from "../../src/core/config/parse.js";
import { planRunSweep, sweepIdentity } from "../../src/experiment/sweepPlan.js";
import { parseSweepConfig } from "../../src/experiment/sweepSpec.js";
import { createDefaultRegistry } from "../../src/families/index.js";

const registry = createDefaultRegistry();
const base = { family: "mixture", replicates: 5, seed: 2, scenario: { d: 40, s: 6, r: 2, T: 6 }, methods: [{ label: "linf", attack: "linf", eps: 0 }] };

describe("planRunSweep", () => {
  it("resolves every cell (family config without the run keys, method labels) before any work", () => {
    const plan = planRunSweep(parseSweepConfig({ ...base, sweep: { "methods.linf.eps": [0, 0.1] } }), registry);
    expect(plan.cells).toHaveLength(2);
    expect(plan.cells[1].familyConfig).toEqual({ scenario: base.scenario, methods: [{ label: "linf", attack: "linf", eps: 0.1 }] });
    expect(plan.cells[0].methodLabels).toEqual(["linf"]);
    expect({ family: plan.family, seed: plan.seed, replicates: plan.replicates, plugins: plan.plugins }).toEqual({ family: "mixture", seed: 2, replicates: 5, plugins: [] });
  });

  it("fails on a bad value in the last cell, and on an axis that changes the seed", () => {
    expect(() => planRunSweep(parseSweepConfig({ ...base, sweep: { "scenario.r": [2, 3, 9] } }), registry)).toThrow(/scenario\.r = 9/);
    expect(() => planRunSweep(parseSweepConfig({ ...base, sweep: { seed: [1, 2] } }), registry)).toThrow(ConfigError);
  });

  it("hashes what determines the results: not the plot section, not where the plugin files are", () => {
    const h = (raw: Record<string, unknown>) => configHash(sweepIdentity(planRunSweep(parseSweepConfig(raw), registry)));
    const with1 = { ...base, sweep: { "scenario.n": [10, 20] } };
    expect(h({ ...with1, plot: { x: "scenario.n" } })).toBe(h(with1));
    expect(h({ ...with1, plugins: [] })).toBe(h(with1));
    expect(h({ ...with1, seed: 3 })).not.toBe(h(with1));
  });
});
