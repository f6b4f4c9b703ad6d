/**
 * One step of adversarial training (MODEL §3.6) as a single fused pass over the training set: the
 * attack (PGD or FGSM, l-inf or l2; attack.ts states the algorithm) on every sample, then the
 * weighted loss L_adv = sum_i c_i l(f_{t(i)}(x_i + delta_i), y_i) and its gradient with respect to
 * [W | heads] at the attack's last iterate (Danskin's theorem with the approximate maximiser).
 *
 * The attack treats samples independently, so the pass takes them in blocks of B and runs all K
 * ascent steps and the final forward-backward pass of a block before the next: the block's
 * perturbed inputs (d x B, feature-major, at most 128 KB) stay in cache from the random start to
 * the gradient. Every product is then an "axpy" form over contiguous runs of B samples
 * (kernels.ts explains why that matters in scalar JavaScript):
 *   forward       h_q = W x_q                      four units by four features per step
 *   input grad    g_q = W^T u_q, u_q = l'(f_q, y_q) v_t (.) phi'(h_q)     (unweighted loss)
 *   ascent step   l-inf: x_q <- x_q^0 + clip(x_q - x_q^0 + alpha sign(g_q), -eps, eps) (branch
 *                 free, as in attack.ts); l2: x_q <- x_q^0 + Proj(x_q - x_q^0 + alpha g_q / ||g_q||)
 *   gradient      dL/dW = sum_q u_q x_q^T (weighted), dL/dv_t = sum_{q in t} c_q l' phi(h_q)
 * Nothing is allocated per step: the workspace is made once per training run and reused across
 * steps and restarts.
 *
 * Random starts are drawn per block, in the order (feature, sample) within the block: for l-inf,
 * d B uniforms (delta = eps (2U - 1)); for l2, d B normals and B uniforms for the radii
 * (delta = eps U^(1/d) z / ||z||). The row-major attack of attack.ts (used for evaluation) draws
 * the same distributions in another order, so the two agree exactly only without a random start
 * (tested).
 */
import type { Rng } from "../../../core/random/rng.js";
import type { Activation } from "../activation.js";
import type { TwoLayerAttack } from "./jointTraining.js";
import { activateInPlace, activationCode, forwardFeatureMajor, sigmoid, softplus, type TrainingData } from "./kernels.js";
import type { TwoLayerLoss, TwoLayerNet } from "./network.js";

/** Reusable buffers of the fused adversarial pass for inputs of dimension d and r hidden units. */
export interface AdversarialWorkspace {
  readonly d: number;
  readonly r: number;
  /** Samples per block B (a multiple of 4, at most 96, with d B <= 16384). */
  readonly block: number;
  /** Perturbed inputs of the block, feature-major: xb[j B + q]. */
  readonly xb: Float64Array;
  /** Input gradients (l2 steps) and random-start draws of the block, d B. */
  readonly gb: Float64Array;
  /** Pre-activations, activations and phi' of the block, sample-major (q r + k). */
  readonly pre: Float64Array;
  readonly act: Float64Array;
  readonly dphi: Float64Array;
  /** dl/dh of the block, unit-major: u[k B + q]. */
  readonly u: Float64Array;
  /** One row of input gradients of the block (B). */
  readonly grow: Float64Array;
  /** Per-sample scalars of the block (B each): squared norms, scales. */
  readonly s1: Float64Array;
  readonly s2: Float64Array;
}

/** Samples per block for inputs of dimension d: B d <= 16384 (128 KB), 8 <= B <= 96, B = 0 mod 4. */
export function adversarialBlock(d: number): number {
  return Math.min(96, Math.max(8, 4 * Math.floor(16384 / d / 4)));
}

/** A workspace for inputs of dimension d and r hidden units. */
export function adversarialWorkspace(d: number, r: number): AdversarialWorkspace {
  const block = adversarialBlock(d);
  const br = block * r;
  return {
    d,
    r,
    block,
    xb: new Float64Array(d * block),
    gb: new Float64Array(d * block),
    pre: new Float64Array(br),
    act: new Float64Array(br),
    dphi: new Float64Array(br),
    u: new Float64Array(br),
    grow: new Float64Array(block),
    s1: new Float64Array(block),
    s2: new Float64Array(block),
  };
}

