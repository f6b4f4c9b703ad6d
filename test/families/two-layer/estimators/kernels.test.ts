import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { Rng } from "../../../../src/core/random/rng.js";
import { ACTIVATIONS, type Activation } from "../../../../src/families/two-layer/activation.js";
import { initialNetwork, type TwoLayerLoss, type TwoLayerNet } from "../../../../src/families/two-layer/estimators/network.js";
import {
  featureMajor,
  lossAndGradient,
  outputsAndHiddenGradients,
  transposedTimes,
  type TrainingData,
} from "../../../../src/families/two-layer/estimators/kernels.js";

/** A random instance: count samples, tasks, weights, labels matching the loss. */
function instance(seed: string, count: number, d: number, r: number, tasks: number, loss: TwoLayerLoss) {
  const rng = new Rng(seed);
  const net = initialNetwork(r, d, tasks, 1, rng.fork("net"));
  const x = rng.fillNormal(new Float64Array(count * d));
  const y = new Float64Array(count);
  for (let i = 0; i < count; i++) y[i] = loss === "squared" ? rng.normal() : rng.sign();
  const task = Int32Array.from({ length: count }, () => rng.integer(tasks));
  const weight = Float64Array.from({ length: count }, () => 0.5 + rng.uniform());
  const data: TrainingData = { count, dim: d, x, y, task, weight };
  return { net, data, withXT: { ...data, xT: featureMajor(x, count, d) } as TrainingData };
}

/** The loss by the definition (MODEL §3.6), one sample and one unit at a time. */
function referenceLoss(net: TwoLayerNet, data: TrainingData, act: Activation, loss: TwoLayerLoss, x = data.x): number {
  const { r, d } = net;
  const phi = (h: number) => (act === "relu" ? Math.max(h, 0) : act === "tanh" ? Math.tanh(h) : act === "quadratic" ? h * h : h);
  let total = 0;
  for (let i = 0; i < data.count; i++) {
    let f = 0;
    for (let k = 0; k < r; k++) {
      let h = 0;
      for (let j = 0; j < d; j++) h += net.w[k * d + j] * x[i * d + j];
      f += net.heads[data.task[i] * r + k] * phi(h);
    }
    const l = loss === "squared" ? (f - data.y[i]) ** 2 : Math.log1p(Math.exp(-data.y[i] * f));
    total += data.weight[i] * l;
  }
  return total;
}

