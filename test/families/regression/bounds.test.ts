/**
 * The regression bounds of docs/THEORY.md R7 (src/families/regression/theory/bounds.ts, bounds.ts):
 * hand-worked moments, a Monte Carlo check of E||E||_F^2, the deterministic bounds on every replicate
 * of random instances, and the coverage of the probabilistic ones against their promise.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { HELD_ALLOWANCE } from "../../../src/experiment/boundChecks.js";
import { maxConsistentFailures } from "../../../src/core/stats.js";
import { replicateRng, rootRng } from "../../../src/core/random/rng.js";
import { type Mat, fromColumns } from "../../../src/core/linalg/mat.js";
import { createDefaultRegistry } from "../../../src/families/index.js";
import {
  bernsteinLevel,
  chebyshevLevel,
  momExpectedSquaredFrobenius,
  momGap,
  momPerturbationBound,
  spectralGaussianBound,
  spectralModelOnlyBound,
  taskFourthMoments,
} from "../../../src/families/regression/theory/bounds.js";

const family = createDefaultRegistry().family("regression");

describe("THEORY R7.1's moments (hand-worked)", () => {
  it("at b = 0, E y^4 ||x||^4 = E xi^4 E||x||^4 = 3 s^4 d (d + 2), and lambda_along = lambda_perp (isotropic)", () => {
    for (const [sigma, d] of [[1, 1], [0.5, 7], [2, 100]]) {
      const m = taskFourthMoments(0, sigma, d);
      const s4 = sigma ** 4;
      expect(m.ey4x4).toBeCloseTo(3 * s4 * d * (d + 2), 9);
      expect(m.meanSquaredFrobenius).toBeCloseTo(d * s4, 12);
      expect(m.lambdaAlong).toBeCloseTo(m.lambdaPerp, 9);
    }
  });

  it("at d = 1, sigma = 0, b = 1 (y = x = u): E u^8 = 105, (E u^4)^2 = 9, Var u^4 = 96, lambda_along = E u^8", () => {
    const m = taskFourthMoments(1, 0, 1);
    expect(m.ey4x4).toBe(105);
    expect(m.meanSquaredFrobenius).toBe(9);
    expect(m.variance).toBe(96);
    expect(m.lambdaAlong).toBe(105);
  });

  it("E y^4 u^4 with y = b u + sigma xi: 9 sigma^4 + 90 b^2 sigma^2 + 105 b^4 (binomial expansion) equals 9 s^4 + 72 s^2 b^2 + 24 b^4", () => {
    const [b, sigma] = [0.7, 1.3];
    expect(taskFourthMoments(b, sigma, 3).ey4u4).toBeCloseTo(9 * sigma ** 4 + 90 * b ** 2 * sigma ** 2 + 105 * b ** 4, 12);
    expect(taskFourthMoments(b, sigma, 3).ey4u2).toBeCloseTo(3 * sigma ** 4 + 18 * b ** 2 * sigma ** 2 + 15 * b ** 4, 12);
  });

  it("E||M_hat - M_bar||_F^2 matches Monte Carlo within 4.5 SE (d = 4, T = 3, n = 5, 20 000 draws, fixed seed)", () => {
    const d = 4;
    const n = 5;
    const sigma = 0.8;
    // Fixed task parameters beta_t (the heads enter only through ||beta_t|| and the mean).
    const betas = [Float64Array.of(1, 0, 0, 0), Float64Array.of(0.3, -0.6, 0.2, 0), Float64Array.of(0, 0, 0, 0)];
    const T = betas.length;
    const N = n * T;
    const mBar = new Float64Array(d * d);
    const c = sigma ** 2 + betas.reduce((a, b) => a + b.reduce((x, y) => x + y * y, 0), 0) / T;
    for (let i = 0; i < d; i++) mBar[i * d + i] = c;
    for (const b of betas) for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) mBar[i * d + j] += (2 / T) * b[i] * b[j];
    const rng = rootRng(77);
    const draws = 20_000;
    const x = new Float64Array(d);
    let sum = 0;
    let sumSq = 0;
    for (let k = 0; k < draws; k++) {
      const m = new Float64Array(d * d);
      for (const b of betas) {
        for (let i = 0; i < n; i++) {
          rng.fillNormal(x);
          let y = sigma * rng.normal();
          for (let j = 0; j < d; j++) y += b[j] * x[j];
          for (let a = 0; a < d; a++) for (let e = 0; e < d; e++) m[a * d + e] += (y * y * x[a] * x[e]) / N;
        }
      }
      let f = 0;
      for (let a = 0; a < d * d; a++) f += (m[a] - mBar[a]) ** 2;
      sum += f;
      sumSq += f * f;
    }
    const mean = sum / draws;
    const se = Math.sqrt((sumSq / draws - mean * mean) / (draws - 1));
    const norms = betas.map((b) => Math.sqrt(b.reduce((x, y) => x + y * y, 0)));
    const formula = momExpectedSquaredFrobenius(norms, sigma, d, n);
    expect(Math.abs(mean - formula)).toBeLessThan(4.5 * se);
  });

  it("the levels: Chebyshev is sqrt(E||E||_F^2 / delta); Bernstein decreases like 1/sqrt(N) at large N and exceeds its deviation term", () => {
    const heads = fromColumns(Array.from({ length: 8 }, (_, t) => Float64Array.of(Math.cos(t), Math.sin(t))));
    const norms = Array.from({ length: 8 }, () => 1);
    expect(chebyshevLevel(norms, 1, 10, 20, 0.25)).toBeCloseTo(2 * Math.sqrt(momExpectedSquaredFrobenius(norms, 1, 10, 20)), 12);
    const small = bernsteinLevel(heads, 1, 10, 1e4, 0.05);
    const large = bernsteinLevel(heads, 1, 10, 4e4, 0.05);
    expect(small.level).toBeGreaterThanOrEqual(small.u / (8 * 1e4));
    // Quadrupling N: sqrt(2 v l) / N and the bias (sqrt(p_t), p_t ~ 1/N) halve, L l / (3 N) (L ~ log^2 N)
    // drops by almost 4: the ratio lies between 2 and 4.
    expect(small.level / large.level).toBeGreaterThan(2 - 1e-9);
    expect(small.level / large.level).toBeLessThan(4);
    // P(some G_i fails) <= delta_T: the truncation level ly is where sum_t 2 n Q(sqrt(ly)/s_t) = delta_T / 2.
    expect(small.ly).toBeGreaterThan(2 * 2 * Math.log(8 * 1e4));
  });

  it("the gap is (2/T) sigma_r(W)^2 and the perturbation bound is e / (gap - e), undefined for e >= gap", () => {
    const heads: Mat = { rows: 2, cols: 2, data: Float64Array.of(3, 0, 0, 1) };
    expect(momGap(heads)).toBeCloseTo(1, 14);
    expect(momPerturbationBound(0.25, 1).formula).toBeCloseTo(1 / 3, 14);
    expect(momPerturbationBound(1, 1).formula).toBeNull();
  });

  it("spectral Gaussian bounds: hand-worked values and the model-only form's definedness", () => {
    // sigma l_perp (sqrt(d-r) + sqrt T + x) / (sigma_r(W) - sigma l_par (sqrt r + sqrt T + x)) at d = 5, r = 1, T = 4, x = 0.
    expect(spectralGaussianBound({ sigma: 1, lPerp: 0.1, lPar: 0.1, d: 5, r: 1, T: 4, sigmaRW: 1.3, x: 0 }).formula).toBeCloseTo((0.1 * 4) / (1.3 - 0.3), 14);
    expect(spectralModelOnlyBound({ sigma: 1, n: 100, d: 100, r: 5, T: 20, sigmaRW: 2, delta: 0.05, lambdaMinSigma: 1 }).formula).toBeNull();
  });
});

/** A config with bound checks on, for a scenario and methods. */
function config(scenario: Record<string, unknown>, methods: Record<string, unknown>[], delta = 0.05) {
  return family.parse({ scenario, methods, evaluation: { bounds: { delta } } });
}

