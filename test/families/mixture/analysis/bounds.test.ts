import { describe, expect, it } from "vitest";
import { type BoundsOptions, type MethodBounds, basisOnSupport, boundsReplicate, checkReplicateBounds, parseBoundsOptions } from "../../../../src/families/mixture/analysis/bounds.js";
import { fitMixtureReplicate } from "../../../../src/families/mixture/replicate.js";
import { noiseNormBounds, projectionMatrix, thresholdedMoments } from "../../../../src/families/mixture/theory/sharpBounds.js";
import { singularValues } from "../../../../src/core/linalg/decompositions.js";
import { parseRunConfig as parseWith, type RunConfig } from "../../../../src/experiment/runConfig.js";
import { maxConsistentFailures } from "../../../../src/core/stats.js";
import type { MixtureConfig } from "../../../../src/families/mixture/family.js";
import { runReplicates } from "../../../../src/experiment/run.js";
import { buildCellRecord } from "../../../../src/experiment/cellRecord.js";
import { summariseBoundChecks, summariseLimits } from "../../../../src/experiment/boundChecks.js";
import { ConfigError } from "../../../../src/core/config/parse.js";
import { replicateRng } from "../../../../src/core/random/rng.js";
import { createDefaultRegistry } from "../../../../src/families/index.js";

const registry = createDefaultRegistry();

interface BoundsReplicate {
  readonly replicate: number;
  readonly methods: readonly MethodBounds[];
}

/** Replicates [from, to) with every method's bound checks (the streams of `run`). */
function runBounds(run: RunConfig<MixtureConfig>, options: BoundsOptions, range: { from?: number; to?: number } = {}): BoundsReplicate[] {
  const out: BoundsReplicate[] = [];
  for (let k = range.from ?? 0; k < (range.to ?? run.replicates); k++) out.push({ replicate: k, methods: boundsReplicate(run.config, options, replicateRng(run.seed, k)) });
  return out;
}

/** The aggregate of a run with bound checks on, through the replicate metrics and a cell record (what `advtransfer bounds` prints). */
function boundSummary(raw: Record<string, unknown>, options: BoundsOptions) {
  const run = mixtureRun({ ...raw, evaluation: { bounds: { ...options } } });
  const results = runReplicates(run);
  const labels = run.family.methodLabels(run.config);
  const record = buildCellRecord({ configHash: "h", code: "c", family: "mixture", seed: run.seed, cell: 0, cells: 1, point: {}, params: {} }, labels, results);
  return summariseBoundChecks(record);
}

/** False-alarm rate of each one-sided coverage test below. */
const ALPHA = 1e-4;

function mixtureRun(raw: Record<string, unknown>): RunConfig<MixtureConfig> {
  return parseWith(raw, registry) as RunConfig<MixtureConfig>;
}

function checksOf(results: readonly BoundsReplicate[], method: string, bound: string) {
  return results.flatMap((r) => r.methods.filter((m) => m.method === method).flatMap((m) => m.checks.filter((c) => c.bound === bound)));
}

