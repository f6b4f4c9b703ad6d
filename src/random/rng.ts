/**
 * Seeded randomness. Every random function in the library takes an `Rng`; nothing calls
 * Math.random. Streams are named: `rng.fork("source")` derives an independent stream from the
 * parent's key and a label, so a quantity's random numbers do not depend on the order in which
 * other quantities were drawn (adding a method to a run leaves the others' numbers unchanged).
 */
import seedrandom from "seedrandom";

/**
 * A seeded stream of uniforms and normals: Baagoe's alea generator, seeded by seedrandom's
 * `alea(key)` and then stepped here (the same recurrence, so every output equals seedrandom's,
 * which a test checks) to keep the hot loops free of closure calls.
 */
export class Rng {
  /** The key this stream was derived from; equal keys give equal streams. */
  readonly key: string;
  private s0: number;
  private s1: number;
  private s2: number;
  private c: number;

  constructor(key: string) {
    this.key = key;
    const state = seedrandom.alea(key, { state: true }).state() as unknown as { s0: number; s1: number; s2: number; c: number };
    this.s0 = state.s0;
    this.s1 = state.s1;
    this.s2 = state.s2;
    this.c = state.c;
  }

  /** Alea's step: the next uniform on [0, 1) with 32 bits of resolution. */
  private next(): number {
    const t = 2091639 * this.s0 + this.c * 2.3283064365386963e-10; // 2^-32
    this.s0 = this.s1;
    this.s1 = this.s2;
    this.c = t | 0;
    this.s2 = t - this.c;
    return this.s2;
  }

  /** A signed 32-bit integer (seedrandom's int32). */
  int32(): number {
    return (this.next() * 0x100000000) | 0;
  }

  /** Uniform on [0, 1) with 32 bits of resolution (alea's fast output). */
  uniform(): number {
    return this.next();
  }

  /** Uniform on [0, 1) with 53 bits of resolution (seedrandom's double). */
  uniform53(): number {
    return this.next() + ((this.next() * 0x200000) | 0) * 1.1102230246251565e-16;
  }

  /** Uniform integer in {0, ..., n - 1}, n <= 2^32. */
  integer(n: number): number {
    return Math.floor(this.uniform53() * n);
  }

  /** A fair sign: +1 or -1 with probability 1/2 each. */
  sign(): number {
    return this.next() < 0.5 ? -1 : 1;
  }

  /**
   * Standard normal by the ziggurat method of Marsaglia and Tsang (2000) with 128 layers: one
   * signed 32-bit draw per normal in about 98.8% of calls (a multiply and a table look-up), an
   * exact rejection step otherwise, and the exponential tail method beyond r = 3.4426. The
   * layer index takes the 7 low bits, the value all 32; the sampler is exact in law up to the
   * 2^-31 resolution of the draw.
   */
  normal(): number {
    const hz = this.int32();
    const iz = hz & 127;
    if (Math.abs(hz) < ZIG_K[iz]) return hz * ZIG_W[iz];
    return this.normalSlow(hz, iz);
  }

  private normalSlow(hz: number, iz: number): number {
    for (;;) {
      const x = hz * ZIG_W[iz];
      if (iz === 0) {
        // Tail beyond r: Marsaglia's exponential method.
        let tx: number;
        let ty: number;
        do {
          tx = -Math.log(this.uniformOpen()) / ZIG_R;
          ty = -Math.log(this.uniformOpen());
        } while (ty + ty < tx * tx);
        return hz > 0 ? ZIG_R + tx : -ZIG_R - tx;
      }
      if (ZIG_F[iz] + this.uniform53() * (ZIG_F[iz - 1] - ZIG_F[iz]) < Math.exp(-0.5 * x * x)) return x;
      hz = this.int32();
      iz = hz & 127;
      if (Math.abs(hz) < ZIG_K[iz]) return hz * ZIG_W[iz];
    }
  }

  /** Uniform on (0, 1), never 0 (for logarithms). */
  private uniformOpen(): number {
    let u: number;
    do u = this.uniform53();
    while (u === 0);
    return u;
  }

  /** Fills `out` with independent standard normals and returns it. */
  fillNormal(out: Float64Array): Float64Array {
    const len = out.length;
    let s0 = this.s0;
    let s1 = this.s1;
    let s2 = this.s2;
    let c = this.c;
    for (let i = 0; i < len; i++) {
      // Alea's step, inlined (see next()).
      const t = 2091639 * s0 + c * 2.3283064365386963e-10;
      s0 = s1;
      s1 = s2;
      c = t | 0;
      s2 = t - c;
      const hz = (s2 * 0x100000000) | 0;
      const iz = hz & 127;
      if (Math.abs(hz) < ZIG_K[iz]) {
        out[i] = hz * ZIG_W[iz];
      } else {
        this.s0 = s0;
        this.s1 = s1;
        this.s2 = s2;
        this.c = c;
        out[i] = this.normalSlow(hz, iz);
        s0 = this.s0;
        s1 = this.s1;
        s2 = this.s2;
        c = this.c;
      }
    }
    this.s0 = s0;
    this.s1 = s1;
    this.s2 = s2;
    this.c = c;
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

// Ziggurat tables (Marsaglia and Tsang 2000, 128 layers): K thresholds on |hz|, W scale of each
// layer (x = hz * W), F the density exp(-x^2/2) at each layer's edge.
const ZIG_R = 3.442619855899;
const ZIG_K = new Float64Array(128);
const ZIG_W = new Float64Array(128);
const ZIG_F = new Float64Array(128);
(function buildZigguratTables(): void {
  const m1 = 2147483648.0;
  const vn = 9.91256303526217e-3;
  let dn = ZIG_R;
  let tn = dn;
  const q = vn / Math.exp(-0.5 * dn * dn);
  ZIG_K[0] = Math.floor((dn / q) * m1);
  ZIG_K[1] = 0;
  ZIG_W[0] = q / m1;
  ZIG_W[127] = dn / m1;
  ZIG_F[0] = 1;
  ZIG_F[127] = Math.exp(-0.5 * dn * dn);
  for (let i = 126; i >= 1; i--) {
    dn = Math.sqrt(-2 * Math.log(vn / dn + Math.exp(-0.5 * dn * dn)));
    ZIG_K[i + 1] = Math.floor((dn / tn) * m1);
    tn = dn;
    ZIG_F[i] = Math.exp(-0.5 * dn * dn);
    ZIG_W[i] = dn / m1;
  }
})();

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
