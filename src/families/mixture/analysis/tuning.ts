/**
 * What the theory suggests for the radius `advtransfer tune` searches (MODEL §6 B3): the radius
 * eps(delta) = (sigma / sqrt(n)) sqrt(2 log(2 (d - s) T / delta)) at which every off-support
 * coordinate is zeroed with probability >= 1 - delta, for delta = 0.05 and 0.1, in the units of
 * the searched path (absolute "methods.<label>.eps", multiples of tau "...eps.tau", or of
 * eps(delta') "...eps.epsDelta"). For a student ("methods.<label>.ssl.eps...") the sample count is
 * n + weight m. The minimiser of L2's predicted curve is found by the generic search on the
 * limits (experiment/tune.ts); this file only names the closed-form radii.
 */
import { parseParamPath } from "../../../experiment/sweepSpec.js";
import type { MixtureConfig } from "../config.js";
import type { RadiusUnit } from "../estimators/radius.js";
import { linfRadius } from "../theory/linfRadius.js";

const DELTAS = [0.05, 0.1] as const;

/** B3's radii for the method's radius named by `param`, in its units; [] for other parameters. */
export function mixtureTheoryValues(config: MixtureConfig, param: string, method: string): { name: string; value: number }[] {
  const seg = parseParamPath(param, "tune.param");
  if (seg[0] !== "methods" || seg[1] !== method) return [];
  const rest = seg.slice(2);
  const student = rest[0] === "ssl";
  const tail = student ? rest.slice(1) : rest;
  if (tail[0] !== "eps" || tail.length > 2) return [];
  const m = config.methods.find((x) => x.label === method);
  if (m === undefined) return [];
  const tags = m.estimator.tags(m.params);
  if (tags.rule === null || tags.rule.rule.attack !== "linf") return [];
  const sc = config.scenario;
  let samples = sc.n;
  let unit: RadiusUnit | undefined = (tags.rule.params as { unit?: RadiusUnit }).unit;
  if (student) {
    const p = m.params as { ssl?: { m: number; weight: number }; student?: { params: { unit?: RadiusUnit } } };
    if (p.ssl === undefined) return [];
    samples = sc.n + p.ssl.weight * p.ssl.m;
    unit = p.student?.params.unit;
  }
  const tau = sc.sigma / Math.sqrt(samples);
  const inUnits = (eps: number): number | null => {
    if (tail.length === 1) return eps;
    if (tail[1] === "tau") return eps / tau;
    if (tail[1] === "epsDelta") {
      const delta = unit?.kind === "epsDelta" ? unit.delta : 0.1;
      const ref = linfRadius({ sigma: sc.sigma, n: samples, d: sc.d, s: sc.s, T: sc.T, delta });
      return ref > 0 ? eps / ref : null;
    }
    return null;
  };
  const out: { name: string; value: number }[] = [];
  for (const delta of DELTAS) {
    const v = inUnits(linfRadius({ sigma: sc.sigma, n: samples, d: sc.d, s: sc.s, T: sc.T, delta }));
    if (v !== null) out.push({ name: `B3's eps(${delta})`, value: v });
  }
  return out;
}
