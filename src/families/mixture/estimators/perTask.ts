/**
 * The per-task step of the paper's Algorithm 1 (MODEL §3.1): from a task's sufficient statistic
 * v_t to its direction beta_t, with or without adversarial training.
 */
import { norm1, norm2 } from "../../../core/linalg/mat.js";

/** Perturbation norm of adversarial training; "none" is standard training. */
export type Attack = "none" | "l2" | "linf";

/** S_eps(v) = sign(v) max(|v| - eps, 0) elementwise (MODEL §1). */
export function softThreshold(v: ArrayLike<number>, eps: number): Float64Array {
  const out = new Float64Array(v.length);
  for (let i = 0; i < v.length; i++) {
    const a = v[i];
    out[i] = a > eps ? a - eps : a < -eps ? a + eps : 0;
  }
  return out;
}

/** The dual norm ||beta||_q of the attack's p-norm: q = 2 for p = 2, q = 1 for p = inf (MODEL §1). */
export function dualNorm(beta: ArrayLike<number>, attack: Attack): number {
  return attack === "linf" ? norm1(beta) : norm2(beta);
}

/**
 * The adversarial linear loss of beta on statistic v (MODEL §3.1):
 * -<beta, v> + eps ||beta||_q, the sample average of sup_{||delta||_p <= eps} -y <beta, x + delta>.
 * For attack "none" the eps term is absent.
 */
export function adversarialObjective(beta: ArrayLike<number>, v: ArrayLike<number>, attack: Attack, eps: number): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += beta[i] * v[i];
  return attack === "none" ? -s : -s + eps * dualNorm(beta, attack);
}

/**
 * The unnormalised direction of the per-task step, or null when the task is dropped:
 * standard: v; l2: v when ||v|| > eps, else dropped; l-inf: S_eps(v), dropped when it is 0.
 * Normalising it gives the minimiser of the adversarial objective over ||beta||_2 <= 1
 * (MODEL §3.1; docs/THEORY.md derives the closed forms). A zero v is dropped in every case.
 */
export function perTaskDirection(v: Float64Array, attack: Attack, eps: number): Float64Array | null {
  let out: Float64Array;
  if (attack === "linf") out = softThreshold(v, eps);
  else if (attack === "l2") {
    if (!(norm2(v) > eps)) return null;
    out = Float64Array.from(v);
  } else out = Float64Array.from(v);
  return norm2(out) > 0 ? out : null;
}

/**
 * The per-task estimate beta_t = argmin_{||beta||_2 <= 1} -<beta, v> + eps ||beta||_q
 * (MODEL §3.1): the unit direction of `perTaskDirection`, or null for a dropped task (beta_t = 0).
 */
export function perTaskStep(v: Float64Array, attack: Attack, eps: number): Float64Array | null {
  const dir = perTaskDirection(v, attack, eps);
  if (dir === null) return null;
  const inv = 1 / norm2(dir);
  for (let i = 0; i < dir.length; i++) dir[i] *= inv;
  return dir;
}
