import { describe, expect, it } from "vitest";
import { Rng } from "../../../../src/core/random/rng.js";
import type { Activation } from "../../../../src/families/two-layer/activation.js";
import type { PerturbationNorm as TwoLayerNorm } from "../../../../src/core/model/perturbation.js";
import type { TwoLayerAttack } from "../../../../src/families/two-layer/estimators/jointTraining.js";
import { initialNetwork, type TwoLayerLoss } from "../../../../src/families/two-layer/estimators/network.js";
import { attackInputs, type AttackRecord } from "../../../../src/families/two-layer/estimators/attack.js";
import { lossValue, outputsAndHiddenGradients } from "../../../../src/families/two-layer/estimators/kernels.js";

function setup(seed: string, count: number, d: number, r: number, tasks: number, loss: TwoLayerLoss) {
  const rng = new Rng(seed);
  const net = initialNetwork(r, d, tasks, 1, rng.fork("net"));
  const x = rng.fillNormal(new Float64Array(count * d));
  const y = Float64Array.from({ length: count }, () => (loss === "squared" ? rng.normal() : rng.sign()));
  const task = Int32Array.from({ length: count }, () => rng.integer(tasks));
  return { net, target: { x, y, task }, rng };
}

function record(count: number): AttackRecord {
  return { maxLoss: new Float64Array(count), outputAtMax: new Float64Array(count), signError: new Uint8Array(count) };
}

function pgd(norm: TwoLayerNorm, eps: number, steps: number, randomStart: boolean): TwoLayerAttack {
  return { kind: "pgd", norm, eps, steps, stepSize: (2.5 * eps) / steps, randomStart };
}

function perSampleLoss(net: ReturnType<typeof initialNetwork>, act: Activation, loss: TwoLayerLoss, x: Float64Array, y: Float64Array, task: Int32Array) {
  const count = task.length;
  const f = new Float64Array(count);
  const l = new Float64Array(count);
  const u = new Float64Array(count * net.r);
  outputsAndHiddenGradients(net, x, y, task, act, loss, f, l, u);
  return l;
}

