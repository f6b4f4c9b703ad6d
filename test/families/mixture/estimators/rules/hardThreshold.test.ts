import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ConfigError } from "../../../../../src/core/config/parse.js";
import { hardThreshold } from "../../../../../src/families/mixture/estimators/rules/hardThreshold.js";
import { createMixtureFamily } from "../../../../../src/families/mixture/family.js";
import { replicateRng } from "../../../../../src/core/random/rng.js";
import { gaussianVector, seedArb } from "../../../../arbitraries.js";

const family = createMixtureFamily();
const scenario = { d: 60, s: 6, r: 2, T: 8, n: 40, m: 100, n0: 10 };

describe("hardThreshold", () => {
  it("keeps the k largest |v_j| (ties to the lower index), or those above the level, by hand", () => {
    expect(Array.from(hardThreshold([0.5, -2, 1, -1, 0.1], { k: 2 }))).toEqual([0, -2, 1, 0, 0]);
    expect(Array.from(hardThreshold([1, -1, 1], { k: 2 }))).toEqual([1, -1, 0]);
    expect(Array.from(hardThreshold([0.5, -2, 1, -1, 0.1], { level: 0.9 }))).toEqual([0, -2, 1, -1, 0]);
    expect(Array.from(hardThreshold([0.5, -2], { level: 2 }))).toEqual([0, 0]);
  });

  it("keeps exactly k non-zero coordinates of a generic vector, each unchanged, and no smaller one than a dropped one", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), seedArb, fc.integer({ min: 1, max: 40 }), (d, seed, kRaw) => {
        const v = gaussianVector(d, seed);
        const k = Math.min(kRaw, d);
        const h = hardThreshold(v, { k });
        const kept = [...h.keys()].filter((j) => h[j] !== 0);
        expect(kept).toHaveLength(k);
        for (const j of kept) expect(h[j]).toBe(v[j]);
        const minKept = Math.min(...kept.map((j) => Math.abs(v[j])));
        for (let j = 0; j < d; j++) if (h[j] === 0) expect(Math.abs(v[j])).toBeLessThanOrEqual(minKept);
      }),
    );
  });
});

describe("the hard-threshold rule in a run", () => {
  it("is selected by rule, labels itself, and keeps k for the student or rescales its level like a radius", () => {
    const c = family.parse({ scenario, methods: [{ rule: "hard-threshold", k: 6 }, { rule: "hard-threshold", level: 0.5, ssl: {} }] });
    expect(c.methods.map((m) => m.label)).toEqual(["hard(k=6)", `ssl(m=100)+hard(level=0.5/${Number((0.5 * Math.sqrt(40 / 140)).toPrecision(4))})`]);
    expect(family.parse(family.echo(c))).toEqual(c);
  });

  it("refuses neither or both of k and level, and k outside [1, d]", () => {
    for (const bad of [{}, { k: 2, level: 0.1 }, { k: 0 }, { k: 61 }, { level: -1 }]) {
      expect(() => family.parse({ scenario, methods: [{ rule: "hard-threshold", ...bad }] })).toThrow(ConfigError);
    }
  });

  it("with k = d or level 0 it keeps every coordinate, so it equals standard training replicate by replicate", () => {
    const config = family.parse({ scenario, methods: [{ label: "std" }, { label: "kd", rule: "hard-threshold", k: 60 }, { label: "l0", rule: "hard-threshold", level: 0 }] });
    for (let k = 0; k < 10; k++) {
      const [std, kd, l0] = family.runReplicate(config, replicateRng(17, k));
      expect(kd.metrics).toEqual(std.metrics);
      expect(l0.metrics).toEqual(std.metrics);
    }
  });
});
