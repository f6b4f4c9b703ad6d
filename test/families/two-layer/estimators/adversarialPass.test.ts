import { describe, expect, it } from "vitest";
import { Rng } from "../../../../src/core/random/rng.js";
import { ACTIVATIONS } from "../../../../src/families/two-layer/activation.js";
import { adversarialBlock, adversarialLossAndGradient, adversarialWorkspace } from "../../../../src/families/two-layer/estimators/adversarialPass.js";
import { attackInputs } from "../../../../src/families/two-layer/estimators/attack.js";
import type { TwoLayerAttack } from "../../../../src/families/two-layer/estimators/jointTraining.js";
import { featureMajor, lossAndGradient, type TrainingData } from "../../../../src/families/two-layer/estimators/kernels.js";
import { initialNetwork, type TwoLayerLoss } from "../../../../src/families/two-layer/estimators/network.js";
import { ALPHA, ksCritical, ksStatistic } from "../../../statistics.js";

function instance(seed: string, count: number, d: number, r: number, tasks: number, loss: TwoLayerLoss) {
  const rng = new Rng(seed);
  const net = initialNetwork(r, d, tasks, 1, rng.fork("net"));
  const x = rng.fillNormal(new Float64Array(count * d));
  const y = Float64Array.from({ length: count }, () => (loss === "squared" ? rng.normal() : rng.sign()));
  const task = Int32Array.from({ length: count }, () => rng.integer(tasks));
  const weight = Float64Array.from({ length: count }, () => 0.5 + rng.uniform());
  const data: TrainingData = { count, dim: d, x, xT: featureMajor(x, count, d), y, task, weight };
  return { net, data, rng };
}

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
}

const pgd = (norm: "linf" | "l2", eps: number, steps: number, randomStart: boolean): TwoLayerAttack => ({ kind: "pgd", norm, eps, steps, stepSize: (2.5 * eps) / steps, randomStart });

