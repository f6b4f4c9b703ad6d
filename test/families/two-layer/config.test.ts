import { describe, expect, it } from "vitest";
import { evaluationAttack } from "../../../src/families/two-layer/config.js";
import { TWO_LAYER_DEFAULT_EPS, trainingAttack, type TwoLayerTraining } from "../../../src/families/two-layer/estimators/jointTraining.js";
import { createTwoLayerFamily } from "../../../src/families/two-layer/family.js";
import { configErrorOf } from "../../errors.js";

const family = createTwoLayerFamily();
const parseTwoLayerConfig = (raw: unknown) => family.parse(raw);
/** The attack of a parsed method (its estimator is the built-in "joint-training"). */
const methodAttack = (m: { params: unknown }) => trainingAttack(m.params as TwoLayerTraining);
/** A parsed method as one flat object: label and parameters. */
const flat = (m: { label: string; params: unknown }) => ({ label: m.label, ...(m.params as object) });

const configError = (raw: unknown) => configErrorOf(() => parseTwoLayerConfig(raw));

describe("the two-layer config parser", () => {
  it("fills every default explicitly", () => {
    const c = parseTwoLayerConfig({});
    expect(c.scenario).toEqual({ d: 50, r: 4, s: 10, T: 20, n: 40, m: 100, n0: 20, activation: "relu", labels: "regression", sigma: 0.5, flip: 0.1, headNorm: 1 });
    expect(c.training).toEqual({ optimiser: "adam", steps: 300, learningRate: 0.05, initScale: 1 });
    expect(c.target).toEqual({ fit: "least-squares", headBound: 1 });
    expect(c.evaluation).toEqual({ testSize: 2000, attack: "linf", eps: 0.05, steps: 10 });
    expect(c.methods.map((m) => m.label)).toEqual(["standard", "linf", "l2", "ssl", "ssl+linf"]);
    expect(flat(c.methods[1])).toEqual({ label: "linf", attack: "linf", eps: TWO_LAYER_DEFAULT_EPS.linf, inner: "pgd", steps: 3, stepFactor: 2.5, randomStart: true, ssl: null });
    expect(methodAttack(c.methods[1])).toEqual({ kind: "pgd", norm: "linf", eps: 0.05, steps: 3, stepSize: (2.5 * 0.05) / 3, randomStart: true });
    expect(flat(c.methods[3])).toMatchObject({ label: "ssl", attack: "none", ssl: { weight: 1, teacher: "adversarial" } });
    expect(methodAttack(c.methods[3])).toBeNull();
    expect(evaluationAttack(c)).toEqual({ kind: "pgd", norm: "linf", eps: 0.05, steps: 10, stepSize: 0.0125, randomStart: false });
  });

  it("re-parses its own output to itself (the config echo is a valid config)", () => {
    const c = parseTwoLayerConfig({ methods: ["standard", "ssl+fgsm-l2", { attack: "linf", eps: 0.2, steps: 3, ssl: { teacher: "adversarial" } }] });
    expect(parseTwoLayerConfig(JSON.parse(JSON.stringify(family.echo(c))))).toEqual(c);
  });

  it("reads method shorthands, label-only objects and full objects", () => {
    const c = parseTwoLayerConfig({
      scenario: { labels: "classification" },
      methods: ["fgsm-l2", { label: "ssl+l2" }, { label: "mine" }, { label: "strong", attack: "linf", eps: 0.3, steps: 10 }, { attack: "l2", eps: 1, ssl: true }],
    });
    expect(c.target.fit).toBe("linear");
    expect(methodAttack(c.methods[0])).toEqual({ kind: "fgsm", norm: "l2", eps: 0.5, steps: 1, stepSize: 0.5, randomStart: false });
    expect(flat(c.methods[1])).toMatchObject({ attack: "l2", eps: 0.5, ssl: { weight: 1, teacher: "adversarial" } });
    expect(flat(c.methods[2])).toMatchObject({ label: "mine", attack: "none", ssl: null });
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

