import { describe, expect, it } from "vitest";
import type { Mat } from "../../../../src/core/linalg/mat.js";
import { sinTheta } from "../../../../src/core/linalg/decompositions.js";
import { Rng } from "../../../../src/core/random/rng.js";
import { altMinErm } from "../../../../src/families/regression/estimators/altmin.js";
import { fitFo, foPreconditioner } from "../../../../src/families/regression/estimators/fo.js";
import { fitMom } from "../../../../src/families/regression/estimators/mom.js";
import { drawRegressionData } from "../../../../src/families/regression/samplers.js";
import { type RegressionScenario, DEFAULT_REGRESSION_SCENARIO, drawRegressionTruth } from "../../../../src/families/regression/scenario.js";
import { solveSpd } from "../../../../src/families/regression/linalg.js";

function scenario(over: Partial<RegressionScenario>): RegressionScenario {
  const sc = { ...DEFAULT_REGRESSION_SCENARIO, ...over };
  return { ...sc, s: sc.d };
}

/** The samples of every task (sample path), copied out: X_t (n x d row-major) and y_t. */
function samples(data: ReturnType<typeof drawRegressionData>): { x: Float64Array[]; y: Float64Array[] } {
  const x: Float64Array[] = [];
  const y: Float64Array[] = [];
  data.forEachSampleBlock((b) => {
    for (let k = 0; k < b.count; k++) {
      x.push(b.x.slice(k * b.rows * b.d, (k + 1) * b.rows * b.d));
      y.push(b.y.slice(k * b.rows, (k + 1) * b.rows));
    }
  });
  return { x, y };
}

/**
 * F(U) = min_W sum_t ||y_t - X_t U w_t||^2 and its gradient in U at the optimal W, computed
 * directly from the samples (independent of the estimator's code): G = -2 sum_t X_t^T r_t w_t^T.
 */
function profiled(u: Mat, s: { x: Float64Array[]; y: Float64Array[] }, n: number): { f: number; grad: Float64Array } {
  const { rows: d, cols: r } = u;
  const grad = new Float64Array(d * r);
  let f = 0;
  for (let t = 0; t < s.x.length; t++) {
    const a = new Float64Array(n * r);
    for (let i = 0; i < n; i++) for (let l = 0; l < r; l++) {
      let v = 0;
      for (let j = 0; j < d; j++) v += s.x[t][i * d + j] * u.data[l * d + j];
      a[i * r + l] = v;
    }
    const g = new Float64Array(r * r);
    const c = new Float64Array(r);
    for (let i = 0; i < n; i++) for (let l = 0; l < r; l++) {
      c[l] += a[i * r + l] * s.y[t][i];
      for (let m = 0; m < r; m++) g[l * r + m] += a[i * r + l] * a[i * r + m];
    }
    const w = solveSpd(g, r, c) as Float64Array;
    for (let i = 0; i < n; i++) {
      let e = s.y[t][i];
      for (let l = 0; l < r; l++) e -= a[i * r + l] * w[l];
      f += e * e;
      for (let l = 0; l < r; l++) for (let j = 0; j < d; j++) grad[l * d + j] -= 2 * e * w[l] * s.x[t][i * d + j];
    }
  }
  return { f, grad };
}

const norm = (v: Float64Array) => Math.sqrt(v.reduce((a, x) => a + x * x, 0));

describe("AltMin ERM (THEORY R2)", () => {
  for (const seed of [1, 2, 3]) {
    it(`never increases F and stops at a stationary point (seed ${seed})`, () => {
      const sc = scenario({ d: 20, r: 3, T: 40, n: 10, sigma: 0.5 });
      const rng = new Rng(`altmin-test:${seed}`);
      const truth = drawRegressionTruth(sc, rng.fork("truth"));
      const data = drawRegressionData(sc, truth, rng.fork("data"), { sampler: "sample", store: true });
      // The method-of-moments start, as in the estimator.
      const u0 = fitMom(data, sc.r, "dense", rng.fork("mom")).basis as Mat;
      const fs: number[] = [];
      const res = altMinErm(data, u0, { tolerance: 1e-15, cgTolerance: 1e-10, cgMaxSteps: 200, maxIterations: 3000, onObjective: (f) => fs.push(f) });
      expect(res.converged).toBe(true);
      expect(fs.length).toBeGreaterThan(3);
      for (let k = 1; k < fs.length; k++) expect(fs[k]).toBeLessThanOrEqual(fs[k - 1] * (1 + 1e-12));
      const s = samples(data);
      const start = profiled(u0, s, sc.n);
      const end = profiled(res.basis, s, sc.n);
      // The objective AltMin reports is the profiled F at its U (up to its normalisation).
      expect(end.f).toBeLessThan(start.f);
      // Stationary: the profiled gradient is 1e-6 of its size at the start.
      expect(norm(end.grad) / norm(start.grad)).toBeLessThan(1e-6);
    });
  }
});

