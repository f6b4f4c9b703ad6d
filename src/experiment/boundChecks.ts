/**
 * Bound checks as replicate metrics, so that bounds run through the one engine (workers, sweeps,
 * results files) like every other metric. A family that checks a bound B on a quantity Q in a
 * replicate reports, per method:
 *
 *   bound.Q.B.measured      the measured quantity the bound is compared with
 *   bound.Q.B.value         the bound (a valid finite upper bound, capped at the trivial one)
 *   bound.Q.B.cap           the trivial bound
 *   bound.Q.B.formula       the formula's value (absent where the formula is undefined)
 *   bound.Q.B.held          1 when measured <= value (floating-point allowance 1e-10 relative), else 0
 *   bound.Q.B.probability   the probability with which the bound is promised to hold
 *   bound.Q.B.vacuous       1 when the bound says nothing beyond the cap, else 0
 *
 * and for an event E whose frequency is compared with its exact probability
 *
 *   event.E.occurred, event.E.probability
 *
 * and for a bound B on the mean of Q over replicates (not per replicate)
 *
 *   meanBound.Q.B           the bound on E[Q]
 *
 * and for a limit L (a prediction, not a bound: MODEL §8) of the quantity Q
 *
 *   limit.Q.L               the value L predicts for Q on this replicate (the measured value is
 *                           the metric Q of the same method; summariseLimits pairs them)
 *
 * summariseBoundChecks turns a cell record into per-bound rows: measured mean, bound mean, median
 * ratio, informative share and coverage beside the promised probability (experiment/coverage.ts).
 */
import { type BoundValue, boundRatio } from "../core/model/boundValue.js";
import { median, pairedDifference, summary } from "../core/stats.js";
import type { CellRecord } from "./cellRecord.js";
import { zScore } from "./claims.js";
import { type Coverage, coverage } from "./coverage.js";

/** Relative floating-point allowance of `held`. */
export const HELD_ALLOWANCE = 1e-10;

/** One bound checked on one replicate. */
export interface BoundCheck {
  readonly bound: string;
  /** What it bounds (a metric name, e.g. "sinTheta" or "expectedExcess"). */
  readonly quantity: string;
  /** The measured quantity (the worst case where a method produced nothing, e.g. 1 for sinTheta). */
  readonly measured: number;
  readonly upper: BoundValue;
  /** formula / measured; null when undefined. */
  readonly ratio: number | null;
  readonly held: boolean;
  /** The promised probability that it holds (1 for deterministic bounds). */
  readonly probability: number;
}

/** A check of `upper` against `measured`. */
export function boundCheck(bound: string, quantity: string, measured: number, upper: BoundValue, probability: number): BoundCheck {
  return {
    bound,
    quantity,
    measured,
    upper,
    ratio: boundRatio(upper, measured),
    held: measured <= upper.value * (1 + HELD_ALLOWANCE),
    probability,
  };
}

/** An event of a bound's proof on one replicate, with its exact probability. */
export interface EventCheck {
  readonly name: string;
  readonly occurred: boolean;
  readonly probability: number;
}

/** A bound on the mean of a quantity over replicates. */
export interface MeanBound {
  readonly bound: string;
  readonly quantity: string;
  readonly value: number;
}

/** The metrics of a replicate's checks (the encoding of the file comment). */
export function boundMetrics(checks: readonly BoundCheck[], events: readonly EventCheck[] = [], meanBounds: readonly MeanBound[] = []): Record<string, number> {
  const out: Record<string, number> = {};
  for (const c of checks) {
    const p = `bound.${c.quantity}.${c.bound}`;
    out[`${p}.measured`] = c.measured;
    out[`${p}.value`] = c.upper.value;
    out[`${p}.cap`] = c.upper.cap;
    if (c.upper.formula !== null) out[`${p}.formula`] = c.upper.formula;
    out[`${p}.held`] = c.held ? 1 : 0;
    out[`${p}.probability`] = c.probability;
    out[`${p}.vacuous`] = c.upper.vacuous ? 1 : 0;
  }
  for (const e of events) {
    out[`event.${e.name}.occurred`] = e.occurred ? 1 : 0;
    out[`event.${e.name}.probability`] = e.probability;
  }
  for (const b of meanBounds) out[`meanBound.${b.quantity}.${b.bound}`] = b.value;
  return out;
}

