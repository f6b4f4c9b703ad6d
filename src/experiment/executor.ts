/**
 * Executors run replicate tasks. The engine (engine.ts) schedules tasks on any executor; results
 * do not depend on which one (replicate k uses replicateRng(seed, k)), which the tests check
 * byte for byte. This file holds the contract and the in-thread executor; runtime/pool.ts has
 * Node's worker-thread pool, and the explorer page a Web Worker pool.
 */
import type { ReplicateResult } from "./family.js";
import type { Registry } from "./registry.js";
import { type ReplicateTask, TaskRunner } from "./task.js";

export interface Executor {
  /** Tasks that may run at once. */
  readonly workers: number;
  run(task: ReplicateTask): Promise<ReplicateResult[]>;
  /** Releases resources (after the tasks submitted have settled). */
  close(): Promise<void>;
}

/** Yields to the event loop (setImmediate where it exists, else a zero timeout). */
function yieldToEventLoop(): Promise<void> {
  const immediate = (globalThis as { setImmediate?: (f: () => void) => unknown }).setImmediate;
  return new Promise<void>((resolve) => (immediate !== undefined ? immediate(resolve) : setTimeout(resolve, 0)));
}

/**
 * Runs tasks one at a time in the calling thread, yielding to the event loop between tasks (so
 * progress, signals and cancellation get their turn). Plugins named by tasks must already be
 * registered in `registry`.
 */
export class InProcessExecutor implements Executor {
  readonly workers = 1;
  private readonly runner: TaskRunner;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(registry: Registry) {
    this.runner = new TaskRunner(registry);
  }

  run(task: ReplicateTask): Promise<ReplicateResult[]> {
    const next = this.queue.then(async () => {
      await yieldToEventLoop();
      return this.runner.run(task);
    });
    this.queue = next.catch(() => undefined);
    return next;
  }

  async close(): Promise<void> {
    await this.queue;
  }
}
