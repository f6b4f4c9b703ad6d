import { describe, expect, it } from "vitest";
import { representationFromDirections } from "../../../../src/families/mixture/estimators/representation.js";
import { pseudoLabelStatistic } from "../../../../src/families/mixture/estimators/pseudoLabel.js";
import { fitTargetHead } from "../../../../src/families/mixture/estimators/target.js";
import { fromColumns, norm2, transposeTimes } from "../../../../src/core/linalg/mat.js";
import { sinTheta } from "../../../../src/core/linalg/decompositions.js";
import { replicateRng } from "../../../../src/core/random/rng.js";
import { createMixtureFamily, runMixtureReplicate } from "../../../../src/families/mixture/family.js";

describe("representationFromDirections (MODEL §3.2)", () => {
  it("recovers the span of noiseless columns: e1, e2 from columns in span{e1, e2}", () => {
    const cols = [
      [1, 0, 0, 0],
      [0, 2, 0, 0],
      [1, 1, 0, 0],
    ].map((c) => Float64Array.from(c));
    const rep = representationFromDirections(cols, 2, "normalised");
    expect(rep.ok).toBe(true);
    if (!rep.ok) return;
    expect(sinTheta(rep.basis, fromColumns([[1, 0, 0, 0], [0, 1, 0, 0]]))).toBeLessThan(1e-14);
    const gram = transposeTimes(rep.basis, rep.basis);
    expect(gram.data[0]).toBeCloseTo(1, 14);
    expect(gram.data[1]).toBeCloseTo(0, 14);
  });

  it("normalised columns e1, e2, (e1+e2)/sqrt2: M^T M has eigenvalues 2, 1, 0, so sigma = sqrt2, 1", () => {
    // M^T M = [[1,0,a],[0,1,a],[a,a,1]] with a = 1/sqrt2 has eigenvalues 1 and 1 +- 1.
    const cols = [
      [1, 0, 0],
      [0, 1, 0],
      [1, 1, 0],
    ].map((c) => Float64Array.from(c));
    const rep = representationFromDirections(cols, 2, "normalised");
    if (!rep.ok) throw new Error(rep.reason);
    expect(rep.singularValues[0]).toBeCloseTo(Math.sqrt(2), 12);
    expect(rep.singularValues[1]).toBeCloseTo(1, 12);
  });

  it("reports fewer than r kept tasks instead of producing NaN", () => {
    const rep = representationFromDirections([null, Float64Array.from([1, 0, 0]), null], 2, "normalised");
    expect(rep.ok).toBe(false);
    if (rep.ok) return;
    expect(rep.reason).toMatch(/only 1 of 3 tasks kept, fewer than r = 2/);
    expect(rep.keptTasks).toEqual([1]);
  });

  it("reports rank deficiency (two kept tasks with the same direction, r = 2)", () => {
    const rep = representationFromDirections([Float64Array.from([1, 1, 0]), Float64Array.from([2, 2, 0])], 2, "unnormalised");
    expect(rep.ok).toBe(false);
    if (!rep.ok) expect(rep.reason).toMatch(/rank < r = 2/);
  });
});

describe("the representation step remembers recent inputs (a pure function: a repeat returns the same result)", () => {
  it("bit-identical columns give back the very same result; a one-ulp change is a new decomposition", () => {
    const cols = () => [Float64Array.from([1, 0.5, 0, 0.25]), Float64Array.from([0, 1, 0.5, 0]), Float64Array.from([0.3, 0.2, 1, 0])];
    const a = representationFromDirections(cols(), 2, "unnormalised");
    const b = representationFromDirections(cols(), 2, "unnormalised");
    expect(b).toBe(a);
    const changed = cols();
    changed[2][0] = 0.30000000000000004;
    const c = representationFromDirections(changed, 2, "unnormalised");
    expect(c).not.toBe(a);
    // Different input, nearly the same span.
    if (!a.ok || !c.ok) throw new Error("rank deficient");
    expect(sinTheta(a.basis, c.basis)).toBeLessThan(1e-12);
    expect(representationFromDirections(cols(), 1, "unnormalised")).not.toBe(a);
  });

  it("MODEL §3.1: l2 training that drops no task builds standard training's M, so every number of the two methods is equal", () => {
    const family = createMixtureFamily();
    const config = family.parse({ scenario: { d: 60, s: 8, r: 2, T: 8, n: 30, n0: 10 }, sampler: "exact", methods: [{ label: "standard" }, { label: "l2", attack: "l2", eps: 0.05 }] });
    for (let k = 0; k < 5; k++) {
      const [standard, l2] = runMixtureReplicate(config, replicateRng(9, k));
      expect(l2.metrics.keptTasks).toBe(8);
      expect(l2.metrics).toEqual(standard.metrics);
    }
  });
});

describe("pseudoLabelStatistic (MODEL §3.3)", () => {
  it("pools labelled and weighted pseudo-labelled sums: (n v + w S) / (n + w m)", () => {
    const out = pseudoLabelStatistic(Float64Array.from([1, 2]), 4, Float64Array.from([10, -6]), 2, 0.5);
    // (4 * [1, 2] + 0.5 * [10, -6]) / (4 + 1) = [9, 5] / 5
    expect(Array.from(out)).toEqual([1.8, 1]);
  });
});

describe("fitTargetHead (MODEL §3.4)", () => {
  it("w = U^T v0 / ||U^T v0||, beta0 = U w, and null when U^T v0 = 0", () => {
    const u = fromColumns([[1, 0, 0], [0, 1, 0]]);
    const fit = fitTargetHead(u, Float64Array.from([3, 4, 7]));
    expect(fit).not.toBeNull();
    expect(Array.from(fit!.head)).toEqual([0.6, 0.8]);
    expect(Array.from(fit!.predictor)).toEqual([0.6, 0.8, 0]);
    expect(norm2(fit!.predictor)).toBeCloseTo(1, 15);
    expect(fitTargetHead(u, Float64Array.from([0, 0, 5]))).toBeNull();
  });
});
