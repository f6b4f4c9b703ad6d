/**
 * Bulk uniforms and normals for hot loops that need millions of numbers per call (the random
 * starts of the two-layer attacks draw N d numbers per training step), where calling the alea
 * stream of `Rng` once per number dominates the run time. A 32-bit counter-based generator
 * (mulberry32, by Tommy Ettinger) is seeded from the given Rng, so results stay a function of
 * the run's seed. Quality: 32-bit output, period 2^32 per seed, ample for one fill of at most
 * 2^31 numbers; not for anything that needs 53-bit resolution or far normal tails (the polar
 * method on 32-bit uniforms reaches about 6.7 standard deviations).
 */
import type { Rng } from "./rng.js";

const TWO32 = 4294967296;

/** A mulberry32 stream seeded from rng: each call returns a uniform on [0, 1) with 32 bits. */
function mulberry32(rng: Rng): () => number {
  let state = rng.integer(TWO32) | 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / TWO32;
  };
}

/** out[i] += scale * (2 U_i - 1), U_i uniform on [0, 1), i < len; the seed is drawn from rng. */
export function addUniformSymmetric(out: Float64Array, len: number, scale: number, rng: Rng): void {
  let state = rng.integer(TWO32) | 0;
  const f = (2 * scale) / TWO32;
  for (let i = 0; i < len; i++) {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] += f * ((t ^ (t >>> 14)) >>> 0) - scale;
  }
}

/** Fills out with independent standard normals (Marsaglia's polar method); the seed is drawn from rng. */
export function fillNormalBulk(out: Float64Array, rng: Rng): Float64Array {
  const next = mulberry32(rng);
  const len = out.length;
  let i = 0;
  while (i < len) {
    let u: number;
    let v: number;
    let s: number;
    do {
      u = 2 * next() - 1;
      v = 2 * next() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const f = Math.sqrt((-2 * Math.log(s)) / s);
    out[i++] = u * f;
    if (i < len) out[i++] = v * f;
  }
  return out;
}

/** Fills out with independent uniforms on [0, 1) (32-bit resolution); the seed is drawn from rng. */
export function fillUniformBulk(out: Float64Array, rng: Rng): Float64Array {
  const next = mulberry32(rng);
  for (let i = 0; i < out.length; i++) out[i] = next();
  return out;
}
