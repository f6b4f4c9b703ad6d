/**
 * The hot loops of the regression estimators as WebAssembly SIMD (f64x2) kernels, with a plain
 * JavaScript version of each that performs the same floating-point operations in the same order,
 * so results are bit for bit the same whichever runs (tested); the JavaScript version is used where
 * WebAssembly SIMD is unavailable. Kernels work on a workspace: one memory (a WebAssembly.Memory,
 * or a Float64Array for the JavaScript kernels) that callers fill through `workspace.f64` and pass
 * by element offset. Growing the workspace replaces `f64`, so callers size it (`reserve`) before
 * they take views.
 *
 * Kernels (offsets in elements; rows of x are row-major of length d, u is column-major d x r):
 *   dots(x, rows, d, u, r, out):   out[i r + l] = <x_i, u_l>; each dot sums even and odd
 *                                  coordinates in two lanes, then lane0 + lane1, then the last
 *                                  coordinate when d is odd.
 *   axpyRows(x, rows, d, v, q):    q = sum_i v_i x_i, q zeroed first, rows in order.
 *   addOuter(q, d, w, r, out):     out[l d + j] += w_l q_j (out column-major d x r).
 *   syrk(chunk, c, dp, m):         m (dp x dp, row-major) += the 4 x 4 tiles (a <= b) of Z^T Z for
 *                                  the c samples of `chunk`, stored in column pairs: column k of
 *                                  sample i at chunk[((k >> 1) c + i) 2 + (k & 1)]; each entry sums
 *                                  its c products in order, then is added to m.
 */
import { F64, I32, V128, type WasmFunction, assemble, op } from "./assembler.js";

/** The part of the WebAssembly JavaScript API used here (a standard global in every supported runtime). */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
declare const WebAssembly: {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => unknown;
  Instance: new (module: unknown, imports: Record<string, Record<string, unknown>>) => { readonly exports: Record<string, unknown> };
  Memory: new (descriptor: { initial: number }) => WasmMemory;
};

const { get, set, i32, add, mul, shl, geS, loop, block, end, br, brIf } = op;

/** Byte offset of element offset `local`: local << 3. */
const bytes = (local: number) => [...get(local), ...i32(3), ...shl];

