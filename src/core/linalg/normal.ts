/**
 * The standard normal density and distribution function, to near machine precision in both
 * tails (MODEL §1: phi and Phi).
 */

const INV_SQRT_2PI = 0.3989422804014327;

/** phi(x) = exp(-x^2 / 2) / sqrt(2 pi). */
export function normalPdf(x: number): number {
  return INV_SQRT_2PI * Math.exp(-0.5 * x * x);
}

/**
 * Upper tail Q(x) = 1 - Phi(x) for x >= 3 by the continued fraction of Mills' ratio,
 * Q(x) = phi(x) / (x + 1/(x + 2/(x + 3/(x + ...)))), evaluated by Lentz's method; relative
 * error ~1e-15 for x >= 3.
 */
function upperTail(x: number): number {
  const tiny = 1e-300;
  let f = x;
  let c = x;
  let d = 0;
  for (let k = 1; k < 500; k++) {
    d = x + k * d;
    d = d === 0 ? tiny : 1 / d;
    c = x + k / c;
    if (c === 0) c = tiny;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return normalPdf(x) / f;
}

/**
 * Phi(x), the standard normal CDF. For |x| < 3 Marsaglia's series
 * Phi(x) = 1/2 + phi(x) (x + x^3/3 + x^5/(3 5) + ...), absolute error ~1e-16; beyond, the
 * continued fraction for the tail, so Phi(-x) keeps full relative precision (Phi(-10) ~ 7.6e-24).
 * Phi(-inf) = 0, Phi(+inf) = 1; NaN in gives NaN out.
 */
export function normalCdf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x === Infinity) return 1;
  if (x === -Infinity) return 0;
  if (x < -38.5) return 0;
  if (Math.abs(x) < 3) {
    let term = x;
    let sum = x;
    const x2 = x * x;
    for (let k = 3; k < 200; k += 2) {
      term *= x2 / k;
      const next = sum + term;
      if (next === sum) break;
      sum = next;
    }
    return 0.5 + normalPdf(x) * sum;
  }
  return x > 0 ? 1 - upperTail(x) : upperTail(-x);
}