describe("bound checks per replicate", () => {
  const small = {
    scenario: { d: 60, s: 8, r: 2, T: 6, n: 30, m: 100, n0: 10 },
    methods: [
      { label: "std" },
      { label: "adv", attack: "linf", eps: 0.3 },
      { label: "l2", attack: "l2", eps: 0.3, columns: "unnormalised" },
      { label: "semi", attack: "linf", eps: 0.3, ssl: {} },
      { label: "erm", estimator: "joint-erm" },
    ],
    replicates: 12,
    seed: 3,
  };

  it("measure what `run` measures: same streams, same sinTheta and realised target excess", () => {
    const run = mixtureRun(small);
    const plain = runReplicates(run);
    const checked = runBounds(run, parseBoundsOptions({}));
    plain.forEach((res, k) => {
      for (const o of res.outcomes) {
        const m = checked[k].methods.find((x) => x.method === o.method);
        expect(m?.ok).toBe(o.ok);
        if (o.ok) {
          expect(m?.measured?.sinTheta).toBe(o.metrics.sinTheta);
          expect(m?.measured?.targetExcess).toBe(o.metrics.targetExcess);
        }
      }
    });
  });

  it("apply each bound where THEORY.md derives it: B1 for SVD estimators, B2/B3/B5 for supervised ones, B4 for all", () => {
    const [rep] = runBounds(mixtureRun(small), parseBoundsOptions({}), { to: 1 });
    const names = Object.fromEntries(rep.methods.map((m) => [m.method, m.checks.map((c) => c.bound).sort()]));
    expect(names.std).toEqual(["B1", "B1-Frobenius", "B2", "B2''", "B2w", "B4", "B4s", "B5", "B5''", "B5''-excess", "B5-excess", "B5s-excess"]);
    expect(names.adv).toEqual(["B1", "B1-Frobenius", "B3", "B3'", "B3'-E0", "B3w", "B4", "B4s", "B5", "B5''", "B5''-excess", "B5-excess", "B5s-excess"]);
    expect(names.l2).toEqual(["B1", "B1-Frobenius", "B2", "B2''", "B4", "B4s"]);
    expect(names.semi).toEqual(["B1", "B1-Frobenius", "B4", "B4s"]);
    expect(names.erm).toEqual(["B4", "B4s"]);
  });

  it("B1 and B4 (deterministic, resp. exact given U) hold on every replicate of every method", () => {
    const results = runBounds(mixtureRun({ ...small, replicates: 40 }), parseBoundsOptions({}));
    for (const r of results) {
      for (const m of r.methods) {
        for (const c of m.checks) {
          expect(Number.isFinite(c.measured) && Number.isFinite(c.upper.value)).toBe(true);
          if (c.probability === 1) expect(c.held).toBe(true);
        }
      }
    }
  });

  it("are a pure function of (config, options, replicate stream)", () => {
    const run = mixtureRun(small);
    const opts = parseBoundsOptions({ t: 2 });
    expect(boundsReplicate(run.config, opts, replicateRng(3, 5))).toEqual(boundsReplicate(run.config, opts, replicateRng(3, 5)));
  });

  it("reject bad options with a ConfigError", () => {
    expect(() => parseBoundsOptions({ t: -1 })).toThrow(ConfigError);
    expect(() => parseBoundsOptions({ kappaDelta: 1 })).toThrow(ConfigError);
  });
});