describe("FO and AltMin on planted noise-free instances (THEORY R2, R3)", () => {
  for (const seed of [1, 2]) {
    it(`both recover B* with sinTheta < 1e-6 (seed ${seed})`, () => {
      const sc = scenario({ d: 15, r: 2, T: 30, n: 8, sigma: 0 });
      const rng = new Rng(`planted:${seed}`);
      const truth = drawRegressionTruth(sc, rng.fork("truth"));
      const data = drawRegressionData(sc, truth, rng.fork("data"), { sampler: "sample", store: true });
      const mom = fitMom(data, sc.r, "dense", rng.fork("mom"));
      const alt = altMinErm(data, mom.basis as Mat, { tolerance: 1e-15, cgTolerance: 1e-10, cgMaxSteps: 200, maxIterations: 3000 });
      expect(sinTheta(alt.basis, truth.basis)).toBeLessThan(1e-6);
      for (const precondition of [true, false]) {
        const fo = fitFo(data, sc.r, { maxIterations: 20000, gradientTolerance: 1e-12, memory: 10, initScale: 1, precondition }, rng.fork("fo"));
        expect(fo.basis).not.toBeNull();
        expect(sinTheta(fo.basis as Mat, truth.basis)).toBeLessThan(1e-6);
        expect(sinTheta(fo.basis as Mat, alt.basis)).toBeLessThan(1e-6);
      }
    });
  }
});

describe("FO's preconditioner H0 (THEORY R3)", () => {
  it("is symmetric positive definite at random points: u^T H0 v = v^T H0 u and v^T H0 v > 0", () => {
    const sc = scenario({ d: 12, r: 3, T: 9, n: 7, sigma: 0.5 });
    const rng = new Rng("fo-preconditioner");
    const truth = drawRegressionTruth(sc, rng.fork("truth"));
    const data = drawRegressionData(sc, truth, rng.fork("data"), { sampler: "sample", store: true });
    const dim = sc.d * sc.r + sc.r * sc.T;
    for (let trial = 0; trial < 20; trial++) {
      const h0 = foPreconditioner(data, sc.r);
      const x = rng.fillNormal(new Float64Array(dim));
      const u = rng.fillNormal(new Float64Array(dim));
      const v = rng.fillNormal(new Float64Array(dim));
      const hu = Float64Array.from(u);
      const hv = Float64Array.from(v);
      h0(x, hu, true);
      h0(x, hv, false);
      const dot = (a: Float64Array, b: Float64Array) => a.reduce((s, e, i) => s + e * b[i], 0);
      const uhv = dot(u, hv);
      const vhu = dot(v, hu);
      expect(Math.abs(uhv - vhu)).toBeLessThan(1e-10 * Math.sqrt(dot(u, hu) * dot(v, hv)));
      expect(dot(v, hv)).toBeGreaterThan(0);
      expect(dot(u, hu)).toBeGreaterThan(0);
    }
  });
});

describe("a fit that fails before its first objective", () => {
  it("reports the failure with its reason and no objective (never Infinity as a metric)", async () => {
    // Found by the long config fuzz: n = 2 samples, sigma = 0.01, l2 adversarial AltMin from the
    // spectral start; the first reweighted W-step system is not positive definite.
    const { createDefaultRegistry } = await import("../../../../src/families/index.js");
    const { runReplicate } = await import("../../../../src/experiment/replicate.js");
    const family = createDefaultRegistry().family("regression");
    const config = family.parse({ scenario: { generator: "prior-work", d: 3, r: 1, T: 1, n: 2, n0: 3, sigma: 0.01 }, methods: [{ label: "m0", estimator: "altmin", start: "spectral", attack: "l2", eps: 0.1, maxIterations: 5 }] });
    const [outcome] = runReplicate(family, config, 0, 0).outcomes;
    expect(outcome.ok).toBe(false);
    expect(outcome.reason).toMatch(/not positive definite/);
    expect(outcome.metrics.objective).toBeUndefined();
    for (const v of Object.values(outcome.metrics)) expect(Number.isFinite(v)).toBe(true);
  });
});
