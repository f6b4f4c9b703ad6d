/**
 * The student network of the two-layer family (MODEL §2.3, §3.6): a shared first layer W
 * (r x d, row-major) and one linear head per task (tasks x r, row-major), stored in one flat
 * parameter vector [W | heads] so optimisers treat all parameters alike:
 *   f_t(x) = sum_k heads[t, k] phi((W x)_k).
 */
import type { Rng } from "../../../core/random/rng.js";
import { type Activation, activate } from "../activation.js";

/** Losses of the two-layer family: squared (f - y)^2 and logistic log(1 + exp(-y f)), y in {-1, +1}. */
export type TwoLayerLoss = "squared" | "logistic";

export interface TwoLayerNet {
  readonly r: number;
  readonly d: number;
  readonly tasks: number;
  /** All parameters: W (r d entries) then heads (tasks r entries). */
  readonly params: Float64Array;
  /** View of W inside params, row-major r x d. */
  readonly w: Float64Array;
  /** View of the heads inside params, row-major tasks x r. */
  readonly heads: Float64Array;
}

/** A network over the given parameter vector (length r d + tasks r; shared, not copied). */
export function networkFromParams(r: number, d: number, tasks: number, params: Float64Array): TwoLayerNet {
  if (params.length !== r * d + tasks * r) {
    throw new RangeError(`networkFromParams: ${params.length} parameters, expected r d + tasks r = ${r * d + tasks * r}`);
  }
  return { r, d, tasks, params, w: params.subarray(0, r * d), heads: params.subarray(r * d) };
}

/** A zero network. */
export function zeroNetwork(r: number, d: number, tasks: number): TwoLayerNet {
  return networkFromParams(r, d, tasks, new Float64Array(r * d + tasks * r));
}

/** A copy of net (own parameter vector). */
export function copyNetwork(net: TwoLayerNet): TwoLayerNet {
  return networkFromParams(net.r, net.d, net.tasks, Float64Array.from(net.params));
}

/**
 * Random initialisation: W entries N(0, scale^2 / d) (so each row has squared norm about scale^2
 * and W x has unit-order entries for x ~ N(0, I_d)), heads N(0, scale^2 / r).
 */
export function initialNetwork(r: number, d: number, tasks: number, scale: number, rng: Rng): TwoLayerNet {
  const net = zeroNetwork(r, d, tasks);
  rng.fillNormal(net.params);
  const fw = scale / Math.sqrt(d);
  const fh = scale / Math.sqrt(r);
  for (let i = 0; i < net.w.length; i++) net.w[i] *= fw;
  for (let i = 0; i < net.heads.length; i++) net.heads[i] *= fh;
  return net;
}

/** A network with the first layer `w` (r x d, copied) and the given heads (copied). */
export function networkWithHeads(w: Float64Array, r: number, d: number, heads: Float64Array): TwoLayerNet {
  const net = zeroNetwork(r, d, heads.length / r);
  net.w.set(w);
  net.heads.set(heads);
  return net;
}

/** Hidden features phi(W x) of one row x (offset `base`), written into `out` (length r). */
export function hiddenFeatures(net: TwoLayerNet, activation: Activation, x: Float64Array, base: number, out: Float64Array): Float64Array {
  const { r, d, w } = net;
  for (let k = 0; k < r; k++) {
    let h = 0;
    const off = k * d;
    for (let j = 0; j < d; j++) h += w[off + j] * x[base + j];
    out[k] = activate(activation, h);
  }
  return out;
}

/** f_t(x) for every row of x (count x d, row-major) with task indices `task`. */
export function predict(net: TwoLayerNet, activation: Activation, x: Float64Array, task: Int32Array): Float64Array {
  const { r, d, heads } = net;
  const count = task.length;
  const out = new Float64Array(count);
  const a = new Float64Array(r);
  for (let i = 0; i < count; i++) {
    hiddenFeatures(net, activation, x, i * d, a);
    const t = task[i] * r;
    let f = 0;
    for (let k = 0; k < r; k++) f += heads[t + k] * a[k];
    out[i] = f;
  }
  return out;
}
