/**
 * Perturbation norms of adversarial training and robust evaluation (MODEL §1): p in {2, inf}
 * and its dual q (q = 2 for p = 2, q = 1 for p = inf), one type for every family.
 */
import { norm1, norm2 } from "../linalg/mat.js";

/** The perturbation norms p: "l2" (p = 2) and "linf" (p = infinity). */
export const PERTURBATION_NORMS = ["linf", "l2"] as const;
export type PerturbationNorm = (typeof PERTURBATION_NORMS)[number];

/** A method's attack: a perturbation norm, or "none" for standard training. */
export type AttackChoice = "none" | PerturbationNorm;

/**
 * The dual norm ||x||_q of the p-norm: ||x||_1 for p = inf, ||x||_2 for p = 2, so that
 * sup_{||delta||_p <= eps} <x, delta> = eps ||x||_q (MODEL §3.1).
 * @example dualNorm([3, -4], "linf") // 7
 */
export function dualNorm(x: ArrayLike<number>, p: PerturbationNorm): number {
  return p === "linf" ? norm1(x) : norm2(x);
}

/** The metric-name suffix of a norm: "Linf" or "L2" (robustErrorLinf, robustExcessL2, ...). */
export function normSuffix(p: PerturbationNorm): "Linf" | "L2" {
  return p === "linf" ? "Linf" : "L2";
}
