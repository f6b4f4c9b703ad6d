/**
 * Forward and backward passes of the two-layer student (MODEL §3.6), hand-written on
 * Float64Array. With samples the rows of X (N x d, row-major) and W row-major r x d:
 *
 *   h_i = W x_i (r),  a_i = phi(h_i),  f_i = <v_{t(i)}, a_i>,  L = sum_i c_i l(f_i, y_i)
 *   g_i = c_i dl/df (f_i, y_i)
 *   dL/dv_t = sum_{i: t(i) = t} g_i a_i
 *   u_i = g_i v_{t(i)} (.) phi'(h_i)        (dL/dh_i)
 *   dL/dW = sum_i u_i x_i^T                 (r x d)
 *   dL/dx_i = W^T u_i                       (d; used by the attacks)
 *
 * with l(f, y) = (f - y)^2 (squared) or log(1 + exp(-y f)) (logistic) and weights c_i.
 *
 * Both products are skinny (r is a handful): little arithmetic per loaded entry of X. The passes
 * are fused: samples are taken in blocks; a block's rows are read for the forward products and,
 * while still in cache, again for the gradient of W, so dL/dW is accumulated in the same pass.
 *
 * In scalar JavaScript the two products do not cost the same. The gradient of W is an "axpy"
 * form (four rows of dL/dW updated from four samples per load/store of dL/dW) and runs at about
 * 8.5 GFLOP/s on the reference machine; the forward product over row-major X is a "dot" form
 * (accumulators over features; at most 12 fit in registers: three samples by four units) and runs
 * at about 5.5. Training data therefore carries a feature-major copy xT (d x N, built once per
 * data set): at the clean inputs the forward product becomes an axpy form over contiguous runs
 * of xT's rows (four units by four features per step, blocks of 96 samples), and the pass takes
 * about 20% less time. Perturbed inputs (the attacks) use the row-major forward, blocks of 12.
 * Rows of W beyond a multiple of four and samples beyond the block multiples take plain loops.
 */
import type { Activation } from "../activation.js";
import type { TwoLayerLoss, TwoLayerNet } from "./network.js";

/** Inputs, labels, task indices and per-sample weights c_i of a (multi-task) training set. */
export interface TrainingData {
  readonly count: number;
  readonly dim: number;
  /** Row-major count x dim. */
  readonly x: Float64Array;
  /**
   * Optional feature-major copy of x (dim x count: xT[j count + i] = x[i dim + j]). When present,
   * passes at the clean inputs take the forward product from it (see lossAndGradient).
   */
  readonly xT?: Float64Array;
  readonly y: Float64Array;
  readonly task: Int32Array;
  readonly weight: Float64Array;
}

/** The feature-major copy (dim x count) of row-major inputs x (count x dim). */
export function featureMajor(x: Float64Array, count: number, dim: number): Float64Array {
  const out = new Float64Array(count * dim);
  // Tiles of 16 rows keep the writes of a tile within a few cache lines per feature.
  for (let i0 = 0; i0 < count; i0 += 16) {
    const i1 = Math.min(count, i0 + 16);
    for (let j = 0; j < dim; j++) {
      const o = j * count;
      for (let i = i0; i < i1; i++) out[o + i] = x[i * dim + j];
    }
  }
  return out;
}

const RELU = 0;
const TANH = 1;
const QUADRATIC = 2;
const IDENTITY = 3;

/** The activation as a small integer code for the hot loops. */
export function activationCode(activation: Activation): number {
  switch (activation) {
    case "relu":
      return RELU;
    case "tanh":
      return TANH;
    case "quadratic":
      return QUADRATIC;
    case "identity":
      return IDENTITY;
  }
}

/**
 * Writes phi(h) into a[off..off+r) and phi'(h) into dphi[off..off+r) for h = pre[off..off+r).
 */
export function activateInPlace(code: number, pre: Float64Array, a: Float64Array, dphi: Float64Array, off: number, r: number): void {
  for (let k = off; k < off + r; k++) {
    const h = pre[k];
    if (code === RELU) {
      const pos = h > 0;
      a[k] = pos ? h : 0;
      dphi[k] = pos ? 1 : 0;
    } else if (code === TANH) {
      const th = Math.tanh(h);
      a[k] = th;
      dphi[k] = 1 - th * th;
    } else if (code === QUADRATIC) {
      a[k] = h * h;
      dphi[k] = 2 * h;
    } else {
      a[k] = h;
      dphi[k] = 1;
    }
  }
}

/** log(1 + exp(z)) without overflow. */
export function softplus(z: number): number {
  return z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
}

/** The logistic function 1 / (1 + exp(-z)) without overflow. */
export function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

