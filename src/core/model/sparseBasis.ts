/** Random supports of sparse true representations (MODEL §2.1, §2.3). */
import type { Rng } from "../random/rng.js";

/** A uniformly random s-subset of {0..d-1}, ascending (partial Fisher-Yates: s draws). */
export function randomSupport(d: number, s: number, rng: Rng): Int32Array {
  const idx = Int32Array.from({ length: d }, (_, i) => i);
  for (let i = 0; i < s; i++) {
    const j = i + rng.integer(d - i);
    const t = idx[i];
    idx[i] = idx[j];
    idx[j] = t;
  }
  return idx.slice(0, s).sort();
}
