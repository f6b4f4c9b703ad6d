/**
 * Multi-task training of the two-layer student (MODEL §3.6): full-batch gradient descent or Adam
 * on all parameters [W | heads] jointly, minimising the weighted source loss
 *   L(W, v) = sum_i c_i l(f_{t(i)}(x_i), y_i)
 * or, for adversarial training, its robust counterpart
 *   L_adv(W, v) = sum_i c_i max_{||delta_i||_p <= eps} l(f_{t(i)}(x_i + delta_i), y_i),
 * whose gradient is taken at the attack's perturbed inputs (Danskin's theorem, with the attack's
 * approximate maximiser in place of the exact one): each step runs the attack from the current
 * parameters, then one forward-backward pass at the perturbed inputs.
 *
 * Adam (Kingma and Ba 2015): m = b1 m + (1 - b1) g, s = b2 s + (1 - b2) g^2,
 * theta -= lr (m / (1 - b1^k)) / (sqrt(s / (1 - b2^k)) + 1e-8), with b1 = 0.9, b2 = 0.999.
 * Gradient descent: theta -= lr g.
 */
import type { Activation } from "../activation.js";
import type { TwoLayerAttack } from "./jointTraining.js";
import type { Optimiser } from "../config.js";
import type { Rng } from "../../../core/random/rng.js";
import { attackBuffers, attackInputs } from "./attack.js";
import { lossAndGradient, type TrainingData } from "./kernels.js";
import { copyNetwork, type TwoLayerLoss, type TwoLayerNet } from "./network.js";

export interface TrainingOptions {
  readonly optimiser: Optimiser;
  readonly steps: number;
  readonly learningRate: number;
  /** Adversarial training against this attack; null for standard training. */
  readonly attack: TwoLayerAttack | null;
}

export interface TrainingResult {
  /** The trained network (a new parameter vector; the initial network is untouched). */
  readonly net: TwoLayerNet;
  /** Clean weighted loss L at the final parameters. */
  readonly finalLoss: number;
  /** The objective (L, or L_adv at the attack's inputs) at each step, before the update. */
  readonly history: Float64Array;
}

const BETA1 = 0.9;
const BETA2 = 0.999;
const ADAM_EPS = 1e-8;

/**
 * Trains a copy of `init` on `data`. The attack's random starts draw from `rng`. A non-finite
 * objective (divergence: the learning rate is too large for the data) throws a RangeError naming
 * the step, never returns NaN parameters.
 */
export function trainTwoLayer(
  init: TwoLayerNet,
  data: TrainingData,
  activation: Activation,
  loss: TwoLayerLoss,
  options: TrainingOptions,
  rng: Rng,
): TrainingResult {
  const net = copyNetwork(init);
  const p = net.params;
  const grad = new Float64Array(p.length);
  const history = new Float64Array(options.steps);
  const adam = options.optimiser === "adam";
  const m1 = adam ? new Float64Array(p.length) : null;
  const m2 = adam ? new Float64Array(p.length) : null;
  const lr = options.learningRate;
  const attack = options.attack;
  const buffers = attack !== null ? attackBuffers(data.count, data.dim, net.r, attack) : null;
  let b1k = 1;
  let b2k = 1;
  for (let step = 0; step < options.steps; step++) {
    const x = attack !== null && buffers !== null ? attackInputs(net, activation, loss, attack, data, rng, buffers) : data.x;
    const value = lossAndGradient(net, data, activation, loss, grad, x);
    if (!Number.isFinite(value)) {
      throw new RangeError(`trainTwoLayer: objective ${value} at step ${step}: training diverged; lower training.learningRate`);
    }
    history[step] = value;
    if (m1 !== null && m2 !== null) {
      b1k *= BETA1;
      b2k *= BETA2;
      const c1 = 1 / (1 - b1k);
      const c2 = 1 / (1 - b2k);
      for (let i = 0; i < p.length; i++) {
        const g = grad[i];
        const a = BETA1 * m1[i] + (1 - BETA1) * g;
        const b = BETA2 * m2[i] + (1 - BETA2) * g * g;
        m1[i] = a;
        m2[i] = b;
        p[i] -= (lr * a * c1) / (Math.sqrt(b * c2) + ADAM_EPS);
      }
    } else {
      for (let i = 0; i < p.length; i++) p[i] -= lr * grad[i];
    }
  }
  const finalLoss = lossAndGradient(net, data, activation, loss, null);
  if (!Number.isFinite(finalLoss)) {
    throw new RangeError(`trainTwoLayer: final loss ${finalLoss}: training diverged; lower training.learningRate`);
  }
  return { net, finalLoss, history };
}