/** l(f, y): (f - y)^2 or log(1 + exp(-y f)). */
export function lossValue(loss: TwoLayerLoss, f: number, y: number): number {
  if (loss === "squared") {
    const e = f - y;
    return e * e;
  }
  return softplus(-y * f);
}

/**
 * Pre-activations W x_i of the `cnt` (1..4) consecutive rows starting at offset `base` of x,
 * into pre[q r + k] for row q and unit k.
 */
export function forwardGroup(x: Float64Array, base: number, cnt: number, w: Float64Array, r: number, d: number, pre: Float64Array, preOff = 0): void {
  if (cnt === 3) {
    forwardThree(x, base, w, r, d, pre, preOff);
    return;
  }
  if (cnt === 4) {
    const p0 = preOff;
    const p1 = p0 + r;
    const p2 = p1 + r;
    const p3 = p2 + r;
    const b0 = base;
    const b1 = b0 + d;
    const b2 = b1 + d;
    const b3 = b2 + d;
    let k = 0;
    for (; k + 3 < r; k += 4) {
      const o0 = k * d;
      const o1 = o0 + d;
      const o2 = o1 + d;
      const o3 = o2 + d;
      let s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0;
      let s20 = 0, s21 = 0, s22 = 0, s23 = 0, s30 = 0, s31 = 0, s32 = 0, s33 = 0;
      for (let j = 0; j < d; j++) {
        const x0 = x[b0 + j];
        const x1 = x[b1 + j];
        const x2 = x[b2 + j];
        const x3 = x[b3 + j];
        let v = w[o0 + j];
        s00 += v * x0; s10 += v * x1; s20 += v * x2; s30 += v * x3;
        v = w[o1 + j];
        s01 += v * x0; s11 += v * x1; s21 += v * x2; s31 += v * x3;
        v = w[o2 + j];
        s02 += v * x0; s12 += v * x1; s22 += v * x2; s32 += v * x3;
        v = w[o3 + j];
        s03 += v * x0; s13 += v * x1; s23 += v * x2; s33 += v * x3;
      }
      pre[p0 + k] = s00; pre[p0 + k + 1] = s01; pre[p0 + k + 2] = s02; pre[p0 + k + 3] = s03;
      pre[p1 + k] = s10; pre[p1 + k + 1] = s11; pre[p1 + k + 2] = s12; pre[p1 + k + 3] = s13;
      pre[p2 + k] = s20; pre[p2 + k + 1] = s21; pre[p2 + k + 2] = s22; pre[p2 + k + 3] = s23;
      pre[p3 + k] = s30; pre[p3 + k + 1] = s31; pre[p3 + k + 2] = s32; pre[p3 + k + 3] = s33;
    }
    for (; k < r; k++) {
      const o = k * d;
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      for (let j = 0; j < d; j++) {
        const v = w[o + j];
        s0 += v * x[b0 + j]; s1 += v * x[b1 + j]; s2 += v * x[b2 + j]; s3 += v * x[b3 + j];
      }
      pre[p0 + k] = s0; pre[p1 + k] = s1; pre[p2 + k] = s2; pre[p3 + k] = s3;
    }
    return;
  }
  for (let q = 0; q < cnt; q++) {
    const b = base + q * d;
    for (let k = 0; k < r; k++) {
      const o = k * d;
      let s = 0;
      for (let j = 0; j < d; j++) s += w[o + j] * x[b + j];
      pre[preOff + q * r + k] = s;
    }
  }
}

/**
 * Pre-activations of three consecutive rows, four units at a time: 12 accumulators, which fit
 * the 16 floating-point registers of x86-64 with the three inputs and one weight (four samples
 * need 16 accumulators and spill, measured about 8% slower).
 */