/**
 * g_q = sum_k W[k, j] u[k B + q] for q < cnt: the row j of the block's input gradients, into out[off + q].
 */
function inputGradientRow(w: Float64Array, r: number, d: number, j: number, u: Float64Array, B: number, cnt: number, out: Float64Array, off: number): void {
  let k = 0;
  if (r >= 4) {
    const a0 = w[j], a1 = w[d + j], a2 = w[2 * d + j], a3 = w[3 * d + j];
    const o1 = B, o2 = 2 * B, o3 = 3 * B;
    for (let q = 0; q < cnt; q++) out[off + q] = a0 * u[q] + a1 * u[o1 + q] + a2 * u[o2 + q] + a3 * u[o3 + q];
    k = 4;
  } else {
    out.fill(0, off, off + cnt);
  }
  for (; k + 1 < r; k += 2) {
    const a0 = w[k * d + j], a1 = w[(k + 1) * d + j];
    const o0 = k * B, o1 = o0 + B;
    for (let q = 0; q < cnt; q++) out[off + q] += a0 * u[o0 + q] + a1 * u[o1 + q];
  }
  for (; k < r; k++) {
    const a = w[k * d + j];
    const o = k * B;
    for (let q = 0; q < cnt; q++) out[off + q] += a * u[o + q];
  }
}

/**
 * Forward pass of the block at xb, then per sample the output f_q, and u[k B + q] =
 * c_q l'(f_q, y_q) v_t[k] phi'(h_qk) with c_q = weight (1 for the attack). With `gh`, also adds
 * c_q l' phi(h_q) to the head gradient and returns the weighted loss of the block.
 */
function blockForward(
  net: TwoLayerNet,
  code: number,
  squared: boolean,
  ws: AdversarialWorkspace,
  data: TrainingData,
  i0: number,
  cnt: number,
  weighted: boolean,
  gh: Float64Array | null,
): number {
  const { r, d, w, heads } = net;
  const { pre, act, dphi, u, xb, block: B } = ws;
  const { y, task, weight } = data;
  forwardFeatureMajor(xb, B, 0, cnt, w, r, d, pre);
  activateInPlace(code, pre, act, dphi, 0, cnt * r);
  let total = 0;
  for (let q = 0; q < cnt; q++) {
    const s = i0 + q;
    const t = task[s] * r;
    const off = q * r;
    let f = 0;
    for (let k = 0; k < r; k++) f += heads[t + k] * act[off + k];
    const ys = y[s];
    const c = weighted ? weight[s] : 1;
    let g: number;
    if (squared) {
      const e = f - ys;
      total += c * e * e;
      g = 2 * c * e;
    } else {
      const z = -ys * f;
      total += c * softplus(z);
      g = -c * ys * sigmoid(z);
    }
    for (let k = 0; k < r; k++) {
      u[k * B + q] = g * heads[t + k] * dphi[off + k];
      if (gh !== null) gh[t + k] += g * act[off + k];
    }
  }
  return total;
}

/** xb = x + a uniform point of the ball, for the block's samples (see the file comment). */
function randomStart(attack: TwoLayerAttack, xT: Float64Array, N: number, i0: number, cnt: number, ws: AdversarialWorkspace, rng: Rng): void {
  const { d, xb, gb, block: B, s1, s2 } = ws;
  const eps = attack.eps;
  const draws = gb.subarray(0, d * cnt);
  if (attack.norm === "linf") {
    rng.fillUniform(draws);
    for (let j = 0; j < d; j++) {
      const xo = j * N + i0;
      const bo = j * B;
      const ro = j * cnt;
      for (let q = 0; q < cnt; q++) xb[bo + q] = xT[xo + q] + eps * (2 * draws[ro + q] - 1);
    }
    return;
  }
  rng.fillNormal(draws);
  rng.fillUniform(s2.subarray(0, cnt));
  s1.fill(0, 0, cnt);
  for (let j = 0; j < d; j++) {
    const ro = j * cnt;
    for (let q = 0; q < cnt; q++) s1[q] += draws[ro + q] * draws[ro + q];
  }
  const invD = 1 / d;
  for (let q = 0; q < cnt; q++) {
    const nrm = Math.sqrt(s1[q]);
    s1[q] = nrm > 0 ? (eps * Math.pow(s2[q], invD)) / nrm : 0;
  }
  for (let j = 0; j < d; j++) {
    const xo = j * N + i0;
    const bo = j * B;
    const ro = j * cnt;
    for (let q = 0; q < cnt; q++) xb[bo + q] = xT[xo + q] + s1[q] * draws[ro + q];
  }
}

