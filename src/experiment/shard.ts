/**
 * Splitting a sweep's work: cells across shards (independent processes, e.g. the tasks of a Slurm
 * array job) and a cell's replicates into chunks (tasks of a worker pool). Both splits are pure
 * functions of the sizes, so every process computes the same plan without talking to the others,
 * and neither changes any result: replicate k of a cell always uses replicateRng(seed, k).
 */
import { ConfigError } from "../core/config/parse.js";
import type { ReplicateRange } from "./replicate.js";

/** Shard `index` of `count` (1 <= index <= count). */
export interface Shard {
  readonly index: number;
  readonly count: number;
}

/** The whole sweep as one shard. */
export const WHOLE: Shard = { index: 1, count: 1 };

/**
 * Parses "i/N" (1 <= i <= N, both integers, N <= 100000) into a Shard; a ConfigError on field
 * `field` otherwise. Shards are numbered from 1, so `--shard $SLURM_ARRAY_TASK_ID/N` goes with
 * `--array=1-N`, and `--shard {#}/N` with GNU parallel's 1-based job number.
 */
export function parseShard(text: string, field = "--shard"): Shard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  const allowed = "must be i/N with integers 1 <= i <= N <= 100000, e.g. 2/8";
  if (!m) throw new ConfigError(field, text, allowed);
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count < 1 || count > 100000 || index < 1 || index > count) throw new ConfigError(field, text, allowed);
  return { index, count };
}

/**
 * The cells of shard i/N among cells 0..cellCount-1: those with cell mod N = i - 1, in increasing
 * order. Round-robin rather than contiguous blocks, because cost usually grows along an axis
 * (larger m, larger d) and contiguous blocks would give one shard all the expensive cells.
 * The shards partition the cells: each cell belongs to exactly one shard.
 */
export function shardCells(cellCount: number, shard: Shard): number[] {
  const out: number[] = [];
  for (let c = shard.index - 1; c < cellCount; c += shard.count) out.push(c);
  return out;
}

export type { ReplicateRange };

/**
 * Splits replicates 0..replicates-1 into consecutive ranges of `chunkSize` (the last one may be
 * shorter). replicates = 0 gives no ranges.
 */
export function replicateChunks(replicates: number, chunkSize: number): ReplicateRange[] {
  if (!Number.isInteger(chunkSize) || chunkSize < 1) throw new RangeError(`replicateChunks: chunkSize = ${chunkSize}: must be a positive integer`);
  const out: ReplicateRange[] = [];
  for (let from = 0; from < replicates; from += chunkSize) out.push({ from, to: Math.min(replicates, from + chunkSize) });
  return out;
}