/** bound.Q.B.* of an outcome, as (Q, B) -> { measured, value, formula, held, probability }. */
function checksOf(metrics: Readonly<Record<string, number>>) {
  const out: { quantity: string; bound: string; measured: number; value: number; formula: number | undefined; held: number; probability: number }[] = [];
  for (const k of Object.keys(metrics)) {
    const m = /^bound\.([^.]+)\.([^.]+)\.measured$/.exec(k);
    if (m === null) continue;
    const p = `bound.${m[1]}.${m[2]}`;
    out.push({ quantity: m[1], bound: m[2], measured: metrics[k], value: metrics[`${p}.value`], formula: metrics[`${p}.formula`], held: metrics[`${p}.held`], probability: metrics[`${p}.probability`] });
  }
  return out;
}

describe("deterministic bounds (MoM-D, MoM-DK, B1) hold on every replicate of random instances", () => {
  // A theorem holds up to round-off: the computed sinTheta, ||P_perp E U||, the eigen-residual R and
  // sigma_r carry errors of order d eps ||M|| (~1e-14 relative here, eps = 2.2e-16, d <= 16), so
  // measured <= formula (1 + 1e-10) (HELD_ALLOWANCE) leaves four orders of margin. The matrix-free
  // solver's Ritz residual (up to 1e-9 theta_1) is inside MoM-D's numerator, so no allowance covers it.
  it("fast-check over d, r, T, n, sigma, generator and sampler (fixed seed)", () => {
    fc.assert(
      fc.property(
        fc.record({
          d: fc.integer({ min: 4, max: 16 }),
          r: fc.integer({ min: 1, max: 3 }),
          T: fc.integer({ min: 3, max: 14 }),
          n: fc.integer({ min: 2, max: 40 }),
          sigma: fc.double({ min: 0.1, max: 2, noNaN: true }),
          sparse: fc.boolean(),
          seed: fc.integer({ min: 1, max: 1e6 }),
        }),
        ({ d, r, T, n, sigma, sparse, seed }) => {
          const rr = Math.min(r, d - 1, T);
          const scenario = sparse ? { generator: "sparse", d, s: Math.max(rr, d - 2), r: rr, T, n, n0: rr + 2, sigma } : { d, r: rr, T, n, n0: rr + 2, sigma };
          const cfg = config(scenario, [{ estimator: "mom" }, { estimator: "mom", solver: "matrix-free", label: "mom-mf" }, { estimator: "spectral" }, { estimator: "spectral", ridge: 0.2 }]);
          const outcomes = family.runReplicate(cfg, replicateRng(seed, 0));
          let seen = 0;
          for (const o of outcomes) {
            for (const c of checksOf(o.metrics)) {
              if (c.probability !== 1) continue;
              seen++;
              expect(c.held, `${o.method} ${c.bound} on ${c.quantity}: ${c.measured} > ${c.value}`).toBe(1);
              if (c.formula !== undefined) expect(c.measured).toBeLessThanOrEqual(c.formula * (1 + HELD_ALLOWANCE));
            }
          }
          // Every method above has deterministic bounds: MoM-D (x2, both solvers), MoM-DK (dense), B1 (x2, both spectral).
          expect(seen).toBe(2 + 1 + 2 + 4);
        },
      ),
      { numRuns: 30, seed: 2021 },
    );
  });
});

