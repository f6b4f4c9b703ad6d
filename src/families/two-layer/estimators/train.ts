/**
 * Multi-task training of the two-layer student (MODEL §3.6): full-batch gradient descent or Adam
 * on all parameters [W | heads] jointly, minimising the weighted source loss plus an optional
 * penalty,
 *   J(W, v) = sum_i c_i l(f_{t(i)}(x_i), y_i) + P(W, v),
 * or, for adversarial training, its robust counterpart
 *   J_adv(W, v) = sum_i c_i max_{||delta_i||_p <= eps} l(f_{t(i)}(x_i + delta_i), y_i) + P(W, v),
 * whose gradient is taken at the attack's perturbed inputs (Danskin's theorem, with the attack's
 * approximate maximiser in place of the exact one): each step runs the attack from the current
 * parameters, then one forward-backward pass at the perturbed inputs (adversarialPass.ts).
 *
 * Penalties (the regularisation controls, docs/TWO_LAYER.md "Controls"):
 *   P = l1 sum_kj |W_kj| + groupLasso sum_j ||W_{.j}||_2 + weightDecay (||W||_F^2 + ||v||_F^2)
 *       + inputL1 (1/T) sum_t ||W^T v_t||_1,
 * with subgradients sign(W_kj) (0 at 0), W_{.j} / ||W_{.j}|| (0 for a zero column), and for the
 * last term, with beta_t = W^T v_t: d/dW_kj = (inputL1/T) sum_t v_tk sign(beta_tj),
 * d/dv_tk = (inputL1/T) sum_j W_kj sign(beta_tj).
 *
 * Adam (Kingma and Ba 2015): m = b1 m + (1 - b1) g, s = b2 s + (1 - b2) g^2,
 * theta -= lr (m / (1 - b1^k)) / (sqrt(s / (1 - b2^k)) + 1e-8), with b1 = 0.9, b2 = 0.999.
 * Gradient descent: theta -= lr g.
 *
 * Stopping: after `steps` steps, or earlier at convergence: with tolerance tol > 0, at every
 * multiple k of CONVERGENCE_WINDOW (w = 20) steps with k >= 2w, training stops when the mean
 * objective over the last w steps is not below the mean over the w steps before by more than
 * tol times its size, (prev - last) <= tol |last|. A noisy objective (adversarial training with
 * random starts) stops once its decrease is lost in its noise.
 */
import type { Activation } from "../activation.js";
import type { TwoLayerAttack } from "./jointTraining.js";
import type { Optimiser } from "../config.js";
import type { Rng } from "../../../core/random/rng.js";
import { adversarialLossAndGradient, adversarialWorkspace, type AdversarialWorkspace } from "./adversarialPass.js";
import { attackBuffers, attackInputs, type AttackBuffers } from "./attack.js";
import { lossAndGradient, type TrainingData } from "./kernels.js";
import { copyNetwork, type TwoLayerLoss, type TwoLayerNet } from "./network.js";

/** Penalty weights on the parameters (all >= 0; 0 switches a term off). */
export interface TwoLayerPenalty {
  /** l1 sum_kj |W_kj| on the first layer's entries. */
  readonly l1: number;
  /** Group lasso sum_j ||W_{.j}||_2 over input coordinates (columns of W). */
  readonly groupLasso: number;
  /** Weight decay ||W||_F^2 + ||heads||_F^2 on all parameters. */
  readonly weightDecay: number;
  /**
   * l1 on the tasks' input weights: (1/T) sum_t ||W^T v_t||_1, the linear model's l-inf penalty
   * (MODEL §3.1, §3.5: for phi = identity f_t(x) = <W^T v_t, x>).
   */
  readonly inputL1: number;
}

/** No penalty. */
export const NO_PENALTY: TwoLayerPenalty = { l1: 0, groupLasso: 0, weightDecay: 0, inputL1: 0 };

export interface TrainingOptions {
  readonly optimiser: Optimiser;
  /** Largest number of steps. */
  readonly steps: number;
  readonly learningRate: number;
  /** Adversarial training against this attack; null for standard training. */
  readonly attack: TwoLayerAttack | null;
  /** Penalty P (default none). */
  readonly penalty?: TwoLayerPenalty;
  /** Convergence tolerance (see the file comment); 0 or absent: always run `steps` steps. */
  readonly tolerance?: number;
}