describe("coverage of the probabilistic bounds on the exact sampler (one-sided binomial test, false alarm 1e-4 each)", () => {
  // t = 1.5: B2 promises 1 - 2 e^{-1.125} = 0.351; B3 promises P(E0) - 0.649. Heads with equal
  // singular values (diversity [1, 1]) keep sigma_r(W) = snr sqrt(T/2) fixed while the task
  // norms vary, so normalisation (kappa) matters.
  const options = parseBoundsOptions({ t: 1.5, kappaDelta: 0.05 });
  const replicates = 300;

  function expectCoverage(results: readonly BoundsReplicate[], method: string, bound: string, minInformative: number) {
    const checks = checksOf(results, method, bound);
    expect(checks).toHaveLength(replicates);
    const promised = checks[0].probability;
    const failures = checks.filter((c) => !c.held).length;
    expect(failures).toBeLessThanOrEqual(maxConsistentFailures(replicates, 1 - promised, ALPHA));
    // The check has teeth only where the bound says something: require it informative often enough.
    expect(checks.filter((c) => !c.upper.vacuous).length / replicates).toBeGreaterThanOrEqual(minInformative);
    return { promised, coverage: 1 - failures / replicates };
  }

  it("B2: standard training, unnormalised and normalised columns (kappa and weighted forms), and l2 training that drops tasks", () => {
    const results = runBounds(
      mixtureRun({
        scenario: { d: 80, s: 10, r: 2, T: 10, n: 400, snr: 3, diversity: [1, 1] },
        methods: [
          { label: "std" },
          { label: "std-u", columns: "unnormalised" },
          { label: "l2", attack: "l2", eps: 1.2 },
        ],
        replicates,
        seed: 101,
      }),
      options,
    );
    expectCoverage(results, "std-u", "B2", 0.99);
    expectCoverage(results, "std", "B2", 0.8);
    expectCoverage(results, "std", "B2w", 0.8);
    expectCoverage(results, "l2", "B2", 0.5);
    // The l2 radius really drops tasks in some replicates (the kept-set part of THEORY.md B2).
    expect(results.some((r) => r.methods.some((m) => m.method === "l2" && m.keptTasks < 10))).toBe(true);
  });

  it("B3: l-inf training on a sparse support, unnormalised and normalised columns; E0 at its exact frequency", () => {
    const raw = {
      scenario: { d: 200, s: 8, r: 2, T: 10, n: 400, snr: 6, diversity: [1, 1] },
      methods: [
        { label: "linf", attack: "linf", eps: 0.2 },
        { label: "linf-u", attack: "linf", eps: 0.2, columns: "unnormalised" },
      ],
      replicates,
      seed: 202,
    };
    const results = runBounds(mixtureRun(raw), options);
    expectCoverage(results, "linf-u", "B3", 0.99);
    expectCoverage(results, "linf", "B3", 0.1);
    expectCoverage(results, "linf", "B3w", 0.1);
    // E0 has an exact probability (THEORY.md B3): its frequency must match within 4.5 SE (two-sided).
    const { methods } = boundSummary(raw, options);
    const z = methods.find((m) => m.method === "linf-u")?.events.find((e) => e.name === "E0");
    expect(z).toBeDefined();
    if (z) expect(Math.abs(z.frequency - z.probability)).toBeLessThanOrEqual(4.5 * z.se);
  });

  it("B5: the end-to-end bound holds with its probability, and bounds the mean of E[excess | U]", () => {
    const raw = {
      scenario: { d: 200, s: 8, r: 2, T: 10, n: 400, snr: 3, n0: 10, diversity: [1, 1] },
      methods: [
        { label: "std-u", columns: "unnormalised" },
        { label: "std" },
        { label: "linf-u", attack: "linf", eps: 0.2, columns: "unnormalised" },
      ],
      replicates,
      seed: 303,
    };
    const results = runBounds(mixtureRun(raw), options);
    expectCoverage(results, "std-u", "B5", 0.99);
    expectCoverage(results, "std-u", "B5s-excess", 0.99);
    expectCoverage(results, "std", "B5", 0.5);
    expectCoverage(results, "linf-u", "B5s-excess", 0.0);
    let checked = 0;
    for (const m of boundSummary(raw, options).methods) {
      const u = m.meanBounds.find((b) => b.bound === "B5s");
      if (u === undefined) continue;
      checked += 1;
      expect(u.measuredMean - 4.5 * (u.measuredSe ?? 0)).toBeLessThanOrEqual(u.value);
    }
    expect(checked).toBe(3);
  });
});