describe("adversarialLossAndGradient", () => {
  // Shapes with partial blocks (count not a multiple of the block), r below, at and above 4 and
  // not a multiple of 4, and a d large enough that the block shrinks (d = 700: B = 20).
  const shapes = [
    { count: 13, d: 7, r: 4, tasks: 3 },
    { count: 200, d: 30, r: 6, tasks: 4 },
    { count: 45, d: 700, r: 3, tasks: 2 },
    { count: 5, d: 3, r: 1, tasks: 1 },
  ];

  it("chooses blocks of at most 96 samples, a multiple of 4, with d B <= 16384", () => {
    expect(adversarialBlock(50)).toBe(96);
    expect(adversarialBlock(500)).toBe(32);
    expect(adversarialBlock(700)).toBe(20);
    expect(adversarialBlock(100_000)).toBe(8);
  });

  it("without a random start, equals the row-major attack followed by the clean pass at its inputs", () => {
    // The two implementations of MODEL §3.6's PGD (attack.ts for evaluation, the fused pass for
    // training) are deterministic from delta = 0: same perturbed inputs, loss and gradient.
    for (const act of ACTIVATIONS) {
      for (const loss of ["squared", "logistic"] as const) {
        for (const norm of ["linf", "l2"] as const) {
          for (const s of shapes) {
            const { net, data, rng } = instance(`${act}-${loss}-${norm}-${s.count}`, s.count, s.d, s.r, s.tasks, loss);
            const attack = { ...pgd(norm, norm === "linf" ? 0.2 : 0.8, 3, false), stepSize: norm === "linf" ? 0.1 : 0.4 };
            const xRef = attackInputs(net, act, loss, attack, data, rng);
            const gRef = new Float64Array(net.params.length);
            const lRef = lossAndGradient(net, { ...data, xT: undefined }, act, loss, gRef, xRef);
            const xOut = new Float64Array(s.count * s.d);
            const g = new Float64Array(net.params.length);
            const l = adversarialLossAndGradient(net, data, act, loss, attack, rng, adversarialWorkspace(s.d, s.r), g, xOut);
            expect(maxDiff(xOut, xRef)).toBeLessThan(1e-12);
            expect(Math.abs(l - lRef)).toBeLessThan(1e-12 * Math.max(1, Math.abs(lRef)));
            expect(maxDiff(g, gRef)).toBeLessThan(1e-10 * Math.max(1, maxAbs(gRef)));
          }
        }
      }
    }
  });

  it("with a random start, is the clean pass at its own perturbed inputs (Danskin's gradient), inside the ball", () => {
    for (const norm of ["linf", "l2"] as const) {
      for (const s of shapes) {
        const { net, data, rng } = instance(`rs-${norm}-${s.count}`, s.count, s.d, s.r, s.tasks, "squared");
        const eps = norm === "linf" ? 0.1 : 0.5;
        const xOut = new Float64Array(s.count * s.d);
        const g = new Float64Array(net.params.length);
        const l = adversarialLossAndGradient(net, data, "tanh", "squared", pgd(norm, eps, 4, true), rng, adversarialWorkspace(s.d, s.r), g, xOut);
        const gRef = new Float64Array(net.params.length);
        const lRef = lossAndGradient(net, { ...data, xT: undefined }, "tanh", "squared", gRef, xOut);
        expect(Math.abs(l - lRef)).toBeLessThan(1e-12 * Math.max(1, lRef));
        expect(maxDiff(g, gRef)).toBeLessThan(1e-10 * Math.max(1, maxAbs(gRef)));
        let worst = 0;
        for (let i = 0; i < s.count; i++) {
          let n2 = 0;
          let ninf = 0;
          for (let j = 0; j < s.d; j++) {
            const t = xOut[i * s.d + j] - data.x[i * s.d + j];
            n2 += t * t;
            ninf = Math.max(ninf, Math.abs(t));
          }
          worst = Math.max(worst, norm === "linf" ? ninf : Math.sqrt(n2));
        }
        expect(worst).toBeLessThanOrEqual(eps * (1 + 1e-12));
      }
    }
  });

  it("starts uniformly in the ball: l-inf coordinates U(-eps, eps), l2 radii with P(||delta|| <= t eps) = t^d (KS at 1e-5)", () => {
    // With K = 0 ascent steps the perturbed input is the random start itself.
    const count = 4000;
    const eps = 0.3;
    for (const [norm, d] of [["linf", 5], ["l2", 3], ["l2", 8]] as const) {
      const { net, data, rng } = instance(`start-${norm}-${d}`, count, d, 2, 1, "squared");
      const xOut = new Float64Array(count * d);
      adversarialLossAndGradient(net, data, "relu", "squared", { kind: "pgd", norm, eps, steps: 0, stepSize: 0, randomStart: true }, rng, adversarialWorkspace(d, 2), null, xOut);
      if (norm === "linf") {
        const coords = xOut.map((v, i) => (v - data.x[i]) / eps);
        expect(ksStatistic(coords, (t) => Math.min(1, Math.max(0, (t + 1) / 2)))).toBeLessThan(ksCritical(coords.length, ALPHA));
      } else {
        const radii = new Float64Array(count);
        for (let i = 0; i < count; i++) {
          let n2 = 0;
          for (let j = 0; j < d; j++) n2 += (xOut[i * d + j] - data.x[i * d + j]) ** 2;
          radii[i] = Math.sqrt(n2) / eps;
        }
        expect(ksStatistic(radii, (t) => Math.min(1, Math.max(0, t)) ** d)).toBeLessThan(ksCritical(count, ALPHA));
      }
    }
  });

  it("refuses data without the feature-major copy", () => {
    const { net, data, rng } = instance("no-xT", 10, 4, 2, 1, "squared");
    expect(() => adversarialLossAndGradient(net, { ...data, xT: undefined }, "relu", "squared", pgd("linf", 0.1, 1, false), rng, adversarialWorkspace(4, 2), null)).toThrow(RangeError);
  });
});
