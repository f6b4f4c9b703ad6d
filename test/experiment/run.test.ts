import { describe, expect, it } from "vitest";
import { parseRunConfig as parseWith } from "../../src/experiment/runConfig.js";
import { createDefaultRegistry } from "../../src/families/index.js";
import { runReplicates, summarise } from "../../src/experiment/run.js";

const registry = createDefaultRegistry();
const parseRunConfig = (raw: unknown) => parseWith(raw, registry);

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