function forwardThree(x: Float64Array, base: number, w: Float64Array, r: number, d: number, pre: Float64Array, preOff: number): void {
  const b0 = base;
  const b1 = b0 + d;
  const b2 = b1 + d;
  const p0 = preOff;
  const p1 = p0 + r;
  const p2 = p1 + r;
  let k = 0;
  for (; k + 3 < r; k += 4) {
    const o0 = k * d;
    const o1 = o0 + d;
    const o2 = o1 + d;
    const o3 = o2 + d;
    let s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0, s20 = 0, s21 = 0, s22 = 0, s23 = 0;
    for (let j = 0; j < d; j++) {
      const x0 = x[b0 + j];
      const x1 = x[b1 + j];
      const x2 = x[b2 + j];
      let v = w[o0 + j];
      s00 += v * x0; s10 += v * x1; s20 += v * x2;
      v = w[o1 + j];
      s01 += v * x0; s11 += v * x1; s21 += v * x2;
      v = w[o2 + j];
      s02 += v * x0; s12 += v * x1; s22 += v * x2;
      v = w[o3 + j];
      s03 += v * x0; s13 += v * x1; s23 += v * x2;
    }
    pre[p0 + k] = s00; pre[p0 + k + 1] = s01; pre[p0 + k + 2] = s02; pre[p0 + k + 3] = s03;
    pre[p1 + k] = s10; pre[p1 + k + 1] = s11; pre[p1 + k + 2] = s12; pre[p1 + k + 3] = s13;
    pre[p2 + k] = s20; pre[p2 + k + 1] = s21; pre[p2 + k + 2] = s22; pre[p2 + k + 3] = s23;
  }
  for (; k < r; k++) {
    const o = k * d;
    let s0 = 0, s1 = 0, s2 = 0;
    for (let j = 0; j < d; j++) {
      const v = w[o + j];
      s0 += v * x[b0 + j]; s1 += v * x[b1 + j]; s2 += v * x[b2 + j];
    }
    pre[p0 + k] = s0; pre[p1 + k] = s1; pre[p2 + k] = s2;
  }
}

/**
 * gw += sum_q u[q r + k] x_{row q} for the `cnt` (1..4) consecutive rows starting at offset
 * `base` of x: the gradient of W from a group of samples.
 */
export function backwardGroup(x: Float64Array, base: number, cnt: number, u: Float64Array, r: number, d: number, gw: Float64Array, uOff = 0): void {
  if (cnt === 4) {
    const a0 = uOff;
    const a1 = a0 + r;
    const a2 = a1 + r;
    const a3 = a2 + r;
    const b0 = base;
    const b1 = b0 + d;
    const b2 = b1 + d;
    const b3 = b2 + d;
    let k = 0;
    for (; k + 3 < r; k += 4) {
      const o0 = k * d;
      const o1 = o0 + d;
      const o2 = o1 + d;
      const o3 = o2 + d;
      const u00 = u[a0 + k], u01 = u[a0 + k + 1], u02 = u[a0 + k + 2], u03 = u[a0 + k + 3];
      const u10 = u[a1 + k], u11 = u[a1 + k + 1], u12 = u[a1 + k + 2], u13 = u[a1 + k + 3];
      const u20 = u[a2 + k], u21 = u[a2 + k + 1], u22 = u[a2 + k + 2], u23 = u[a2 + k + 3];
      const u30 = u[a3 + k], u31 = u[a3 + k + 1], u32 = u[a3 + k + 2], u33 = u[a3 + k + 3];
      for (let j = 0; j < d; j++) {
        const x0 = x[b0 + j];
        const x1 = x[b1 + j];
        const x2 = x[b2 + j];
        const x3 = x[b3 + j];
        gw[o0 + j] += u00 * x0 + u10 * x1 + u20 * x2 + u30 * x3;
        gw[o1 + j] += u01 * x0 + u11 * x1 + u21 * x2 + u31 * x3;
        gw[o2 + j] += u02 * x0 + u12 * x1 + u22 * x2 + u32 * x3;
        gw[o3 + j] += u03 * x0 + u13 * x1 + u23 * x2 + u33 * x3;
      }
    }
    for (; k < r; k++) {
      const o = k * d;
      const u0 = u[a0 + k], u1 = u[a1 + k], u2 = u[a2 + k], u3 = u[a3 + k];
      for (let j = 0; j < d; j++) gw[o + j] += u0 * x[b0 + j] + u1 * x[b1 + j] + u2 * x[b2 + j] + u3 * x[b3 + j];
    }
    return;
  }
  for (let q = 0; q < cnt; q++) {
    const b = base + q * d;
    for (let k = 0; k < r; k++) {
      const uk = u[uOff + q * r + k];
      if (uk === 0) continue;
      const o = k * d;
      for (let j = 0; j < d; j++) gw[o + j] += uk * x[b + j];
    }
  }
}

/** Scratch buffers of one group of four samples. */
interface GroupScratch {
  readonly pre: Float64Array;
  readonly act: Float64Array;
  readonly dphi: Float64Array;
  readonly u: Float64Array;
}

/** Samples per block of the fused passes: forward in groups of 3, backward in groups of 4. */
const BLOCK = 12;

/** Samples per block when the forward product comes from the feature-major copy. */
const FEATURE_BLOCK = 96;

/** One scratch per width r, reused by every pass (the kernels are not re-entrant; nothing allocates per pass). */
const scratchByWidth = new Map<number, GroupScratch>();

