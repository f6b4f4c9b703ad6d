import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { Rng } from "../../../src/core/random/rng.js";
import { ConfigError } from "../../../src/core/config/parse.js";
import { transposeTimes } from "../../../src/core/linalg/mat.js";
import {
  drawTwoLayerTruth,
  evaluationAttack,
  methodAttack,
  parseTwoLayerConfig,
  sampleTwoLayer,
  teacherOutput,
  TWO_LAYER_DEFAULT_EPS,
} from "../../../src/families/two-layer/scenario.js";

function configError(raw: unknown): ConfigError {
  try {
    parseTwoLayerConfig(raw);
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error("no ConfigError");
}

describe("parseTwoLayerConfig", () => {
  it("fills every default explicitly", () => {
    const c = parseTwoLayerConfig({});
    expect(c.scenario).toEqual({ d: 50, r: 4, s: 10, T: 20, n: 40, m: 100, n0: 20, activation: "relu", labels: "regression", sigma: 0.5, flip: 0.1, headNorm: 1 });
    expect(c.training).toEqual({ optimiser: "adam", steps: 300, learningRate: 0.05, initScale: 1 });
    expect(c.target).toEqual({ fit: "least-squares", headBound: 1 });
    expect(c.evaluation).toEqual({ testSize: 2000, attack: "linf", eps: 0.05, steps: 10 });
    expect(c.methods.map((m) => m.label)).toEqual(["standard", "linf", "l2", "ssl", "ssl+linf"]);
    expect(c.methods[1]).toEqual({ label: "linf", attack: "linf", eps: TWO_LAYER_DEFAULT_EPS.linf, inner: "pgd", steps: 3, stepFactor: 2.5, randomStart: true, ssl: null });
    expect(methodAttack(c.methods[1])).toEqual({ kind: "pgd", norm: "linf", eps: 0.05, steps: 3, stepSize: (2.5 * 0.05) / 3, randomStart: true });
    expect(c.methods[3]).toMatchObject({ label: "ssl", attack: "none", ssl: { weight: 1, teacher: "adversarial" } });
    expect(methodAttack(c.methods[3])).toBeNull();
    expect(evaluationAttack(c)).toEqual({ kind: "pgd", norm: "linf", eps: 0.05, steps: 10, stepSize: 0.0125, randomStart: false });
  });

  it("re-parses its own output to itself (the config echo is a valid config)", () => {
    const c = parseTwoLayerConfig({ methods: ["standard", "ssl+fgsm-l2", { attack: "linf", eps: 0.2, steps: 3, ssl: { teacher: "adversarial" } }] });
    expect(parseTwoLayerConfig(JSON.parse(JSON.stringify(c)))).toEqual(c);
  });

  it("reads method shorthands, label-only objects and full objects", () => {
    const c = parseTwoLayerConfig({
      scenario: { labels: "classification" },
      methods: ["fgsm-l2", { label: "ssl+l2" }, { label: "mine" }, { label: "strong", attack: "linf", eps: 0.3, steps: 10 }, { attack: "l2", eps: 1, ssl: true }],
    });
    expect(c.target.fit).toBe("linear");
    expect(methodAttack(c.methods[0])).toEqual({ kind: "fgsm", norm: "l2", eps: 0.5, steps: 1, stepSize: 0.5, randomStart: false });
    expect(c.methods[1]).toMatchObject({ attack: "l2", eps: 0.5, ssl: { weight: 1, teacher: "adversarial" } });
    expect(c.methods[2]).toMatchObject({ label: "mine", attack: "none", ssl: null });
    expect(methodAttack(c.methods[3])).toEqual({ kind: "pgd", norm: "linf", eps: 0.3, steps: 10, stepSize: 0.075, randomStart: true });
    expect(c.methods[4].label).toBe("ssl+l2(1)");
  });

  it("rejects bad input with the field, the value and the allowed range", () => {
    const cases: [unknown, string, RegExp][] = [
      [{ dd: 3 }, "dd", /unknown key/],
      [{ scenario: { d: 0 } }, "scenario.d", /integer in \[1/],
      [{ scenario: { r: 8, s: 5 } }, "scenario.r", /\[1, s = 5\]/],
      [{ scenario: { s: 60 } }, "scenario.s", /\[1, 50\]/],
      [{ scenario: { flip: 0.5, labels: "classification" } }, "scenario.flip", /\[0, 0.5\)/],
      [{ scenario: { activation: "gelu" } }, "scenario.activation", /"relu"/],
      [{ scenario: { n0: 3 } }, "scenario.n0", /\[4,/],
      [{ target: { fit: "linear" } }, "target.fit", /regression/],
      [{ scenario: { labels: "classification" }, target: { fit: "least-squares" } }, "target.fit", /classification/],
      [{ scenario: { m: 0 } }, "scenario.m", /pseudo-labels/],
      [{ methods: ["pgd-1"] }, "methods[0]", /standard/],
      [{ methods: [] }, "methods", /at least 1/],
      [{ methods: ["standard", { label: "standard" }] }, "methods[1].label", /unique/],
      [{ methods: [{ attack: "linf", eps: -1 }] }, "methods[0].eps", /> 0/],
      [{ methods: [{ eps: 0.1 }] }, "methods[0].eps", /needs "attack"/],
      [{ methods: [{ attack: "linf", inner: "fgsm", steps: 4 }] }, "methods[0].steps", /FGSM/],
      [{ methods: [{ attack: "l2", ssl: { m: 5 } }] }, "methods[0].ssl.m", /unknown key/],
      [{ training: { learningRate: 0 } }, "training.learningRate", /\(0, 100\]/],
      [{ evaluation: { attack: "l1" } }, "evaluation.attack", /"linf"/],
      [{ scenario: { d: 100000, T: 1000, s: 10 } }, "scenario.d", /<= 20000000/],
    ];
    for (const [raw, field, allowed] of cases) {
      const e = configError(raw);
      expect(e.field).toBe(field);
      expect(e.message).toMatch(allowed);
    }
  });
});

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