/** dots(x, rows, d, u, r, out): params 0..5 (element offsets and counts). */
function dotsFunction(): WasmFunction {
  // locals: 6 i, 7 l, 8 j (bytes), 9 rowPtr (bytes), 10 pairBytes, 11 stride (bytes), 12 ub (bytes),
  // 13..16 acc (v128), 17 xv (v128), 18 s (f64), 19 tail index bytes, 20 k tmp
  const [X, ROWS, D, U, R, OUT] = [0, 1, 2, 3, 4, 5];
  const [I, L, J, ROW, PAIRS, STRIDE, UB, A0, A1, A2, A3, XV, S, TAIL] = [6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19];
  const accs = [A0, A1, A2, A3];
  const oddTail = (acc: number, colOffsetBytes: number[]) => [
    // s = lane0 + lane1 (+ x[d-1] u[d-1] when d is odd)
    ...get(acc), ...op.vLane(0), ...get(acc), ...op.vLane(1), ...op.f64Add, ...set(S),
    ...get(D), ...i32(1), ...op.and, ...op.if,
    ...get(S), ...get(ROW), ...get(TAIL), ...add, ...op.f64Load(), ...get(UB), ...(colOffsetBytes.length === 0 ? [] : [...colOffsetBytes, ...add]), ...get(TAIL), ...add, ...op.f64Load(), ...op.f64Mul, ...op.f64Add, ...set(S),
    ...end,
  ];
  const storeOut = (k: number) => [
    // out[(i r + l + k)] = s
    ...get(OUT), ...get(I), ...get(R), ...mul, ...add, ...get(L), ...add, ...i32(k), ...add, ...i32(3), ...shl, ...get(S), ...op.f64Store(),
  ];
  const body = [
    ...get(D), ...i32(-2), ...op.and, ...i32(3), ...shl, ...set(PAIRS),
    ...get(D), ...i32(3), ...shl, ...set(STRIDE),
    ...get(D), ...i32(1), ...op.sub, ...i32(3), ...shl, ...set(TAIL),
    ...i32(0), ...set(I),
    ...block, ...loop,
    ...get(I), ...get(ROWS), ...geS, ...brIf(1),
    ...get(X), ...get(I), ...get(D), ...mul, ...add, ...i32(3), ...shl, ...set(ROW),
    ...i32(0), ...set(L),
    // Blocks of four columns.
    ...block, ...loop,
    ...get(L), ...i32(4), ...add, ...get(R), ...op.gtS, ...brIf(1),
    ...get(U), ...get(L), ...get(D), ...mul, ...add, ...i32(3), ...shl, ...set(UB),
    ...accs.flatMap((a) => [...op.vZero, ...set(a)]),
    ...i32(0), ...set(J),
    ...block, ...loop,
    ...get(J), ...get(PAIRS), ...geS, ...brIf(1),
    ...get(ROW), ...get(J), ...add, ...op.vLoad(), ...set(XV),
    ...accs.flatMap((a, k) => [
      ...get(a), ...get(XV), ...get(UB), ...(k === 0 ? [] : [...get(STRIDE), ...i32(k), ...mul, ...add]), ...get(J), ...add, ...op.vLoad(), ...op.vMul, ...op.vAdd, ...set(a),
    ]),
    ...get(J), ...i32(16), ...add, ...set(J),
    ...br(0),
    ...end, ...end,
    ...accs.flatMap((a, k) => [...oddTail(a, k === 0 ? [] : [...get(STRIDE), ...i32(k), ...mul]), ...storeOut(k)]),
    ...get(L), ...i32(4), ...add, ...set(L),
    ...br(0),
    ...end, ...end,
    // Remaining columns one at a time.
    ...block, ...loop,
    ...get(L), ...get(R), ...geS, ...brIf(1),
    ...get(U), ...get(L), ...get(D), ...mul, ...add, ...i32(3), ...shl, ...set(UB),
    ...op.vZero, ...set(A0),
    ...i32(0), ...set(J),
    ...block, ...loop,
    ...get(J), ...get(PAIRS), ...geS, ...brIf(1),
    ...get(A0), ...get(ROW), ...get(J), ...add, ...op.vLoad(), ...get(UB), ...get(J), ...add, ...op.vLoad(), ...op.vMul, ...op.vAdd, ...set(A0),
    ...get(J), ...i32(16), ...add, ...set(J),
    ...br(0),
    ...end, ...end,
    ...oddTail(A0, []),
    ...storeOut(0),
    ...get(L), ...i32(1), ...add, ...set(L),
    ...br(0),
    ...end, ...end,
    ...get(I), ...i32(1), ...add, ...set(I),
    ...br(0),
    ...end, ...end,
  ];
  return { name: "dots", params: [I32, I32, I32, I32, I32, I32], locals: [I32, I32, I32, I32, I32, I32, I32, V128, V128, V128, V128, V128, F64, I32], body };
}

/** axpyRows(x, rows, d, v, q). */
function axpyFunction(): WasmFunction {
  const [X, ROWS, D, V, Q] = [0, 1, 2, 3, 4];
  const [I, J, ROW, PAIRS, QB, VI, VS] = [5, 6, 7, 8, 9, 10, 11];
  const body = [
    ...get(D), ...i32(-2), ...op.and, ...i32(3), ...shl, ...set(PAIRS),
    ...bytes(Q), ...set(QB),
    // q = 0
    ...i32(0), ...set(J),
    ...block, ...loop,
    ...get(J), ...get(D), ...i32(3), ...shl, ...geS, ...brIf(1),
    ...get(QB), ...get(J), ...add, ...op.f64Zero, ...op.f64Store(),
    ...get(J), ...i32(8), ...add, ...set(J),
    ...br(0),
    ...end, ...end,
    ...i32(0), ...set(I),
    ...block, ...loop,
    ...get(I), ...get(ROWS), ...geS, ...brIf(1),
    ...get(X), ...get(I), ...get(D), ...mul, ...add, ...i32(3), ...shl, ...set(ROW),
    ...get(V), ...get(I), ...add, ...i32(3), ...shl, ...op.f64Load(), ...set(VS),
    ...get(VS), ...op.vSplat, ...set(VI),
    ...i32(0), ...set(J),
    ...block, ...loop,
    ...get(J), ...get(PAIRS), ...geS, ...brIf(1),
    ...get(QB), ...get(J), ...add,
    ...get(QB), ...get(J), ...add, ...op.vLoad(), ...get(VI), ...get(ROW), ...get(J), ...add, ...op.vLoad(), ...op.vMul, ...op.vAdd,
    ...op.vStore(),
    ...get(J), ...i32(16), ...add, ...set(J),
    ...br(0),
    ...end, ...end,
    ...get(D), ...i32(1), ...op.and, ...op.if,
    ...get(QB), ...get(PAIRS), ...add,
    ...get(QB), ...get(PAIRS), ...add, ...op.f64Load(), ...get(VS), ...get(ROW), ...get(PAIRS), ...add, ...op.f64Load(), ...op.f64Mul, ...op.f64Add,
    ...op.f64Store(),
    ...end,
    ...get(I), ...i32(1), ...add, ...set(I),
    ...br(0),
    ...end, ...end,
  ];
  return { name: "axpyRows", params: [I32, I32, I32, I32, I32], locals: [I32, I32, I32, I32, I32, V128, F64], body };
}