function groupScratch(r: number): GroupScratch {
  let sc = scratchByWidth.get(r);
  if (sc === undefined) {
    const len = FEATURE_BLOCK * r;
    sc = { pre: new Float64Array(len), act: new Float64Array(len), dphi: new Float64Array(len), u: new Float64Array(len) };
    scratchByWidth.set(r, sc);
  }
  return sc;
}

/** Forward products of the `cnt` (<= BLOCK) rows starting at row i, three rows at a time. */
function forwardBlock(x: Float64Array, i: number, cnt: number, w: Float64Array, r: number, d: number, pre: Float64Array): void {
  for (let q = 0; q < cnt; q += 3) forwardGroup(x, (i + q) * d, Math.min(3, cnt - q), w, r, d, pre, q * r);
}

/** Gradient of W from the `cnt` rows starting at row i, four rows at a time. */
function backwardBlock(x: Float64Array, i: number, cnt: number, u: Float64Array, r: number, d: number, gw: Float64Array): void {
  for (let q = 0; q < cnt; q += 4) backwardGroup(x, (i + q) * d, Math.min(4, cnt - q), u, r, d, gw, q * r);
}

/**
 * Pre-activations of the `cnt` samples i0..i0+cnt-1 from the feature-major inputs xT (d x count)
 * into pre[q r + k], as sums over features of w_kj times a contiguous run of xT's row j: four
 * units by four features at a time, so each loaded input feeds four multiply-adds and each
 * load/store of pre carries four; the sixteen weights stay in registers across the run.
 */
export function forwardFeatureMajor(xT: Float64Array, count: number, i0: number, cnt: number, w: Float64Array, r: number, d: number, pre: Float64Array): void {
  pre.fill(0, 0, cnt * r);
  let k = 0;
  for (; k + 3 < r; k += 4) {
    const o0 = k * d;
    const o1 = o0 + d;
    const o2 = o1 + d;
    const o3 = o2 + d;
    let j = 0;
    for (; j + 3 < d; j += 4) {
      const a0 = w[o0 + j], a1 = w[o0 + j + 1], a2 = w[o0 + j + 2], a3 = w[o0 + j + 3];
      const b0 = w[o1 + j], b1 = w[o1 + j + 1], b2 = w[o1 + j + 2], b3 = w[o1 + j + 3];
      const c0 = w[o2 + j], c1 = w[o2 + j + 1], c2 = w[o2 + j + 2], c3 = w[o2 + j + 3];
      const e0 = w[o3 + j], e1 = w[o3 + j + 1], e2 = w[o3 + j + 2], e3 = w[o3 + j + 3];
      const f0 = j * count + i0;
      const f1 = f0 + count;
      const f2 = f1 + count;
      const f3 = f2 + count;
      for (let q = 0, p = k; q < cnt; q++, p += r) {
        const x0 = xT[f0 + q];
        const x1 = xT[f1 + q];
        const x2 = xT[f2 + q];
        const x3 = xT[f3 + q];
        pre[p] += a0 * x0 + a1 * x1 + a2 * x2 + a3 * x3;
        pre[p + 1] += b0 * x0 + b1 * x1 + b2 * x2 + b3 * x3;
        pre[p + 2] += c0 * x0 + c1 * x1 + c2 * x2 + c3 * x3;
        pre[p + 3] += e0 * x0 + e1 * x1 + e2 * x2 + e3 * x3;
      }
    }
    for (; j < d; j++) {
      const a = w[o0 + j], b = w[o1 + j], c = w[o2 + j], e = w[o3 + j];
      const f0 = j * count + i0;
      for (let q = 0, p = k; q < cnt; q++, p += r) {
        const x0 = xT[f0 + q];
        pre[p] += a * x0;
        pre[p + 1] += b * x0;
        pre[p + 2] += c * x0;
        pre[p + 3] += e * x0;
      }
    }
  }
  for (; k < r; k++) {
    const o = k * d;
    for (let j = 0; j < d; j++) {
      const a = w[o + j];
      const f0 = j * count + i0;
      for (let q = 0, p = k; q < cnt; q++, p += r) pre[p] += a * xT[f0 + q];
    }
  }
}

/**
 * The weighted loss L = sum_i c_i l(f_i, y_i) over all samples of `data` evaluated at inputs `x`
 * (data.x unless given: the attacks pass perturbed inputs), and, when `grad` is given (length of
 * net.params), its gradient with respect to [W | heads], written into grad (overwritten).
 * At data.x with data.xT present the forward product reads xT; otherwise x alone.
 */
