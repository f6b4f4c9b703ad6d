/**
 * Executors run replicate tasks: in this thread (no build needed; one task at a time) or on a
 * piscina pool of worker threads. The results of a task do not depend on the executor (replicate
 * k uses replicateRng(seed, k)), which the tests check byte for byte.
 */
import { existsSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Piscina } from "piscina";
import { canonicalJson } from "../core/config/canonicalJson.js";
import { runReplicateRange } from "../experiment/replicateRange.js";
import type { Family, ReplicateResult } from "../experiment/family.js";
import type { ReplicateTask } from "../experiment/task.js";

export interface ReplicateExecutor {
  /** Tasks that may run at once. */
  readonly workers: number;
  run(task: ReplicateTask): Promise<ReplicateResult[]>;
  /** Releases the threads (after the tasks submitted have settled). */
  close(): Promise<void>;
}

/** Runs tasks one at a time in the calling thread, yielding to the event loop between tasks. */
export class InProcessExecutor implements ReplicateExecutor {
  readonly workers = 1;
  private readonly families: Readonly<Record<string, Family<unknown>>>;
  private lastKey = "";
  private lastConfig: unknown;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(families: Readonly<Record<string, Family<unknown>>>) {
    this.families = families;
  }

  run(task: ReplicateTask): Promise<ReplicateResult[]> {
    const next = this.queue.then(async () => {
      await new Promise<void>((resolve) => setImmediate(resolve));
      const family = this.families[task.family.name];
      if (family === undefined) throw new Error(`no family "${task.family.name}"; known: ${Object.keys(this.families).join(", ")}`);
      const key = `${task.family.name}\u0000${canonicalJson(task.config)}`;
      if (key !== this.lastKey) {
        this.lastConfig = family.parse(task.config);
        this.lastKey = key;
      }
      return runReplicateRange(family, this.lastConfig, task.seed, { from: task.from, to: task.to });
    });
    this.queue = next.catch(() => undefined);
    return next;
  }

  async close(): Promise<void> {
    await this.queue;
  }
}

/**
 * The URL of the compiled JavaScript of a module under src/, e.g. compiledModuleUrl(
 * "runtime/worker.js"). From compiled code (dist/src/runtime/) the path is resolved next to
 * this file's tree; when this module runs from the TypeScript sources (tests), the compiled copy
 * under dist/ is used, which `npm run build` produces. Throws a clear error when it is missing:
 * worker threads cannot load TypeScript.
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

/** The compiled worker script of the pool. */
export function replicateWorkerUrl(): URL {
  return compiledModuleUrl("runtime/worker.js");
}

/** Where workers find the registered families (src/families/index.ts, compiled). */
export function registeredFamilySource(name: string): { module: string; name: string } {
  return { module: compiledModuleUrl("families/index.js").href, name };
}

/** Runs tasks on a pool of `workers` worker threads (piscina), first come first served. */
export class PoolExecutor implements ReplicateExecutor {
  readonly workers: number;
  private readonly pool: Piscina<ReplicateTask, ReplicateResult[]>;

  constructor(workers: number) {
    if (!Number.isInteger(workers) || workers < 1) throw new RangeError(`PoolExecutor: workers = ${workers}: must be a positive integer`);
    this.workers = workers;
    this.pool = new Piscina({
      filename: replicateWorkerUrl().href,
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
