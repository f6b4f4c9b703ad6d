/**
 * The representation step (MODEL §3.2): U = top-r left singular vectors of the matrix of kept
 * per-task columns, computed thin (from the T x T Gram matrix; by thin QR when it is ill-conditioned).
 */
import { type Mat, zeros, norm2 } from "../../../core/linalg/mat.js";
import { topLeftSingularVectorsGram } from "../../../core/linalg/decompositions.js";

/** How per-task columns enter M (MODEL §3.2). */
export type ColumnScaling = "normalised" | "unnormalised";

/** A fitted representation, or the reason there is none. */
export type Representation =
  | {
      readonly ok: true;
      /** U, d x r with orthonormal columns. */
      readonly basis: Mat;
      /** M, the d x k matrix of kept columns the SVD was taken of. */
      readonly columns: Mat;
      /** Indices (in 0..T-1) of the kept tasks, matching the columns of M. */
      readonly keptTasks: readonly number[];
      /** Singular values of M, descending. */
      readonly singularValues: Float64Array;
    }
  | {
      readonly ok: false;
      readonly reason: string;
      readonly keptTasks: readonly number[];
    };

/** Relative size below which sigma_r(M) counts as zero: rank deficiency is reported, not used. */
export const RANK_TOLERANCE = 1e-12;

/**
 * U from per-task directions (null = dropped task). Normalised columns are the paper's
 * Algorithm 1 (beta_t = v_t / ||v_t||); unnormalised keep the directions' lengths. Fewer than r
 * kept tasks, or sigma_r(M) <= RANK_TOLERANCE sigma_1(M), gives { ok: false } with the reason.
 */
export function representationFromDirections(
  directions: readonly (Float64Array | null)[],
  r: number,
  scaling: ColumnScaling,
): Representation {
  const keptTasks: number[] = [];
  directions.forEach((v, t) => {
    if (v !== null) keptTasks.push(t);
  });
  const T = directions.length;
  if (keptTasks.length < r) {
    return { ok: false, reason: `only ${keptTasks.length} of ${T} tasks kept, fewer than r = ${r}`, keptTasks };
  }
  const d = (directions[keptTasks[0]] as Float64Array).length;
  const columns = zeros(d, keptTasks.length);
  keptTasks.forEach((t, j) => {
    const v = directions[t] as Float64Array;
    const scale = scaling === "normalised" ? 1 / norm2(v) : 1;
    const off = j * d;
    for (let i = 0; i < d; i++) columns.data[off + i] = v[i] * scale;
  });
  if (d < r) return { ok: false, reason: `d = ${d} is smaller than r = ${r}`, keptTasks };
  const seen = RECENT.find(columns, keptTasks, r);
  if (seen !== undefined) return seen;
  // The T x T Gram route (MODEL §3.2), which falls back to thin QR when sigma_r(M) is small.
  const { u, values } = topLeftSingularVectorsGram(columns, r);
  const rep: Representation = !(values[r - 1] > RANK_TOLERANCE * values[0])
    ? { ok: false, reason: `kept columns have rank < r = ${r} (sigma_r / sigma_1 = ${(values[r - 1] / values[0]).toExponential(2)})`, keptTasks }
    : { ok: true, basis: u, columns, keptTasks, singularValues: values };
  RECENT.add(columns, keptTasks, r, rep);
  return rep;
}

/**
 * The last few representations, by their input: the step is a pure function of (M, kept tasks, r),
 * so a bit-identical M gets back the very same (immutable) result. In a sweep over eps, l2 training
 * that drops no task, l-inf training at eps = 0 and standard training build the same M from the
 * same statistics; they then cost one decomposition (and, in the family, one measurement). Inputs
 * are compared bit for bit (a hash first, then every entry), so a hit never changes a number.
 */
class RecentRepresentations {
  private readonly entries: { hash: number; bits: Uint32Array; kept: readonly number[]; r: number; rep: Representation }[] = [];
  private readonly capacity = 32;

  find(columns: Mat, kept: readonly number[], r: number): Representation | undefined {
    const bits = new Uint32Array(columns.data.buffer, columns.data.byteOffset, columns.data.length * 2);
    const hash = hashBits(bits);
    for (let i = this.entries.length - 1; i >= 0; i--) {
      const e = this.entries[i];
      if (e.hash === hash && e.r === r && sameBits(e.bits, bits) && sameList(e.kept, kept)) {
        // Least recently used first: a hit moves to the end.
        this.entries.splice(i, 1);
        this.entries.push(e);
        return e.rep;
      }
    }
    return undefined;
  }

  add(columns: Mat, kept: readonly number[], r: number, rep: Representation): void {
    const bits = new Uint32Array(columns.data.buffer, columns.data.byteOffset, columns.data.length * 2);
    if (this.entries.length >= this.capacity) this.entries.shift();
    this.entries.push({ hash: hashBits(bits), bits, kept, r, rep });
  }
}

const RECENT = new RecentRepresentations();

/**
 * FNV-1a over every 7th 32-bit word (both halves of the doubles, in turn) and the length: a
 * cheap filter; a match is confirmed word for word (sameBits).
 */
function hashBits(bits: Uint32Array): number {
  let h = Math.imul(0x811c9dc5 ^ bits.length, 0x01000193);
  for (let i = 0; i < bits.length; i += 7) h = Math.imul(h ^ bits[i], 0x01000193);
  return h >>> 0;
}

function sameBits(a: Uint32Array, b: Uint32Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function sameList(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