/** addOuter(q, d, w, r, out): out[l d + j] += w_l q_j for l < r, j < d (out column-major d x r). */
function addOuterFunction(): WasmFunction {
  const [Q, D, Wp, R, OUT] = [0, 1, 2, 3, 4];
  const [L, J, PAIRS, QB, OB, WL, WS] = [5, 6, 7, 8, 9, 10, 11];
  const body = [
    ...get(D), ...i32(-2), ...op.and, ...i32(3), ...shl, ...set(PAIRS),
    ...bytes(Q), ...set(QB),
    ...i32(0), ...set(L),
    ...block, ...loop,
    ...get(L), ...get(R), ...geS, ...brIf(1),
    ...get(Wp), ...get(L), ...add, ...i32(3), ...shl, ...op.f64Load(), ...set(WS),
    ...get(WS), ...op.vSplat, ...set(WL),
    ...get(OUT), ...get(L), ...get(D), ...mul, ...add, ...i32(3), ...shl, ...set(OB),
    ...i32(0), ...set(J),
    ...block, ...loop,
    ...get(J), ...get(PAIRS), ...geS, ...brIf(1),
    ...get(OB), ...get(J), ...add,
    ...get(OB), ...get(J), ...add, ...op.vLoad(), ...get(WL), ...get(QB), ...get(J), ...add, ...op.vLoad(), ...op.vMul, ...op.vAdd,
    ...op.vStore(),
    ...get(J), ...i32(16), ...add, ...set(J),
    ...br(0),
    ...end, ...end,
    ...get(D), ...i32(1), ...op.and, ...op.if,
    ...get(OB), ...get(PAIRS), ...add,
    ...get(OB), ...get(PAIRS), ...add, ...op.f64Load(), ...get(WS), ...get(QB), ...get(PAIRS), ...add, ...op.f64Load(), ...op.f64Mul, ...op.f64Add,
    ...op.f64Store(),
    ...end,
    ...get(L), ...i32(1), ...add, ...set(L),
    ...br(0),
    ...end, ...end,
  ];
  return { name: "addOuter", params: [I32, I32, I32, I32, I32], locals: [I32, I32, I32, I32, I32, V128, F64], body };
}

