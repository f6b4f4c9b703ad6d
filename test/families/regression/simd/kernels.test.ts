import { describe, expect, it } from "vitest";
import { Rng } from "../../../../src/core/random/rng.js";
import { createWorkspace, simdAvailable } from "../../../../src/families/regression/simd/kernels.js";

/**
 * The WebAssembly SIMD kernels and their JavaScript twins perform the same floating-point
 * operations in the same order (simd/kernels.ts), so they agree bit for bit; and each kernel
 * computes what its comment says, checked against a direct loop (up to rounding of the order).
 */
describe("regression SIMD kernels", () => {
  it("run under Node without flags", () => {
    expect(simdAvailable()).toBe(true);
    expect(createWorkspace().kind).toBe("wasm-simd");
  });

  for (const [rows, d, r] of [[7, 5, 3], [25, 100, 5], [4, 1, 1], [3, 9, 2]] as const) {
    it(`agree bit for bit with the JavaScript kernels and with direct loops (rows ${rows}, d ${d}, r ${r})`, () => {
      const rng = new Rng(`kernels:${rows}:${d}:${r}`);
      const x = rng.fillNormal(new Float64Array(rows * d));
      const u = rng.fillNormal(new Float64Array(d * r));
      const v = rng.fillNormal(new Float64Array(rows));
      const w = rng.fillNormal(new Float64Array(r));
      const dp = Math.ceil(d / 4) * 4;
      const outputs = (["auto", "javascript"] as const).map((kind) => {
        const ws = createWorkspace(kind);
        const [xo, uo, vo, wo, dots, q, outer, chunk, m] = [0, 1, 2, 3, 4, 5, 6, 7, 8].map((k) => k * 4096);
        ws.reserve(9 * 4096 + dp * dp);
        const f = ws.f64;
        f.set(x, xo);
        f.set(u, uo);
        f.set(v, vo);
        f.set(w, wo);
        ws.kernels.dots(xo, rows, d, uo, r, dots);
        ws.kernels.axpyRows(xo, rows, d, vo, q);
        f.fill(0.5, outer, outer + d * r);
        ws.kernels.addOuter(q, d, wo, r, outer);
        // syrk's chunk: column k of sample i at ((k >> 1) c + i) 2 + (k & 1), zero-padded to dp.
        for (let i = 0; i < rows; i++) for (let k = 0; k < dp; k++) f[chunk + ((k >> 1) * rows + i) * 2 + (k & 1)] = k < d ? x[i * d + k] : 0;
        f.fill(0, m, m + dp * dp);
        ws.kernels.syrk(chunk, rows, dp, m);
        return {
          dots: f.slice(dots, dots + rows * r),
          q: f.slice(q, q + d),
          outer: f.slice(outer, outer + d * r),
          syrk: f.slice(m, m + dp * dp),
        };
      });
      const [wasm, js] = outputs;
      for (const key of ["dots", "q", "outer", "syrk"] as const) expect(Array.from(wasm[key])).toEqual(Array.from(js[key]));
      const close = (a: number, b: number, scale: number) => expect(Math.abs(a - b)).toBeLessThanOrEqual(1e-12 * scale);
      for (let i = 0; i < rows; i++)
        for (let l = 0; l < r; l++) {
          let s = 0;
          for (let j = 0; j < d; j++) s += x[i * d + j] * u[l * d + j];
          close(wasm.dots[i * r + l], s, d);
        }
      const qRef = new Float64Array(d);
      for (let i = 0; i < rows; i++) for (let j = 0; j < d; j++) qRef[j] += v[i] * x[i * d + j];
      for (let j = 0; j < d; j++) close(wasm.q[j], qRef[j], rows);
      for (let l = 0; l < r; l++) for (let j = 0; j < d; j++) close(wasm.outer[l * d + j], 0.5 + w[l] * qRef[j], rows);
      for (let a = 0; a < d; a++)
        for (let b = a; b < d; b++) {
          let s = 0;
          for (let i = 0; i < rows; i++) s += x[i * d + a] * x[i * d + b];
          close(wasm.syrk[a * dp + b], s, rows);
        }
    });
  }
});
