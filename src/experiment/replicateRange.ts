/**
 * Running a range of replicates of one config. Replicate k draws from replicateRng(seed, k) and
 * from nothing else, so a replicate's outcomes do not depend on which process or worker runs it,
 * in which chunk, or in what order; this is what makes sweeps reproducible for any worker count.
 */
import { runReplicate } from "./run.js";
import type { ReplicateRange } from "./shard.js";
import type { Family, ReplicateResult } from "./family.js";

/** Replicates range.from .. range.to - 1 of `config`, in increasing order (runReplicate: a non-finite metric throws). */
export function runReplicateRange<C>(family: Family<C>, config: C, seed: number | string, range: ReplicateRange): ReplicateResult[] {
  const out: ReplicateResult[] = [];
  for (let k = range.from; k < range.to; k++) {
    out.push(runReplicate(family, config, seed, k));
  }
  return out;
}
