import { describe, expect, it } from "vitest";
import { thinQR } from "../../../src/core/linalg/decompositions.js";
import { zeros } from "../../../src/core/linalg/mat.js";
import { Rng } from "../../../src/core/random/rng.js";
import { drawRegressionData } from "../../../src/families/regression/samplers.js";
import { type RegressionScenario, DEFAULT_REGRESSION_SCENARIO, drawRegressionTruth } from "../../../src/families/regression/scenario.js";
import { fitTargetHead } from "../../../src/families/regression/target.js";
import { adversarialRisk, approximationError, attackDualNorm, excessRisk, expectedTargetExcess } from "../../../src/families/regression/theory/targetRisk.js";
import { ALPHA, meanSe, zCritical } from "../../statistics.js";

function scenario(over: Partial<RegressionScenario>): RegressionScenario {
  const sc = { ...DEFAULT_REGRESSION_SCENARIO, ...over };
  return { ...sc, s: sc.d };
}

const spiked = { kind: "spiked", tau: 0.8, lambda: [2, 0.5] } as const;

describe("MODEL E3: E[excess | U] of least squares on U^T x, against Monte Carlo (4.5 SE)", () => {
  for (const cov of [{ kind: "isotropic" } as const, spiked]) {
    it(`${cov.kind} design, d = 8, r = 2, n0 = 12, sigma = 0.7, U off B*`, () => {
      const sc = scenario({ d: 8, r: 2, n0: 12, sigma: 0.7, covariance: cov });
      const rng = new Rng(`e3:${cov.kind}`);
      const truth = drawRegressionTruth(sc, rng.fork("truth"));
      // U = orthonormalised B* + 0.5 G: a representation with approximation error b^2 > 0.
      const g = rng.fork("u").fillNormal(new Float64Array(sc.d * sc.r));
      const u = thinQR({ ...zeros(sc.d, sc.r), data: g.map((v, i) => truth.basis.data[i] + 0.5 * v) }, 0).q;
      const b2 = approximationError(u, truth.targetBeta, truth.design);
      expect(b2).toBeGreaterThan(0.01);
      const M = 6000;
      const excess = new Float64Array(M);
      const mc = rng.fork("mc");
      for (let m = 0; m < M; m++) {
        const data = drawRegressionData({ ...sc, T: 1, n: 1 }, truth, mc.fork(`rep:${m}`), { sampler: "sample", store: false });
        const fit = fitTargetHead(u, data.target.x, data.target.y, sc.n0);
        excess[m] = excessRisk((fit as { predictor: Float64Array }).predictor, truth.targetBeta, truth.design);
      }
      const { mean, se } = meanSe(excess);
      const expected = expectedTargetExcess({ b2, sigma: sc.sigma, r: sc.r, n0: sc.n0 });
      expect(Math.abs(mean - expected)).toBeLessThan(4.5 * se);
    });
  }
});

describe("MODEL E4: the adversarial population risk, against Monte Carlo (4.5 SE)", () => {
  for (const norm of ["l2", "linf"] as const) {
    it(`${norm} attack, spiked design, a beta off beta*`, () => {
      const sc = scenario({ d: 6, r: 2, sigma: 0.6, covariance: spiked });
      const rng = new Rng(`e4:${norm}`);
      const truth = drawRegressionTruth(sc, rng.fork("truth"));
      const beta = Float64Array.from(truth.targetBeta, (v, i) => v + 0.3 * Math.sin(i + 1));
      const eps = 0.2;
      const N = attackDualNorm(beta, norm);
      const M = 40000;
      const z = new Float64Array(M);
      const draw = rng.fork("mc");
      const x = new Float64Array(sc.d);
      for (let m = 0; m < M; m++) {
        draw.fillNormal(x);
        truth.design.root(x, 0);
        let f = 0;
        for (let j = 0; j < sc.d; j++) f += x[j] * (truth.targetBeta[j] - beta[j]);
        const res = f + sc.sigma * draw.normal();
        z[m] = (Math.abs(res) + eps * N) ** 2;
      }
      const { mean, se } = meanSe(z);
      const exact = adversarialRisk(beta, truth.targetBeta, truth.design, sc.sigma, eps, norm);
      expect(Math.abs(mean - exact)).toBeLessThan(4.5 * se);
    });
  }
});

describe("the exact (Bartlett) sampler against the sample path, in law", () => {
  // Per task t, statistics of the sufficient statistics (X_t^T X_t, X_t^T y_t, ||y_t||^2); tasks
  // are independent given the truth, so the per-task differences between the two paths have mean 0
  // under the null; each mean difference is tested at |z| <= z(ALPHA / k), k statistics (Bonferroni):
  // false-alarm rate at most ALPHA = 1e-5 for the test.
  for (const cov of [{ kind: "isotropic" } as const, spiked]) {
    it(`${cov.kind} design, d = 4, n = 9, T = 3000`, () => {
      const sc = scenario({ d: 4, r: 2, n: 9, T: 3000, sigma: 0.8, covariance: cov });
      const rng = new Rng(`exact-law:${cov.kind}`);
      const truth = drawRegressionTruth(sc, rng.fork("truth"));
      const stats = (sampler: "exact" | "sample") => {
        const data = drawRegressionData(sc, truth, rng.fork(`data:${sampler}`), { sampler, store: false });
        const xty = data.xty();
        const yy = data.yy();
        const out = [new Float64Array(sc.T), new Float64Array(sc.T), new Float64Array(sc.T), new Float64Array(sc.T), new Float64Array(sc.T)];
        data.forEachTaskBlock((b) => {
          for (let k = 0; k < b.count; k++) {
            const t = b.first + k;
            let tr = 0;
            let x01 = 0;
            for (let i = 0; i < b.rows; i++) {
              const o = (k * b.rows + i) * b.d;
              for (let j = 0; j < b.d; j++) tr += b.x[o + j] ** 2;
              x01 += b.x[o] * b.x[o + 1];
            }
            let c2 = 0;
            let cb = 0;
            for (let j = 0; j < sc.d; j++) {
              const c = xty.data[t * sc.d + j];
              c2 += c * c;
              cb += c * truth.betas.data[t * sc.d + j];
            }
            out[0][t] = tr;
            out[1][t] = x01;
            out[2][t] = c2;
            out[3][t] = cb;
            out[4][t] = yy[t];
          }
        });
        return out;
      };
      const a = stats("exact");
      const b = stats("sample");
      const z = zCritical(ALPHA / a.length);
      for (let s = 0; s < a.length; s++) {
        const { mean, se } = meanSe(a[s].map((v, t) => v - b[s][t]));
        expect(Math.abs(mean)).toBeLessThan(z * se);
      }
    });
  }
});