describe("coverage of B2'' and B3' at their promise (t = 2.5; one-sided binomial test, false alarm 1e-4 each), and deliberately broken versions that must fail it", () => {
  // t = 2.5: B2'' promises 1 - 3 e^{-3.125} = 0.868, B3' 1 - 2 e^{-3.125} = 0.912 (free form) or
  // 1 - e^{-3.125} = 0.956 (Wedin form, chosen from the model when smaller).
  const options = parseBoundsOptions({ t: 2.5, kappaDelta: 0.05 });
  const replicates = 300;
  const tExp = Math.exp(-0.5 * 2.5 * 2.5);

  /** Measured sinTheta, the correct bound's check and the inputs the broken versions need, per replicate. */
  function replicatesOf(raw: Record<string, unknown>, method: string) {
    const run = mixtureRun(raw);
    return Array.from({ length: replicates }, (_, k) => {
      const fits = fitMixtureReplicate(run.config, replicateRng(run.seed, k));
      const m = checkReplicateBounds(run.config, fits, options).find((x) => x.method === method)!;
      return { m, truth: fits.truth, config: run.config };
    });
  }

  function expectCovered(holds: readonly boolean[], promised: number) {
    const failures = holds.filter((h) => !h).length;
    expect(failures).toBeLessThanOrEqual(maxConsistentFailures(holds.length, 1 - promised, ALPHA));
  }
  function expectRejected(holds: readonly boolean[], promised: number) {
    const failures = holds.filter((h) => !h).length;
    expect(failures).toBeGreaterThan(maxConsistentFailures(holds.length, 1 - promised, ALPHA));
  }

  it("B2'': holds for unnormalised and normalised (x kappa) columns; with the noise floor not scaled by tau (a units slip) it fails", () => {
    // d = 2000, n = 40: the noise floor tau (sqrt(d - r) - sqrt(r) - t) carries sigma_r(M), so B2''
    // is informative where B2 is not (median ratio 1.24 unnormalised); n = 400 for normalised columns.
    const high = { scenario: { d: 2000, s: 10, r: 2, T: 10, n: 40, snr: 3, diversity: [1, 1] }, methods: [{ label: "std-u", columns: "unnormalised" }], replicates, seed: 111 };
    const low = { scenario: { d: 80, s: 10, r: 2, T: 10, n: 400, snr: 3, diversity: [1, 1] }, methods: [{ label: "std" }], replicates, seed: 112 };
    for (const [raw, method, minInformative] of [[high, "std-u", 0.99], [low, "std", 0.8]] as const) {
      const reps = replicatesOf(raw, method);
      const checks = reps.map((r) => r.m.checks.find((c) => c.bound === "B2''")!);
      // The check has teeth only where the bound says something.
      expect(checks.filter((c) => !c.upper.vacuous).length / replicates).toBeGreaterThanOrEqual(minInformative);
      expectCovered(checks.map((c) => c.held), 1 - 3 * tExp);
      if (method !== "std-u") continue;
      // Broken: sqrt((sigma_r - tau (2 sqrt r + t))_+^2 + (sqrt(d - r) - sqrt(r) - t)_+^2), tau missing on the floor.
      const broken = reps.map(({ m, truth, config }) => {
        const { d, r, T, n, sigma } = config.scenario;
        const tau = sigma / Math.sqrt(n);
        const sigmaR = singularValues(truth.heads)[r - 1];
        const num = tau * (Math.sqrt(d - r) + Math.sqrt(T) + 2.5);
        const den = Math.hypot(Math.max(0, sigmaR - tau * (2 * Math.sqrt(r) + 2.5)), Math.max(0, Math.sqrt(d - r) - Math.sqrt(r) - 2.5));
        return (m.measured as { sinTheta: number }).sinTheta <= num / den;
      });
      expectRejected(broken, 1 - 3 * tExp);
    }
  });

  it("B3': holds for unnormalised (smaller of ratio and Wedin forms) and normalised (x kappa) columns; the bias-free version (m replaced by B* W) fails", () => {
    const raw = {
      scenario: { d: 200, s: 8, r: 2, T: 10, n: 400, snr: 6, diversity: [1, 1] },
      methods: [{ label: "linf-u", attack: "linf", eps: 0.2, columns: "unnormalised" }, { label: "linf", attack: "linf", eps: 0.2 }],
      replicates,
      seed: 222,
    };
    for (const [method, minInformative] of [["linf-u", 0.99], ["linf", 0.5]] as const) {
      const reps = replicatesOf(raw, method);
      const checks = reps.map((r) => r.m.checks.find((c) => c.bound === "B3'")!);
      expect(checks.filter((c) => !c.upper.vacuous).length / replicates).toBeGreaterThanOrEqual(minInformative);
      expectCovered(checks.map((c) => c.held), Math.min(...checks.map((c) => c.probability)));
      if (method !== "linf-u") continue;
      // Broken: the shrinkage bias forgotten, as if E S_eps(B* W + tau Z) were B* W: numerator R(P_perp) + tau t,
      // denominator sigma_r(W) - R(P) - tau t (the noise bounds themselves are the correct ones).
      const broken = reps.map(({ m, truth, config }) => {
        const { d, r, n, sigma, s } = config.scenario;
        const tau = sigma / Math.sqrt(n);
        const B = basisOnSupport(truth);
        const mo = thresholdedMoments(B, truth.heads, tau, 0.2);
        const perp = noiseNormBounds(projectionMatrix(B, "perp"), mo, tau, s - r, d - s).best;
        const par = noiseNormBounds(projectionMatrix(B, "par"), mo, tau, r, 0).best;
        const den = singularValues(truth.heads)[r - 1] - par - tau * 2.5;
        return den > 0 && (m.measured as { sinTheta: number }).sinTheta <= (perp + tau * 2.5) / den;
      });
      expectRejected(broken, 1 - 2 * tExp);
    }
  });
});