/** One l-inf ascent step of the block (u holds dl/dh at xb). */
function linfBlockStep(net: TwoLayerNet, ws: AdversarialWorkspace, xT: Float64Array, N: number, i0: number, cnt: number, eps: number, alpha: number): void {
  const { r, d, w } = net;
  const { xb, u, grow, block: B } = ws;
  for (let j = 0; j < d; j++) {
    inputGradientRow(w, r, d, j, u, B, cnt, grow, 0);
    const xo = j * N + i0;
    const bo = j * B;
    for (let q = 0; q < cnt; q++) {
      const g = grow[q];
      const xc = xT[xo + q];
      const t = xb[bo + q] - xc + (alpha * g) / (Math.abs(g) + 1e-300);
      xb[bo + q] = xc + 0.5 * (Math.abs(t + eps) - Math.abs(t - eps));
    }
  }
}

/** One l2 ascent step of the block (u holds dl/dh at xb). */
function l2BlockStep(net: TwoLayerNet, ws: AdversarialWorkspace, xT: Float64Array, N: number, i0: number, cnt: number, eps: number, alpha: number): void {
  const { r, d, w } = net;
  const { xb, gb, u, s1, s2, block: B } = ws;
  s1.fill(0, 0, cnt);
  for (let j = 0; j < d; j++) {
    const bo = j * B;
    inputGradientRow(w, r, d, j, u, B, cnt, gb, bo);
    for (let q = 0; q < cnt; q++) s1[q] += gb[bo + q] * gb[bo + q];
  }
  for (let q = 0; q < cnt; q++) {
    const gn = Math.sqrt(s1[q]);
    s1[q] = gn > 0 ? alpha / gn : 0;
    s2[q] = 0;
  }
  for (let j = 0; j < d; j++) {
    const xo = j * N + i0;
    const bo = j * B;
    for (let q = 0; q < cnt; q++) {
      const delta = xb[bo + q] - xT[xo + q] + s1[q] * gb[bo + q];
      gb[bo + q] = delta;
      s2[q] += delta * delta;
    }
  }
  for (let q = 0; q < cnt; q++) {
    const dn = Math.sqrt(s2[q]);
    s2[q] = dn > eps ? eps / dn : 1;
  }
  for (let j = 0; j < d; j++) {
    const xo = j * N + i0;
    const bo = j * B;
    for (let q = 0; q < cnt; q++) xb[bo + q] = xT[xo + q] + s2[q] * gb[bo + q];
  }
}

