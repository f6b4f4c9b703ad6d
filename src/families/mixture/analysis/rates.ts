/**
 * Log-log rate checks (MODEL §6, docs/THEORY.md "Rates"): sweep n, d or T on a scenario, measure
 * sinTheta of standard and l-inf training, and fit the slope of log sinTheta against log of the
 * swept parameter beside the slope of the bound (B2 for standard training, B3 for l-inf training
 * at the radius eps(delta) of B3, recomputed at every grid point so that B3's event keeps
 * probability >= 1 - delta).
 */
import type { MixtureScenario } from "../scenario.js";
import { ConfigError, parseArray, parseChoice, parseInteger, parseNumber } from "../../../core/config/parse.js";
import { linfRadius } from "../theory/linfRadius.js";
import { type BoundsOptions, runBounds } from "./bounds.js";
import { type RunConfig, parseRunConfig } from "../../../experiment/runConfig.js";
import type { MixtureConfig } from "../family.js";
import { meanAndSe } from "../../../experiment/run.js";

/** The swept scenario parameter. */
export type RateParameter = "n" | "d" | "T";

/** A checked sweep. */
export interface RateSweep {
  readonly parameter: RateParameter;
  /** Grid values, ascending, distinct, at least 2. */
  readonly values: readonly number[];
  /** B3's failure probability delta: the l-inf radius is eps(delta) at every grid point. */
  readonly delta: number;
}

/** Default grids: factors of 2 around MODEL §7's scenario. */
export const DEFAULT_RATE_GRIDS: Readonly<Record<RateParameter, readonly number[]>> = {
  n: [40, 80, 160, 320, 640, 1280, 2560, 5120],
  d: [100, 200, 400, 800, 1600, 3200],
  T: [5, 10, 20, 40, 80, 160],
};

/** Parses a sweep: `parameter` (n, d or T), `values` (default grid), `delta` (default 0.1). */
export function parseRateSweep(raw: { readonly parameter?: unknown; readonly values?: unknown; readonly delta?: unknown }): RateSweep {
  const parameter = parseChoice("parameter", raw.parameter ?? "n", ["n", "d", "T"] as const);
  const values =
    raw.values === undefined
      ? [...DEFAULT_RATE_GRIDS[parameter]]
      : parseArray("values", raw.values, 2).map((v, i) => parseInteger(`values[${i}]`, v, 1, 1e7));
  for (let i = 1; i < values.length; i++) {
    if (!(values[i] > values[i - 1])) throw new ConfigError(`values[${i}]`, values[i], `must be larger than values[${i - 1}] = ${values[i - 1]} (ascending, distinct)`);
  }
  const delta = parseNumber("delta", raw.delta ?? 0.1, { min: 0, max: 1, minOpen: true, maxOpen: true });
  return { parameter, values, delta };
}

/** One method at one grid value. */
export interface RatePointMethod {
  readonly method: "standard" | "linf";
  /** The bound compared: B2 (standard) or B3 (l-inf). */
  readonly bound: "B2" | "B3";
  /** Training radius (0 for standard). */
  readonly eps: number;
  /** Mean and standard error of the measured sinTheta over replicates with a representation. */
  readonly sinTheta: { readonly mean: number; readonly se: number; readonly n: number };
  /** Mean of the bound's formula over replicates, when it is defined on every replicate; else null. */
  readonly boundMean: number | null;
}

/** All methods at one grid value. */
export interface RatePoint {
  readonly value: number;
  readonly methods: readonly RatePointMethod[];
}

/** A fitted log-log slope. */
export interface SlopeFit {
  readonly slope: number;
  /** Standard error (weighted least squares with weights 1/(se/mean)^2); 0 for an exact fit of two points. */
  readonly se: number;
  /** Grid points used. */
  readonly points: number;
}

/** The slopes of one method. */
export interface RateFit {
  readonly method: "standard" | "linf";
  readonly bound: "B2" | "B3";
  /** Slope of log mean sinTheta against log parameter over the whole grid. */
  readonly measured: SlopeFit | null;
  /** The same over the grid points where the bound is defined (the range `predicted` covers). */
  readonly measuredOnBoundRange: SlopeFit | null;
  /** Slope of log mean bound against log parameter over the points where the bound is defined; null if fewer than 2. */
  readonly predicted: SlopeFit | null;
}

/** The result of a sweep. */
export interface RateResult {
  readonly parameter: RateParameter;
  readonly points: readonly RatePoint[];
  readonly fits: readonly RateFit[];
}

