/**
 * Input attacks on the two-layer student (MODEL §3.6): projected gradient ascent (PGD) on the
 * per-sample loss l(f_t(x + delta), y) over the ball ||delta||_p <= eps, p in {inf, 2}, and FGSM.
 *
 * PGD (Madry et al. 2018), for every sample independently:
 *   delta_0 = 0, or uniform in the ball when randomStart
 *   delta_{k+1} = Proj_ball(delta_k + alpha s(g_k)),  g_k = dl/dx at x + delta_k,
 *   s(g) = sign(g) elementwise for p = inf (sign(0) = 0), g / ||g||_2 for p = 2 (0 when g = 0),
 *   Proj: clip to [-eps, eps] (p = inf), or rescale to norm eps when ||delta||_2 > eps (p = 2).
 * FGSM is PGD with K = 1, alpha = eps and no random start. Both are local searches: the loss
 * they find is a lower bound on the inner maximum. For phi = identity the loss is a function of
 * <beta, x + delta> with beta = W^T v_t, and the steepest-ascent step is already the maximiser
 * (MODEL §3.1, §3.5): one step of size >= eps from delta = 0 reaches the closed form.
 */
import type { Activation } from "../activation.js";
import type { TwoLayerAttack } from "./jointTraining.js";
import type { Rng } from "../../../core/random/rng.js";
import { outputsAndHiddenGradients, transposedTimes } from "./kernels.js";
import type { TwoLayerLoss, TwoLayerNet } from "./network.js";

/** Inputs (row-major count x d), labels and task indices of the samples under attack. */
export interface AttackTarget {
  readonly x: Float64Array;
  readonly y: Float64Array;
  readonly task: Int32Array;
}

/** What PGD records over its iterates 0..K for each sample (for robust evaluation). */
export interface AttackRecord {
  /** Largest loss seen at any iterate. */
  readonly maxLoss: Float64Array;
  /** Output f at the iterate of largest loss. */
  readonly outputAtMax: Float64Array;
  /** 1 when some iterate had y f <= 0 with sign(0) = +1, i.e. a sign error (classification). */
  readonly signError: Uint8Array;
}

/** Reusable buffers of an attack over `count` samples (avoids allocation per training step). */
export interface AttackBuffers {
  readonly xAdv: Float64Array;
  readonly f: Float64Array;
  readonly loss: Float64Array;
  readonly u: Float64Array;
  readonly grad: Float64Array;
  /** count x d normals of the l2 random start (empty when the attack does not need them). */
  readonly scratch: Float64Array;
}

/** Buffers for `attack` over count samples of dimension d, r hidden units. */
export function attackBuffers(count: number, d: number, r: number, attack?: TwoLayerAttack): AttackBuffers {
  const needsScratch = attack === undefined || (attack.norm === "l2" && attack.randomStart);
  return {
    xAdv: new Float64Array(count * d),
    f: new Float64Array(count),
    loss: new Float64Array(count),
    u: new Float64Array(count * r),
    grad: new Float64Array(d),
    scratch: new Float64Array(needsScratch ? count * d : 0),
  };
}

/**
 * Uniform random start in the l2 ball, row by row: delta = eps U^(1/d) g / ||g|| with g ~ N(0, I_d)
 * (direction uniform on the sphere, radius with density proportional to rho^(d-1)). `scratch`
 * receives count d normals and `radii` count uniforms.
 */
function l2RandomStart(xAdv: Float64Array, count: number, d: number, eps: number, rng: Rng, scratch: Float64Array, radii: Float64Array): void {
  rng.fillNormal(scratch);
  for (let i = 0; i < count; i++) radii[i] = rng.uniform53();
  const invD = 1 / d;
  for (let i = 0; i < count; i++) {
    const b = i * d;
    let nrm = 0;
    for (let j = 0; j < d; j++) nrm += scratch[b + j] * scratch[b + j];
    nrm = Math.sqrt(nrm);
    const radius = eps * Math.pow(radii[i], invD);
    const f = nrm > 0 ? radius / nrm : 0;
    for (let j = 0; j < d; j++) xAdv[b + j] += f * scratch[b + j];
  }
}

/** Uniform random start in the l-inf ball: xAdv[i] += U(-eps, eps) for i < len (32-bit uniforms). */
function linfRandomStart(xAdv: Float64Array, len: number, eps: number, rng: Rng): void {
  for (let i = 0; i < len; i++) xAdv[i] += eps * (2 * rng.uniform() - 1);
}

function signErrorOf(f: number, y: number): boolean {
  return (f >= 0 ? 1 : -1) !== (y >= 0 ? 1 : -1);
}

