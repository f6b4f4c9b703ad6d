/**
 * Seeded randomness. Every random function in the library takes an `Rng`; nothing calls
 * the global generator. Streams are named: `rng.fork("source")` derives an independent stream from the
 * parent's key and a label, so a quantity's random numbers do not depend on the order in which
 * other quantities were drawn (adding a method to a run leaves the others' numbers unchanged).
 */

/** A stream's generator state (Rng.snapshot). */
export interface RngState {
  readonly key: string;
  readonly x: Int32Array;
  readonly i: number;
  readonly w: number;
}

/**
 * A seeded stream of uniforms and normals: Brent's xorgens generator xor4096 (a 4096-bit
 * xorshift combined with a Weyl sequence), seeded as seedrandom's `xor4096(key)` seeds it and stepped
 * here (the same initialisation and recurrence, so every output equals seedrandom's, which a test
 * checks) to keep hot loops free of closure calls. Its steps are integer operations without a serial
 * floating-point chain, several times faster in bulk than alea's.
 */
export class Rng {
  /** The key this stream was derived from; equal keys give equal streams. */
  readonly key: string;
  private readonly x: Int32Array;
  private i: number;
  private w: number;
  /** Whether any number has been drawn from this stream (see `untouched`). */
  private used = false;

  constructor(key: string) {
    this.key = key;
    // seedrandom's xor4096 initialisation for a string key, step for step (the key's characters
    // and a terminating NUL mixed into v, then into the 128-word state with the Weyl sequence,
    // then 512 warm-up steps), on an Int32Array: the same state (test/core/random/rng.test.ts
    // compares the outputs with seedrandom's), without its closures and array copies.
    const seed = `${key}\0`;
    const x = new Int32Array(128);
    const limit = Math.max(128, seed.length);
    let v = 0;
    let w = 0;
    let zeros = 0;
    for (let j = -32; j < limit; ++j) {
      v ^= seed.charCodeAt((j + 32) % seed.length);
      if (j === 0) w = v;
      v ^= v << 10;
      v ^= v >>> 15;
      v ^= v << 4;
      v ^= v >>> 13;
      if (j >= 0) {
        w = (w + 0x61c88647) | 0;
        const t = (x[j & 127] ^= v + w);
        zeros = t === 0 ? zeros + 1 : 0;
      }
    }
    if (zeros >= 128) x[seed.length & 127] = -1;
    let i = 127;
    for (let j = 4 * 128; j > 0; --j) {
      let a = x[(i + 34) & 127];
      i = (i + 1) & 127;
      let t = x[i];
      a ^= a << 13;
      t ^= t << 17;
      a ^= a >>> 15;
      t ^= t >>> 12;
      x[i] = a ^ t;
    }
    this.x = x;
    this.i = i;
    this.w = w;
  }

  /** xor4096's step: a signed 32-bit integer (seedrandom's int32). */
  int32(): number {
    this.used = true;
    const x = this.x;
    const w = (this.w = (this.w + 0x61c88647) | 0);
    let v = x[(this.i + 34) & 127];
    const i = (this.i = (this.i + 1) & 127);
    let t = x[i];
    v ^= v << 13;
    t ^= t << 17;
    v ^= v >>> 15;
    t ^= t >>> 12;
    v = x[i] = v ^ t;
    return (v + (w ^ (w >>> 16))) | 0;
  }

  /** Uniform on [0, 1) with 32 bits of resolution (seedrandom's default output). */
  uniform(): number {
    return (this.int32() >>> 0) / 0x100000000;
  }

  /** Uniform on (0, 1) with 53 bits of resolution (seedrandom's double; never 0). */
  uniform53(): number {
    let result: number;
    do {
      const top = this.int32() >>> 11;
      const bot = (this.int32() >>> 0) / 0x100000000;
      result = (top + bot) / (1 << 21);
    } while (result === 0);
    return result;
  }

  /** Uniform integer in {0, ..., n - 1}, n <= 2^32. */
  integer(n: number): number {
    return Math.floor(this.uniform53() * n);
  }

  /** A fair sign: +1 or -1 with probability 1/2 each (the sign bit of one draw). */
  sign(): number {
    return this.int32() < 0 ? -1 : 1;
  }

