/** The mixture config and method parsers: estimators own their keys, the echo parses back, labels encode the method. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createMixtureFamily } from "../../../src/families/mixture/family.js";
import { configErrorOf } from "../../errors.js";

const family = createMixtureFamily();
const scenario = { d: 60, s: 8, r: 2, T: 6, n: 20, m: 50, n0: 10 };
const parse = (methods: unknown[], extra: Record<string, unknown> = {}) => family.parse({ scenario, methods, ...extra });

const error = configErrorOf;

describe("parseMixtureMethod", () => {
  it("picks the estimator from the keys and builds the default labels", () => {
    const c = parse([{}, { attack: "linf", eps: 0.3 }, { attack: "l2", eps: 0.5, columns: "unnormalised" }, { ssl: {} }, { attack: "linf", eps: 0.3, ssl: { m: 40 } }, { estimator: "joint-erm" }]);
    expect(c.methods.map((m) => m.label)).toEqual(["standard", "linf(0.3)", "l2(0.5)[unnormalised]", "ssl(m=50)", "ssl(m=40)+linf(0.3/0.1732)", "joint-erm"]);
    expect(c.methods.map((m) => m.estimator.name)).toEqual(["supervised", "supervised", "supervised", "pseudo-label", "pseudo-label", "joint-erm"]);
  });

  it("lets each estimator refuse the keys it does not own, naming the field", () => {
    expect(error(() => parse([{ eps: 0.1 }])).field).toBe("methods[0].eps");
    expect(error(() => parse([{ attack: "linf" }])).field).toBe("methods[0].eps");
    expect(error(() => parse([{ attack: "linf", eps: 0.1, k: 3 }])).message).toMatch(/methods\[0\]\.k = 3: unknown key; allowed keys: attack, rule, columns, eps/);
    expect(error(() => parse([{ estimator: "supervised", ssl: {} }])).field).toBe("methods[0].estimator");
    expect(error(() => parse([{ estimator: "pseudo-label" }])).field).toBe("methods[0].estimator");
    expect(error(() => parse([{ estimator: "joint-erm", attack: "l2", eps: 1 }])).field).toBe("methods[0].attack");
    expect(error(() => parse([{ estimator: "deep" }])).message).toMatch(/methods\[0\]\.estimator = "deep": must be one of "supervised", "pseudo-label", "joint-erm"/);
    expect(error(() => parse([{ rule: "linf", attack: "l2", eps: 0.1 }])).field).toBe("methods[0].attack");
    expect(error(() => parse([{ rule: "nope" }])).field).toBe("methods[0].rule");
  });

  it("selects a rule by name or by attack, the same rule either way", () => {
    const c = parse([{ label: "a", attack: "linf", eps: 0.2 }, { label: "b", rule: "linf", eps: 0.2 }]);
    expect(c.methods[0].params).toEqual(c.methods[1].params);
  });

  it("echoes every method so that it parses back to itself (property, over random methods)", () => {
    const method = fc.record(
      {
        attack: fc.constantFrom("none", "l2", "linf"),
        eps: fc.oneof(
          fc.double({ min: 0, max: 2, noNaN: true }),
          fc.record({ tau: fc.double({ min: 0, max: 5, noNaN: true }) }),
          fc.record({ epsDelta: fc.double({ min: 0, max: 2, noNaN: true }), delta: fc.double({ min: 0.001, max: 0.999, noNaN: true }) }),
        ),
        columns: fc.constantFrom("normalised", "unnormalised"),
        ssl: fc.option(fc.record({ m: fc.integer({ min: 1, max: 100 }), weight: fc.double({ min: 0.01, max: 5, noNaN: true }) }), { nil: undefined }),
      },
      { requiredKeys: ["attack", "eps"] },
    ).map((m) => (m.attack === "none" ? { ...m, eps: undefined } : m));
    fc.assert(
      fc.property(fc.array(method, { minLength: 1, maxLength: 4 }), (methods) => {
        const raw = methods.map((m, i) => ({ label: `m${i}`, ...JSON.parse(JSON.stringify(m)) }));
        const c = parse(raw);
        const echo = family.echo(c);
        expect(family.parse(JSON.parse(JSON.stringify(echo)))).toEqual(c);
      }),
      { numRuns: 100 },
    );
  });

  it("takes radii in natural units: multiples of tau = sigma / sqrt(n) or of B3's eps(delta), kept in the echo and the label", () => {
    // MODEL §7's scenario: tau = 1 / sqrt(40); eps(0.05) = 0.8018 (theory/linfRadius.ts example).
    const c = family.parse({ methods: [{ label: "a", attack: "linf", eps: { tau: 2 } }, { label: "b", attack: "linf", eps: { epsDelta: 0.5, delta: 0.05 } }, { attack: "linf", eps: { tau: 1.5 } }] });
    const eps = c.methods.map((m) => (m.params as { rule: { params: { eps: number } } }).rule.params.eps);
    expect(eps[0]).toBeCloseTo(2 / Math.sqrt(40), 15);
    expect(eps[1]).toBeCloseTo(0.5 * 0.8018, 4);
    expect(c.methods[2].label).toBe("linf(1.5tau)");
    expect(family.echo(c).methods).toMatchObject([{ eps: { tau: 2 } }, { eps: { epsDelta: 0.5, delta: 0.05 } }, { eps: { tau: 1.5 } }]);
    // The default delta is 0.1; a student keeps the teacher's multiple at n + weight m samples.
    const d = family.parse({ scenario: { m: 160 }, methods: [{ label: "s", attack: "linf", eps: { epsDelta: 1 }, ssl: {} }] });
    const student = (d.methods[0].params as { student: { params: { eps: number; unit: unknown } } }).student.params;
    expect(student.unit).toEqual({ kind: "epsDelta", times: 1, delta: 0.1 });
    const teacher = (d.methods[0].params as { rule: { params: { eps: number } } }).rule.params.eps;
    expect(student.eps).toBeCloseTo(teacher * Math.sqrt(40 / 200), 14);
  });

  it("refuses radii in units that are not one of the two, with one line naming the field", () => {
    expect(error(() => parse([{ attack: "linf", eps: { tau: 1, epsDelta: 1 } }])).field).toBe("methods[0].eps");
    expect(error(() => parse([{ attack: "linf", eps: {} }])).field).toBe("methods[0].eps");
    expect(error(() => parse([{ attack: "linf", eps: { tau: -1 } }])).field).toBe("methods[0].eps.tau");
    expect(error(() => parse([{ attack: "linf", eps: { tau: 1, delta: 0.1 } }])).field).toBe("methods[0].eps.delta");
    expect(error(() => parse([{ attack: "linf", eps: { epsDelta: 1, delta: 1 } }])).field).toBe("methods[0].eps.delta");
    expect(error(() => parse([{ attack: "linf", eps: { sigma: 1 } }])).message).toMatch(/methods\[0\]\.eps\.sigma = 1: unknown key/);
    expect(error(() => parse([{ attack: "linf", eps: "2tau" }])).message).toMatch(/must be a number >= 0, \{"tau": k\}/);
  });

  it("parses bound-check options under evaluation.bounds and echoes them", () => {
    const c = parse([{}], { evaluation: { eps: 0.2, bounds: { t: 2 } } });
    expect(c.evaluation).toEqual({ eps: 0.2, bounds: { t: 2, kappaDelta: 0.05 }, limits: false });
    expect(error(() => parse([{}], { evaluation: { bounds: { t: -1 } } })).field).toBe("evaluation.bounds.t");
  });
  it("parses evaluation.limits (an object without keys yet) and echoes it", () => {
    expect(parse([{}], { evaluation: { limits: {} } }).evaluation.limits).toBe(true);
    expect(error(() => parse([{}], { evaluation: { limits: true } })).field).toBe("evaluation.limits");
    expect(error(() => parse([{}], { evaluation: { limits: { variant: "x" } } })).message).toMatch(/evaluation\.limits/);
  });
});
