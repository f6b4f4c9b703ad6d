/**
 * The target step's expected excess risk given the representation U (MODEL §3.4, §4) and the
 * bounds on it (MODEL §6 B4). Derivations: docs/THEORY.md, sections §4 and B4.
 */
import { normalCdf, normalPdf } from "../../../core/linalg/normal.js";
import { integrate } from "../../../core/linalg/quadrature.js";
import { requireInteger, requireNumber } from "../../../core/config/parse.js";
import { type BoundValue, fromFormula, undefinedBound } from "../../../core/model/boundValue.js";

const TWO_OVER_SQRT_2PI = 0.7978845608028654; // 2 / sqrt(2 pi)

/** Q(x) = 1 - Phi(x), accurate in the upper tail. */
function upperTail(x: number): number {
  return normalCdf(-x);
}

/**
 * D_r(lambda) = 1 - E[cos psi], where psi is the angle between w ~ N(lambda e, I_r) and e
 * (THEORY.md (X3)):
 *
 *   D_r(lambda) = 2 Q(lambda) + (2 lambda / sqrt(2 pi)) int_0^{pi/2} (1 - cos^{r-1} t) exp(-lambda^2 sin^2 t / 2) cos t dt,
 *
 * a sum of non-negative terms (no cancellation for large lambda). r = 1 gives 2 Q(lambda) exactly;
 * lambda = 0 gives 1; D decreases from 1 to 0 as lambda grows, and D ~ (r - 1)/(2 lambda^2) for
 * large lambda (r >= 2). Relative accuracy about 1e-12 (adaptive Gauss-Kronrod; the integrand is
 * cut where lambda sin t > 40, beyond which it is below e^-800).
 */
export function projectedNormalCosineDeficit(lambda: number, r: number): number {
  requireNumber("lambda", lambda, { min: 0 });
  requireInteger("r", r, 1);
  const tail = 2 * upperTail(lambda);
  if (r === 1 || lambda === 0) return lambda === 0 ? 1 : tail;
  const k = r - 1;
  const half = 0.5 * lambda * lambda;
  const integrand = (t: number): number => {
    const s = Math.sin(t);
    const sh = Math.sin(0.5 * t);
    // 1 - cos^k t = -expm1(k log(cos t)), cos t = 1 - 2 sin^2(t/2), accurate for small t.
    const oneMinusCosK = -Math.expm1(k * Math.log1p(-2 * sh * sh));
    return oneMinusCosK * Math.exp(-half * s * s) * Math.cos(t);
  };
  const upper = 40 / lambda >= 1 ? Math.PI / 2 : Math.asin(40 / lambda);
  const body = integrate(integrand, 0, upper, { absTol: 1e-300, relTol: 1e-13 });
  return tail + TWO_OVER_SQRT_2PI * lambda * body;
}

/** Inputs of {@link expectedTargetExcess} and {@link targetExcessBound}. */
export interface TargetExcessInput {
  /** ||a|| = ||U^T mu_0||, in [0, mu0Norm]. */
  readonly aNorm: number;
  /** ||mu_0|| > 0. */
  readonly mu0Norm: number;
  /** Noise level sigma > 0. */
  readonly sigma: number;
  /** Number of target samples n0 >= 1. */
  readonly n0: number;
  /** Representation dimension r >= 1. */
  readonly r: number;
}

/** ||a|| may exceed ||mu_0|| by rounding when U spans mu_0; beyond this relative slack it is an error. */
const A_NORM_SLACK = 1e-9;

function checkInput(input: TargetExcessInput): { aNorm: number; mu0Norm: number; tau0: number; r: number } {
  const mu0Norm = requireNumber("mu0Norm", input.mu0Norm, { min: 0, minOpen: true });
  const aRaw = requireNumber("aNorm", input.aNorm, { min: 0, max: mu0Norm * (1 + A_NORM_SLACK) });
  const sigma = requireNumber("sigma", input.sigma, { min: 0, minOpen: true });
  const n0 = requireNumber("n0", input.n0, { min: 1 });
  const r = requireInteger("r", input.r, 1);
  return { aNorm: Math.min(aRaw, mu0Norm), mu0Norm, tau0: sigma / Math.sqrt(n0), r };
}

/**
 * E[excess | U] for the target step of MODEL §3.4, averaged over the n0 target samples (MODEL §4,
 * THEORY.md (X1)):
 *
 *   E[excess | U] = (||mu_0|| - ||a||) + ||a|| D_r(lambda),   lambda = ||a|| sqrt(n0) / sigma,
 *
 * with a = U^T mu_0 and D_r from {@link projectedNormalCosineDeficit}. Always in
 * [||mu_0|| - ||a||, ||mu_0||]; ||a|| = 0 gives ||mu_0|| (the head is then a uniformly random
 * direction of span(U)). r = 1 reduces to ||mu_0|| - ||a|| (2 Phi(lambda) - 1).
 */
export function expectedTargetExcess(input: TargetExcessInput): number {
  const { aNorm, mu0Norm, tau0, r } = checkInput(input);
  return mu0Norm - aNorm + aNorm * projectedNormalCosineDeficit(aNorm / tau0, r);
}