describe("lossAndGradient", () => {
  // Counts and widths that are not multiples of four exercise the blocked and the tail paths.
  const shapes = [
    { count: 13, d: 7, r: 4, tasks: 3 },
    { count: 9, d: 5, r: 6, tasks: 2 },
    { count: 4, d: 3, r: 1, tasks: 1 },
    { count: 2, d: 11, r: 3, tasks: 2 },
  ];

  it("agrees with the definition of the loss", () => {
    for (const act of ACTIVATIONS) {
      for (const loss of ["squared", "logistic"] as const) {
        for (const s of shapes) {
          const { net, data, withXT } = instance(`${act}-${loss}-${s.count}`, s.count, s.d, s.r, s.tasks, loss);
          const ref = referenceLoss(net, data, act, loss);
          expect(lossAndGradient(net, data, act, loss, null)).toBeCloseTo(ref, 10);
          expect(lossAndGradient(net, withXT, act, loss, null)).toBeCloseTo(ref, 10);
        }
      }
    }
  });

  it("has the gradient of central finite differences on random instances", () => {
    // Invariant: the hand-written backward pass is the derivative of the forward pass (MODEL §3.6).
    // Central differences have error O(h^2 f''') + O(eps_mach f / h); with h = 1e-5 both are
    // below 1e-7 relative for these unit-scale instances. Relu is differentiated away from its
    // kink: an instance whose pre-activation lies within 1e-4 of 0 is skipped.
    fc.assert(
      fc.property(
        fc.constantFrom(...ACTIVATIONS),
        fc.constantFrom<TwoLayerLoss>("squared", "logistic"),
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 0, max: 1_000_000 }),
        (act, loss, count, d, r, tasks, seed) => {
          const inst = instance(`fd-${seed}`, count, d, r, tasks, loss);
          const { net } = inst;
          // Both forward paths: row-major, and from the feature-major copy.
          const data = seed % 2 === 0 ? inst.data : inst.withXT;
          if (act === "relu") {
            for (let i = 0; i < count; i++)
              for (let k = 0; k < r; k++) {
                let h = 0;
                for (let j = 0; j < d; j++) h += net.w[k * d + j] * data.x[i * d + j];
                if (Math.abs(h) < 1e-4) return;
              }
          }
          const grad = new Float64Array(net.params.length);
          lossAndGradient(net, data, act, loss, grad);
          const h = 1e-5;
          for (let p = 0; p < net.params.length; p++) {
            const keep = net.params[p];
            net.params[p] = keep + h;
            const up = referenceLoss(net, data, act, loss);
            net.params[p] = keep - h;
            const down = referenceLoss(net, data, act, loss);
            net.params[p] = keep;
            const fd = (up - down) / (2 * h);
            expect(Math.abs(grad[p] - fd)).toBeLessThan(1e-6 * (1 + Math.abs(fd)));
          }
        },
      ),
      { numRuns: 150, seed: 20211 },
    );
  });

  it("has the gradient of the formulas of MODEL §3.6 on shapes that fill several blocks", () => {
    // Row-major blocks of 12 samples (forward in threes, backward in fours), feature-major blocks
    // of 96, units and features in fours: 211 samples, d = 13 and r = 9 leave tails everywhere;
    // the reference applies dL/dv_t = sum g_i a_i and dL/dW = sum_i u_i x_i^T one sample at a time.
    for (const [act, featureMajorPath] of ACTIVATIONS.flatMap((a) => [[a, false], [a, true]] as const)) {
      const loss: TwoLayerLoss = act === "tanh" ? "logistic" : "squared";
      const inst = instance(`blocks-${act}`, 211, 13, 9, 3, loss);
      const { net } = inst;
      const data = featureMajorPath ? inst.withXT : inst.data;
      const { r, d } = net;
      const grad = new Float64Array(net.params.length);
      const value = lossAndGradient(net, data, act, loss, grad);
      const ref = new Float64Array(net.params.length);
      let refValue = 0;
      for (let i = 0; i < data.count; i++) {
        const h = new Float64Array(r);
        for (let k = 0; k < r; k++) for (let j = 0; j < d; j++) h[k] += net.w[k * d + j] * data.x[i * d + j];
        const a = h.map((v) => (act === "relu" ? Math.max(v, 0) : act === "tanh" ? Math.tanh(v) : act === "quadratic" ? v * v : v));
        const da = h.map((v) => (act === "relu" ? (v > 0 ? 1 : 0) : act === "tanh" ? 1 - Math.tanh(v) ** 2 : act === "quadratic" ? 2 * v : 1));
        const t = data.task[i];
        let f = 0;
        for (let k = 0; k < r; k++) f += net.heads[t * r + k] * a[k];
        const y = data.y[i];
        const c = data.weight[i];
        refValue += c * (loss === "squared" ? (f - y) ** 2 : Math.log1p(Math.exp(-y * f)));
        const g = c * (loss === "squared" ? 2 * (f - y) : -y / (1 + Math.exp(y * f)));
        for (let k = 0; k < r; k++) {
          ref[r * d + t * r + k] += g * a[k];
          const u = g * net.heads[t * r + k] * da[k];
          for (let j = 0; j < d; j++) ref[k * d + j] += u * data.x[i * d + j];
        }
      }
      expect(value).toBeCloseTo(refValue, 12);
      for (let p = 0; p < ref.length; p++) expect(Math.abs(grad[p] - ref[p])).toBeLessThan(1e-12 * (1 + Math.abs(ref[p])));
    }
  });

  it("evaluates at the given inputs instead of data.x", () => {
    const { net, data } = instance("inputs", 10, 6, 4, 2, "squared");
    const other = new Rng("other").fillNormal(new Float64Array(data.x.length));
    expect(lossAndGradient(net, data, "tanh", "squared", null, other)).toBeCloseTo(referenceLoss(net, data, "tanh", "squared", other), 10);
  });
});

describe("outputsAndHiddenGradients", () => {
  it("gives input gradients W^T u equal to central finite differences of each sample's loss", () => {
    for (const act of ACTIVATIONS) {
      for (const loss of ["squared", "logistic"] as const) {
        const { net, data } = instance(`in-${act}-${loss}`, 7, 5, 5, 2, loss);
        const { count, dim: d } = data;
        const f = new Float64Array(count);
        const l = new Float64Array(count);
        const u = new Float64Array(count * net.r);
        outputsAndHiddenGradients(net, data.x, data.y, data.task, act, loss, f, l, u);
        const g = new Float64Array(d);
        const unit = { ...data, weight: new Float64Array(count) };
        for (let i = 0; i < count; i++) {
          transposedTimes(net.w, net.r, d, u, i * net.r, g);
          unit.weight.fill(0);
          unit.weight[i] = 1;
          expect(l[i]).toBeCloseTo(referenceLoss(net, unit, act, loss), 10);
          for (let j = 0; j < d; j++) {
            const x = Float64Array.from(data.x);
            const h = 1e-5;
            x[i * d + j] += h;
            const up = referenceLoss(net, unit, act, loss, x);
            x[i * d + j] -= 2 * h;
            const down = referenceLoss(net, unit, act, loss, x);
            const fd = (up - down) / (2 * h);
            expect(Math.abs(g[j] - fd)).toBeLessThan(1e-6 * (1 + Math.abs(fd)));
          }
        }
      }
    }
  });
});