/** syrk(chunk, c, dp, m). */
function syrkFunction(): WasmFunction {
  const [CH, C, DP, M] = [0, 1, 2, 3];
  // locals: 4 a, 5 b, 6 i (bytes, i*16), 7 cBytes (c*16), 8 pb0 (bytes base of pair b/2), 9 pb1,
  // 10..13 pa_k (bytes base of column a+k: pair base + lane), 14..21 acc, 22 vb0, 23 vb1, 24 xa, 25 mrow
  const [A, B, I, CB, PB0, PB1, PA0, PA1, PA2, PA3] = [4, 5, 6, 7, 8, 9, 10, 11, 12, 13];
  const ACC = [14, 15, 16, 17, 18, 19, 20, 21];
  const [VB0, VB1, XA, MROW] = [22, 23, 24, 25];
  const pa = [PA0, PA1, PA2, PA3];
  // byte base of column k: ((k >> 1) * c * 2 + (k & 1)) * 8 + chunk*8
  const colBase = (kExpr: number[]) => [
    ...kExpr, ...i32(1), ...op.shrs, ...get(CB), ...mul,
    ...kExpr, ...i32(1), ...op.and, ...i32(3), ...shl, ...add,
    ...bytes(CH), ...add,
  ];
  const body = [
    ...get(C), ...i32(4), ...shl, ...set(CB),
    ...i32(0), ...set(A),
    ...block, ...loop,
    ...get(A), ...get(DP), ...geS, ...brIf(1),
    ...[0, 1, 2, 3].flatMap((k) => [...colBase([...get(A), ...i32(k), ...add]), ...set(pa[k])]),
    ...get(A), ...set(B),
    ...block, ...loop,
    ...get(B), ...get(DP), ...geS, ...brIf(1),
    ...colBase(get(B)), ...set(PB0),
    ...get(PB0), ...get(CB), ...add, ...set(PB1),
    ...ACC.flatMap((a) => [...op.vZero, ...set(a)]),
    ...i32(0), ...set(I),
    ...block, ...loop,
    ...get(I), ...get(CB), ...geS, ...brIf(1),
    ...get(PB0), ...get(I), ...add, ...op.vLoad(), ...set(VB0),
    ...get(PB1), ...get(I), ...add, ...op.vLoad(), ...set(VB1),
    ...[0, 1, 2, 3].flatMap((k) => [
      ...get(pa[k]), ...get(I), ...add, ...op.vLoadSplat(), ...set(XA),
      ...get(ACC[2 * k]), ...get(XA), ...get(VB0), ...op.vMul, ...op.vAdd, ...set(ACC[2 * k]),
      ...get(ACC[2 * k + 1]), ...get(XA), ...get(VB1), ...op.vMul, ...op.vAdd, ...set(ACC[2 * k + 1]),
    ]),
    ...get(I), ...i32(16), ...add, ...set(I),
    ...br(0),
    ...end, ...end,
    // m[(a + k) dp + b ..] += acc
    ...[0, 1, 2, 3].flatMap((k) => [
      ...get(M), ...get(A), ...i32(k), ...add, ...get(DP), ...mul, ...add, ...get(B), ...add, ...i32(3), ...shl, ...set(MROW),
      ...get(MROW), ...get(MROW), ...op.vLoad(), ...get(ACC[2 * k]), ...op.vAdd, ...op.vStore(),
      ...get(MROW), ...i32(16), ...add, ...get(MROW), ...i32(16), ...add, ...op.vLoad(), ...get(ACC[2 * k + 1]), ...op.vAdd, ...op.vStore(),
    ]),
    ...get(B), ...i32(4), ...add, ...set(B),
    ...br(0),
    ...end, ...end,
    ...get(A), ...i32(4), ...add, ...set(A),
    ...br(0),
    ...end, ...end,
  ];
  const locals = [I32, I32, I32, I32, I32, I32, I32, I32, I32, I32, ...new Array<number>(8).fill(V128), V128, V128, V128, I32];
  return { name: "syrk", params: [I32, I32, I32, I32], locals, body };
}

/** The kernel functions, either WebAssembly exports or their JavaScript twins. */
interface KernelFunctions {
  dots(x: number, rows: number, d: number, u: number, r: number, out: number): void;
  axpyRows(x: number, rows: number, d: number, v: number, q: number): void;
  addOuter(q: number, d: number, w: number, r: number, out: number): void;
  syrk(chunk: number, c: number, dp: number, m: number): void;
}

/** JavaScript twins of the kernels on a Float64Array memory (same operations, same order). */
function javascriptKernels(mem: () => Float64Array): KernelFunctions {
  return {
    dots(x, rows, d, u, r, out) {
      const f = mem();
      const pairs = d & ~1;
      for (let i = 0; i < rows; i++) {
        const row = x + i * d;
        for (let l = 0; l < r; l++) {
          const ub = u + l * d;
          let s0 = 0;
          let s1 = 0;
          for (let j = 0; j < pairs; j += 2) {
            s0 += f[row + j] * f[ub + j];
            s1 += f[row + j + 1] * f[ub + j + 1];
          }
          let s = s0 + s1;
          if ((d & 1) === 1) s += f[row + d - 1] * f[ub + d - 1];
          f[out + i * r + l] = s;
        }
      }
    },
    axpyRows(x, rows, d, v, q) {
      const f = mem();
      for (let j = 0; j < d; j++) f[q + j] = 0;
      for (let i = 0; i < rows; i++) {
        const row = x + i * d;
        const vi = f[v + i];
        for (let j = 0; j < d; j++) f[q + j] += vi * f[row + j];
      }
    },
    addOuter(q, d, w, r, out) {
      const f = mem();
      for (let l = 0; l < r; l++) {
        const wl = f[w + l];
        const ob = out + l * d;
        for (let j = 0; j < d; j++) f[ob + j] += wl * f[q + j];
      }
    },
    syrk(chunk, c, dp, m) {
      const f = mem();
      const col = (k: number) => chunk + (k >> 1) * c * 2 + (k & 1);
      for (let a = 0; a < dp; a += 4) {
        const a0 = col(a), a1 = col(a + 1), a2 = col(a + 2), a3 = col(a + 3);
        for (let b = a; b < dp; b += 4) {
          const b0 = col(b), b1 = col(b + 1), b2 = col(b + 2), b3 = col(b + 3);
          let s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0;
          let s20 = 0, s21 = 0, s22 = 0, s23 = 0, s30 = 0, s31 = 0, s32 = 0, s33 = 0;
          for (let i = 0; i < 2 * c; i += 2) {
            const x0 = f[a0 + i], x1 = f[a1 + i], x2 = f[a2 + i], x3 = f[a3 + i];
            const v0 = f[b0 + i], v1 = f[b1 + i], v2 = f[b2 + i], v3 = f[b3 + i];
            s00 += x0 * v0; s01 += x0 * v1; s02 += x0 * v2; s03 += x0 * v3;
            s10 += x1 * v0; s11 += x1 * v1; s12 += x1 * v2; s13 += x1 * v3;
            s20 += x2 * v0; s21 += x2 * v1; s22 += x2 * v2; s23 += x2 * v3;
            s30 += x3 * v0; s31 += x3 * v1; s32 += x3 * v2; s33 += x3 * v3;
          }
          const r0 = m + a * dp + b, r1 = r0 + dp, r2 = r1 + dp, r3 = r2 + dp;
          f[r0] += s00; f[r0 + 1] += s01; f[r0 + 2] += s02; f[r0 + 3] += s03;
          f[r1] += s10; f[r1 + 1] += s11; f[r1 + 2] += s12; f[r1 + 3] += s13;
          f[r2] += s20; f[r2 + 1] += s21; f[r2 + 2] += s22; f[r2 + 3] += s23;
          f[r3] += s30; f[r3 + 1] += s31; f[r3 + 2] += s32; f[r3 + 3] += s33;
        }
      }
    },
  };
}