export interface TrainingResult {
  /** The trained network (a new parameter vector; the initial network is untouched). */
  readonly net: TwoLayerNet;
  /** Clean weighted loss sum_i c_i l_i at the final parameters (no penalty). */
  readonly finalLoss: number;
  /**
   * The training objective at the final parameters: the clean loss, or the adversarial loss under
   * a fresh run of the training attack, plus the penalty. Restarts keep the lowest.
   */
  readonly finalObjective: number;
  /** The objective at each step taken, before the update (length = steps taken). */
  readonly history: Float64Array;
  /** Steps taken (<= options.steps; fewer when training converged). */
  readonly steps: number;
  /** Further diagnostics a method reports as metrics (e.g. the share of pseudo-labels kept). */
  readonly diagnostics?: Readonly<Record<string, number>>;
}

/** Buffers of a training run, reusable across runs on data of the same size (restarts). */
export interface TrainingWorkspace {
  readonly size: number;
  readonly count: number;
  readonly d: number;
  readonly r: number;
  readonly grad: Float64Array;
  readonly m1: Float64Array;
  readonly m2: Float64Array;
  readonly history: Float64Array;
  adversarial: AdversarialWorkspace | null;
  rowMajor: AttackBuffers | null;
}

/** A workspace for networks of `size` parameters (r x d first layer) trained on `count` samples for at most `steps` steps. */
export function trainingWorkspace(size: number, r: number, d: number, count: number, steps: number): TrainingWorkspace {
  return {
    size,
    count,
    d,
    r,
    grad: new Float64Array(size),
    m1: new Float64Array(size),
    m2: new Float64Array(size),
    history: new Float64Array(steps),
    adversarial: null,
    rowMajor: null,
  };
}

const BETA1 = 0.9;
const BETA2 = 0.999;
const ADAM_EPS = 1e-8;

/** Steps per window of the convergence test. */
export const CONVERGENCE_WINDOW = 20;

/** P(W, v) of `net`; with `grad`, adds its (sub)gradient to grad. */
export function addPenalty(net: TwoLayerNet, penalty: TwoLayerPenalty, grad: Float64Array | null): number {
  const { r, d, w, params } = net;
  let value = 0;
  if (penalty.l1 > 0) {
    const l = penalty.l1;
    let s = 0;
    for (let i = 0; i < r * d; i++) {
      const v = w[i];
      s += Math.abs(v);
      if (grad !== null) grad[i] += v > 0 ? l : v < 0 ? -l : 0;
    }
    value += l * s;
  }
  if (penalty.groupLasso > 0) {
    const l = penalty.groupLasso;
    let s = 0;
    for (let j = 0; j < d; j++) {
      let n2 = 0;
      for (let k = 0; k < r; k++) n2 += w[k * d + j] * w[k * d + j];
      const nrm = Math.sqrt(n2);
      s += nrm;
      if (grad !== null && nrm > 0) for (let k = 0; k < r; k++) grad[k * d + j] += (l * w[k * d + j]) / nrm;
    }
    value += l * s;
  }
  if (penalty.inputL1 > 0) {
    const { heads, tasks } = net;
    const l = penalty.inputL1 / tasks;
    let s = 0;
    for (let t = 0; t < tasks; t++) {
      const v = heads.subarray(t * r, t * r + r);
      for (let j = 0; j < d; j++) {
        let beta = 0;
        for (let k = 0; k < r; k++) beta += w[k * d + j] * v[k];
        s += Math.abs(beta);
        if (grad !== null && beta !== 0) {
          const sg = beta > 0 ? l : -l;
          for (let k = 0; k < r; k++) {
            grad[k * d + j] += sg * v[k];
            grad[r * d + t * r + k] += sg * w[k * d + j];
          }
        }
      }
    }
    value += l * s;
  }
  if (penalty.weightDecay > 0) {
    const l = penalty.weightDecay;
    let s = 0;
    for (let i = 0; i < params.length; i++) {
      s += params[i] * params[i];
      if (grad !== null) grad[i] += 2 * l * params[i];
    }
    value += l * s;
  }
  return value;
}