/** Whether a metric name belongs to the bound-check encoding (tables of ordinary metrics leave these out). */
export function isBoundMetric(name: string): boolean {
  return name.startsWith("bound.") || name.startsWith("event.") || name.startsWith("meanBound.");
}

/** A limit's prediction of a quantity on one replicate. */
export interface LimitValue {
  readonly limit: string;
  readonly quantity: string;
  readonly predicted: number;
}

/** The metrics of a replicate's limits (`limit.Q.L`). */
export function limitMetrics(limits: readonly LimitValue[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const l of limits) out[`limit.${l.quantity}.${l.limit}`] = l.predicted;
  return out;
}

/** Whether a metric name is a limit's prediction (`limit.Q.L`). */
export function isLimitMetric(name: string): boolean {
  return name.startsWith("limit.");
}

const LIMIT = /^limit\.([^.]+)\.([^.]+)$/;

/** A limit of one method beside the measured quantity, over the replicates where both are reported. */
export interface LimitSummaryRow {
  readonly method: string;
  readonly limit: string;
  readonly quantity: string;
  /** Replicates with both values. */
  readonly n: number;
  readonly measured: { readonly mean: number; readonly se: number | null };
  readonly predicted: { readonly mean: number; readonly se: number | null };
  /** Paired difference measured - predicted, with its paired SE (null below two pairs). */
  readonly difference: { readonly mean: number; readonly se: number | null };
  /** difference / SE (0 when the SE is undefined; +-Infinity when it is 0 and the difference is not). */
  readonly z: number;
}

/** Every limit of every method of a record beside its measured quantity, paired replicate by replicate. */
export function summariseLimits(record: CellRecord): LimitSummaryRow[] {
  const rows: LimitSummaryRow[] = [];
  for (const m of record.methods) {
    for (const name of Object.keys(m.metrics)) {
      const match = LIMIT.exec(name);
      if (match === null) continue;
      const [quantity, limit] = [match[1], match[2]];
      const measuredColumn = m.metrics[quantity];
      if (measuredColumn === undefined) continue;
      const d = pairedDifference(measuredColumn, m.metrics[name]);
      if (d === null) continue;
      const both = (col: readonly (number | null)[]) => col.filter((v, k) => v !== null && measuredColumn[k] !== null && m.metrics[name][k] !== null) as number[];
      const ms = summary(both(measuredColumn));
      const ps = summary(both(m.metrics[name]));
      const z = zScore(d);
      rows.push({ method: m.method, limit, quantity, n: d.n, measured: { mean: ms.mean, se: ms.se }, predicted: { mean: ps.mean, se: ps.se }, difference: { mean: d.mean, se: d.se }, z });
    }
  }
  return rows;
}

const CHECK = /^bound\.([^.]+)\.([^.]+)\.measured$/;

/** The checks of one method in replicate k of a record, in the order the family reported them. */
export function checksOf(record: CellRecord, method: string, k: number): BoundCheck[] {
  const m = record.methods.find((x) => x.method === method);
  if (m === undefined) return [];
  const out: BoundCheck[] = [];
  for (const name of Object.keys(m.metrics)) {
    const match = CHECK.exec(name);
    if (match === null) continue;
    const measured = m.metrics[name][k];
    if (measured === null) continue;
    const p = `bound.${match[1]}.${match[2]}`;
    const get = (f: string) => m.metrics[`${p}.${f}`]?.[k] ?? null;
    const formula = get("formula");
    const upper: BoundValue = { value: get("value") as number, formula, cap: get("cap") as number, defined: formula !== null, vacuous: get("vacuous") === 1 };
    out.push({ bound: match[2], quantity: match[1], measured, upper, ratio: boundRatio(upper, measured), held: get("held") === 1, probability: get("probability") as number });
  }
  return out;
}

