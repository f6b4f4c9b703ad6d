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
    expect(c.scenario).toEqual({ d: 50, r: 4, s: 10, T: 20, n: 200, m: 200, n0: 20, activation: "relu", labels: "regression", sigma: 0.5, flip: 0.1, headNorm: 1 });
    expect(c.training).toEqual({ optimiser: "adam", steps: 300, learningRate: 0.05, initScale: 1, tolerance: 1e-5 });
    expect(c.target).toEqual({ fit: "least-squares", headBound: 1 });
    expect(c.evaluation).toEqual({ testSize: 2000, attack: "linf", eps: 0.05, steps: 10 });
    expect(c.methods.map((m) => m.label)).toEqual(["standard", "linf", "l2", "ssl", "ssl+linf"]);
    expect(flat(c.methods[1])).toEqual({
      label: "linf",
      attack: "linf",
      eps: TWO_LAYER_DEFAULT_EPS.linf,
      inner: "pgd",
      steps: 3,
      stepFactor: 2.5,
      randomStart: true,
      ssl: null,
      penalty: { l1: 0, groupLasso: 0, weightDecay: 0, inputL1: 0 },
      maxSteps: null,
      restarts: 1,
      init: "random",
    });
    expect(methodAttack(c.methods[1])).toEqual({ kind: "pgd", norm: "linf", eps: 0.05, steps: 3, stepSize: (2.5 * 0.05) / 3, randomStart: true });
    // ssl.m defaults to scenario.m; the regression scenario has no confidence threshold.
    expect(flat(c.methods[3])).toMatchObject({ label: "ssl", attack: "none", ssl: { m: 200, eps: 0, weight: 1, teacher: "adversarial", init: "fresh", threshold: null } });
    // The student's radius: eps sqrt(n / (n + weight m)) = 0.05 sqrt(200 / 400), as in the mixture family.
    expect((c.methods[4].params as TwoLayerTraining).ssl?.eps).toBeCloseTo(0.05 * Math.sqrt(200 / 400), 15);
    expect(methodAttack(c.methods[3])).toBeNull();
    expect(evaluationAttack(c)).toEqual({ kind: "pgd", norm: "linf", eps: 0.05, steps: 10, stepSize: 0.0125, randomStart: false });
  });

  it("reads a named scenario: the preset's keys, then the explicit ones; the echo spells every key out", () => {
    const c = parseTwoLayerConfig({ scenario: { preset: "noise-fitting", T: 10 } });
    expect(c.scenario).toMatchObject({ n: 40, m: 100, T: 10, d: 50 });
    expect(parseTwoLayerConfig({ scenario: { preset: "noise-fitting", n: 80 } }).scenario).toMatchObject({ n: 80, m: 100 });
    const echoed = JSON.parse(JSON.stringify(family.echo(c)));
    expect(echoed.scenario.preset).toBeUndefined();
    expect(parseTwoLayerConfig(echoed)).toEqual(c);
  });

  it("re-parses its own output to itself (the config echo is a valid config)", () => {
    for (const labels of ["regression", "classification"]) {
      const c = parseTwoLayerConfig({
        scenario: { labels },
        methods: [
          "standard",
          "ssl+fgsm-l2",
          { attack: "linf", eps: 0.2, steps: 3, ssl: { teacher: "adversarial", m: 30, init: "shared" } },
          { l1: 0.01, restarts: 3 },
          { groupLasso: 0.02, maxSteps: 50 },
          { weightDecay: 1e-3, init: "truth" },
          { attack: "linf", eps: 0 },
        ],
      });
      expect(parseTwoLayerConfig(JSON.parse(JSON.stringify(family.echo(c))))).toEqual(c);
    }
  });

  it("reads method shorthands, label-only objects and full objects", () => {
    const c = parseTwoLayerConfig({
      scenario: { labels: "classification" },
      methods: ["fgsm-l2", { label: "ssl+l2" }, { label: "mine" }, { label: "strong", attack: "linf", eps: 0.3, steps: 10 }, { attack: "l2", eps: 1, ssl: true }],
    });
    expect(c.target.fit).toBe("linear");
    expect(methodAttack(c.methods[0])).toEqual({ kind: "fgsm", norm: "l2", eps: 0.5, steps: 1, stepSize: 0.5, randomStart: false });
    expect(flat(c.methods[1])).toMatchObject({ attack: "l2", eps: 0.5, ssl: { m: 200, weight: 1, teacher: "adversarial", threshold: 0.5 } });
    expect(flat(c.methods[2])).toMatchObject({ label: "mine", attack: "none", ssl: null });
    expect(methodAttack(c.methods[3])).toEqual({ kind: "pgd", norm: "linf", eps: 0.3, steps: 10, stepSize: 0.075, randomStart: true });
    expect(c.methods[4].label).toBe(`ssl+l2(1/${Number(Math.sqrt(200 / 400).toPrecision(4))})`);
  });

  it("speaks the mixture family's vocabulary: attack, eps, ssl.m, ssl.eps, ssl.weight", () => {
    const c = parseTwoLayerConfig({
      methods: [
        { label: "a", attack: "linf", eps: 0.1, ssl: { m: 50, eps: 0.04, weight: 0.5 } },
        { label: "b", attack: "linf", eps: 0.1, ssl: { m: 50, weight: 0.5 } },
        { label: "c", attack: "linf", eps: 0 },
      ],
    });
    expect((c.methods[0].params as TwoLayerTraining).ssl).toMatchObject({ m: 50, eps: 0.04, weight: 0.5 });
    // Default student radius eps sqrt(n / (n + weight m)) with n = 200, weight 0.5, m = 50.
    expect((c.methods[1].params as TwoLayerTraining).ssl?.eps).toBeCloseTo(0.1 * Math.sqrt(200 / 225), 15);
    // eps = 0 with an attack is standard training, as in the mixture family.
    expect(methodAttack(c.methods[2])).toBeNull();
  });

  it("labels the controls by their parameters", () => {
    const c = parseTwoLayerConfig({ methods: [{ l1: 0.01 }, { groupLasso: 0.02 }, { weightDecay: 0.001 }, { maxSteps: 80 }, { restarts: 4 }, { init: "truth" }, { attack: "linf", eps: 0.1, l1: 0.01, restarts: 2 }] });
    expect(c.methods.map((m) => m.label)).toEqual(["l1(0.01)", "group-lasso(0.02)", "wd(0.001)", "stop(80)", "standard+restarts(4)", "standard+init(truth)", "linf(0.1)+l1(0.01)+restarts(2)"]);
  });

  it("rejects bad input with the field, the value and the allowed range", () => {
    const cases: [unknown, string, RegExp][] = [
      [{ dd: 3 }, "dd", /unknown key/],
      [{ scenario: { d: 0 } }, "scenario.d", /integer in \[1/],
      [{ scenario: { r: 8, s: 5 } }, "scenario.r", /\[1, s = 5\]/],
      [{ scenario: { s: 60 } }, "scenario.s", /\[1, d = 50\]/],
      [{ scenario: { flip: 0.5, labels: "classification" } }, "scenario.flip", /\[0, 0.5\)/],
      [{ scenario: { activation: "gelu" } }, "scenario.activation", /"relu"/],
      [{ scenario: { n0: 3 } }, "scenario.n0", /\[r = 4,/],
      [{ scenario: { preset: "small" } }, "scenario.preset", /"noise-fitting"/],
      [{ target: { fit: "linear" } }, "target.fit", /regression/],
      [{ scenario: { labels: "classification" }, target: { fit: "least-squares" } }, "target.fit", /classification/],
      [{ scenario: { m: 0 } }, "scenario.m", /pseudo-labels/],
      [{ methods: ["pgd-1"] }, "methods[0]", /standard/],
      [{ methods: [] }, "methods", /at least 1/],
      [{ methods: ["standard", { label: "standard" }] }, "methods[1].label", /unique/],
      [{ methods: [{ attack: "linf", eps: -1 }] }, "methods[0].eps", />= 0/],
      [{ methods: [{ eps: 0.1 }] }, "methods[0].eps", /needs "attack"/],
      [{ methods: [{ attack: "linf", inner: "fgsm", steps: 4 }] }, "methods[0].steps", /FGSM/],
      [{ methods: [{ attack: "l2", ssl: { m: 201 } }] }, "methods[0].ssl.m", /\[1, scenario.m = 200\]/],
      [{ methods: [{ attack: "l2", ssl: { rounds: 2 } }] }, "methods[0].ssl.rounds", /unknown key/],
      [{ methods: [{ ssl: { eps: 0.1 } }] }, "methods[0].ssl.eps", /needs "attack"/],
      [{ methods: [{ ssl: { threshold: 0.8 } }] }, "methods[0].ssl.threshold", /classification labels only/],
      [{ scenario: { labels: "classification" }, methods: [{ ssl: { threshold: 1 } }] }, "methods[0].ssl.threshold", /\[0.5, 1\)/],
      [{ methods: [{ l1: -0.1 }] }, "methods[0].l1", />= 0/],
      [{ methods: [{ maxSteps: 0 }] }, "methods[0].maxSteps", /\[1, /],
      [{ methods: [{ restarts: 3, init: "truth" }] }, "methods[0].restarts", /"init": "truth"/],
      [{ methods: [{ init: "truth", ssl: {} }] }, "methods[0].init", /pseudo-labelling/],
      [{ training: { tolerance: -1 } }, "training.tolerance", /\[0, 1\]/],
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

