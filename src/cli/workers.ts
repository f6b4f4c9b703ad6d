/** The --workers flag. */
import { availableParallelism } from "node:os";
import { parseInteger } from "../core/config/parse.js";

/** Number of worker threads: --workers (0 = run in this thread), default the machine's parallelism. */
export function parseWorkers(value: unknown): number {
  if (value === undefined) return availableParallelism();
  return parseInteger("--workers", value, 0, 1024);
}