/** One bound of one method over the replicates. */
export interface BoundsSummaryRow {
  readonly method: string;
  readonly bound: string;
  readonly quantity: string;
  /** Mean and standard error (null below two replicates) of the measured quantity. */
  readonly measured: { readonly mean: number; readonly se: number | null };
  /** Mean of the (capped) bound. */
  readonly boundMean: number;
  /** Median of formula / measured over replicates where it is defined; null if never. */
  readonly ratioMedian: number | null;
  /** Share of replicates where the formula is defined and below its cap. */
  readonly informative: number;
  /** Share of replicates where it held, beside the mean promised probability, with the one-sided p-value. */
  readonly coverage: Coverage;
}

/** An event's observed frequency beside its exact probability, with the standard error of the frequency. */
export interface EventSummary {
  readonly name: string;
  readonly frequency: number;
  readonly probability: number;
  readonly se: number;
}

/** A bound on a mean beside the measured mean. */
export interface MeanBoundSummary {
  readonly bound: string;
  readonly quantity: string;
  readonly measuredMean: number;
  readonly measuredSe: number | null;
  /** Mean of the bound over replicates (over the drawn truths). */
  readonly value: number;
}

/** Per method, the facts that are not per-bound rows. */
export interface BoundsMethodSummary {
  readonly method: string;
  readonly replicates: number;
  readonly events: readonly EventSummary[];
  readonly meanBounds: readonly MeanBoundSummary[];
}

function present(column: readonly (number | null)[] | undefined): number[] {
  return (column ?? []).filter((x): x is number => x !== null);
}

/**
 * Aggregates the bound checks of a record: one row per method and bound, in the order reported.
 * Coverage uses the mean promised probability across replicates (a binomial tail at the mean
 * failure probability is conservative for independent trials with unequal probabilities,
 * Hoeffding 1956).
 */
export function summariseBoundChecks(record: CellRecord): { rows: BoundsSummaryRow[]; methods: BoundsMethodSummary[] } {
  const rows: BoundsSummaryRow[] = [];
  const methods: BoundsMethodSummary[] = [];
  for (const m of record.methods) {
    for (const name of Object.keys(m.metrics)) {
      const match = CHECK.exec(name);
      if (match === null) continue;
      const [quantity, bound] = [match[1], match[2]];
      const checks: BoundCheck[] = [];
      for (let k = 0; k < record.replicates; k++) {
        const c = checksOf(record, m.method, k).find((x) => x.bound === bound && x.quantity === quantity);
        if (c !== undefined) checks.push(c);
      }
      if (checks.length === 0) continue;
      const measured = summary(checks.map((c) => c.measured));
      const promised = checks.reduce((acc, c) => acc + c.probability, 0) / checks.length;
      rows.push({
        method: m.method,
        bound,
        quantity,
        measured: { mean: measured.mean, se: measured.se },
        boundMean: checks.reduce((acc, c) => acc + c.upper.value, 0) / checks.length,
        ratioMedian: median(checks.flatMap((c) => (c.ratio === null ? [] : [c.ratio]))),
        informative: checks.filter((c) => !c.upper.vacuous).length / checks.length,
        coverage: coverage(checks.map((c) => c.held), promised),
      });
    }
    const events: EventSummary[] = [];
    const meanBounds: MeanBoundSummary[] = [];
    for (const name of Object.keys(m.metrics)) {
      const ev = /^event\.([^.]+)\.occurred$/.exec(name);
      if (ev !== null) {
        const occurred = present(m.metrics[name]);
        const probability = present(m.metrics[`event.${ev[1]}.probability`])[0] ?? 0;
        events.push({
          name: ev[1],
          frequency: occurred.filter((x) => x === 1).length / occurred.length,
          probability,
          se: Math.sqrt((probability * (1 - probability)) / occurred.length),
        });
      }
      const mb = /^meanBound\.([^.]+)\.([^.]+)$/.exec(name);
      if (mb !== null) {
        const values = present(m.metrics[name]);
        const measured = present(m.metrics[mb[1]]);
        if (values.length === 0 || measured.length === 0) continue;
        const s = summary(measured);
        meanBounds.push({ bound: mb[2], quantity: mb[1], measuredMean: s.mean, measuredSe: s.se, value: values.reduce((a, b) => a + b, 0) / values.length });
      }
    }
    methods.push({ method: m.method, replicates: record.replicates, events, meanBounds });
  }
  return { rows, methods };
}
