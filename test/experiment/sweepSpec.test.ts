import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { cellAt, cellCount, cellPositions, expandGrid, parseParamPath, parseSweepConfig, setParam } from "../../src/experiment/sweepSpec.js";
import { canonicalJson } from "../../src/core/config/canonicalJson.js";
import { configErrorOf } from "../errors.js";

const base = {
  seed: 1,
  scenario: { m: 0, d: 10 },
  methods: [
    { label: "std", eps: 0 },
    { label: "linf", eps: 0.1, ssl: { m: 0, eps: 0 } },
    { label: "eps=0.1", eps: 0.1 },
  ],
};

const configError = configErrorOf;

describe("parseParamPath", () => {
  it("splits dots and brackets", () => {
    expect(parseParamPath("scenario.m", "f")).toEqual(["scenario", "m"]);
    expect(parseParamPath("methods[eps=0.1].eps", "f")).toEqual(["methods", "eps=0.1", "eps"]);
    expect(parseParamPath("methods.linf.ssl.m", "f")).toEqual(["methods", "linf", "ssl", "m"]);
    expect(parseParamPath("a[b][c]", "f")).toEqual(["a", "b", "c"]);
  });
  it("rejects malformed paths with a ConfigError on the given field", () => {
    for (const bad of ["", "a..b", "a.", ".a", "a[b", "a]b", "a[]", "a[b]c"]) {
      expect(configError(() => parseParamPath(bad, "sweep[0].param")).field).toBe("sweep[0].param");
    }
  });
});

describe("setParam", () => {
  it("addresses array elements by label, by index, and creates missing object keys", () => {
    const c = structuredClone(base) as never as Record<string, never>;
    setParam(c, "methods.linf.eps", 0.3, "f");
    setParam(c, "methods.linf.ssl.m", 200, "f");
    setParam(c, "methods.0.eps", 0.05, "f");
    setParam(c, "methods[eps=0.1].eps", 0.2, "f");
    setParam(c, "scenario.extra.deep", 1, "f");
    expect(c).toMatchObject({
      scenario: { m: 0, d: 10, extra: { deep: 1 } },
      methods: [{ label: "std", eps: 0.05 }, { label: "linf", eps: 0.3, ssl: { m: 200, eps: 0 } }, { label: "eps=0.1", eps: 0.2 }],
    });
  });
  it("names the field, the path and the known labels when a label is missing", () => {
    const e = configError(() => setParam(structuredClone(base) as never, "methods.l2.eps", 0.1, "sweep[1].param"));
    expect(e.field).toBe("sweep[1].param");
    expect(e.message).toContain("methods.l2.eps");
    expect(e.message).toContain('"linf"');
  });
  it("refuses to descend into a number", () => {
    const e = configError(() => setParam(structuredClone(base) as never, "scenario.m.x", 1, "sweep.scenario.m.x"));
    expect(e.message).toContain('"scenario.m" is 0');
  });
});

