/**
 * Running replicates and aggregating them. Replicate k draws from replicateRng(seed, k) only, so
 * a run's numbers do not depend on scheduling, worker count or which replicates ran before.
 */
import { replicateRng } from "../core/random/rng.js";
import type { RunConfig } from "./runConfig.js";
import type { Family, MethodOutcome, ReplicateResult } from "./family.js";

/** Replicate k of a run. Non-finite metrics are a bug and throw, never reach a summary. */
export function runReplicate<C>(family: Family<C>, config: C, seed: number | string, k: number): ReplicateResult {
  const outcomes = family.runReplicate(config, replicateRng(seed, k));
  for (const o of outcomes) {
    for (const [name, value] of Object.entries(o.metrics)) {
      if (!Number.isFinite(value)) {
        throw new Error(`internal error: replicate ${k}, method ${o.method}: metric ${name} = ${value}`);
      }
    }
  }
  return { replicate: k, outcomes };
}

/** Options of runReplicates. */
export interface RunOptions {
  /** First replicate index (default 0). */
  readonly from?: number;
  /** One past the last replicate index (default run.replicates). */
  readonly to?: number;
  /** Called after each finished replicate (for progress). */
  readonly onReplicate?: (result: ReplicateResult, done: number, total: number) => void;
}

/** Runs replicates [from, to) of a run in order, in this thread. */
export function runReplicates(run: RunConfig, options: RunOptions = {}): ReplicateResult[] {
  const from = options.from ?? 0;
  const to = options.to ?? run.replicates;
  const out: ReplicateResult[] = [];
  for (let k = from; k < to; k++) {
    const res = runReplicate(run.family, run.config, run.seed, k);
    out.push(res);
    options.onReplicate?.(res, k - from + 1, to - from);
  }
  return out;
}

/** One row of a summary: a method's metric over the replicates where it was measured. */
export interface SummaryRow {
  readonly method: string;
  readonly metric: string;
  /** Sample mean. */
  readonly mean: number;
  /** Standard error of the mean, sd / sqrt(n) (0 when n = 1: no spread to estimate). */
  readonly se: number;
  /** Number of replicates contributing. */
  readonly n: number;
}

/**
 * Mean and standard error per method and metric, in the order methods and metrics first appear.
 * A metric is averaged over the replicates that report it (a failed method reports fewer
 * metrics). Each method also gets `failed`: the share of replicates where it produced no
 * predictor (over all replicates).
 */
export function summarise(results: readonly ReplicateResult[]): SummaryRow[] {
  const byMethod = new Map<string, Map<string, number[]>>();
  const failures = new Map<string, number[]>();
  const sorted = [...results].sort((a, b) => a.replicate - b.replicate);
  for (const res of sorted) {
    for (const o of res.outcomes) {
      let metrics = byMethod.get(o.method);
      if (metrics === undefined) {
        metrics = new Map();
        byMethod.set(o.method, metrics);
        failures.set(o.method, []);
      }
      for (const [name, value] of Object.entries(o.metrics)) {
        let list = metrics.get(name);
        if (list === undefined) {
          list = [];
          metrics.set(name, list);
        }
        list.push(value);
      }
      (failures.get(o.method) as number[]).push(o.ok ? 0 : 1);
    }
  }
  const rows: SummaryRow[] = [];
  for (const [method, metrics] of byMethod) {
    for (const [metric, values] of metrics) rows.push({ method, metric, ...meanAndSe(values) });
    rows.push({ method, metric: "failed", ...meanAndSe(failures.get(method) as number[]) });
  }
  return rows;
}

/** Mean, standard error sd/sqrt(n) with the n-1 denominator (0 for n = 1), and n. */
export function meanAndSe(values: readonly number[]): { mean: number; se: number; n: number } {
  const n = values.length;
  if (n === 0) return { mean: 0, se: 0, n: 0 };
  let mean = 0;
  for (const v of values) mean += v;
  mean /= n;
  if (n === 1) return { mean, se: 0, n };
  let ss = 0;
  for (const v of values) ss += (v - mean) * (v - mean);
  return { mean, se: Math.sqrt(ss / (n - 1) / n), n };
}

/** All outcomes of one method across results, in replicate order. */
export function outcomesOf(results: readonly ReplicateResult[], method: string): MethodOutcome[] {
  return [...results]
    .sort((a, b) => a.replicate - b.replicate)
    .flatMap((r) => r.outcomes.filter((o) => o.method === method));
}