describe("limits beside the measurements (MODEL §8; THEORY.md L1, L2)", () => {
  it("are reported for the methods whose rule has a limit, as limit.<quantity>.<L>, and listed by the family's metric names", () => {
    const raw = {
      scenario: { d: 60, s: 8, r: 2, T: 6, n: 30, m: 50, n0: 10 },
      methods: [{ label: "std" }, { label: "adv", attack: "linf", eps: 0.2 }, { label: "l2", attack: "l2", eps: 0.1 }, { label: "semi", ssl: {} }, { label: "erm", estimator: "joint-erm" }],
      evaluation: { limits: {}, bounds: {} },
      replicates: 6,
      seed: 4,
    };
    const run = mixtureRun(raw);
    const results = runReplicates(run);
    const listed = run.family.metricNames!(run.config) as Record<string, string[]>;
    for (const res of results) {
      for (const o of res.outcomes) {
        for (const name of Object.keys(o.metrics)) expect(listed[o.method], `${o.method}: ${name}`).toContain(name);
      }
    }
    const names = (m: string) => Object.keys(results[0].outcomes.find((o) => o.method === m)!.metrics).filter((k) => k.startsWith("limit."));
    expect(names("std")).toEqual(["limit.sinTheta.L1", "limit.sinThetaFrobenius.L1", "limit.targetAngleSine.L1t", "limit.targetExcess.L1t"]);
    expect(names("adv")).toEqual(["limit.sinTheta.L2", "limit.sinThetaFrobenius.L2", "limit.targetAngleSine.L2t", "limit.targetExcess.L2t"]);
    expect(names("semi")).toEqual([]);
    expect(names("erm")).toEqual([]);
  });

  it("L1 is within 4.5 paired SE of the measured mean where its assumptions hold well (d = 2000, T = 20, n = 640, far above the detection threshold)", () => {
    const raw = { scenario: { d: 2000, s: 20, r: 4, T: 20, n: 640 }, methods: [{ label: "std" }, { label: "std-u", columns: "unnormalised" }], evaluation: { limits: {} }, replicates: 60, seed: 5 };
    const run = mixtureRun(raw);
    const record = buildCellRecord({ configHash: "h", code: "c", family: "mixture", seed: run.seed, cell: 0, cells: 1, point: {}, params: {} }, run.family.methodLabels(run.config), runReplicates(run));
    const rows = summariseLimits(record).filter((r) => r.quantity === "sinTheta");
    expect(rows).toHaveLength(2);
    for (const r of rows) expect(Math.abs(r.z)).toBeLessThanOrEqual(4.5);
  });
});