describe("attackInputs", () => {
  it("keeps every iterate in the ball", () => {
    for (const norm of ["linf", "l2"] as const) {
      const { net, target, rng } = setup(`ball-${norm}`, 30, 12, 4, 3, "squared");
      const eps = 0.3;
      const xAdv = attackInputs(net, "relu", "squared", pgd(norm, eps, 7, true), target, rng);
      for (let i = 0; i < 30; i++) {
        let n2 = 0;
        let ninf = 0;
        for (let j = 0; j < 12; j++) {
          const t = xAdv[i * 12 + j] - target.x[i * 12 + j];
          n2 += t * t;
          ninf = Math.max(ninf, Math.abs(t));
        }
        expect(norm === "linf" ? ninf : Math.sqrt(n2)).toBeLessThanOrEqual(eps * (1 + 1e-12));
      }
    }
  });

  it("finds a loss at least as high as random points of the ball", () => {
    // The purpose of the inner maximisation (MODEL §3.6): PGD's best iterate must beat blind
    // sampling of the ball. Checked per sample against the best of 20 uniform points; PGD is a
    // local search, so a sample may lose, but the comparison must hold for at least 95% of the
    // samples (less those with a zero gradient, below) and on average.
    for (const act of ["relu", "tanh", "quadratic"] as const) {
      for (const loss of ["squared", "logistic"] as const) {
        for (const norm of ["linf", "l2"] as const) {
          const count = 200;
          const d = 20;
          const { net, target, rng } = setup(`vs-random-${act}-${loss}-${norm}`, count, d, 4, 3, loss);
          const eps = norm === "linf" ? 0.1 : 0.5;
          const rec = record(count);
          attackInputs(net, act, loss, pgd(norm, eps, 10, true), target, rng.fork("pgd"), undefined, rec);
          const bestRandom = new Float64Array(count).fill(-Infinity);
          const zero = { kind: "pgd" as const, norm, eps, steps: 0, stepSize: 0, randomStart: true };
          for (let k = 0; k < 20; k++) {
            const xr = attackInputs(net, act, loss, zero, target, rng.fork(`random-${k}`));
            const l = perSampleLoss(net, act, loss, xr, target.y, target.task);
            for (let i = 0; i < count; i++) bestRandom[i] = Math.max(bestRandom[i], l[i]);
          }
          let wins = 0;
          let meanPgd = 0;
          let meanRandom = 0;
          for (let i = 0; i < count; i++) {
            if (rec.maxLoss[i] >= bestRandom[i]) wins++;
            meanPgd += rec.maxLoss[i] / count;
            meanRandom += bestRandom[i] / count;
          }
          // A relu sample whose units are all inactive around x has a zero gradient, and PGD stays
          // at its random start there; such samples are excused.
          let dead = 0;
          if (act === "relu") {
            for (let i = 0; i < count; i++) {
              let active = false;
              for (let k = 0; k < 4; k++) {
                let h = 0;
                for (let j = 0; j < d; j++) h += net.w[k * d + j] * target.x[i * d + j];
                if (h > 0) active = true;
              }
              if (!active) dead++;
            }
          }
          expect(wins / count).toBeGreaterThanOrEqual(0.95 - dead / count);
          expect(meanPgd).toBeGreaterThan(meanRandom);
        }
      }
    }
  });

  it("records the clean loss as iterate 0 without random start", () => {
    const { net, target, rng } = setup("clean-start", 50, 10, 4, 2, "logistic");
    const rec = record(50);
    attackInputs(net, "tanh", "logistic", pgd("linf", 0.2, 3, false), target, rng, undefined, rec);
    const clean = perSampleLoss(net, "tanh", "logistic", target.x, target.y, target.task);
    for (let i = 0; i < 50; i++) expect(rec.maxLoss[i]).toBeGreaterThanOrEqual(clean[i]);
  });

  describe("with phi = identity, matches the closed-form inner maximum (MODEL §3.1, §3.5)", () => {
    // f_t(x) = <beta_t, x> with beta_t = W^T v_t, so
    //   sup_{||delta||_p <= eps} (y - <beta, x + delta>)^2 = (|y - <beta, x>| + eps ||beta||_q)^2,
    //   sup_{||delta||_p <= eps} log(1 + exp(-y <beta, x + delta>)) = log(1 + exp(-y <beta, x> + eps ||beta||_q)),
    // q the dual norm. The first ascent step from delta = 0 with step >= eps lands on the maximiser.
    const count = 40;
    const d = 9;
    const r = 3;
    for (const loss of ["squared", "logistic"] as const) {
      for (const norm of ["linf", "l2"] as const) {
        for (const kind of ["pgd", "fgsm"] as const) {
          it(`${kind}, ${loss} loss, ${norm} ball`, () => {
            const { net, target, rng } = setup(`identity-${loss}-${norm}-${kind}`, count, d, r, 2, loss);
            const eps = 0.25;
            const attack: TwoLayerAttack =
              kind === "fgsm"
                ? { kind, norm, eps, steps: 1, stepSize: eps, randomStart: false }
                : { kind, norm, eps, steps: 4, stepSize: 0.3 * eps, randomStart: false };
            const xAdv = attackInputs(net, "identity", loss, attack, target, rng);
            const got = perSampleLoss(net, "identity", loss, xAdv, target.y, target.task);
            for (let i = 0; i < count; i++) {
              const t = target.task[i];
              const beta = new Float64Array(d);
              for (let k = 0; k < r; k++) for (let j = 0; j < d; j++) beta[j] += net.heads[t * r + k] * net.w[k * d + j];
              let bx = 0;
              let dual = 0;
              for (let j = 0; j < d; j++) {
                bx += beta[j] * target.x[i * d + j];
                dual += norm === "linf" ? Math.abs(beta[j]) : beta[j] * beta[j];
              }
              if (norm === "l2") dual = Math.sqrt(dual);
              const y = target.y[i];
              const closed = loss === "squared" ? (Math.abs(y - bx) + eps * dual) ** 2 : lossValue("logistic", bx - y * eps * dual, y);
              expect(got[i]).toBeCloseTo(closed, 10);
            }
          });
        }
      }
    }

    it("never exceeds the closed form from a random start", () => {
      const { net, target, rng } = setup("identity-random", count, d, r, 2, "squared");
      for (const norm of ["linf", "l2"] as const) {
        const rec = record(count);
        attackInputs(net, "identity", "squared", pgd(norm, 0.25, 6, true), target, rng, undefined, rec);
        for (let i = 0; i < count; i++) {
          const t = target.task[i];
          let bx = 0;
          const beta = new Float64Array(d);
          for (let k = 0; k < r; k++) for (let j = 0; j < d; j++) beta[j] += net.heads[t * r + k] * net.w[k * d + j];
          let dual = 0;
          for (let j = 0; j < d; j++) {
            bx += beta[j] * target.x[i * d + j];
            dual += norm === "linf" ? Math.abs(beta[j]) : beta[j] * beta[j];
          }
          if (norm === "l2") dual = Math.sqrt(dual);
          const closed = (Math.abs(target.y[i] - bx) + 0.25 * dual) ** 2;
          expect(rec.maxLoss[i]).toBeLessThanOrEqual(closed * (1 + 1e-12));
          // PGD is a local search: from a start on the wrong side it climbs to the other local
          // maximum (eps ||beta||_q - |y - <beta, x>|)^2, which it must reach (l2 up to the
          // geometric decay of the start's component orthogonal to beta).
          const local = (0.25 * dual - Math.abs(target.y[i] - bx)) ** 2;
          expect(rec.maxLoss[i]).toBeGreaterThanOrEqual(Math.min(closed, 0.9 * local));
        }
      }
    });
  });
});
