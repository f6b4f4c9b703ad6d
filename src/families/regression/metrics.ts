/**
 * The metrics of a regression method (MODEL §4, §5 E3-E4), all exact given the fitted
 * representation and target predictor:
 *   sinTheta, sinThetaFrobenius     representation error against B*
 *   targetExcess                    E_x (<beta_hat_0 - beta_0, x>)^2 = (beta_hat_0 - beta_0)^T Sigma (.)
 *   expectedExcess                  E[targetExcess | U] by E3 (when n0 > r + 1)
 *   targetParameterError            ||beta_hat_0 - beta_0||_2 (the prior work's metric)
 *   adversarialRiskLinf, ...L2      E4 at radius evaluation.eps, for the fitted beta_hat_0
 *   targetApproximation             b^2 = min_w (beta_0 - U w)^T Sigma (beta_0 - U w)
 */
import type { Mat } from "../../core/linalg/mat.js";
import { norm2 } from "../../core/linalg/mat.js";
import { sinTheta, sinThetaFrobenius } from "../../core/linalg/decompositions.js";
import type { RegressionScenario, RegressionTruth } from "./scenario.js";
import { fitTargetHead } from "./target.js";
import { adversarialRisk, approximationError, excessRisk, expectedTargetExcess } from "./theory/targetRisk.js";

/** Display names of the regression metrics. */
export const REGRESSION_METRIC_LABELS: Readonly<Record<string, string>> = {
  sinTheta: "sin theta(U, B*), spectral",
  sinThetaFrobenius: "sin theta(U, B*), Frobenius",
  targetExcess: "target excess prediction risk",
  expectedExcess: "E[target excess | U] (E3)",
  targetParameterError: "target parameter error ||beta_hat_0 - beta_0||",
  targetApproximation: "b^2 = min_w (beta_0 - U w)^T Sigma (beta_0 - U w)",
  adversarialRiskLinf: "adversarial target risk (l-inf attack, E4)",
  adversarialRiskL2: "adversarial target risk (l2 attack, E4)",
  iterations: "iterations",
  evaluations: "objective evaluations (FO ERM)",
  objective: "final objective",
  keptTasks: "tasks kept",
  passes: "subspace-iteration passes (method of moments)",
  relativeGradient: "relative gradient norm at the end (FO ERM)",
  imbalance: "||U^T U - W W^T||_F / ||W W^T||_F at the end (FO ERM)",
  cgSteps: "conjugate-gradient steps (AltMin)",
  solverSteps: "mean per-task solver steps (adversarial spectral)",
};

/** The representation and target metrics of a basis U. */
export function regressionMetrics(basis: Mat, truth: RegressionTruth, scenario: RegressionScenario, target: { x: Float64Array; y: Float64Array; n0: number }, evalEps: number): { metrics: Record<string, number>; reason?: string } {
  const metrics: Record<string, number> = {
    sinTheta: sinTheta(basis, truth.basis),
    sinThetaFrobenius: sinThetaFrobenius(basis, truth.basis),
  };
  const b2 = approximationError(basis, truth.targetBeta, truth.design);
  metrics.targetApproximation = b2;
  if (scenario.n0 > scenario.r + 1) metrics.expectedExcess = expectedTargetExcess({ b2, sigma: scenario.sigma, r: scenario.r, n0: scenario.n0 });
  const fit = fitTargetHead(basis, target.x, target.y, target.n0);
  if (fit === null) return { metrics, reason: "the target features U^T x have rank < r: no least-squares head" };
  const beta = fit.predictor;
  metrics.targetExcess = excessRisk(beta, truth.targetBeta, truth.design);
  metrics.targetParameterError = norm2(Float64Array.from(beta, (v, i) => v - truth.targetBeta[i]));
  metrics.adversarialRiskLinf = adversarialRisk(beta, truth.targetBeta, truth.design, scenario.sigma, evalEps, "linf");
  metrics.adversarialRiskL2 = adversarialRisk(beta, truth.targetBeta, truth.design, scenario.sigma, evalEps, "l2");
  return { metrics };
}