  /**
   * Standard normal by the ziggurat method of Marsaglia and Tsang (2000) with 128 layers: one
   * signed 32-bit draw per normal in about 98.8% of calls (a multiply and a table look-up), an
   * exact rejection step otherwise, and Marsaglia's exponential method beyond r = 3.4426. The
   * layer index takes the 7 low bits, the value all 32; exact in law up to the 2^-31 resolution
   * of the draw.
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
        let tx: number;
        let ty: number;
        do {
          tx = -Math.log(this.uniform53()) / ZIG_R;
          ty = -Math.log(this.uniform53());
        } while (ty + ty < tx * tx);
        return hz > 0 ? ZIG_R + tx : -ZIG_R - tx;
      }
      if (ZIG_F[iz] + this.uniform53() * (ZIG_F[iz - 1] - ZIG_F[iz]) < Math.exp(-0.5 * x * x)) return x;
      hz = this.int32();
      iz = hz & 127;
      if (Math.abs(hz) < ZIG_K[iz]) return hz * ZIG_W[iz];
    }
  }

  /** Fills `out` with independent standard normals (normal()'s ziggurat, inlined) and returns it. */
  fillNormal(out: Float64Array): Float64Array {
    this.used = true;
    const len = out.length;
    const x = this.x;
    let i = this.i;
    let w = this.w;
    for (let k = 0; k < len; k++) {
      // xor4096's step, inlined (see int32()).
      w = (w + 0x61c88647) | 0;
      let v = x[(i + 34) & 127];
      i = (i + 1) & 127;
      let t = x[i];
      v ^= v << 13;
      t ^= t << 17;
      v ^= v >>> 15;
      t ^= t >>> 12;
      v = x[i] = v ^ t;
      const hz = (v + (w ^ (w >>> 16))) | 0;
      const iz = hz & 127;
      if (Math.abs(hz) < ZIG_K[iz]) {
        out[k] = hz * ZIG_W[iz];
      } else {
        this.i = i;
        this.w = w;
        out[k] = this.normalSlow(hz, iz);
        i = this.i;
        w = this.w;
      }
    }
    this.i = i;
    this.w = w;
    return out;
  }

  /**
   * Fills `signs` and `normals` (equal lengths) with the values of alternating sign() and normal()
   * calls, sign first: signs[k] and normals[k] are the (2k+1)-th and (2k+2)-th draws' results (xor4096's step
   * and the ziggurat inlined, as in fillNormal), and leaves the stream where those calls would.
   */
  fillSignsAndNormals(signs: Float64Array, normals: Float64Array): void {
    this.used = true;
    const len = signs.length;
    if (normals.length !== len) throw new RangeError(`fillSignsAndNormals: ${len} signs but ${normals.length} normals`);
    const x = this.x;
    let i = this.i;
    let w = this.w;
    for (let k = 0; k < len; k++) {
      w = (w + 0x61c88647) | 0;
      let v = x[(i + 34) & 127];
      i = (i + 1) & 127;
      let t = x[i];
      v ^= v << 13;
      t ^= t << 17;
      v ^= v >>> 15;
      t ^= t >>> 12;
      v = x[i] = v ^ t;
      signs[k] = ((v + (w ^ (w >>> 16))) | 0) < 0 ? -1 : 1;
      w = (w + 0x61c88647) | 0;
      v = x[(i + 34) & 127];
      i = (i + 1) & 127;
      t = x[i];
      v ^= v << 13;
      t ^= t << 17;
      v ^= v >>> 15;
      t ^= t >>> 12;
      v = x[i] = v ^ t;
      const hz = (v + (w ^ (w >>> 16))) | 0;
      const iz = hz & 127;
      if (Math.abs(hz) < ZIG_K[iz]) {
        normals[k] = hz * ZIG_W[iz];
      } else {
        this.i = i;
        this.w = w;
        normals[k] = this.normalSlow(hz, iz);
        i = this.i;
        w = this.w;
      }
    }
    this.i = i;
    this.w = w;
  }

  /**
   * Fills `out` with independent uniforms on [0, 1), the values successive uniform() calls would
   * give (xor4096's step inlined, as in fillNormal), and returns it.
   */
  fillUniform(out: Float64Array): Float64Array {
    this.used = true;
    const len = out.length;
    const x = this.x;
    let i = this.i;
    let w = this.w;
    for (let k = 0; k < len; k++) {
      w = (w + 0x61c88647) | 0;
      let v = x[(i + 34) & 127];
      i = (i + 1) & 127;
      let t = x[i];
      v ^= v << 13;
      t ^= t << 17;
      v ^= v >>> 15;
      t ^= t >>> 12;
      v = x[i] = v ^ t;
      out[k] = (((v + (w ^ (w >>> 16))) | 0) >>> 0) / 0x100000000;
    }
    this.i = i;
    this.w = w;
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

  /** True while nothing has been drawn from this stream: it is then the stream its key names, from the start. */
  get untouched(): boolean {
    return !this.used;
  }

  /** The generator's state, to restore later into a stream of the same key (`restore`). */
  snapshot(): RngState {
    return { key: this.key, x: Int32Array.from(this.x), i: this.i, w: this.w };
  }

  /** Puts this stream where `state` was taken (a snapshot of a stream with the same key). */
  restore(state: RngState): void {
    if (state.key !== this.key) throw new RangeError(`Rng.restore: a state of stream ${JSON.stringify(state.key)} into stream ${JSON.stringify(this.key)}`);
    this.x.set(state.x);
    this.i = state.i;
    this.w = state.w;
    this.used = true;
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