/**
 * The noise term of B4s, a bound on ||a|| (D_r(lambda) - 2 Q(lambda)) written as c(r, lambda) tau0^2 / ||a||
 * with lambda = ||a|| / tau0 (THEORY.md B4s and "B4s for r = 1 and r = 2"):
 * r = 1: 0 (D_1 = 2 Q exactly); r = 2: min(1, 1/2 + 3 / (2 lambda^2)) (from 1 - sqrt(1 - y) <=
 * y/2 + y^2/2, MODEL §6.1, and from y <= ... as for r >= 3); r >= 3: (r - 1)/2 (Bernoulli).
 * Non-increasing in lambda, so B5 may evaluate it at the smallest admissible ||a||.
 * At lambda = 1 the MODEL form (2) is the larger, so the minimum is 1:
 * @example targetNoiseFactor(2, 1) // 1
 */
export function targetNoiseFactor(r: number, lambda: number): number {
  requireInteger("r", r, 1);
  requireNumber("lambda", lambda, { min: 0 });
  if (r === 1) return 0;
  if (r === 2) return lambda > 0 ? Math.min(1, 0.5 + 1.5 / (lambda * lambda)) : 1;
  return (r - 1) / 2;
}

/** The two forms of B4 (THEORY.md B4). */
export interface TargetExcessBound {
  /** MODEL §6 B4: ||mu_0|| sin^2(phi) + 2 sigma^2 r / (n0 ||mu_0|| cos phi). */
  readonly value: BoundValue;
  /** THEORY.md B4s: ||mu_0|| (1 - cos phi) + 2 ||a|| Q(lambda) + c(r, lambda) sigma^2 / (n0 ||a||) (targetNoiseFactor; exact for r = 1). */
  readonly sharp: BoundValue;
  /** cos(phi) = ||a|| / ||mu_0||. */
  readonly cosPhi: number;
  /** sin(phi) = sqrt(1 - cos^2 phi). */
  readonly sinPhi: number;
}

/**
 * Upper bounds on E[excess | U] (MODEL §6 B4 and its sharp form B4s, THEORY.md B4). Both are
 * capped at ||mu_0|| (an exact fact: E[excess | U] <= ||mu_0||) and undefined when cos(phi) = 0.
 * B4s is asymptotically exact for r >= 3 as n0 grows; B4 is looser by about 4 r/(r - 1) in its
 * second term.
 */
export function targetExcessBound(input: TargetExcessInput): TargetExcessBound {
  const { aNorm, mu0Norm, tau0, r } = checkInput(input);
  const cosPhi = aNorm / mu0Norm;
  const sinPhi = Math.sqrt(Math.max(0, (1 - cosPhi) * (1 + cosPhi)));
  if (!(aNorm > 0)) return { value: undefinedBound(mu0Norm), sharp: undefinedBound(mu0Norm), cosPhi, sinPhi };
  const noise2 = tau0 * tau0; // sigma^2 / n0
  const model = mu0Norm * sinPhi * sinPhi + (2 * noise2 * r) / aNorm;
  const lambda = aNorm / tau0;
  const sharp = mu0Norm - aNorm + 2 * aNorm * upperTail(lambda) + (targetNoiseFactor(r, lambda) * noise2) / aNorm;
  return { value: fromFormula(model, mu0Norm), sharp: fromFormula(sharp, mu0Norm), cosPhi, sinPhi };
}

/**
 * The B4 bounds as functions of a bound on sin(phi) rather than of phi itself (THEORY.md B5):
 * with b' = min(sinPhiBound, 1) and c = sqrt(1 - b'^2), valid for every U with sin(phi) <= b',
 *
 *   B4:  ||mu_0|| b'^2 + 2 sigma^2 r / (n0 ||mu_0|| c),
 *   B4s: ||mu_0|| (1 - c) + 2 tau0 phi(lambda_c) + c(r, lambda_c) sigma^2 / (n0 ||mu_0|| c),  lambda_c = ||mu_0|| c / tau0,
 *   exact: E[excess | U] at ||a|| = ||mu_0|| c (MODEL §4's integral; THEORY.md "B5": E[excess | U]
 *   is non-increasing in ||a||),
 *
 * all non-increasing in cos(phi), so evaluating them at the smallest admissible cos(phi) bounds
 * every admissible U. Undefined (cap ||mu_0||) when b' = 1.
 */
export function targetExcessBoundFromSinPhi(input: Omit<TargetExcessInput, "aNorm"> & { readonly sinPhiBound: number }): {
  readonly value: BoundValue;
  readonly sharp: BoundValue;
  readonly exact: BoundValue;
} {
  const { mu0Norm, tau0, r } = checkInput({ ...input, aNorm: 0 });
  const b = Math.min(requireNumber("sinPhiBound", input.sinPhiBound, { min: 0 }), 1);
  const c = Math.sqrt((1 - b) * (1 + b));
  if (!(c > 0)) return { value: undefinedBound(mu0Norm), sharp: undefinedBound(mu0Norm), exact: undefinedBound(mu0Norm) };
  const noise2 = tau0 * tau0;
  const model = mu0Norm * b * b + (2 * noise2 * r) / (mu0Norm * c);
  const lambda = (mu0Norm * c) / tau0;
  const sharp = (mu0Norm * b * b) / (1 + c) + 2 * tau0 * normalPdf(lambda) + (targetNoiseFactor(r, lambda) * noise2) / (mu0Norm * c);
  const exact = expectedTargetExcess({ aNorm: mu0Norm * c, mu0Norm, sigma: input.sigma, n0: input.n0, r });
  return { value: fromFormula(model, mu0Norm), sharp: fromFormula(sharp, mu0Norm), exact: fromFormula(exact, mu0Norm) };
}