/** gw[k d + j] += sum_q u[k B + q] xb[j B + q]: the block's gradient of W, two features at a time. */
function blockWeightGradient(ws: AdversarialWorkspace, cnt: number, gw: Float64Array): void {
  const { d, r, xb, u, block: B } = ws;
  let k = 0;
  for (; k + 3 < r; k += 4) {
    const o0 = k * B, o1 = o0 + B, o2 = o1 + B, o3 = o2 + B;
    const g0 = k * d, g1 = g0 + d, g2 = g1 + d, g3 = g2 + d;
    let j = 0;
    for (; j + 1 < d; j += 2) {
      const b0 = j * B;
      const b1 = b0 + B;
      let s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0;
      for (let q = 0; q < cnt; q++) {
        const x0 = xb[b0 + q];
        const x1 = xb[b1 + q];
        const u0 = u[o0 + q], u1 = u[o1 + q], u2 = u[o2 + q], u3 = u[o3 + q];
        s00 += u0 * x0; s01 += u1 * x0; s02 += u2 * x0; s03 += u3 * x0;
        s10 += u0 * x1; s11 += u1 * x1; s12 += u2 * x1; s13 += u3 * x1;
      }
      gw[g0 + j] += s00; gw[g1 + j] += s01; gw[g2 + j] += s02; gw[g3 + j] += s03;
      gw[g0 + j + 1] += s10; gw[g1 + j + 1] += s11; gw[g2 + j + 1] += s12; gw[g3 + j + 1] += s13;
    }
    for (; j < d; j++) {
      const b0 = j * B;
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      for (let q = 0; q < cnt; q++) {
        const x0 = xb[b0 + q];
        s0 += u[o0 + q] * x0; s1 += u[o1 + q] * x0; s2 += u[o2 + q] * x0; s3 += u[o3 + q] * x0;
      }
      gw[g0 + j] += s0; gw[g1 + j] += s1; gw[g2 + j] += s2; gw[g3 + j] += s3;
    }
  }
  for (; k < r; k++) {
    const o = k * B;
    const g = k * d;
    for (let j = 0; j < d; j++) {
      const b = j * B;
      let s = 0;
      for (let q = 0; q < cnt; q++) s += u[o + q] * xb[b + q];
      gw[g + j] += s;
    }
  }
}

/**
 * The adversarial training objective L_adv at `net` and, when `grad` is given (length of
 * net.params, overwritten), its gradient at the attack's last iterate; see the file comment.
 * Needs the feature-major copy data.xT. With `xAdvOut` (row-major count x d) the perturbed inputs
 * are written there too (for tests and diagnostics). Random starts draw from `rng`.
 */
export function adversarialLossAndGradient(
  net: TwoLayerNet,
  data: TrainingData,
  activation: Activation,
  loss: TwoLayerLoss,
  attack: TwoLayerAttack,
  rng: Rng,
  ws: AdversarialWorkspace,
  grad: Float64Array | null,
  xAdvOut?: Float64Array,
): number {
  const { r, d } = net;
  const xT = data.xT;
  if (xT === undefined) throw new RangeError("adversarialLossAndGradient: the training data needs its feature-major copy xT");
  if (data.dim !== d || ws.d !== d || ws.r !== r) throw new RangeError(`adversarialLossAndGradient: dims (data ${data.dim}, workspace ${ws.d} x ${ws.r}) do not match the network (${d} x ${r})`);
  const code = activationCode(activation);
  const squared = loss === "squared";
  const N = data.count;
  const B = ws.block;
  const { eps, steps, stepSize: alpha } = attack;
  const linf = attack.norm === "linf";
  let gw: Float64Array | null = null;
  let gh: Float64Array | null = null;
  if (grad !== null) {
    grad.fill(0);
    gw = grad.subarray(0, r * d);
    gh = grad.subarray(r * d);
  }
  const { xb } = ws;
  let total = 0;
  for (let i0 = 0; i0 < N; i0 += B) {
    const cnt = Math.min(B, N - i0);
    if (attack.randomStart) randomStart(attack, xT, N, i0, cnt, ws, rng);
    else {
      for (let j = 0; j < d; j++) {
        const xo = j * N + i0;
        const bo = j * B;
        for (let q = 0; q < cnt; q++) xb[bo + q] = xT[xo + q];
      }
    }
    for (let step = 0; step < steps; step++) {
      blockForward(net, code, squared, ws, data, i0, cnt, false, null);
      if (linf) linfBlockStep(net, ws, xT, N, i0, cnt, eps, alpha);
      else l2BlockStep(net, ws, xT, N, i0, cnt, eps, alpha);
    }
    total += blockForward(net, code, squared, ws, data, i0, cnt, true, gh);
    if (gw !== null) blockWeightGradient(ws, cnt, gw);
    if (xAdvOut !== undefined) {
      for (let q = 0; q < cnt; q++) for (let j = 0; j < d; j++) xAdvOut[(i0 + q) * d + j] = xb[j * B + q];
    }
  }
  return total;
}