/**
 * Weighted least-squares slope of y on x (weights w), with its standard error
 * 1 / sqrt(sum w (x - xbar_w)^2) (known variances 1/w). Null with fewer than 2 points.
 */
export function weightedSlope(x: readonly number[], y: readonly number[], w?: readonly number[]): SlopeFit | null {
  const k = x.length;
  if (k < 2) return null;
  const wt = w ?? x.map(() => 1);
  let sw = 0;
  let sx = 0;
  let sy = 0;
  for (let i = 0; i < k; i++) {
    sw += wt[i];
    sx += wt[i] * x[i];
    sy += wt[i] * y[i];
  }
  const xb = sx / sw;
  const yb = sy / sw;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < k; i++) {
    sxx += wt[i] * (x[i] - xb) ** 2;
    sxy += wt[i] * (x[i] - xb) * (y[i] - yb);
  }
  if (!(sxx > 0)) return null;
  return { slope: sxy / sxx, se: w === undefined ? 0 : 1 / Math.sqrt(sxx), points: k };
}

/**
 * Runs the sweep: at each grid value the base raw config's scenario gets the parameter's value,
 * and two methods are measured with unnormalised columns (the columns B2 and B3 bound without a
 * kappa factor): standard training and l-inf training at eps(delta) = linfRadius at that point.
 * Replicates and seed come from the base config. Every grid point is parsed like a run config, so
 * a bad value is a ConfigError naming the scenario field.
 */
export function runRates(baseRaw: Record<string, unknown>, sweep: RateSweep, options: BoundsOptions): RateResult {
  const points: RatePoint[] = [];
  for (const value of sweep.values) {
    const scenarioRaw = { ...((baseRaw.scenario as Record<string, unknown> | undefined) ?? {}), [sweep.parameter]: value };
    const probe = parseRunConfig({ ...baseRaw, scenario: scenarioRaw, methods: [{ label: "standard" }] }) as RunConfig<MixtureConfig>;
    const sc: MixtureScenario = probe.config.scenario;
    const eps = linfRadius({ sigma: sc.sigma, n: sc.n, d: sc.d, s: sc.s, T: sc.T, delta: sweep.delta });
    const run = parseRunConfig({
      ...baseRaw,
      scenario: scenarioRaw,
      methods: [
        { label: "standard", columns: "unnormalised" },
        { label: "linf", attack: "linf", eps, columns: "unnormalised" },
      ],
    }) as RunConfig<MixtureConfig>;
    const results = runBounds(run, options);
    const methods = (["standard", "linf"] as const).map((method): RatePointMethod => {
      const bound = method === "standard" ? "B2" : "B3";
      const rows = results.flatMap((r) => r.methods.filter((m) => m.method === method));
      const measured = meanAndSe(rows.flatMap((m) => (m.measured === null ? [] : [m.measured.sinTheta])));
      const checks = rows.flatMap((m) => m.checks.filter((c) => c.bound === bound));
      const defined = checks.length > 0 && checks.every((c) => c.upper.formula !== null);
      return {
        method,
        bound,
        eps: method === "linf" ? eps : 0,
        sinTheta: measured,
        boundMean: defined ? checks.reduce((acc, c) => acc + (c.upper.formula as number), 0) / checks.length : null,
      };
    });
    points.push({ value, methods });
  }
  const fits = (["standard", "linf"] as const).map((method, j): RateFit => {
    const measuredFit = (onBoundRange: boolean): SlopeFit | null => {
      const x: number[] = [];
      const y: number[] = [];
      const w: number[] = [];
      for (const p of points) {
        const m = p.methods[j];
        if (onBoundRange && m.boundMean === null) continue;
        if (m.sinTheta.n > 1 && m.sinTheta.mean > 0 && m.sinTheta.se > 0) {
          x.push(Math.log(p.value));
          y.push(Math.log(m.sinTheta.mean));
          w.push((m.sinTheta.mean / m.sinTheta.se) ** 2);
        }
      }
      return weightedSlope(x, y, w);
    };
    const bx: number[] = [];
    const by: number[] = [];
    for (const p of points) {
      const m = p.methods[j];
      if (m.boundMean !== null && m.boundMean > 0) {
        bx.push(Math.log(p.value));
        by.push(Math.log(m.boundMean));
      }
    }
    return {
      method,
      bound: method === "standard" ? "B2" : "B3",
      measured: measuredFit(false),
      measuredOnBoundRange: measuredFit(true),
      predicted: weightedSlope(bx, by),
    };
  });
  return { parameter: sweep.parameter, points, fits };
}