describe("probabilistic bounds cover at least at their promised rate (binomial tolerance, fixed seed)", () => {
  // d = 4, r = 2, T = 10, n = 1600, sigma = 0.3, equal head singular values: every level and bound is defined (below
  // its cap) in most replicates, so coverage is informative. At delta = 0.5 the promise is >= 0.5; a
  // count of failures F is consistent with it at false-alarm rate 1e-3 per bound when
  // P(Binomial(200, 0.5) >= F) > 1e-3, i.e. F <= maxConsistentFailures(200, 0.5, 1e-3).
  it("Chebyshev, Bernstein and their composites (MoM), conditional and model-only (spectral), 200 replicates at delta = 0.5", () => {
    const replicates = 200;
    const delta = 0.5;
    const cfg = config({ d: 4, r: 2, T: 10, n: 1600, n0: 6, sigma: 0.3, diversity: [1, 1] }, [{ estimator: "mom" }, { estimator: "spectral" }], delta);
    const failures = new Map<string, number>();
    const defined = new Map<string, number>();
    for (let k = 0; k < replicates; k++) {
      for (const o of family.runReplicate(cfg, replicateRng(11, k))) {
        for (const c of checksOf(o.metrics)) {
          if (c.probability === 1) continue;
          expect(c.probability).toBe(1 - delta);
          const key = `${o.method}:${c.bound}`;
          failures.set(key, (failures.get(key) ?? 0) + (c.held === 1 ? 0 : 1));
          defined.set(key, (defined.get(key) ?? 0) + (c.formula !== undefined && c.formula < (c.quantity === "sinTheta" ? 1 : Infinity) ? 1 : 0));
        }
      }
    }
    expect([...failures.keys()].sort()).toEqual(["mom:Bernstein", "mom:Chebyshev", "mom:MoM-Bernstein", "mom:MoM-Chebyshev", "spectral:conditional", "spectral:model-only"]);
    const allowed = maxConsistentFailures(replicates, delta, 1e-3);
    for (const [key, f] of failures) {
      expect(f, key).toBeLessThanOrEqual(allowed);
      // The check means something only where the bound is informative.
      expect(defined.get(key) as number, `${key} informative`).toBeGreaterThan(replicates / 4);
    }
  });
});

