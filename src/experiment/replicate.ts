/**
 * Replicates. Replicate k draws from replicateRng(seed, k) and from nothing else, so a
 * replicate's outcomes do not depend on which thread runs it, in which chunk, or in what order:
 * this is what makes runs and sweeps reproducible for any worker count.
 */
import { replicateRng } from "../core/random/rng.js";
import type { Family, ReplicateResult } from "./family.js";

/** A half-open range of replicate indices [from, to). */
export interface ReplicateRange {
  readonly from: number;
  readonly to: number;
}

/**
 * Replicate k of a config. A non-finite metric is a bug in the family (the contract allows
 * finite numbers only) and throws an Error, so it never reaches a summary.
 */
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

/** Replicates range.from .. range.to - 1 of `config`, in increasing order. */
export function runReplicateRange<C>(family: Family<C>, config: C, seed: number | string, range: ReplicateRange): ReplicateResult[] {
  const out: ReplicateResult[] = [];
  for (let k = range.from; k < range.to; k++) out.push(runReplicate(family, config, seed, k));
  return out;
}
