import { describe, expect, it } from "vitest";
import { Rng } from "../../src/random/rng.js";
import { addUniformSymmetric, fillNormalBulk, fillUniformBulk } from "../../src/random/bulkRandom.js";

function moments(v: Float64Array) {
  let m = 0;
  for (const x of v) m += x;
  m /= v.length;
  let s2 = 0;
  let m4 = 0;
  for (const x of v) {
    s2 += (x - m) ** 2;
    m4 += (x - m) ** 4;
  }
  return { mean: m, variance: s2 / (v.length - 1), fourth: m4 / v.length };
}

describe("bulk random numbers", () => {
  const N = 200_000;

  it("normals have mean 0, variance 1 and kurtosis 3 within 5 SE", () => {
    const v = fillNormalBulk(new Float64Array(N), new Rng("normals"));
    const m = moments(v);
    expect(Math.abs(m.mean)).toBeLessThan(5 / Math.sqrt(N));
    // Var of the sample variance of N(0,1) is 2 / N; of the 4th moment (E Z^8 - 9) / N = 96 / N.
    expect(Math.abs(m.variance - 1)).toBeLessThan(5 * Math.sqrt(2 / N));
    expect(Math.abs(m.fourth - 3)).toBeLessThan(5 * Math.sqrt(96 / N));
  });

  it("uniforms have mean 1/2 and variance 1/12 within 5 SE, and stay in [0, 1)", () => {
    const v = fillUniformBulk(new Float64Array(N), new Rng("uniforms"));
    expect(Math.min(...v.subarray(0, 50000)) >= 0 && v.every((x) => x >= 0 && x < 1)).toBe(true);
    const m = moments(v);
    expect(Math.abs(m.mean - 0.5)).toBeLessThan(5 * Math.sqrt(1 / 12 / N));
    // Var of the sample variance of U(0,1): (mu4 - sigma^4) / N = (1/80 - 1/144) / N.
    expect(Math.abs(m.variance - 1 / 12)).toBeLessThan(5 * Math.sqrt((1 / 80 - 1 / 144) / N));
  });

  it("addUniformSymmetric adds U(-scale, scale) and is a function of the seed", () => {
    const a = new Float64Array(N).fill(2);
    addUniformSymmetric(a, N, 0.5, new Rng("sym"));
    expect(a.every((x) => x >= 1.5 && x < 2.5)).toBe(true);
    const m = moments(a);
    expect(Math.abs(m.mean - 2)).toBeLessThan(5 * Math.sqrt(0.25 / 3 / N));
    const b = new Float64Array(N).fill(2);
    addUniformSymmetric(b, N, 0.5, new Rng("sym"));
    expect(b).toEqual(a);
  });
});
