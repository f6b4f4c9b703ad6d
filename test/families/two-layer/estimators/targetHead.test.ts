import { describe, expect, it } from "vitest";
import { Rng } from "../../../../src/core/random/rng.js";
import { fromRows, zeros } from "../../../../src/core/linalg/mat.js";
import { leastSquaresHead, linearLossHead, logisticHead, logisticLoss, logisticNewtonHead } from "../../../../src/families/two-layer/estimators/targetHead.js";
import { sigmoid } from "../../../../src/families/two-layer/estimators/kernels.js";

function randomMat(rng: Rng, n: number, r: number) {
  const a = zeros(n, r);
  rng.fillNormal(a.data);
  return a;
}

describe("leastSquaresHead", () => {
  it("solves a small system worked by hand", () => {
    // A = [[1, 0], [0, 1], [1, 1]], y = (1, 2, 4): normal equations [[2, 1], [1, 2]] w = (5, 6),
    // so w = (4/3, 7/3).
    const w = leastSquaresHead(fromRows([[1, 0], [0, 1], [1, 1]]), [1, 2, 4]);
    expect(w[0]).toBeCloseTo(4 / 3, 12);
    expect(w[1]).toBeCloseTo(7 / 3, 12);
  });

  it("leaves a residual orthogonal to every feature column", () => {
    const rng = new Rng("ls");
    const a = randomMat(rng, 30, 4);
    const y = rng.fillNormal(new Float64Array(30));
    const w = leastSquaresHead(a, y);
    for (let k = 0; k < 4; k++) {
      let s = 0;
      for (let i = 0; i < 30; i++) {
        let fit = 0;
        for (let c = 0; c < 4; c++) fit += a.data[i + c * 30] * w[c];
        s += a.data[i + k * 30] * (y[i] - fit);
      }
      expect(Math.abs(s)).toBeLessThan(1e-10);
    }
  });

  it("gives a dead (all-zero) feature weight 0 and still fits the rest", () => {
    const a = fromRows([[1, 0, 2], [2, 0, 1], [3, 0, 0], [1, 0, 1]]);
    const y = [1, 0, 2, 5];
    const w = leastSquaresHead(a, y);
    expect(w[1]).toBe(0);
    const reduced = leastSquaresHead(fromRows([[1, 2], [2, 1], [3, 0], [1, 1]]), y);
    expect(w[0]).toBeCloseTo(reduced[0], 12);
    expect(w[2]).toBeCloseTo(reduced[1], 12);
  });
});

describe("linearLossHead", () => {
  it("is B m / ||m|| for m the mean of y a, and 0 when m = 0", () => {
    const a = fromRows([[1, 2], [3, -1]]);
    const w = linearLossHead(a, [1, -1], 2);
    // m = ((1 - 3) / 2, (2 + 1) / 2) = (-1, 1.5).
    const norm = Math.hypot(-1, 1.5);
    expect(w[0]).toBeCloseTo((-2 * 1) / norm, 12);
    expect(w[1]).toBeCloseTo((2 * 1.5) / norm, 12);
    expect(Array.from(linearLossHead(fromRows([[1, 1], [1, 1]]), [1, -1], 1))).toEqual([0, 0]);
  });
});

describe("logisticHead", () => {
  it("satisfies the optimality conditions of the norm-bounded logistic fit", () => {
    // Convex problem min L(w) s.t. ||w|| <= B: at the optimum either ||w|| < B and grad L = 0, or
    // ||w|| = B and -grad L = lambda w with lambda >= 0.
    const rng = new Rng("logistic");
    for (const bound of [0.3, 100]) {
      const n = 40;
      const a = randomMat(rng, n, 3);
      const y = Float64Array.from({ length: n }, (_, i) => (a.data[i] + 0.8 * rng.normal() > 0 ? 1 : -1));
      const w = logisticHead(a, y, bound, 20000);
      const g = new Float64Array(3);
      for (let i = 0; i < n; i++) {
        let z = 0;
        for (let k = 0; k < 3; k++) z += w[k] * a.data[i + k * n];
        for (let k = 0; k < 3; k++) g[k] += (-y[i] * sigmoid(-y[i] * z) * a.data[i + k * n]) / n;
      }
      const wn = Math.hypot(...w);
      const gn = Math.hypot(...g);
      if (wn < bound * (1 - 1e-9)) expect(gn).toBeLessThan(1e-6);
      else {
        const cos = -(g[0] * w[0] + g[1] * w[1] + g[2] * w[2]) / (gn * wn);
        expect(cos).toBeGreaterThan(1 - 1e-6);
      }
    }
  });
});

describe("logisticNewtonHead", () => {
  it("solves a one-feature case worked by hand: k positives and n - k negatives at a = 1 give w = log(k / (n - k))", () => {
    // (1/n) [k log(1 + e^-w) + (n - k) log(1 + e^w)] is minimised where sigmoid(w) = k / n.
    const a = fromRows([[1], [1], [1], [1], [1]]);
    // Newton stops once a step gains less than 1e-14 in loss and adds a ridge of 1e-10 times the
    // trace: w is then within about 1e-9 of the minimiser (the loss is quadratic near it).
    const w = logisticNewtonHead(a, [1, 1, 1, -1, 1]);
    expect(Math.abs(w[0] - Math.log(4))).toBeLessThan(1e-8);
  });

  it("reaches a zero gradient on non-separable data and beats nearby points", () => {
    const rng = new Rng("newton");
    const n = 200;
    const a = randomMat(rng, n, 3);
    // Labels from a noisy linear rule: not separable.
    const y = Array.from({ length: n }, (_, i) => (a.data[i] + 0.5 * a.data[i + n] + rng.normal() > 0 ? 1 : -1));
    const w = logisticNewtonHead(a, y);
    for (let k = 0; k < 3; k++) {
      let g = 0;
      for (let i = 0; i < n; i++) {
        let z = 0;
        for (let l = 0; l < 3; l++) z += w[l] * a.data[i + l * n];
        g += (-y[i] * sigmoid(-y[i] * z) * a.data[i + k * n]) / n;
      }
      expect(Math.abs(g)).toBeLessThan(1e-9);
    }
    const best = logisticLoss(a, y, w);
    for (let trial = 0; trial < 20; trial++) {
      const v = Array.from(w, (x) => x + 0.01 * rng.normal());
      expect(logisticLoss(a, y, v)).toBeGreaterThan(best);
    }
  });
});
