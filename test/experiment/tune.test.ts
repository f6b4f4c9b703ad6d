import fc from "fast-check";
import { describe, expect, it } from "vitest";
import "../fastCheckSeed.js";
import { ConfigError } from "../../src/core/config/parse.js";
import { rootRng } from "../../src/core/random/rng.js";
import { type TuneEvaluator, bestOfCurve, echoTuneSpec, estimateBest, evenGrid, parseTuneSpec, tuneCells } from "../../src/experiment/tune.js";

function configError(f: () => unknown): ConfigError {
  try {
    f();
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error("expected a ConfigError");
}

describe("parseTuneSpec", () => {
  it("fills defaults, takes the method from the path, and echoes back to itself", () => {
    const s = parseTuneSpec({ param: "methods.linf.eps.tau", range: [0, 4] });
    expect(s).toMatchObject({ method: "linf", metric: "sinTheta", goal: "min", grid: 13, refine: 8, bootstrap: 1000 });
    expect(parseTuneSpec(echoTuneSpec(s))).toEqual(s);
  });
  it("refuses bad sections with a ConfigError naming the field", () => {
    expect(configError(() => parseTuneSpec({ param: "methods.linf.eps", range: [0.6, 0] })).field).toBe("tune.range");
    expect(configError(() => parseTuneSpec({ param: "methods.linf.eps", range: [0] })).field).toBe("tune.range");
    expect(configError(() => parseTuneSpec({ param: "scenario.n", range: [1, 2] })).field).toBe("tune.method");
    expect(configError(() => parseTuneSpec({ param: "methods.linf.eps", range: [0, 1], grid: 2 })).field).toBe("tune.grid");
    expect(configError(() => parseTuneSpec({ param: "methods.linf.eps", range: [0, 1], bootstrap: 5 })).field).toBe("tune.bootstrap");
    expect(configError(() => parseTuneSpec({ param: "methods.linf.eps", range: [0, 1], colour: 1 })).message).toMatch(/colour/);
  });
});

describe("bestOfCurve", () => {
  it("returns the vertex of the parabola through the best sample and its neighbours (hand cases)", () => {
    expect(bestOfCurve([0, 1, 2], [1, 0, 1], "min")).toBe(1);
    // y = (x - 0.3)^2 sampled at 0, 0.25, 0.5: the vertex is exactly 0.3.
    expect(bestOfCurve([0, 0.25, 0.5], [0.09, 0.0025, 0.04], "min")).toBeCloseTo(0.3, 14);
    expect(bestOfCurve([0, 1, 2], [0, 1, 2], "min")).toBe(0); // best at an end: the end itself
    expect(bestOfCurve([0, 1, 2], [0, 1, 2], "max")).toBe(2);
  });
  it("recovers the minimiser of any parabola sampled on a grid around it (property)", () => {
    fc.assert(
      fc.property(fc.double({ min: 0.05, max: 0.55, noNaN: true }), fc.double({ min: 0.1, max: 10, noNaN: true }), (x0, a) => {
        const xs = evenGrid(0, 0.6, 13);
        expect(bestOfCurve(xs, xs.map((x) => a * (x - x0) ** 2 + 1), "min")).toBeCloseTo(x0, 10);
      }),
    );
  });
});

describe("tuneCells", () => {
  /** A fake evaluator: replicate k's objective at x is (x - x0)^2 + noise_k (a common shift per replicate: common random numbers). */
  function evaluator(x0: (cell: number) => number, R = 50): TuneEvaluator & { calls: number } {
    const shift = Array.from({ length: R }, (_, k) => Math.sin(k * 12.9898) * 0.1);
    const obj = {
      calls: 0,
      evaluate: async (points: readonly { cell: number; value: number }[]) => {
        obj.calls += 1;
        return points.map((p) => shift.map((s, k) => (p.value - x0(p.cell)) ** 2 * (1 + 0.01 * Math.cos(k)) + s));
      },
    };
    return obj;
  }

  it("finds the minimiser per cell to the golden-section precision, in 1 + refine rounds, deterministically", async () => {
    const spec = parseTuneSpec({ param: "methods.linf.eps", range: [0, 0.6], grid: 13, refine: 8, bootstrap: 200 });
    const ev = evaluator((c) => [0.27, 0.41][c]);
    const res = await tuneCells(2, spec, ev, 7);
    expect(ev.calls).toBe(1 + spec.refine);
    expect(res[0].value).toBeCloseTo(0.27, 2);
    expect(res[1].value).toBeCloseTo(0.41, 2);
    expect(res[0].edge).toBe(false);
    expect(res[0].points.length).toBe(13 + 9);
    const again = await tuneCells(2, spec, evaluator((c) => [0.27, 0.41][c]), 7);
    expect(again).toEqual(res);
    expect(res[0].se).not.toBeNull();
    expect(res[0].interval![0]).toBeLessThanOrEqual(res[0].value);
    expect(res[0].interval![1]).toBeGreaterThanOrEqual(res[0].value);
  });

  it("flags a best value on the edge of the range", async () => {
    const spec = parseTuneSpec({ param: "methods.linf.eps", range: [0, 0.6], grid: 7, refine: 3, bootstrap: 0 });
    const [res] = await tuneCells(1, spec, evaluator(() => 0.9), 1);
    expect(res.edge).toBe(true);
    expect(res.value).toBeCloseTo(0.6, 1);
    expect(res.se).toBeNull();
  });

  it("gives a bootstrap spread that grows with the replicate noise at the minimum", () => {
    const make = (noise: number) => {
      const rng = rootRng(3);
      const xs = evenGrid(0, 1, 11);
      const R = 100;
      const perRep = Array.from({ length: R }, () => rng.normal() * noise);
      const points = xs.map((x) => ({ value: x, mean: 0, se: null, values: perRep.map((e, k) => (x - 0.5) ** 2 + e * (x - 0.5) + 0.001 * k) }));
      return points.map((p) => ({ ...p, mean: p.values.reduce((a, b) => a + (b as number), 0) / R }));
    };
    const small = estimateBest(make(0.01), evenGrid(0, 1, 11), "min", 300, rootRng(1));
    const large = estimateBest(make(0.5), evenGrid(0, 1, 11), "min", 300, rootRng(1));
    expect(large.se!).toBeGreaterThan(small.se!);
  });
});
