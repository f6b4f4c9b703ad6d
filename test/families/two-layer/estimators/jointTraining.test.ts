import { describe, expect, it } from "vitest";
import { replicateRng } from "../../../../src/core/random/rng.js";
import type { TwoLayerTraining } from "../../../../src/families/two-layer/estimators/jointTraining.js";
import { lossAndGradient } from "../../../../src/families/two-layer/estimators/kernels.js";
import { predict } from "../../../../src/families/two-layer/estimators/network.js";
import { selectPseudoLabels } from "../../../../src/families/two-layer/estimators/pseudoLabel.js";
import type { TrainingResult } from "../../../../src/families/two-layer/estimators/train.js";
import { pooledTrainingData } from "../../../../src/families/two-layer/estimators/trainingData.js";
import { createTwoLayerFamily, drawTwoLayerReplicate, twoLayerFitInput } from "../../../../src/families/two-layer/family.js";
import { rowSpaceAngles } from "../../../../src/families/two-layer/metrics.js";

const family = createTwoLayerFamily();
const small = { scenario: { d: 12, s: 4, r: 2, T: 4, n: 30, m: 40, n0: 10 }, training: { steps: 60, tolerance: 0 }, evaluation: { testSize: 100 } };

/** Fits every method of a raw config on replicate (seed, k); one shared cache, as in a replicate. */
function fitAll(raw: object, seed = 1, k = 0) {
  const config = family.parse(raw);
  const rng = replicateRng(seed, k);
  const data = drawTwoLayerReplicate(config, rng);
  const input = twoLayerFitInput(config, data);
  const results = config.methods.map((m) => m.estimator.fit(input, m.params, rng) as TrainingResult | string);
  return { config, data, input, results };
}

function unlabelled(data: ReturnType<typeof drawTwoLayerReplicate>) {
  if (data.unlabelled === null) throw new Error("the config draws no unlabelled sample");
  return data.unlabelled;
}

describe("joint-training: restarts", () => {
  it("keeps the restart of lowest final objective; restart 0 is the shared start every method uses", () => {
    const { results } = fitAll({ ...small, methods: ["standard", { label: "r4", restarts: 4 }, { label: "r1", restarts: 1 }] });
    const [plain, best, one] = results as TrainingResult[];
    expect(one.net.params).toEqual(plain.net.params);
    expect(best.finalObjective).toBeLessThanOrEqual(plain.finalObjective);
    // Each restart on its own: the kept one is the minimum over them.
    const singles = [0, 1, 2, 3].map((k) => {
      const { results: r } = fitAll({ ...small, methods: [{ label: `r${k + 1}`, restarts: k + 1 }] });
      return (r[0] as TrainingResult).finalObjective;
    });
    expect(best.finalObjective).toBe(Math.min(...singles));
    for (let k = 1; k < 4; k++) expect(singles[k]).toBeLessThanOrEqual(singles[k - 1]);
  });
});

describe("joint-training: a start at the truth", () => {
  it("stays at W* for a noise-free regression teacher (zero loss, zero gradient, Adam does not move)", () => {
    const { results, data, input, config } = fitAll({ ...small, scenario: { ...small.scenario, sigma: 0 }, methods: [{ label: "truth", init: "truth" }] });
    const res = results[0] as TrainingResult;
    expect(res.finalLoss).toBe(0);
    expect(rowSpaceAngles(res.net.w, 2, 12, data.truth.bStar).sinTheta).toBeLessThan(1e-12);
    expect(lossAndGradient(res.net, input.labelled, config.scenario.activation, "squared", null)).toBe(0);
  });
});