/** A memory and the kernels that work on it. */
export interface Workspace {
  /** The memory as Float64Array; replaced by `reserve` when it grows. */
  readonly f64: Float64Array;
  /** Makes the memory hold at least `elements` Float64 values (views taken before are stale afterwards). */
  reserve(elements: number): void;
  readonly kernels: KernelFunctions;
  /** "wasm-simd" or "javascript". */
  readonly kind: "wasm-simd" | "javascript";
}

const PAGE = 65536;

/** The module's bytes (assembled once). */
let moduleBytes: Uint8Array | null = null;
/** The compiled module (compiled once). */
let compiledModule: unknown = null;

/** Whether this runtime can run the SIMD kernels. */
export function simdAvailable(): boolean {
  if (typeof WebAssembly === "undefined") return false;
  moduleBytes ??= assemble([dotsFunction(), axpyFunction(), addOuterFunction(), syrkFunction()]);
  try {
    return WebAssembly.validate(moduleBytes);
  } catch {
    return false;
  }
}

/** A fresh workspace with the SIMD kernels, or the JavaScript ones when `kind` says so or SIMD is unavailable. */
export function createWorkspace(kind: "auto" | "javascript" = "auto"): Workspace {
  if (kind === "auto" && simdAvailable()) {
    const memory = new WebAssembly.Memory({ initial: 16 });
    // One compiled module per thread: its instances share the optimised code (a fresh module
    // would start again in the baseline tier).
    compiledModule ??= new WebAssembly.Module(moduleBytes as Uint8Array);
    const instance = new WebAssembly.Instance(compiledModule, { env: { memory } });
    const ex = instance.exports as unknown as KernelFunctions;
    const ws: Workspace & { f64: Float64Array } = {
      f64: new Float64Array(memory.buffer),
      kind: "wasm-simd" as const,
      kernels: ex,
      reserve(elements: number): void {
        const need = elements * 8;
        if (memory.buffer.byteLength < need) memory.grow(Math.ceil((need - memory.buffer.byteLength) / PAGE));
        if (ws.f64.buffer !== memory.buffer) ws.f64 = new Float64Array(memory.buffer);
      },
    };
    return ws;
  }
  const ws: Workspace & { f64: Float64Array } = {
    f64: new Float64Array(1 << 16),
    kind: "javascript" as const,
    kernels: javascriptKernels(() => ws.f64),
    reserve(elements: number): void {
      if (ws.f64.length < elements) {
        const grown = new Float64Array(Math.max(elements, 2 * ws.f64.length));
        grown.set(ws.f64);
        ws.f64 = grown;
      }
    },
  };
  return ws;
}

/** The workspace of this thread (created on first use). */
let shared: Workspace | null = null;
export function workspace(): Workspace {
  shared ??= createWorkspace();
  return shared;
}