describe("parseSweepConfig and expandGrid", () => {
  it("shorthand and array forms give the same grid, in row-major order (first axis slowest)", () => {
    const a = parseSweepConfig({ ...base, sweep: { "scenario.m": [0, 200], "methods.linf.eps": [0, 0.1, 0.2] } });
    const b = parseSweepConfig({
      ...base,
      sweep: [
        { param: "scenario.m", values: [0, 200] },
        { param: "methods.linf.eps", values: [0, 0.1, 0.2] },
      ],
    });
    expect(cellCount(a)).toBe(6);
    const ga = expandGrid(a);
    expect(ga.map((c) => canonicalJson(c.config))).toEqual(expandGrid(b).map((c) => canonicalJson(c.config)));
    expect(ga.map((c) => [c.point["scenario.m"], c.point["methods.linf.eps"]])).toEqual([
      [0, 0], [0, 0.1], [0, 0.2], [200, 0], [200, 0.1], [200, 0.2],
    ]);
    expect(ga[4].config).toMatchObject({ scenario: { m: 200 }, methods: [{}, { eps: 0.1 }, {}] });
    // the base is not mutated
    expect(a.base).toEqual(base);
  });
  it("sets several params to one value, and linked params value by value", () => {
    const spec = parseSweepConfig({
      ...base,
      sweep: [
        { param: ["methods.std.eps", "methods.linf.eps"], values: [0, 0.3], name: "eps", label: "radius" },
        { param: "scenario.m", values: [0, 200, 1000], with: { "methods.linf.ssl.eps": [0.3, 0.2, 0.1] } },
      ],
    });
    const c = cellAt(spec, 5);
    expect(c.point).toEqual({ eps: 0.3, "scenario.m": 1000 });
    expect(c.params).toEqual({ "methods.std.eps": 0.3, "methods.linf.eps": 0.3, "scenario.m": 1000, "methods.linf.ssl.eps": 0.1 });
    expect(spec.axes[0].label).toBe("radius");
  });
  it("a config without `sweep` is one cell equal to the base", () => {
    const spec = parseSweepConfig(base);
    expect(cellCount(spec)).toBe(1);
    expect(expandGrid(spec)[0].config).toEqual(base);
  });
  it("rejects bad sweeps with ConfigErrors naming the field", () => {
    const cases: [unknown, string][] = [
      [{ "scenario.m": [] }, "sweep.scenario.m"],
      [{ "scenario.m": [0, 200, 0] }, "sweep.scenario.m[2]"],
      [[{ param: "scenario.m", values: [1], extra: 1 }], "sweep[0].extra"],
      [[{ param: "scenario.m", values: [1, 2], with: { "methods.linf.ssl.eps": [0.1] } }], "sweep[0].with.methods.linf.ssl.eps"],
      [[{ param: "scenario.m", values: [1] }, { param: "scenario.m", values: [2], name: "m2" }], "sweep[1]"],
      [[{ param: "scenario.m", values: [1] }, { param: "scenario.d", values: [2], name: "scenario.m" }], "sweep[1].name"],
      [[{ param: "methods.nope.eps", values: [1] }], "sweep[0].param"],
      [[{ param: ["scenario.d", "methods.nope.eps"], values: [1] }], "sweep[0].param[1]"],
      [[{ param: "scenario.m", values: [Number.NaN] }], "sweep[0].values[0]"],
    ];
    for (const [sweep, field] of cases) {
      expect(configError(() => parseSweepConfig({ ...base, sweep })).field, JSON.stringify(sweep)).toBe(field);
    }
  });

  // Invariant (row-major numbering, documented in sweepSpec.ts): the cell index is
  // sum_k pos_k prod_{j>k} len_j, so positions decode every index in [0, cellCount) exactly once
  // and each cell's point holds the values at its positions.
  it("numbers cells bijectively in row-major order (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 0, maxLength: 4 }), (lens) => {
        const sweep = lens.map((len, k) => ({ param: `scenario.a${k}`, values: Array.from({ length: len }, (_, i) => i * 10 + k) }));
        const spec = parseSweepConfig({ scenario: {}, sweep });
        const total = lens.reduce((a, b) => a * b, 1);
        expect(cellCount(spec)).toBe(total);
        const seen = new Set<string>();
        for (let i = 0; i < total; i++) {
          const pos = cellPositions(spec, i);
          const back = pos.reduce((acc, p, k) => acc * lens[k] + p, 0);
          expect(back).toBe(i);
          const c = cellAt(spec, i);
          pos.forEach((p, k) => expect(c.point[`scenario.a${k}`]).toBe(p * 10 + k));
          seen.add(canonicalJson(c.point));
        }
        expect(seen.size).toBe(total);
      }),
      { numRuns: 60 },
    );
  });
});

describe("axis names that would collide with summary columns (issue 10, item 6)", () => {
  it("are ConfigErrors when the sweep is parsed, naming the axis", () => {
    for (const name of ["n", "mean", "se", "cell", "method", "q50", "q2.5", "difference", "clear"]) {
      const e = configError(() => parseSweepConfig({ ...base, sweep: [{ param: "scenario.m", values: [0, 1], name }] }));
      expect(e.field).toBe("sweep[0].name");
      expect(e.message).toMatch(/names a column of the summary tables/);
    }
  });
  it("leave other names alone (a dotted path, a name like n0 or quantile-like words)", () => {
    for (const name of ["scenario.n", "n0", "nSamples", "q", "quality"]) {
      expect(parseSweepConfig({ ...base, sweep: [{ param: "scenario.m", values: [0, 1], name }] }).axes[0].name).toBe(name);
    }
  });
});
