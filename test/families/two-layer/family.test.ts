import { describe, expect, it } from "vitest";
import { replicateRng } from "../../../src/core/random/rng.js";
import { createTwoLayerFamily } from "../../../src/families/two-layer/family.js";

const twoLayerFamily = createTwoLayerFamily();

const small = {
  scenario: { d: 12, s: 4, r: 2, T: 4, n: 20, m: 20, n0: 10 },
  training: { steps: 40 },
  evaluation: { testSize: 200 },
  methods: ["standard", "linf", "fgsm-l2", "ssl", "ssl+linf"],
};

describe("twoLayerFamily", () => {
  it("runs every method of a regression config with finite metrics, in order", () => {
    const config = twoLayerFamily.parse(small);
    expect(twoLayerFamily.methodLabels(config)).toEqual(small.methods);
    const out = twoLayerFamily.runReplicate(config, replicateRng(7, 0));
    expect(out.map((o) => o.method)).toEqual(small.methods);
    for (const o of out) {
      expect(o.ok).toBe(true);
      for (const key of ["sinTheta", "sinThetaFrobenius", "targetExcess", "targetExcessSE", "robustExcessLinf", "robustExcessLinfSE", "sourceLoss", "lossAtTruth", "lossGap", "unitCollapse", "trainingSteps"]) {
        expect(Number.isFinite(o.metrics[key])).toBe(true);
      }
      expect(o.metrics.lossGap).toBeCloseTo(o.metrics.sourceLoss - o.metrics.lossAtTruth, 14);
      expect(o.metrics.unitCollapse).toBeGreaterThanOrEqual(0);
      expect(o.metrics.unitCollapse).toBeLessThanOrEqual(1);
      expect(o.metrics.trainingSteps).toBeLessThanOrEqual(40);
      expect("pseudoLabelKept" in o.metrics).toBe(o.method.startsWith("ssl"));
      expect(o.metrics.sinTheta).toBeGreaterThanOrEqual(0);
      expect(o.metrics.sinTheta).toBeLessThanOrEqual(1);
      // A robust risk is a supremum over a ball containing the clean point (no random start).
      expect(o.metrics.robustExcessLinf).toBeGreaterThanOrEqual(o.metrics.targetExcess);
    }
  });

  it("is a function of (config, seed, replicate)", () => {
    const config = twoLayerFamily.parse({ ...small, methods: ["standard", "l2"] });
    const a = twoLayerFamily.runReplicate(config, replicateRng(3, 1));
    const b = twoLayerFamily.runReplicate(config, replicateRng(3, 1));
    const c = twoLayerFamily.runReplicate(config, replicateRng(3, 2));
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  it("gives a method the same result whatever other methods run (named streams)", () => {
    const both = twoLayerFamily.runReplicate(twoLayerFamily.parse({ ...small, methods: ["standard", "linf"] }), replicateRng(5, 0));
    const alone = twoLayerFamily.runReplicate(twoLayerFamily.parse({ ...small, methods: ["linf"] }), replicateRng(5, 0));
    expect(alone[0]).toEqual(both[1]);
  });

  it("reports classification metrics with the excess 0-1 risk (1 - 2 rho) times the clean error", () => {
    const config = twoLayerFamily.parse({ ...small, scenario: { ...small.scenario, labels: "classification", flip: 0.1 }, target: { fit: "logistic" } });
    for (const o of twoLayerFamily.runReplicate(config, replicateRng(11, 0))) {
      expect(o.ok).toBe(true);
      expect(o.metrics.targetExcess).toBeCloseTo(0.8 * o.metrics.targetError, 14);
      expect(o.metrics.robustErrorLinf).toBeGreaterThanOrEqual(o.metrics.targetError);
    }
  });

  it("reports a diverging method as failed, with the reason", () => {
    const config = twoLayerFamily.parse({ ...small, scenario: { ...small.scenario, activation: "quadratic" }, training: { optimiser: "gd", steps: 100, learningRate: 80 }, methods: ["standard", "ssl"] });
    const out = twoLayerFamily.runReplicate(config, replicateRng(1, 0));
    expect(out[0].ok).toBe(false);
    expect(out[0].reason).toMatch(/diverged/);
    expect(out[1].ok).toBe(false);
    expect(out[1].reason).toMatch(/teacher training failed/);
  });
});
