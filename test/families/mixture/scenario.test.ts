import { describe, expect, it } from "vitest";
import { DEFAULT_MIXTURE_SCENARIO, drawMixtureTruth, parseMixtureScenario } from "../../../src/families/mixture/scenario.js";
import { column, norm2, transposeTimes } from "../../../src/core/linalg/mat.js";
import { singularValues } from "../../../src/core/linalg/decompositions.js";
import { Rng } from "../../../src/core/random/rng.js";
import { configErrorOf } from "../../errors.js";

const errorOf = (raw: unknown) => configErrorOf(() => parseMixtureScenario(raw));

describe("parseMixtureScenario", () => {
  it("fills MODEL §7's defaults", () => {
    expect(parseMixtureScenario({})).toEqual(DEFAULT_MIXTURE_SCENARIO);
  });

  it.each([
    [{ r: 21 }, "scenario.r", /\[1, s = 20\]/],
    [{ s: 501 }, "scenario.s", /d = 500/],
    [{ n0: 0 }, "scenario.n0", /integer in \[1,/],
    [{ sigma: -1 }, "scenario.sigma", /number in \[1e-100, 1e\+100\]/],
    [{ sigma: "one" }, "scenario.sigma", /number in \[1e-100, 1e\+100\]/],
    [{ sigma: 1.7976931348623157e308 }, "scenario.sigma", /\[1e-100, 1e\+100\]/],
    [{ snr: 5e-324 }, "scenario.snr", /\[1e-100, 1e\+100\]/],
    [{ T: 3 }, "scenario.T", /\[r = 4, 1000000\]/],
    [{ d: 10 }, "scenario.s", /must be given when d = 10 is below its default 20/],
    [{ d: 10, s: 3 }, "scenario.r", /must be given when s = 3 is below its default 4/],
    [{ d: 2.5 }, "scenario.d", /integer/],
    [{ diversity: [1, 2] }, "scenario.diversity", /r = 4/],
    [{ diversity: [1, 2, 3, 0] }, "scenario.diversity[3]", /\[1e-100, 1e\+100\]/],
    [{ target: "best" }, "scenario.target", /"random", "weakest"/],
    [{ dd: 3 }, "scenario.dd", /unknown key/],
  ])("rejects %j naming %s", (raw, field, allowed) => {
    const err = errorOf(raw);
    expect(err.field).toBe(field);
    expect(err.message).toMatch(allowed);
  });
});

describe("drawMixtureTruth (MODEL §2.1)", () => {
  it("B* is orthonormal, zero off its support of size s; ||mu_t|| = ||mu_0|| = snr; mu_t = B* w_t", () => {
    const sc = parseMixtureScenario({ d: 60, s: 9, r: 3, T: 7, snr: 2 });
    const truth = drawMixtureTruth(sc, new Rng("truth"));
    const g = transposeTimes(truth.basis, truth.basis);
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) expect(g.data[i + 3 * j]).toBeCloseTo(i === j ? 1 : 0, 13);
    expect(truth.support.length).toBe(9);
    const inSupport = new Set(truth.support);
    for (let k = 0; k < 60; k++) {
      if (inSupport.has(k)) continue;
      for (let j = 0; j < 3; j++) expect(truth.basis.data[k + 60 * j]).toBe(0);
    }
    for (let t = 0; t < 7; t++) expect(norm2(column(truth.means, t))).toBeCloseTo(2, 12);
    expect(norm2(truth.targetMean)).toBeCloseTo(2, 12);
  });

  it("diversity prescribes the singular values of W up to the scale ||W||_F^2 = T snr^2", () => {
    const sc = parseMixtureScenario({ d: 30, s: 10, r: 3, T: 8, snr: 1.5, diversity: [3, 2, 1] });
    const truth = drawMixtureTruth(sc, new Rng("div"));
    const sv = singularValues(truth.heads);
    const scale = Math.sqrt((8 * 1.5 ** 2) / (9 + 4 + 1));
    expect(Array.from(sv)).toEqual([3, 2, 1].map((x) => expect.closeTo(x * scale, 12)));
  });

  it("target 'weakest' aligns w_0 with the weakest direction of W: ||W^T w_0|| = snr sigma_r(W)", () => {
    const sc = parseMixtureScenario({ d: 30, s: 10, r: 3, T: 8, diversity: [3, 2, 0.5], target: "weakest" });
    const truth = drawMixtureTruth(sc, new Rng("weak"));
    const sv = singularValues(truth.heads);
    const proj = transposeTimes(truth.heads, { rows: 3, cols: 1, data: truth.targetHead });
    expect(norm2(proj.data)).toBeCloseTo(sc.snr * sv[2], 12);
  });

  it("s = d gives a dense basis; streams are named, so changing the target keeps B* and W", () => {
    const dense = drawMixtureTruth(parseMixtureScenario({ d: 20, s: 20, r: 2, T: 3 }), new Rng("x"));
    expect(dense.support.length).toBe(20);
    const a = drawMixtureTruth(parseMixtureScenario({ d: 20, s: 5, r: 2, T: 3 }), new Rng("y"));
    const b = drawMixtureTruth(parseMixtureScenario({ d: 20, s: 5, r: 2, T: 3, target: "weakest" }), new Rng("y"));
    expect(b.basis.data).toEqual(a.basis.data);
    expect(b.heads.data).toEqual(a.heads.data);
  });
});
