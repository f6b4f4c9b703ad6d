import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { Rng } from "../../../src/core/random/rng.js";
import { transposeTimes } from "../../../src/core/linalg/mat.js";
import { drawTwoLayerTruth, sampleTwoLayer, teacherOutput } from "../../../src/families/two-layer/scenario.js";

describe("drawTwoLayerTruth", () => {
  it("has orthonormal columns supported on s rows and heads of the given norm", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 10 }), fc.nat(), (r, extraS, extraD, seed) => {
        const s = r + extraS;
        const d = s + extraD;
        const truth = drawTwoLayerTruth({ d, r, T: 3, s, headNorm: 1.7 }, new Rng(`truth-${seed}`));
        const g = transposeTimes(truth.bStar, truth.bStar);
        for (let i = 0; i < r; i++) for (let j = 0; j < r; j++) expect(g.data[i + j * r]).toBeCloseTo(i === j ? 1 : 0, 12);
        expect(truth.support.length).toBe(s);
        const inS = new Set(truth.support);
        for (let j = 0; j < d; j++) if (!inS.has(j)) for (let k = 0; k < r; k++) expect(truth.bStar.data[j + k * d]).toBe(0);
        for (let t = 0; t < 3; t++) expect(Math.hypot(...truth.sourceHeads.subarray(t * r, (t + 1) * r))).toBeCloseTo(1.7, 12);
        expect(Math.hypot(...truth.targetHead)).toBeCloseTo(1.7, 12);
      }),
      { numRuns: 50 },
    );
  });
});

describe("sampleTwoLayer", () => {
  const truth = drawTwoLayerTruth({ d: 8, r: 2, T: 2, s: 4, headNorm: 1 }, new Rng("sample-truth"));

  it("computes the teacher output <w_t, phi(W* x)> of each row", () => {
    const s = sampleTwoLayer(truth, "tanh", truth.sourceHeads, 5, { kind: "regression", sigma: 0 }, new Rng("teacher"));
    for (let i = 0; i < s.count; i++) {
      const t = s.task[i];
      expect(t).toBe(Math.floor(i / 5));
      let f = 0;
      for (let k = 0; k < 2; k++) {
        let h = 0;
        for (let j = 0; j < 8; j++) h += truth.bStar.data[j + k * 8] * s.x[i * 8 + j];
        f += truth.sourceHeads[t * 2 + k] * Math.tanh(h);
      }
      expect(s.clean[i]).toBeCloseTo(f, 12);
      expect(s.y[i]).toBe(s.clean[i]);
      expect(teacherOutput(truth, "tanh", truth.sourceHeads.subarray(t * 2, t * 2 + 2), s.x, i * 8)).toBe(s.clean[i]);
    }
  });

  it("adds N(0, sigma^2) label noise (variance within 5 SE)", () => {
    const s = sampleTwoLayer(truth, "relu", truth.sourceHeads, 20000, { kind: "regression", sigma: 0.5 }, new Rng("noise"));
    let ss = 0;
    for (let i = 0; i < s.count; i++) ss += (s.y[i] - s.clean[i]) ** 2;
    // The mean of xi^2 has SD sigma^2 sqrt(2 / N).
    expect(Math.abs(ss / s.count - 0.25)).toBeLessThan(5 * 0.25 * Math.sqrt(2 / s.count));
  });

  it("flips classification labels at rate rho (within 5 SE)", () => {
    const s = sampleTwoLayer(truth, "quadratic", truth.sourceHeads, 20000, { kind: "classification", flip: 0.2 }, new Rng("flip"));
    let flips = 0;
    for (let i = 0; i < s.count; i++) {
      expect(Math.abs(s.y[i])).toBe(1);
      if (s.y[i] !== (s.clean[i] >= 0 ? 1 : -1)) flips++;
    }
    expect(Math.abs(flips / s.count - 0.2)).toBeLessThan(5 * Math.sqrt((0.2 * 0.8) / s.count));
  });
});