function hasPenalty(p: TwoLayerPenalty): boolean {
  return p.l1 > 0 || p.groupLasso > 0 || p.weightDecay > 0 || p.inputL1 > 0;
}

/** Whether the windows ending at step k show convergence (see the file comment). */
function converged(history: Float64Array, k: number, tolerance: number): boolean {
  const w = CONVERGENCE_WINDOW;
  if (tolerance <= 0 || k < 2 * w || k % w !== 0) return false;
  let last = 0;
  let prev = 0;
  for (let i = k - w; i < k; i++) last += history[i];
  for (let i = k - 2 * w; i < k - w; i++) prev += history[i];
  last /= w;
  prev /= w;
  return prev - last <= tolerance * Math.abs(last);
}

/**
 * The objective at `net` (adversarial under `attack` when given) with its gradient into `grad`
 * when given; the penalty is not included.
 */
function objective(
  net: TwoLayerNet,
  data: TrainingData,
  activation: Activation,
  loss: TwoLayerLoss,
  attack: TwoLayerAttack | null,
  rng: Rng,
  ws: TrainingWorkspace,
  grad: Float64Array | null,
): number {
  if (attack === null) return lossAndGradient(net, data, activation, loss, grad);
  if (data.xT !== undefined) {
    ws.adversarial ??= adversarialWorkspace(data.dim, net.r);
    return adversarialLossAndGradient(net, data, activation, loss, attack, rng, ws.adversarial, grad);
  }
  ws.rowMajor ??= attackBuffers(data.count, data.dim, net.r, attack);
  const x = attackInputs(net, activation, loss, attack, data, rng, ws.rowMajor);
  return lossAndGradient(net, data, activation, loss, grad, x);
}

/**
 * Trains a copy of `init` on `data`. The attack's random starts draw from `rng`. A non-finite
 * objective (divergence: the learning rate is too large for the data) throws a RangeError naming
 * the step, never returns NaN parameters. `workspace` (optional) is reused when it fits.
 */
export function trainTwoLayer(
  init: TwoLayerNet,
  data: TrainingData,
  activation: Activation,
  loss: TwoLayerLoss,
  options: TrainingOptions,
  rng: Rng,
  workspace?: TrainingWorkspace,
): TrainingResult {
  const net = copyNetwork(init);
  const p = net.params;
  const ws =
    workspace !== undefined && workspace.size === p.length && workspace.r === net.r && workspace.d === net.d && workspace.count === data.count && workspace.history.length >= options.steps
      ? workspace
      : trainingWorkspace(p.length, net.r, net.d, data.count, options.steps);
  const { grad, history } = ws;
  const adam = options.optimiser === "adam";
  const m1 = ws.m1.fill(0);
  const m2 = ws.m2.fill(0);
  const lr = options.learningRate;
  const attack = options.attack;
  const penalty = options.penalty ?? NO_PENALTY;
  const penalised = hasPenalty(penalty);
  const tolerance = options.tolerance ?? 0;
  let b1k = 1;
  let b2k = 1;
  let taken = 0;
  for (let step = 0; step < options.steps; step++) {
    let value = objective(net, data, activation, loss, attack, rng, ws, grad);
    if (penalised) value += addPenalty(net, penalty, grad);
    if (!Number.isFinite(value)) {
      throw new RangeError(`trainTwoLayer: objective ${value} at step ${step}: training diverged; lower training.learningRate`);
    }
    history[step] = value;
    if (adam) {
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
    taken = step + 1;
    if (converged(history, taken, tolerance)) break;
  }
  const finalLoss = lossAndGradient(net, data, activation, loss, null);
  if (!Number.isFinite(finalLoss)) {
    throw new RangeError(`trainTwoLayer: final loss ${finalLoss}: training diverged; lower training.learningRate`);
  }
  const finalAttack = attack === null ? finalLoss : objective(net, data, activation, loss, attack, rng, ws, null);
  const finalObjective = finalAttack + (penalised ? addPenalty(net, penalty, null) : 0);
  if (!Number.isFinite(finalObjective)) {
    throw new RangeError(`trainTwoLayer: final objective ${finalObjective}: training diverged; lower training.learningRate`);
  }
  return { net, finalLoss, finalObjective, history: history.slice(0, taken), steps: taken };
}
