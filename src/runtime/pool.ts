/**
 * The worker-thread executor: replicate tasks on a piscina pool. The results of a task do not
 * depend on the executor (replicate k uses replicateRng(seed, k)), which the tests check byte for
 * byte against the in-thread executor (experiment/executor.ts).
 */
import { existsSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Piscina } from "piscina";
import type { Executor, } from "../experiment/executor.js";
import { InProcessExecutor } from "../experiment/executor.js";
import type { ReplicateResult } from "../experiment/family.js";
import type { Registry } from "../experiment/registry.js";
import type { ReplicateTask } from "../experiment/task.js";

/**
 * The URL of the compiled JavaScript of a module under src/, e.g. compiledModuleUrl(
 * "runtime/worker.js"). From compiled code (dist/src/runtime/) the path is resolved next to this
 * file's tree; when this module runs from the TypeScript sources (tests), the compiled copy under
 * dist/ is used, which `npm run build` produces. Throws a clear error when it is missing: worker
 * threads cannot load TypeScript.
 */
export function compiledModuleUrl(pathUnderSrc: string): URL {
  const here = fileURLToPath(import.meta.url);
  let path: string;
  if (here.endsWith(".ts")) {
    const marker = "/src/runtime/";
    const at = here.lastIndexOf(marker);
    if (at < 0) throw new Error(`cannot locate the compiled modules from ${here}`);
    path = `${here.slice(0, at)}/dist/src/${pathUnderSrc}`;
  } else {
    path = fileURLToPath(new URL(`../${pathUnderSrc}`, import.meta.url));
  }
  if (!existsSync(path)) throw new Error(`the worker pool needs the compiled module ${path}: run \`npm run build\` first`);
  return pathToFileURL(path);
}

/** Runs tasks on a pool of `workers` worker threads (piscina), first come first served. */
export class PoolExecutor implements Executor {
  readonly workers: number;
  private readonly pool: Piscina<ReplicateTask, ReplicateResult[]>;

  constructor(workers: number) {
    if (!Number.isInteger(workers) || workers < 1) throw new RangeError(`PoolExecutor: workers = ${workers}: must be a positive integer`);
    this.workers = workers;
    this.pool = new Piscina({
      filename: compiledModuleUrl("runtime/worker.js").href,
      minThreads: workers,
      maxThreads: workers,
      concurrentTasksPerWorker: 1,
      idleTimeout: 60_000,
    });
  }

  run(task: ReplicateTask): Promise<ReplicateResult[]> {
    return this.pool.run(task);
  }

  async close(): Promise<void> {
    await this.pool.destroy();
  }
}

/** The executor for `workers` threads: 0 runs in this thread against `registry` (with its plugins registered). */
export function createExecutor(workers: number, registry: Registry): Executor {
  return workers === 0 ? new InProcessExecutor(registry) : new PoolExecutor(workers);
}
