import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { lbfgs } from "../../../../src/families/regression/estimators/lbfgs.js";

/** A random SPD matrix A = G G^T + n I (row-major) from fast-check's integers. */
function spd(entries: number[], n: number): Float64Array {
  const g = entries.slice(0, n * n).map((v) => v / 100);
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
    let s = i === j ? n : 0;
    for (let k = 0; k < n; k++) s += g[i * n + k] * g[j * n + k];
    a[i * n + j] = s;
  }
  return a;
}

function inverse(a: Float64Array, n: number): Float64Array {
  // Gauss-Jordan on [A | I] (A SPD, no pivoting needed).
  const m = new Float64Array(n * 2 * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) m[i * 2 * n + j] = a[i * n + j];
    m[i * 2 * n + n + i] = 1;
  }
  for (let c = 0; c < n; c++) {
    const p = m[c * 2 * n + c];
    for (let j = 0; j < 2 * n; j++) m[c * 2 * n + j] /= p;
    for (let i = 0; i < n; i++) if (i !== c) {
      const f = m[i * 2 * n + c];
      for (let j = 0; j < 2 * n; j++) m[i * 2 * n + j] -= f * m[c * 2 * n + j];
    }
  }
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) out[i * n + j] = m[i * 2 * n + n + j];
  return out;
}

describe("L-BFGS with a preconditioner", () => {
  it("with H0 = A^{-1} on f = x^T A x / 2 - b^T x, the first step is Newton's: one iteration to the minimum", () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 8 }), fc.array(fc.integer({ min: -300, max: 300 }), { minLength: 64, maxLength: 64 }), fc.array(fc.integer({ min: -100, max: 100 }), { minLength: 8, maxLength: 8 }), (n, entries, bs) => {
        const a = spd(entries, n);
        const ainv = inverse(a, n);
        const b = Float64Array.from(bs.slice(0, n), (v) => v / 10 + 0.5);
        const fg = (x: Float64Array, g: Float64Array) => {
          let f = 0;
          for (let i = 0; i < n; i++) {
            let ax = 0;
            for (let j = 0; j < n; j++) ax += a[i * n + j] * x[j];
            g[i] = ax - b[i];
            f += 0.5 * x[i] * ax - b[i] * x[i];
          }
          return f;
        };
        const tmp = new Float64Array(n);
        const precondition = (_x: Float64Array, v: Float64Array) => {
          for (let i = 0; i < n; i++) {
            let s = 0;
            for (let j = 0; j < n; j++) s += ainv[i * n + j] * v[j];
            tmp[i] = s;
          }
          v.set(tmp);
        };
        const res = lbfgs(fg, new Float64Array(n), { precondition, gradientTolerance: 1e-9 });
        expect(res.converged).toBe(true);
        expect(res.iterations).toBe(1);
        expect(res.evaluations).toBe(2);
      }),
      { numRuns: 50, seed: 9 },
    );
  });

  it("without a preconditioner it needs more than one iteration on an ill-conditioned quadratic (the test above can fail)", () => {
    const n = 6;
    const diag = [1, 10, 100, 1000, 1e4, 1e5];
    const fg = (x: Float64Array, g: Float64Array) => {
      let f = 0;
      for (let i = 0; i < n; i++) {
        g[i] = diag[i] * x[i] - 1;
        f += 0.5 * diag[i] * x[i] * x[i] - x[i];
      }
      return f;
    };
    const plain = lbfgs(fg, new Float64Array(n), { gradientTolerance: 1e-9 });
    expect(plain.converged).toBe(true);
    expect(plain.iterations).toBeGreaterThan(1);
    const pre = lbfgs(fg, new Float64Array(n), { gradientTolerance: 1e-9, precondition: (_x, v) => { for (let i = 0; i < n; i++) v[i] /= diag[i]; } });
    expect(pre.iterations).toBe(1);
  });
});
