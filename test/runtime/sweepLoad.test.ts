import { describe, expect, it } from "vitest";
import { ConfigError } from "../../src/core/config/parse.js";
import { loadSweepConfig } from "../../src/runtime/sweep.js";

/** A small mixture sweep config with a plot section. */
function sweep(plot: unknown, extra: Record<string, unknown> = {}) {
  return {
    replicates: 2,
    scenario: { d: 30, s: 5, r: 2, T: 4, n: 20, n0: 10 },
    methods: [{ label: "standard" }, { label: "linf", attack: "linf", eps: 0.1 }],
    sweep: [{ param: "methods.linf.eps", values: [0.1, 0.2], name: "eps" }],
    plot,
    ...extra,
  };
}

async function configError(raw: Record<string, unknown>): Promise<ConfigError> {
  try {
    await loadSweepConfig(raw, process.cwd());
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error("expected a ConfigError");
}

describe("a sweep's plot section is checked when the sweep is loaded, before any work (issue 10, item 6)", () => {
  it("plot.x must be an axis", async () => {
    expect((await configError(sweep({ x: "m" }))).message).toMatch(/^plot\.x = "m": must name a sweep axis: "eps"/);
  });
  it("plot.metrics must be metrics the cells report (the family lists them)", async () => {
    const e = await configError(sweep({ metrics: ["sinTheta", "sinTheat"] }));
    expect(e.field).toBe("plot.metrics[1]");
    expect(e.message).toMatch(/must be a metric the sweep reports: "keptTasks", "sinTheta"/);
    // Bound and limit metrics count once the config switches them on.
    expect((await configError(sweep({ metrics: ["limit.sinTheta.L2"] }))).field).toBe("plot.metrics[0]");
    await loadSweepConfig(sweep({ metrics: ["limit.sinTheta.L2"] }, { evaluation: { limits: {} } }), process.cwd());
  });
  it("plot.methods must be method labels, unknown keys are refused, gain and heatmap values need a baseline", async () => {
    expect((await configError(sweep({ methods: ["standard", "l2"] }))).field).toBe("plot.methods[1]");
    expect((await configError(sweep({ colour: "red" }))).message).toMatch(/plot.*colour/);
    expect((await configError(sweep({ gain: "ratio" }))).field).toBe("plot.gain");
    expect((await configError(sweep({ heatmap: { y: "eps" } }))).field).toBe("plot.heatmap.y");
    const ok = await loadSweepConfig(sweep({ gain: "ratio", columns: 2 }, { baseline: "standard" }), process.cwd());
    expect(ok.plan.cells).toHaveLength(2);
  });
  it("the loaded sweep carries the scenario values every cell shares, for the figures' subtitles", async () => {
    const loaded = await loadSweepConfig(
      { ...sweep(undefined), sweep: [{ param: "scenario.n", values: [20, 40], name: "nPerTask" }] },
      process.cwd(),
    );
    expect(loaded.fixed).toMatchObject({ d: 30, s: 5, r: 2, T: 4, n0: 10, sigma: 1 });
    expect(loaded.fixed).not.toHaveProperty("n");
  });
});
