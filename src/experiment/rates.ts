/**
 * Log-log rate checks (MODEL §6, docs/THEORY.md "Rates"): a one-axis sweep over a scenario
 * parameter, run with bound checks through the engine; at each grid value the mean measured
 * quantity of each method beside the mean of its bound's formula, and slopes of log mean against
 * log parameter. A family that supports rates (Family.rates) builds the sweep and names, for each
 * method, the bound it is compared with.
 */
import type { JsonValue } from "../core/config/canonicalJson.js";
import { ConfigError } from "../core/config/parse.js";
import { type SlopeFit, summary, weightedSlope } from "../core/stats.js";
import type { CellRecord } from "./cellRecord.js";
import type { JsonObject } from "./family.js";
import { type SweepOptions, runSweep } from "./run.js";

/** A checked rate sweep: the parameter, its ascending grid, and family options (e.g. a failure probability). */
export interface RateSweep {
  readonly parameter: string;
  readonly values: readonly number[];
  readonly options: JsonObject;
}

/** A method of a rate sweep and the bound it is compared with. */
export interface RatePair {
  readonly method: string;
  readonly bound: string;
  /** The bounded quantity (a metric name). */
  readonly quantity: string;
  /** The cell parameter holding the method's radius (e.g. "methods.linf.eps"), if it has one. */
  readonly radiusParam?: string;
}

/** What a family gives the rate checks. */
export interface RatesSupport {
  /** One line for the output header: which methods, against which bounds, at which radii. */
  readonly description: string;
  /** The scenario parameters a rate sweep may vary. */
  readonly parameters: readonly string[];
  /** Parses `parameter`, `values` and the family's options; ConfigError names the field. */
  parseSweep(raw: { readonly parameter?: unknown; readonly values?: unknown; readonly [key: string]: unknown }): RateSweep;
  /** The raw sweep config (one cell per grid value, bound checks on) built on a raw run config. */
  sweepConfig(baseRaw: JsonObject, sweep: RateSweep, boundOptions: JsonObject): JsonObject;
  readonly pairs: readonly RatePair[];
}

/** One method at one grid value. */
export interface RatePointMethod {
  readonly method: string;
  readonly bound: string;
  /** The method's radius at this grid value (0 when it has none). */
  readonly eps: number;
  /** Mean and standard error (0 when undefined) of the measured quantity over replicates that report it. */
  readonly sinTheta: { readonly mean: number; readonly se: number; readonly n: number };
  /** Mean of the bound's formula over replicates, when it is defined on every replicate; else null. */
  readonly boundMean: number | null;
}

/** All methods at one grid value. */
export interface RatePoint {
  readonly value: number;
  readonly methods: readonly RatePointMethod[];
}

/** The slopes of one method. */
export interface RateFit {
  readonly method: string;
  readonly bound: string;
  /** Slope of log mean quantity against log parameter over the whole grid. */
  readonly measured: SlopeFit | null;
  /** The same over the grid points where the bound is defined (the range `predicted` covers). */
  readonly measuredOnBoundRange: SlopeFit | null;
  /** Slope of log mean bound against log parameter over the points where the bound is defined; null if fewer than 2. */
  readonly predicted: SlopeFit | null;
}

/** The result of a rate sweep. */
export interface RateResult {
  readonly parameter: string;
  readonly points: readonly RatePoint[];
  readonly fits: readonly RateFit[];
}

function numberParam(record: CellRecord, path: string | undefined): number {
  if (path === undefined) return 0;
  const v: JsonValue | undefined = record.params[path];
  return typeof v === "number" ? v : 0;
}

/**
 * The rate result from the records of the sweep `sweepConfig` built (one cell per grid value, in
 * grid order). Slopes are weighted least squares with weights (mean / se)^2 (delta method), so
 * their standard errors reflect Monte Carlo noise only.
 */
export function rateResult(sweep: RateSweep, records: readonly CellRecord[], pairs: readonly RatePair[]): RateResult {
  const sorted = [...records].sort((a, b) => a.cell - b.cell);
  const points: RatePoint[] = sorted.map((record, i) => ({
    value: sweep.values[i],
    methods: pairs.map((pair): RatePointMethod => {
      const m = record.methods.find((x) => x.method === pair.method);
      const measuredValues = (m?.metrics[pair.quantity] ?? []).filter((x): x is number => x !== null);
      const s = measuredValues.length === 0 ? { mean: 0, se: 0, n: 0 } : (({ mean, se, n }) => ({ mean, se: se ?? 0, n }))(summary(measuredValues));
      const formula = m?.metrics[`bound.${pair.quantity}.${pair.bound}.formula`];
      const checked = m?.metrics[`bound.${pair.quantity}.${pair.bound}.measured`];
      const defined = checked !== undefined && formula !== undefined && checked.every((x, k) => x === null || formula[k] !== null) && checked.some((x) => x !== null);
      const values = defined ? formula.filter((x): x is number => x !== null) : [];
      return {
        method: pair.method,
        bound: pair.bound,
        eps: numberParam(record, pair.radiusParam),
        sinTheta: s,
        boundMean: defined ? values.reduce((a, b) => a + b, 0) / values.length : null,
      };
    }),
  }));
  const fits = pairs.map((pair, j): RateFit => {
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
    return { method: pair.method, bound: pair.bound, measured: measuredFit(false), measuredOnBoundRange: measuredFit(true), predicted: weightedSlope(bx, by) };
  });
  return { parameter: sweep.parameter, points, fits };
}

/**
 * Runs a rate sweep in process (or on `options.executor`) through the engine: the family's
 * sweep over `sweep.values` with bound checks (`boundOptions`, default the family's), then the
 * slopes.
 * @throws ConfigError when the family has no rate checks, or a grid point is not a valid scenario.
 */
export async function runRates(baseRaw: JsonObject, sweep: RateSweep, options: SweepOptions & { readonly boundOptions?: JsonObject }): Promise<RateResult> {
  const family = options.registry.family(baseRaw.family ?? "mixture");
  if (family.rates === undefined || family.bounds === undefined) throw new ConfigError("family", family.name, "has no rate checks");
  const boundOptions = { ...family.bounds.defaults, ...(options.boundOptions ?? {}) };
  const result = await runSweep(family.rates.sweepConfig(baseRaw, sweep, boundOptions), options);
  return rateResult(sweep, result.records, family.rates.pairs);
}
