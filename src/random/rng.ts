/**
 * Seeded randomness. Every random function in the library takes an `Rng`; nothing calls
 * Math.random. Streams are named: `rng.fork("source")` derives an independent stream from the
 * parent's key and a label, so a quantity's random numbers do not depend on the order in which
 * other quantities were drawn (adding a method to a run leaves the others' numbers unchanged).
 */
import seedrandom from "seedrandom";

/** A seeded stream of uniforms and normals backed by seedrandom's alea generator. */
export class Rng {
  /** The key this stream was derived from; equal keys give equal streams. */
  readonly key: string;
  private readonly prng: seedrandom.PRNG;
  private spare = 0;
  private hasSpare = false;

  constructor(key: string) {
    this.key = key;
    this.prng = seedrandom.alea(key);
  }

  /** Uniform on [0, 1) with 32 bits of resolution (alea's fast output). */
  uniform(): number {
    return this.prng();
  }

  /** Uniform on [0, 1) with 53 bits of resolution. */
  uniform53(): number {
    return this.prng.double();
  }

  /** Uniform integer in {0, ..., n - 1}, n <= 2^32. */
  integer(n: number): number {
    return Math.floor(this.prng.double() * n);
  }

  /** A fair sign: +1 or -1 with probability 1/2 each. */
  sign(): number {
    return this.prng() < 0.5 ? -1 : 1;
  }

  /**
   * Standard normal by Marsaglia's polar method (exact, no table); pairs are cached.
   * With alea's 32-bit uniforms the smallest nonzero radius is about 2^-62, so the tails reach
   * past 9 standard deviations.
   */
  normal(): number {
    if (this.hasSpare) {
      this.hasSpare = false;
      return this.spare;
    }
    let u: number;
    let v: number;
    let s: number;
    do {
      u = 2 * this.prng() - 1;
      v = 2 * this.prng() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const f = Math.sqrt((-2 * Math.log(s)) / s);
    this.spare = v * f;
    this.hasSpare = true;
    return u * f;
  }

  /** Fills `out` with independent standard normals and returns it. */
  fillNormal(out: Float64Array): Float64Array {
    const len = out.length;
    let i = 0;
    if (this.hasSpare && len > 0) {
      out[i++] = this.spare;
      this.hasSpare = false;
    }
    const prng = this.prng;
    while (i + 1 < len) {
      let u: number;
      let v: number;
      let s: number;
      do {
        u = 2 * prng() - 1;
        v = 2 * prng() - 1;
        s = u * u + v * v;
      } while (s >= 1 || s === 0);
      const f = Math.sqrt((-2 * Math.log(s)) / s);
      out[i++] = u * f;
      out[i++] = v * f;
    }
    if (i < len) out[i] = this.normal();
    return out;
  }

  /**
   * Gamma(shape, 1) by Marsaglia and Tsang (2000); for shape < 1 the boost
   * Gamma(a) = Gamma(a + 1) * U^(1/a). Requires shape > 0.
   */
  gamma(shape: number): number {
    if (!(shape > 0)) throw new RangeError(`gamma: shape = ${shape}: must be > 0`);
    if (shape < 1) return this.gamma(shape + 1) * Math.pow(this.uniform53(), 1 / shape);
    const d = shape - 1 / 3;
    const c = 1 / Math.sqrt(9 * d);
    for (;;) {
      let x: number;
      let v: number;
      do {
        x = this.normal();
        v = 1 + c * x;
      } while (v <= 0);
      v = v * v * v;
      const u = this.uniform53();
      if (u < 1 - 0.0331 * x * x * x * x) return d * v;
      if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
    }
  }

  /** Chi-square with k > 0 degrees of freedom: 2 Gamma(k/2). k = 0 gives 0. */
  chiSquare(k: number): number {
    if (k === 0) return 0;
    return 2 * this.gamma(k / 2);
  }

  /** An independent stream named by `label`, derived from this stream's key. */
  fork(label: string | number): Rng {
    return new Rng(`${this.key}/${label}`);
  }
}

/** The root stream of a run with integer or string seed. */
export function rootRng(seed: number | string): Rng {
  return new Rng(`advtransfer:${seed}`);
}

/**
 * The stream of replicate k of a run with the given seed: a function of (seed, k) only, so
 * results do not depend on which worker runs which replicate or in what order.
 */
export function replicateRng(seed: number | string, replicate: number): Rng {
  return rootRng(seed).fork(`replicate:${replicate}`);
}
