/** The --workers flag. */
import { availableParallelism } from "node:os";
import { parseInteger } from "../core/config/parse.js";

/** The most worker threads a run may ask for. */
export const MAX_WORKERS = 256;

/**
 * Number of worker threads: --workers (0 = run in this thread, at most MAX_WORKERS), default the
 * machine's parallelism. The runtime never starts more threads than there are replicates to run.
 */
export function parseWorkers(value: unknown): number {
  if (value === undefined) return availableParallelism();
  return parseInteger("--workers", value, 0, MAX_WORKERS);
}
