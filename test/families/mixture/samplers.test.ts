/**
 * The exact samplers E1 and E2 (MODEL §5) against the sample-level path: same law, checked by
 * two-sample Kolmogorov-Smirnov tests on projections at false-alarm rate ALPHA per check, and by
 * the first two moments against the closed forms within 4.5 standard errors.
 */
import { describe, expect, it } from "vitest";
import { column, dot } from "../../../src/core/linalg/mat.js";
import { drawMixtureTruth, parseMixtureScenario } from "../../../src/families/mixture/scenario.js";
import { exactPseudoLabelledSum, exactStatistic, sampleMixtureData } from "../../../src/families/mixture/samplers.js";
import { Rng } from "../../../src/core/random/rng.js";
import { ALPHA, ksCritical, ksTwoSample, meanSe, zCritical } from "../../statistics.js";

const Z = zCritical(ALPHA);

describe("E1: the labelled statistic", () => {
  const sc = parseMixtureScenario({ d: 8, s: 4, r: 2, T: 2, n: 5, n0: 3, sigma: 0.7, snr: 1.2 });
  const truth = drawMixtureTruth(sc, new Rng("e1-truth"));
  const mu = column(truth.means, 0);
  const reps = 20_000;
  const probe = new Rng("probe").fillNormal(new Float64Array(sc.d));

  it("exact and sample-level v_t agree in law (KS on two projections) and match mean mu, variance sigma^2/n", () => {
    const exact: number[] = [];
    const sampled: number[] = [];
    const exactMu: number[] = [];
    const sampledMu: number[] = [];
    const rngE = new Rng("e1-exact");
    for (let k = 0; k < reps; k++) {
      const ve = exactStatistic(mu, sc.sigma, sc.n, rngE);
      const vs = column(sampleMixtureData(sc, truth, new Rng(`e1-sample:${k}`)).sourceStatistics, 0);
      exact.push(dot(ve, probe));
      sampled.push(dot(vs, probe));
      exactMu.push(dot(ve, mu));
      sampledMu.push(dot(vs, mu));
    }
    const crit = ksCritical(reps / 2, ALPHA);
    expect(ksTwoSample(exact, sampled)).toBeLessThan(crit);
    expect(ksTwoSample(exactMu, sampledMu)).toBeLessThan(crit);
    // <v, probe> has mean <mu, probe> and variance sigma^2 ||probe||^2 / n.
    const m = meanSe(sampled);
    expect(Math.abs(m.mean - dot(mu, probe))).toBeLessThan(Z * m.se);
    const targetVar = (sc.sigma ** 2 * dot(probe, probe)) / sc.n;
    const sq = meanSe(sampled.map((x) => (x - dot(mu, probe)) ** 2));
    expect(Math.abs(sq.mean - targetVar)).toBeLessThan(Z * sq.se);
  });
});

describe("E2: the pseudo-labelled sum", () => {
  const sc = parseMixtureScenario({ d: 6, s: 3, r: 2, T: 2, n: 5, m: 30, sigma: 0.8, snr: 1 });
  const truth = drawMixtureTruth(sc, new Rng("e2-truth"));
  const mu = column(truth.means, 1);
  // A unit teacher independent of the unlabelled data, not aligned with mu.
  const teacher = new Rng("teacher").fillNormal(new Float64Array(sc.d));
  for (let i = 0; i < sc.d; i++) teacher[i] += 2 * mu[i];
  const len = Math.sqrt(dot(teacher, teacher));
  for (let i = 0; i < sc.d; i++) teacher[i] /= len;
  const probe = new Rng("probe2").fillNormal(new Float64Array(sc.d));
  const reps = 12_000;

  for (const label of ["unit teacher", "dropped teacher"] as const) {
    it(`exact (E2) and sample-level sums agree in law: ${label}`, () => {
      const beta = label === "unit teacher" ? teacher : null;
      const dirs = [mu, teacher, probe];
      const exact = dirs.map(() => [] as number[]);
      const sampled = dirs.map(() => [] as number[]);
      const rngE = new Rng(`e2-exact:${label}`);
      for (let k = 0; k < reps; k++) {
        const se = exactPseudoLabelledSum(mu, sc.sigma, beta, sc.m, rngE);
        const data = sampleMixtureData(sc, truth, new Rng(`e2-sample:${label}:${k}`));
        const ss = data.pseudoLabelledSum(1, beta, sc.m, rngE);
        dirs.forEach((dir, j) => {
          exact[j].push(dot(se, dir));
          sampled[j].push(dot(ss, dir));
        });
      }
      const crit = ksCritical(reps / 2, ALPHA);
      dirs.forEach((_, j) => expect(ksTwoSample(exact[j], sampled[j])).toBeLessThan(crit));
    });
  }
});

describe("the exact path's pseudo-labelled sums for fresh streams of one key (drawn once per replicate)", () => {
  it("equal exactPseudoLabelledSum's bit for bit, for any teacher, and leave the stream where its draws would", async () => {
    const { exactMixtureData, exactPseudoLabelledSum } = await import("../../../src/families/mixture/samplers.js");
    const { drawMixtureTruth, parseMixtureScenario } = await import("../../../src/families/mixture/scenario.js");
    const { Rng } = await import("../../../src/core/random/rng.js");
    const { column } = await import("../../../src/core/linalg/mat.js");
    const sc = parseMixtureScenario({ d: 30, s: 6, r: 2, T: 4, n: 10, m: 50, n0: 5 });
    const truth = drawMixtureTruth(sc, new Rng("truth"));
    const data = exactMixtureData(sc, truth, new Rng("data"));
    const unit = (seed: number) => {
      const v = new Rng(`teacher/${seed}`).fillNormal(new Float64Array(30));
      const len = Math.hypot(...v);
      return v.map((x) => x / len);
    };
    for (const teacher of [unit(1), unit(2), null, unit(3)]) {
      for (let t = 0; t < 4; t++) {
        const shared = new Rng(`method:x/task:${t}:round:0`);
        const alone = new Rng(`method:x/task:${t}:round:0`);
        const got = data.pseudoLabelledSum(t, teacher, 50, shared);
        const want = exactPseudoLabelledSum(column(truth.means, t), sc.sigma, teacher, 50, alone);
        expect(Array.from(got)).toEqual(Array.from(want));
        expect(shared.int32()).toBe(alone.int32());
      }
    }
  });
});
