import seedrandom from "seedrandom";
import { describe, expect, it } from "vitest";
import { normalCdf } from "../../../src/core/linalg/normal.js";
import { Rng, replicateRng, rootRng } from "../../../src/core/random/rng.js";
import { ALPHA, ksCritical, ksStatistic, meanSe, zCritical } from "../../statistics.js";

describe("Rng", () => {
  it("steps exactly seedrandom's xor4096 (same int32, uniform and double outputs for the same key)", () => {
    const ours = new Rng("a key");
    const theirs = seedrandom.xor4096("a key");
    for (let i = 0; i < 2000; i++) {
      expect(ours.int32()).toBe(theirs.int32());
      expect(ours.uniform()).toBe(theirs());
      expect(ours.uniform53()).toBe(theirs.double());
    }
  });

  it("is seeded as seedrandom's xor4096 for any string key: empty, the library's fork paths, non-ASCII, longer than the 128-word state", () => {
    const keys = ["", "0", "1/3/method:ssl+linf/task:19:round:0", "échantillon λ 表", "k".repeat(127), "long/".repeat(60), String.fromCharCode(0, 65535, 1)];
    for (let n = 0; n < 200; n++) keys.push(`seed/${n * 7919}/replicate:${n}`);
    for (const key of keys) {
      const ours = new Rng(key);
      const theirs = seedrandom.xor4096(key);
      for (let i = 0; i < 300; i++) expect(ours.int32(), JSON.stringify(key)).toBe(theirs.int32());
    }
  });

  it("fillUniform() gives the values of successive uniform() calls and leaves the stream where they would", () => {
    const a = new Rng("fill uniform");
    const b = new Rng("fill uniform");
    const filled = a.fillUniform(new Float64Array(300));
    expect(Array.from(filled)).toEqual(Array.from({ length: 300 }, () => b.uniform()));
    expect(a.int32()).toBe(b.int32());
  });

  it("fillSignsAndNormals() gives the values of alternating sign() and normal() calls (the ziggurat's slow path included) and leaves the stream where they would", () => {
    const a = new Rng("pairs");
    const b = new Rng("pairs");
    const n = 5000; // about 60 slow-path normals (1.2% of draws)
    const signs = new Float64Array(n);
    const normals = new Float64Array(n);
    a.fillSignsAndNormals(signs, normals);
    for (let k = 0; k < n; k++) {
      expect(signs[k]).toBe(b.sign());
      expect(normals[k]).toBe(b.normal());
    }
    expect(a.int32()).toBe(b.int32());
    expect(() => a.fillSignsAndNormals(new Float64Array(2), new Float64Array(3))).toThrow(RangeError);
  });

  it("is untouched until its first draw, by any method; restore() puts a stream of the same key where a snapshot was taken", () => {
    for (const draw of [(r: Rng) => r.int32(), (r: Rng) => r.uniform53(), (r: Rng) => r.sign(), (r: Rng) => r.normal(), (r: Rng) => r.fillNormal(new Float64Array(1)), (r: Rng) => r.fillUniform(new Float64Array(1)), (r: Rng) => r.fillSignsAndNormals(new Float64Array(1), new Float64Array(1))]) {
      const r = new Rng("touch");
      expect(r.untouched).toBe(true);
      draw(r);
      expect(r.untouched).toBe(false);
    }
    const a = new Rng("snap");
    a.fillNormal(new Float64Array(37));
    const state = a.snapshot();
    const next = a.int32();
    const b = new Rng("snap");
    b.restore(state);
    expect(b.untouched).toBe(false);
    expect(b.int32()).toBe(next);
    expect(() => new Rng("other").restore(state)).toThrow(RangeError);
  });

  it("gives equal streams for equal keys and different streams for different forks", () => {
    const a = rootRng(7).fork("x");
    const b = rootRng(7).fork("x");
    const c = rootRng(7).fork("y");
    const xa = Array.from({ length: 20 }, () => a.normal());
    expect(Array.from({ length: 20 }, () => b.normal())).toEqual(xa);
    expect(Array.from({ length: 20 }, () => c.normal())).not.toEqual(xa);
    expect(replicateRng(3, 5).key).toBe(replicateRng(3, 5).key);
    expect(replicateRng(3, 5).key).not.toBe(replicateRng(3, 6).key);
  });

  it("normal() and fillNormal() are standard normal: KS test at false-alarm rate 1e-5", () => {
    const n = 200_000;
    const rng = new Rng("ks");
    const xs = rng.fillNormal(new Float64Array(n));
    expect(ksStatistic(xs, normalCdf)).toBeLessThan(ksCritical(n, ALPHA));
    const ys = Float64Array.from({ length: n }, () => rng.normal());
    expect(ksStatistic(ys, normalCdf)).toBeLessThan(ksCritical(n, ALPHA));
  });

  it("normal tails: P(|Z| > 3) matches 2 Phi(-3) within 4.5 SE (the ziggurat's slow path)", () => {
    const n = 2_000_000;
    const xs = new Rng("tails").fillNormal(new Float64Array(n));
    let hits = 0;
    let far = 0;
    for (const x of xs) {
      if (Math.abs(x) > 3) hits++;
      if (Math.abs(x) > 3.6) far++;
    }
    for (const [count, z] of [
      [hits, 3],
      [far, 3.6],
    ] as const) {
      const p = 2 * normalCdf(-z);
      expect(Math.abs(count / n - p)).toBeLessThan(zCritical(ALPHA) * Math.sqrt((p * (1 - p)) / n));
    }
  });

  it("chiSquare(k) has mean k and variance 2k (within 4.5 SE), for k below and above 2", () => {
    const rng = new Rng("chi");
    for (const k of [0.5, 1, 3, 17]) {
      const xs = Float64Array.from({ length: 100_000 }, () => rng.chiSquare(k));
      const { mean, se, variance } = meanSe(xs);
      expect(Math.abs(mean - k)).toBeLessThan(zCritical(ALPHA) * se);
      // Variance 2k: the mean of (x - k)^2, within its own standard error.
      const sq = Float64Array.from(xs, (x) => (x - k) ** 2);
      const v = meanSe(sq);
      expect(Math.abs(v.mean - 2 * k)).toBeLessThan(zCritical(ALPHA) * v.se);
      expect(variance).toBeGreaterThan(0);
    }
  });

  it("sign() is fair and integer(n) is uniform on 0..n-1 (chi-square-free check of means)", () => {
    const rng = new Rng("int");
    const n = 100_000;
    const signs = Float64Array.from({ length: n }, () => rng.sign());
    expect(Math.abs(meanSe(signs).mean)).toBeLessThan(zCritical(ALPHA) / Math.sqrt(n));
    const ints = Float64Array.from({ length: n }, () => rng.integer(7));
    expect(Math.min(...ints)).toBe(0);
    expect(Math.max(...ints)).toBe(6);
    const { mean, se } = meanSe(ints);
    expect(Math.abs(mean - 3)).toBeLessThan(zCritical(ALPHA) * se);
  });
});