/** Records, per sample, the largest loss so far (and the output there) and any sign error. */
function trackIterate(record: AttackRecord, f: Float64Array, loss: Float64Array, y: Float64Array, count: number): void {
  const { maxLoss, outputAtMax, signError } = record;
  for (let i = 0; i < count; i++) {
    if (loss[i] > maxLoss[i]) {
      maxLoss[i] = loss[i];
      outputAtMax[i] = f[i];
    }
    if (signErrorOf(f[i], y[i])) signError[i] = 1;
  }
}

/**
 * One l-inf ascent step of the row at offset b: delta = clip(xAdv - x + alpha sign(g), -eps, eps),
 * xAdv = x + delta. Written without data-dependent branches (the signs of g are random, so
 * branches would mispredict about half the time): sign(g) = g / (|g| + 1e-300), exact for
 * |g| > 1e-284 and 0 for g = 0, and clip(t, -eps, eps) = (|t + eps| - |t - eps|) / 2, exact up to
 * rounding of order 1e-16 eps.
 */
function linfStep(x: Float64Array, xAdv: Float64Array, g: Float64Array, b: number, d: number, eps: number, alpha: number): void {
  for (let j = 0; j < d; j++) {
    const gj = g[j];
    const xj = x[b + j];
    const t = xAdv[b + j] - xj + (alpha * gj) / (Math.abs(gj) + 1e-300);
    xAdv[b + j] = xj + 0.5 * (Math.abs(t + eps) - Math.abs(t - eps));
  }
}

/**
 * One l2 ascent step of the row at offset b: delta = xAdv - x + alpha g / ||g||, rescaled to norm
 * eps when longer; xAdv = x + delta. Overwrites g.
 */
function l2Step(x: Float64Array, xAdv: Float64Array, g: Float64Array, b: number, d: number, eps: number, alpha: number): void {
  let gn = 0;
  for (let j = 0; j < d; j++) gn += g[j] * g[j];
  gn = Math.sqrt(gn);
  const scale = gn > 0 ? alpha / gn : 0;
  let dn = 0;
  for (let j = 0; j < d; j++) {
    const delta = xAdv[b + j] - x[b + j] + scale * g[j];
    g[j] = delta;
    dn += delta * delta;
  }
  dn = Math.sqrt(dn);
  const shrink = dn > eps ? eps / dn : 1;
  for (let j = 0; j < d; j++) xAdv[b + j] = x[b + j] + shrink * g[j];
}

/**
 * Runs the attack from the clean inputs target.x and returns the perturbed inputs (in
 * buffers.xAdv when given). With `record`, also evaluates the last iterate and fills, per sample,
 * the largest loss over iterates 0..K, the output there and whether any iterate had a sign error.
 * The random start draws from `rng` (unused without random start).
 */
export function attackInputs(
  net: TwoLayerNet,
  activation: Activation,
  loss: TwoLayerLoss,
  attack: TwoLayerAttack,
  target: AttackTarget,
  rng: Rng,
  buffers?: AttackBuffers,
  record?: AttackRecord,
): Float64Array {
  const { r, d, w } = net;
  const { x, y, task } = target;
  const count = task.length;
  const buf = buffers ?? attackBuffers(count, d, r, attack);
  const { xAdv, f, loss: lossBuf, u, grad } = buf;
  const { eps, steps, stepSize: alpha } = attack;
  const linf = attack.norm === "linf";
  xAdv.set(x.subarray(0, count * d));
  if (attack.randomStart) {
    if (linf) linfRandomStart(xAdv, count * d, eps, rng);
    else {
      const scratch = buf.scratch.length >= count * d ? buf.scratch : new Float64Array(count * d);
      l2RandomStart(xAdv, count, d, eps, rng, scratch, buf.f);
    }
  }
  if (record !== undefined) {
    record.maxLoss.fill(-Infinity);
    record.signError.fill(0);
  }
  for (let step = 0; step < steps; step++) {
    outputsAndHiddenGradients(net, xAdv, y, task, activation, loss, f, lossBuf, u);
    if (record !== undefined) trackIterate(record, f, lossBuf, y, count);
    for (let i = 0; i < count; i++) {
      transposedTimes(w, r, d, u, i * r, grad);
      if (linf) linfStep(x, xAdv, grad, i * d, d, eps, alpha);
      else l2Step(x, xAdv, grad, i * d, d, eps, alpha);
    }
  }
  if (record !== undefined) {
    outputsAndHiddenGradients(net, xAdv, y, task, activation, loss, f, lossBuf, u);
    trackIterate(record, f, lossBuf, y, count);
  }
  return xAdv;
}
