/**
 * A minimal WebAssembly binary assembler: enough of the format (type, import, function, export and
 * code sections; i32 and f64 arithmetic, loops, loads and stores, the 128-bit SIMD f64x2
 * operations) to write the regression family's kernels (kernels.ts) as code, with no toolchain and
 * no binary file. Instructions are byte arrays; `Wasm.module` lays out a module importing one
 * memory ("env", "memory") and exporting every function by name.
 */

/** Unsigned LEB128. */
export function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

/** Signed LEB128 (32-bit). */
export function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}

const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
const name = (s: string): number[] => vec([...s].map((c) => [c.charCodeAt(0)]));
const section = (id: number, bytes: number[]): number[] => [id, ...uleb(bytes.length), ...bytes];
const simd = (code: number, ...rest: number[]): number[] => [0xfd, ...uleb(code), ...rest];

/** Value types. */
export const I32 = 0x7f;
export const F64 = 0x7c;
export const V128 = 0x7b;

/** Instructions (alignments: 8 bytes for f64, 16 for v128; offsets in bytes). */
export const op = {
  get: (i: number) => [0x20, ...uleb(i)],
  set: (i: number) => [0x21, ...uleb(i)],
  tee: (i: number) => [0x22, ...uleb(i)],
  i32: (v: number) => [0x41, ...sleb(v)],
  add: [0x6a],
  sub: [0x6b],
  mul: [0x6c],
  shl: [0x74],
  shrs: [0x75],
  and: [0x71],
  ltS: [0x48],
  geS: [0x4e],
  gtS: [0x4a],
  eqz: [0x45],
  loop: [0x03, 0x40],
  block: [0x02, 0x40],
  if: [0x04, 0x40],
  end: [0x0b],
  br: (depth: number) => [0x0c, ...uleb(depth)],
  brIf: (depth: number) => [0x0d, ...uleb(depth)],
  f64Load: (offset = 0) => [0x2b, 3, ...uleb(offset)],
  f64Store: (offset = 0) => [0x39, 3, ...uleb(offset)],
  f64Add: [0xa0],
  f64Mul: [0xa2],
  f64Zero: [0x44, 0, 0, 0, 0, 0, 0, 0, 0],
  vLoad: (offset = 0) => simd(0, 4, ...uleb(offset)),
  vLoadSplat: (offset = 0) => simd(10, 3, ...uleb(offset)),
  vStore: (offset = 0) => simd(11, 4, ...uleb(offset)),
  vZero: simd(12, ...new Array<number>(16).fill(0)),
  vSplat: simd(20),
  vLane: (lane: number) => simd(33, lane),
  vAdd: simd(240),
  vMul: simd(242),
};

/** A function: parameter types, local types (besides the parameters), body (without the final end). */
export interface WasmFunction {
  readonly name: string;
  readonly params: readonly number[];
  readonly locals: readonly number[];
  readonly body: readonly number[];
}

/** The binary of a module importing env.memory and exporting `functions` (no results). */
export function assemble(functions: readonly WasmFunction[]): Uint8Array {
  const types = section(1, vec(functions.map((f) => [0x60, ...vec(f.params.map((p) => [p])), ...vec([])])));
  const imports = section(2, vec([[...name("env"), ...name("memory"), 0x02, 0x00, ...uleb(1)]]));
  const funcs = section(3, vec(functions.map((_, i) => uleb(i))));
  const exports = section(7, vec(functions.map((f, i) => [...name(f.name), 0x00, ...uleb(i)])));
  const code = section(
    10,
    vec(
      functions.map((f) => {
        const locals = vec(f.locals.map((t) => [1, t]));
        const body = [...locals, ...f.body, ...op.end];
        return [...uleb(body.length), ...body];
      }),
    ),
  );
  return new Uint8Array([0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0, ...types, ...imports, ...funcs, ...exports, ...code]);
}
