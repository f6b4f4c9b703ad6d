import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { norm2 } from "../../../../src/core/linalg/mat.js";
import type { AttackChoice as Attack } from "../../../../src/core/model/perturbation.js";
import { adversarialObjective, ruleStep } from "../../../../src/families/mixture/estimators/perTaskRule.js";
import { createPerTaskRules, ruleForAttack } from "../../../../src/families/mixture/estimators/perTaskRules.js";
import { softThreshold } from "../../../../src/families/mixture/estimators/rules/linf.js";
import { Rng } from "../../../../src/core/random/rng.js";
import { gaussianVector, seedArb } from "../../../arbitraries.js";

const rules = createPerTaskRules();

/** The built-in attack rule's beta_t (MODEL §3.1): null for a dropped task. */
function perTaskStep(v: Float64Array, attack: Attack, eps: number): Float64Array | null {
  return ruleStep({ rule: ruleForAttack(rules, attack, "attack"), params: attack === "none" ? {} : { eps } }, v);
}

/** A random point of the unit l2 ball: a Gaussian direction with a radius uniform in volume. */
function randomFeasible(d: number, rng: Rng): Float64Array {
  const b = rng.fillNormal(new Float64Array(d));
  const scale = Math.pow(rng.uniform(), 1 / d) / norm2(b);
  return b.map((x) => x * scale);
}

describe("softThreshold", () => {
  it("matches hand-worked values", () => {
    expect(Array.from(softThreshold([3, -0.5, 0.5, -2, 0], 1))).toEqual([2, 0, 0, -1, 0]);
    expect(Array.from(softThreshold([1, -1], 1))).toEqual([0, 0]);
  });
});

describe("the attack rules standard, l2, linf (MODEL §3.1 closed forms)", () => {
  const attacks: Attack[] = ["none", "l2", "linf"];

  it("beats every random feasible beta on the adversarial objective (and sharp perturbations of itself)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 30 }),
        seedArb,
        fc.constantFrom(...attacks),
        fc.double({ min: 0, max: 1.5, noNaN: true }),
        (d, seed, attack, eps) => {
          const v = gaussianVector(d, seed, 0.5);
          const beta = perTaskStep(v, attack, eps) ?? new Float64Array(d);
          const best = adversarialObjective(beta, v, attack, eps);
          const rng = new Rng(`feasible:${seed}`);
          for (let k = 0; k < 50; k++) {
            const b = randomFeasible(d, rng);
            expect(best).toBeLessThanOrEqual(adversarialObjective(b, v, attack, eps) + 1e-12);
          }
          // Local perturbations projected back to the unit ball cannot improve either.
          for (let k = 0; k < 20; k++) {
            const b = beta.map((x: number) => x + 1e-3 * rng.normal());
            const len = norm2(b);
            if (len > 1) for (let i = 0; i < d; i++) b[i] /= len;
            expect(best).toBeLessThanOrEqual(adversarialObjective(b, v, attack, eps) + 1e-12);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it("l2 training never changes a kept task's direction, and drops exactly the tasks with ||v|| <= eps", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 30 }), seedArb, fc.double({ min: 0, max: 3, noNaN: true }), (d, seed, eps) => {
        const v = gaussianVector(d, seed, 0.3);
        const adv = perTaskStep(v, "l2", eps);
        const std = perTaskStep(v, "none", 0) as Float64Array;
        if (norm2(v) > eps) {
          expect(adv).not.toBeNull();
          for (let i = 0; i < d; i++) expect((adv as Float64Array)[i]).toBe(std[i]);
        } else expect(adv).toBeNull();
      }),
    );
  });

  it("l-inf: the solution is S_eps(v) normalised, zero exactly when ||v||_inf <= eps", () => {
    const v = Float64Array.from([0.9, -0.2, 0.5]);
    const b = perTaskStep(v, "linf", 0.3) as Float64Array;
    // S_0.3(v) = (0.6, 0, 0.2), norm sqrt(0.4).
    const len = Math.sqrt(0.36 + 0.04);
    expect(Array.from(b)).toEqual([0.6 / len, 0, 0.2 / len].map((x) => expect.closeTo(x, 14)));
    expect(perTaskStep(v, "linf", 0.9)).toBeNull();
    expect(perTaskStep(v, "linf", 0.89)).not.toBeNull();
  });

  it("a zero statistic is a dropped task for every attack (no NaN)", () => {
    for (const attack of attacks) expect(perTaskStep(new Float64Array(4), attack, 0)).toBeNull();
  });
});
