import { describe, expect, it } from "vitest";
import { normalCdf, normalPdf } from "../../../../src/core/linalg/normal.js";
import { Rng } from "../../../../src/core/random/rng.js";
import { pseudoLabelAgreement, pseudoLabelPopulationMean } from "../../../../src/families/mixture/theory/pseudoLabel.js";

/**
 * Sample-level simulation of MODEL §2.1/§3.3 (x = y mu + sigma g, yhat = sign(<beta, x>), sign(0) = +1):
 * per-coordinate mean of yhat x and its standard error over m samples.
 */
function simulate(beta: number[], mu: number[], sigma: number, m: number, rng: Rng): { mean: number[]; se: number[] } {
  const d = mu.length;
  const g = new Float64Array(d);
  const sum = new Float64Array(d);
  const sumSq = new Float64Array(d);
  for (let i = 0; i < m; i++) {
    const y = rng.sign();
    rng.fillNormal(g);
    let proj = 0;
    for (let j = 0; j < d; j++) {
      g[j] = y * mu[j] + sigma * g[j];
      proj += beta[j] * g[j];
    }
    const yhat = proj >= 0 ? 1 : -1;
    for (let j = 0; j < d; j++) {
      sum[j] += yhat * g[j];
      sumSq[j] += g[j] * g[j];
    }
  }
  const mean = Array.from(sum, (s) => s / m);
  const se = Array.from(sumSq, (s, j) => Math.sqrt((s / m - mean[j] * mean[j]) / m));
  return { mean, se };
}

describe("pseudoLabelPopulationMean (MODEL §5 E2)", () => {
  it("matches the formula by hand for a teacher along mu", () => {
    // beta = mu/||mu||, ||mu|| = 2, sigma = 1: c = 2, mean = (2 Phi(2) - 1) mu + 2 phi(2) mu/2.
    const out = pseudoLabelPopulationMean([1, 0], [2, 0], 1);
    expect(out[0]).toBeCloseTo(2 * (2 * normalCdf(2) - 1) + 2 * normalPdf(2), 15);
    expect(out[1]).toBe(0);
  });

  it("agrees with a large-m sample-level simulation within 4.5 SE per coordinate (fixed seed)", () => {
    const rng = new Rng("test:e2:population");
    const mu = [1.2, -0.5, 0.3, 0];
    const cases = [
      { beta: [0.6, 0.8, 0, 0], sigma: 1 }, // a teacher partly wrong: c = 0.32
      { beta: [3, -1, 1, 2], sigma: 0.7 }, // non-unit teacher with off-mean components (the leak term)
      { beta: [-1, 0, 0, 0], sigma: 1.5 }, // an anti-aligned teacher: negative agreement
    ];
    for (const { beta, sigma } of cases) {
      const pop = pseudoLabelPopulationMean(beta, mu, sigma);
      const { mean, se } = simulate(beta, mu, sigma, 150_000, rng);
      for (let j = 0; j < mu.length; j++) expect(Math.abs(mean[j] - pop[j])).toBeLessThan(4.5 * se[j]);
    }
  });

  it("is zero for a dropped teacher, which labels everything +1 (E[x] = 0)", () => {
    const rng = new Rng("test:e2:dropped");
    const mu = [1, 2, -1];
    const pop = pseudoLabelPopulationMean([0, 0, 0], mu, 1);
    expect(Array.from(pop)).toEqual([0, 0, 0]);
    const { mean, se } = simulate([0, 0, 0], mu, 1, 100_000, rng);
    for (let j = 0; j < mu.length; j++) expect(Math.abs(mean[j])).toBeLessThan(4.5 * se[j]);
  });

  it("agreement 2 Phi(c/sigma) - 1 is the frequency of yhat = y (fixed seed, 4.5 SE)", () => {
    const rng = new Rng("test:e2:agreement");
    const [c, sigma, m] = [0.4, 1, 100_000];
    let s = 0;
    for (let i = 0; i < m; i++) {
      const y = rng.sign();
      const yhat = y * c + sigma * rng.normal() >= 0 ? 1 : -1;
      s += yhat * y;
    }
    const a = pseudoLabelAgreement(c, sigma);
    expect(Math.abs(s / m - a)).toBeLessThan(4.5 * Math.sqrt((1 - a * a) / m));
  });
});
