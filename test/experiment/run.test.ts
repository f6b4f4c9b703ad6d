import { describe, expect, it } from "vitest";
import { parseRunConfig as parseWith } from "../../src/experiment/runConfig.js";
import { createDefaultRegistry } from "../../src/families/index.js";
import { demoConfig } from "../../src/families/mixture/demo.js";
import { runReplicates, summarise } from "../../src/experiment/run.js";
import type { PseudoLabelParams } from "../../src/families/mixture/estimators/pseudoLabel.js";
import type { MixtureConfig } from "../../src/families/mixture/config.js";

const registry = createDefaultRegistry();
const parseRunConfig = (raw: unknown) => parseWith(raw, registry);
import { ConfigError } from "../../src/core/config/parse.js";

const small = {
  scenario: { d: 60, s: 8, r: 2, T: 6, n: 20, m: 50, n0: 10 },
  methods: [{ label: "std" }, { label: "adv", attack: "linf", eps: 0.3 }, { label: "semi", ssl: {} }],
  replicates: 6,
  seed: 11,
};

describe("runs", () => {
  it("are deterministic: same config and seed, same numbers; replicate k does not depend on the range run", () => {
    const run = parseRunConfig(small);
    const a = runReplicates(run);
    const b = runReplicates(run);
    expect(b).toEqual(a);
    const tail = runReplicates(run, { from: 3, to: 6 });
    expect(tail).toEqual(a.slice(3));
  });

  it("a method's numbers do not change when other methods are added or reordered", () => {
    const alone = runReplicates(parseRunConfig({ ...small, methods: [{ label: "adv", attack: "linf", eps: 0.3 }] }));
    const all = runReplicates(parseRunConfig({ ...small, methods: [...small.methods].reverse() }));
    alone.forEach((res, k) => expect(all[k].outcomes.find((o) => o.method === "adv")).toEqual(res.outcomes[0]));
  });

  it("the sample path also runs every method, several rounds of pseudo-labelling included", () => {
    const run = parseRunConfig({ ...small, sampler: "sample", methods: [...small.methods, { label: "semi3", ssl: { rounds: 3 } }] });
    const res = runReplicates(run);
    for (const r of res) for (const o of r.outcomes) expect(o.ok).toBe(true);
  });

  it("reports dropped tasks as failures, never NaN: l2 training with a radius above every ||v_t||", () => {
    const run = parseRunConfig({ ...small, methods: [{ label: "l2big", attack: "l2", eps: 100 }] });
    const summary = summarise(runReplicates(run));
    expect(summary.find((r) => r.metric === "failed")).toMatchObject({ mean: 1, n: 6 });
    expect(summary.find((r) => r.metric === "keptTasks")).toMatchObject({ mean: 0 });
    expect(summary.some((r) => r.metric === "sinTheta")).toBe(false);
  });
});

describe("parseRunConfig", () => {
  it.each([
    [{ replicates: 0 }, "replicates"],
    [{ seed: -1 }, "seed"],
    [{ family: "deep" }, "family"],
    [{ methods: [{ attack: "linf" }] }, "methods[0].eps"],
    [{ methods: [{ eps: 0.1 }] }, "methods[0].eps"],
    [{ methods: [{ label: "a" }, { label: "a" }] }, "methods[1].label"],
    [{ methods: [{ ssl: {} }] }, "methods[0].ssl.m"],
    [{ methods: [{ ssl: { m: 10, rounds: 2 } }] }, "methods[0].ssl.rounds"],
    [{ methods: [{ ssl: { m: 10, eps: 0.1 } }] }, "methods[0].ssl.eps"],
    [{ methods: [{ ssl: { m: 10, teacher: 1 } }] }, "methods[0].ssl.teacher"],
    [{ methods: [] }, "methods"],
    [{ sampler: "fast" }, "sampler"],
    [{ evaluation: { eps: -0.1 } }, "evaluation.eps"],
    [{ bogus: 1 }, "bogus"],
  ])("rejects %j naming %s", (raw, field) => {
    let caught: unknown;
    try {
      parseRunConfig(raw);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    expect((caught as ConfigError).field).toBe(field);
  });

  it("defaults the student's radius to eps sqrt(n / (n + weight m)) (MODEL §3.3)", () => {
    const run = parseRunConfig(demoConfig());
    const method = (run.config as MixtureConfig).methods.find((m) => m.label === "ssl+linf");
    expect((method?.params as PseudoLabelParams).student.params.eps).toBeCloseTo(0.3 * Math.sqrt(40 / 1040), 15);
  });
});