describe("joint-training: pseudo-labelling", () => {
  it("labels the first ssl.m unlabelled samples of each task with the teacher's outputs (regression)", () => {
    const { data, results } = fitAll({ ...small, methods: ["standard", "ssl"] });
    const teacher = (results[0] as TrainingResult).net;
    const unl = unlabelled(data);
    const { rows } = selectPseudoLabels(teacher, "relu", "regression", unl, 25, null);
    expect(rows.count).toBe(4 * 25);
    const f = predict(teacher, "relu", unl.x, unl.task);
    for (let k = 0; k < rows.count; k++) {
      const t = Math.floor(k / 25);
      const i = t * 40 + (k % 25);
      expect(rows.task[k]).toBe(t);
      expect(rows.y[k]).toBe(f[i]);
      expect(Array.from(rows.x.subarray(k * 12, k * 12 + 12))).toEqual(Array.from(unl.x.subarray(i * 12, i * 12 + 12)));
    }
  });

  it("keeps a classification pseudo-label exactly when 1 / (1 + exp(-|f|)) >= threshold", () => {
    const raw = { ...small, scenario: { ...small.scenario, labels: "classification" }, methods: ["standard", "ssl"] };
    const { data, results } = fitAll(raw);
    const teacher = (results[0] as TrainingResult).net;
    const unl = unlabelled(data);
    const f = predict(teacher, "relu", unl.x, unl.task);
    for (const threshold of [0.5, 0.6, 0.8]) {
      const { rows } = selectPseudoLabels(teacher, "relu", "classification", unl, 40, threshold);
      const expected = Array.from(f).filter((v) => 1 / (1 + Math.exp(-Math.abs(v))) >= threshold);
      expect(rows.count).toBe(expected.length);
      expect(Array.from(rows.y)).toEqual(expected.map((v) => (v >= 0 ? 1 : -1)));
    }
  });

  it("regression: at the teacher the pooled gradient is n / (n + weight m) times the labelled one", () => {
    // The pseudo-labels are the teacher's outputs, so its pseudo-labelled residuals are 0 and the
    // pooled objective's gradient at the teacher is the labelled gradient scaled by the labelled
    // share of the weights: a teacher at a stationary point of the labelled loss is one of the
    // pooled loss (docs/TWO_LAYER.md, "Semi-supervised training").
    const { data, input, results } = fitAll({ ...small, methods: ["standard", "ssl"] });
    const teacher = (results[0] as TrainingResult).net;
    const unl = unlabelled(data);
    for (const weight of [1, 0.3]) {
      const { rows } = selectPseudoLabels(teacher, "relu", "regression", unl, 40, null);
      const pooled = pooledTrainingData(data.source, rows, weight);
      const gLab = new Float64Array(teacher.params.length);
      const gPool = new Float64Array(teacher.params.length);
      lossAndGradient(teacher, input.labelled, "relu", "squared", gLab);
      lossAndGradient(teacher, pooled, "relu", "squared", gPool);
      const share = 30 / (30 + weight * 40);
      for (let i = 0; i < gLab.length; i++) expect(gPool[i]).toBeCloseTo(share * gLab[i], 14);
    }
  });

  it("reports the share of pseudo-labels kept, and a fresh student starts elsewhere than the teacher", () => {
    const raw = {
      ...small,
      scenario: { ...small.scenario, labels: "classification" },
      methods: [{ label: "all", ssl: {} }, { label: "confident", ssl: { threshold: 0.7 } }, { label: "shared", ssl: { init: "shared", threshold: 0.7 } }],
    };
    const { results } = fitAll(raw);
    const [all, confident, shared] = results as TrainingResult[];
    expect(all.diagnostics?.pseudoLabelKept).toBe(1);
    const kept = confident.diagnostics?.pseudoLabelKept as number;
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThan(1);
    expect(shared.diagnostics?.pseudoLabelKept).toBe(kept);
    expect(shared.net.params).not.toEqual(confident.net.params);
  });

  it("trains the student at ssl.eps and the teacher at eps", () => {
    const { config } = fitAll({ ...small, methods: [{ label: "x", attack: "linf", eps: 0.1, ssl: { eps: 0.03 } }] });
    const p = config.methods[0].params as TwoLayerTraining;
    expect(p.eps).toBe(0.1);
    expect(p.ssl?.eps).toBe(0.03);
  });
});