describe("evaluation.bounds in the config", () => {
  it("parses with the default delta, echoes and parses back", () => {
    const cfg = family.parse({ evaluation: { bounds: {} } });
    expect(cfg.evaluation.bounds).toEqual({ delta: 0.05 });
    expect(family.parse(family.echo(cfg))).toEqual(cfg);
    expect(family.echo(family.parse({}))).not.toHaveProperty("evaluation.bounds");
  });

  it.each([
    [{ delta: 0 }, /evaluation\.bounds\.delta = 0: must be a number in \(0, 1\)/],
    [{ delta: 1.5 }, /evaluation\.bounds\.delta = 1\.5/],
    [{ t: 2 }, /evaluation\.bounds\.t/],
    [3, /evaluation\.bounds = 3/],
  ])("bad bounds %j are a one-line ConfigError naming the field", (bounds, pattern) => {
    let message = "";
    try {
      family.parse({ evaluation: { bounds } });
    } catch (e) {
      expect((e as Error).name).toBe("ConfigError");
      message = (e as Error).message;
    }
    expect(message).toMatch(pattern);
    expect(message.split("\n")).toHaveLength(1);
  });

  it("ERM methods report no bound metrics; without evaluation.bounds no method does", () => {
    const sc = { d: 10, r: 2, T: 8, n: 6, n0: 4 };
    const on = family.runReplicate(config(sc, [{ estimator: "altmin" }, { estimator: "spectral" }]), rootRng(3));
    expect(Object.keys(on[0].metrics).some((k) => k.startsWith("bound."))).toBe(false);
    expect(Object.keys(on[1].metrics).some((k) => k.startsWith("bound.sinTheta.B1."))).toBe(true);
    const off = family.runReplicate(family.parse({ scenario: sc, methods: [{ estimator: "altmin" }, { estimator: "spectral" }] }), rootRng(3));
    expect(off.some((o) => Object.keys(o.metrics).some((k) => k.startsWith("bound.")))).toBe(false);
    // The bound checks do not change the measurements (same streams).
    expect(off.map((o) => o.metrics.sinTheta)).toEqual(on.map((o) => o.metrics.sinTheta));
  });
});
