/**
 * Radii of adversarial training in natural units (MODEL §3.1, §6 B3): a method's `eps` is a number
 * (absolute), or a multiple of the noise scale of a source statistic, or of B3's radius:
 *
 *   "eps": 0.3                                  absolute
 *   "eps": { "tau": 2 }                         2 sigma / sqrt(n)
 *   "eps": { "epsDelta": 0.5, "delta": 0.1 }    0.5 eps(delta) = 0.5 (sigma / sqrt(n)) sqrt(2 log(2 (d - s) T / delta))
 *
 * For a student (ssl.eps) the sample count is n + weight m. The unit is kept in the echo, so a
 * sweep over `methods.linf.eps.tau` moves the radius with n along another axis, and
 * echo(parse(x)) parses back to the same radius.
 */
import type { JsonValue } from "../../../core/config/canonicalJson.js";
import { ConfigError, parseNumber, parseObject, rejectUnknownKeys } from "../../../core/config/parse.js";
import { linfRadius } from "../theory/linfRadius.js";

/** How a radius was given. */
export type RadiusUnit = { readonly kind: "absolute" } | { readonly kind: "tau"; readonly times: number } | { readonly kind: "epsDelta"; readonly times: number; readonly delta: number };

/** A checked radius: its absolute value and the unit it was written in. */
export interface Radius {
  readonly eps: number;
  readonly unit: RadiusUnit;
}

/** What the natural units are computed from: the scenario and the statistic's sample count (n, or n + weight m for a student). */
export interface RadiusScale {
  readonly sigma: number;
  readonly samples: number;
  readonly d: number;
  readonly s: number;
  readonly T: number;
}

/** Default failure probability of eps(delta) when `delta` is omitted. */
export const DEFAULT_RADIUS_DELTA = 0.1;

/** The absolute radius of a unit at a scale. */
export function radiusValue(unit: RadiusUnit, scale: RadiusScale, absolute = 0): number {
  if (unit.kind === "absolute") return absolute;
  if (unit.kind === "tau") return (unit.times * scale.sigma) / Math.sqrt(scale.samples);
  return unit.times * linfRadius({ sigma: scale.sigma, n: scale.samples, d: scale.d, s: scale.s, T: scale.T, delta: unit.delta });
}

/**
 * Parses a radius (file comment): a number >= 0, or an object with exactly one of "tau" or
 * "epsDelta" (a multiple >= 0; with "epsDelta" an optional "delta" in (0, 1), default 0.1).
 * ConfigError on `field`.
 */
export function parseRadius(field: string, raw: unknown, scale: RadiusScale): Radius {
  if (typeof raw === "number") return { eps: parseNumber(field, raw, { min: 0 }), unit: { kind: "absolute" } };
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    throw new ConfigError(field, raw, 'must be a number >= 0, {"tau": k} (k sigma / sqrt(n)) or {"epsDelta": k, "delta": d} (k times B3\'s radius eps(d))');
  }
  const obj = parseObject(field, raw);
  rejectUnknownKeys(field, obj, ["tau", "epsDelta", "delta"]);
  const hasTau = obj.tau !== undefined;
  const hasDelta = obj.epsDelta !== undefined;
  if (hasTau === hasDelta) throw new ConfigError(field, raw, 'must have exactly one of "tau" (multiples of sigma / sqrt(n)) and "epsDelta" (multiples of eps(delta))');
  let unit: RadiusUnit;
  if (hasTau) {
    if (obj.delta !== undefined) throw new ConfigError(`${field}.delta`, obj.delta, 'belongs to "epsDelta" only');
    unit = { kind: "tau", times: parseNumber(`${field}.tau`, obj.tau, { min: 0 }) };
  } else {
    unit = {
      kind: "epsDelta",
      times: parseNumber(`${field}.epsDelta`, obj.epsDelta, { min: 0 }),
      delta: parseNumber(`${field}.delta`, obj.delta ?? DEFAULT_RADIUS_DELTA, { min: 0, max: 1, minOpen: true, maxOpen: true }),
    };
  }
  return { eps: radiusValue(unit, scale), unit };
}

/** The radius as written: parseRadius(echoRadius(r)) gives r again (at the same scale). */
export function echoRadius(r: Radius): JsonValue {
  if (r.unit.kind === "absolute") return r.eps;
  if (r.unit.kind === "tau") return { tau: r.unit.times };
  return { epsDelta: r.unit.times, delta: r.unit.delta };
}

/** The radius in a label: "0.3", "2tau", "0.5eps(0.1)". */
export function radiusLabel(r: Radius, digits?: number): string {
  if (r.unit.kind === "absolute") return String(digits === undefined ? r.eps : Number(r.eps.toPrecision(digits)));
  if (r.unit.kind === "tau") return `${r.unit.times}tau`;
  return `${r.unit.times}eps(${r.unit.delta})`;
}

/** The same unit at another scale (a student's n + weight m samples). */
export function rescaledRadius(r: Radius, scale: RadiusScale, factor: number): Radius {
  if (r.unit.kind === "absolute") return { eps: r.eps * factor, unit: r.unit };
  return { eps: radiusValue(r.unit, scale), unit: r.unit };
}
