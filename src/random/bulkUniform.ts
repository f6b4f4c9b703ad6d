/**
 * Bulk uniforms for hot loops that need millions of numbers per call (the random starts of the
 * two-layer attacks draw N d uniforms per training step), where calling the alea stream of `Rng`
 * once per number dominates the run time. A 32-bit counter-based generator (mulberry32, by
 * Tommy Ettinger) is seeded from the given Rng, so results stay a function of the run's seed.
 * Quality: 32-bit output, period 2^32 per seed, which is ample for one fill of at most 2^31
 * numbers; not for anything that needs 53-bit resolution.
 */
import type { Rng } from "./rng.js";

/** out[i] += scale * (2 U_i - 1), U_i uniform on [0, 1), i < len; the seed is drawn from rng. */
export function addUniformSymmetric(out: Float64Array, len: number, scale: number, rng: Rng): void {
  let state = rng.integer(4294967296) | 0;
  const f = (2 * scale) / 4294967296;
  for (let i = 0; i < len; i++) {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] += f * ((t ^ (t >>> 14)) >>> 0) - scale;
  }
}