export function lossAndGradient(
  net: TwoLayerNet,
  data: TrainingData,
  activation: Activation,
  loss: TwoLayerLoss,
  grad: Float64Array | null,
  x: Float64Array = data.x,
): number {
  const { r, d, w, heads } = net;
  if (data.dim !== d) throw new RangeError(`lossAndGradient: data has dim ${data.dim}, network has d = ${d}`);
  const code = activationCode(activation);
  const squared = loss === "squared";
  const { y, task, weight, count } = data;
  const sc = groupScratch(r);
  const { pre, act, dphi, u } = sc;
  let gw: Float64Array | null = null;
  let gh: Float64Array | null = null;
  if (grad !== null) {
    grad.fill(0);
    gw = grad.subarray(0, r * d);
    gh = grad.subarray(r * d);
  }
  const xT = x === data.x ? data.xT : undefined;
  const block = xT === undefined ? BLOCK : FEATURE_BLOCK;
  let total = 0;
  for (let i = 0; i < count; i += block) {
    const cnt = Math.min(block, count - i);
    if (xT === undefined) forwardBlock(x, i, cnt, w, r, d, pre);
    else forwardFeatureMajor(xT, count, i, cnt, w, r, d, pre);
    activateInPlace(code, pre, act, dphi, 0, cnt * r);
    for (let q = 0; q < cnt; q++) {
      const s = i + q;
      const t = task[s] * r;
      const off = q * r;
      let f = 0;
      for (let k = 0; k < r; k++) f += heads[t + k] * act[off + k];
      const ys = y[s];
      const c = weight[s];
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
      if (gh !== null) {
        for (let k = 0; k < r; k++) {
          gh[t + k] += g * act[off + k];
          u[off + k] = g * heads[t + k] * dphi[off + k];
        }
      }
    }
    if (gw !== null) backwardBlock(x, i, cnt, u, r, d, gw);
  }
  return total;
}

/**
 * For the attacks: at inputs `x` (count x d, row-major) with labels y and task indices `task`,
 * writes the outputs f_i into fOut, the unweighted losses l(f_i, y_i) into lossOut and
 * u_i = dl/dh_i = l'(f_i, y_i) v_{t(i)} (.) phi'(h_i) into uOut (count x r), so that the input
 * gradient is dl/dx_i = W^T u_i.
 */
export function outputsAndHiddenGradients(
  net: TwoLayerNet,
  x: Float64Array,
  y: Float64Array,
  task: Int32Array,
  activation: Activation,
  loss: TwoLayerLoss,
  fOut: Float64Array,
  lossOut: Float64Array,
  uOut: Float64Array,
): void {
  const { r, d, w, heads } = net;
  const code = activationCode(activation);
  const squared = loss === "squared";
  const count = task.length;
  const sc = groupScratch(r);
  const { pre, act, dphi } = sc;
  for (let i = 0; i < count; i += BLOCK) {
    const cnt = Math.min(BLOCK, count - i);
    forwardBlock(x, i, cnt, w, r, d, pre);
    activateInPlace(code, pre, act, dphi, 0, cnt * r);
    for (let q = 0; q < cnt; q++) {
      const s = i + q;
      const t = task[s] * r;
      const off = q * r;
      let f = 0;
      for (let k = 0; k < r; k++) f += heads[t + k] * act[off + k];
      const ys = y[s];
      let g: number;
      if (squared) {
        const e = f - ys;
        lossOut[s] = e * e;
        g = 2 * e;
      } else {
        const z = -ys * f;
        lossOut[s] = softplus(z);
        g = -ys * sigmoid(z);
      }
      fOut[s] = f;
      const uo = s * r;
      for (let k = 0; k < r; k++) uOut[uo + k] = g * heads[t + k] * dphi[off + k];
    }
  }
}

/** out = W^T u for one sample: out_j = sum_k u[uOff + k] W[k, j] (W row-major r x d). */
export function transposedTimes(w: Float64Array, r: number, d: number, u: Float64Array, uOff: number, out: Float64Array): void {
  let k = 0;
  if (r >= 4) {
    const u0 = u[uOff], u1 = u[uOff + 1], u2 = u[uOff + 2], u3 = u[uOff + 3];
    const o1 = d, o2 = 2 * d, o3 = 3 * d;
    for (let j = 0; j < d; j++) out[j] = u0 * w[j] + u1 * w[o1 + j] + u2 * w[o2 + j] + u3 * w[o3 + j];
    k = 4;
  } else {
    out.fill(0, 0, d);
  }
  for (; k < r; k++) {
    const uk = u[uOff + k];
    if (uk === 0) continue;
    const o = k * d;
    for (let j = 0; j < d; j++) out[j] += uk * w[o + j];
  }
}
