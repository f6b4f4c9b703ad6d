/**
 * Population facts of pseudo-labelling (MODEL §3.3, §5 E2; derivation in docs/THEORY.md E2).
 */
import { norm2 } from "../../../core/linalg/mat.js";
import { normalCdf, normalPdf } from "../../../core/linalg/normal.js";
import { requireNumber } from "../../../core/config/parse.js";

/**
 * The agreement E[yhat y] = 2 Phi(c / sigma) - 1 of a teacher with unit direction beta, c =
 * <beta, mu> (THEORY.md E2). In (-1, 1); 0 for a dropped teacher (c = 0 and every yhat = +1).
 */
export function pseudoLabelAgreement(c: number, sigma: number): number {
  requireNumber("c", c);
  requireNumber("sigma", sigma, { min: 0, minOpen: true });
  return 2 * normalCdf(c / sigma) - 1;
}

/**
 * The population mean of one pseudo-labelled sample (MODEL §5 E2):
 *
 *   E[yhat x] = (2 Phi(c/sigma) - 1) mu + 2 sigma phi(c/sigma) beta_hat,   beta_hat = beta / ||beta||, c = <beta_hat, mu>,
 *
 * for a teacher independent of the unlabelled sample, yhat = sign(<beta, x>). Only beta's
 * direction matters, so a non-unit teacher is normalised. A dropped teacher (beta = 0) labels every
 * sample +1 and the mean is E[x] = 0. Requires sigma > 0 and equal lengths.
 */
export function pseudoLabelPopulationMean(beta: ArrayLike<number>, mu: ArrayLike<number>, sigma: number): Float64Array {
  if (beta.length !== mu.length) throw new RangeError(`pseudoLabelPopulationMean: beta has ${beta.length} entries, mu has ${mu.length}`);
  requireNumber("sigma", sigma, { min: 0, minOpen: true });
  const d = mu.length;
  const out = new Float64Array(d);
  const nb = norm2(beta);
  if (nb === 0) return out;
  let c = 0;
  for (let i = 0; i < d; i++) c += (beta[i] / nb) * mu[i];
  const agreement = 2 * normalCdf(c / sigma) - 1;
  const leak = (2 * sigma * normalPdf(c / sigma)) / nb;
  for (let i = 0; i < d; i++) out[i] = agreement * mu[i] + leak * beta[i];
  return out;
}
