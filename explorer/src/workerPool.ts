/**
 * The page's executor: Web Workers, one per core, each holding a TaskRunner over the library's
 * default registry (worker.ts). Tasks are plain JSON and queue first in, first out; a worker runs
 * one at a time. A task's signal withdraws it: a queued task is dropped at once, and a running one
 * is left to finish unless it is still running after `graceMs`, when its worker is terminated and
 * replaced (a slow configuration, such as a large d, is never waited for) and the task rejects
 * with a CancelledError. A withdrawn task that finishes in time resolves with its (correct)
 * result, which the method cache keeps; the run that withdrew it draws nothing more.
 */
import type { ReplicateResult } from "../../src/experiment/family.js";
import type { ReplicateTask } from "../../src/experiment/task.js";
import { CancelledError, type TaskExecutor } from "./methodCache.js";

/** A worker's answer. */
export type WorkerReply =
  | { readonly id: number; readonly results: ReplicateResult[]; readonly ms: number }
  | { readonly id: number; readonly error: { readonly name: string; readonly message: string } };

interface Job {
  readonly id: number;
  readonly task: ReplicateTask;
  readonly resolve: (r: ReplicateResult[]) => void;
  readonly reject: (e: unknown) => void;
  readonly signal?: AbortSignal;
  onAbort?: () => void;
}

interface Slot {
  worker: Worker;
  job: Job | null;
  timer: ReturnType<typeof setTimeout> | null;
}

export class WebWorkerPool implements TaskExecutor {
  readonly workers: number;
  private readonly makeWorker: () => Worker;
  private readonly graceMs: number;
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private nextId = 1;
  private failure: Error | null = null;
  /** Workers terminated to withdraw a running task (for the page's status and the tests). */
  restarts = 0;
  /** Milliseconds the workers spent computing, as they measured it, and the tasks they finished. */
  computeMs = 0;
  tasksDone = 0;
  replicatesDone = 0;

  constructor(makeWorker: () => Worker, workers: number, graceMs = 250) {
    this.workers = workers;
    this.makeWorker = makeWorker;
    this.graceMs = graceMs;
    for (let i = 0; i < workers; i++) this.slots.push(this.spawn());
  }

  private spawn(): Slot {
    const slot: Slot = { worker: null as unknown as Worker, job: null, timer: null };
    this.attach(slot);
    return slot;
  }

  /** Gives `slot` a fresh worker. */
  private attach(slot: Slot): void {
    slot.worker = this.makeWorker();
    slot.worker.onmessage = (e: MessageEvent<WorkerReply>) => this.reply(slot, e.data);
    slot.worker.onerror = (e: ErrorEvent) => {
      e.preventDefault();
      this.fail(new Error(`explorer worker failed: ${e.message || "could not start"}`));
    };
  }

  private fail(error: Error): void {
    if (this.failure !== null) return;
    this.failure = error;
    for (const s of this.slots) if (s.job !== null) this.settle(s, (j) => j.reject(error));
    for (const j of this.queue.splice(0)) j.reject(error);
  }

  private settle(slot: Slot, how: (job: Job) => void): void {
    const job = slot.job;
    if (job === null) return;
    slot.job = null;
    if (slot.timer !== null) clearTimeout(slot.timer);
    slot.timer = null;
    if (job.onAbort) job.signal?.removeEventListener("abort", job.onAbort);
    how(job);
  }

  private reply(slot: Slot, msg: WorkerReply): void {
    const job = slot.job;
    if (job === null || msg.id !== job.id) return;
    // A result that arrives after its task was withdrawn is still a correct result: it resolves
    // (the method cache keeps it); the run that withdrew it draws nothing more.
    this.settle(slot, (j) => {
      if ("error" in msg) j.reject(Object.assign(new Error(msg.error.message), { name: msg.error.name }));
      else {
        this.computeMs += msg.ms;
        this.tasksDone += 1;
        this.replicatesDone += msg.results.length;
        j.resolve(msg.results);
      }
    });
    this.pump();
  }

  private pump(): void {
    for (const slot of this.slots) {
      if (slot.job !== null) continue;
      const job = this.queue.shift();
      if (job === undefined) return;
      slot.job = job;
      slot.worker.postMessage({ id: job.id, task: job.task });
    }
  }

  run(task: ReplicateTask, signal?: AbortSignal): Promise<ReplicateResult[]> {
    if (this.failure !== null) return Promise.reject(this.failure);
    if (signal?.aborted) return Promise.reject(new CancelledError());
    return new Promise<ReplicateResult[]>((resolve, reject) => {
      const job: Job = { id: this.nextId++, task, resolve, reject, signal };
      if (signal !== undefined) {
        job.onAbort = () => this.withdraw(job);
        signal.addEventListener("abort", job.onAbort, { once: true });
      }
      this.queue.push(job);
      this.pump();
    });
  }

  private withdraw(job: Job): void {
    const q = this.queue.indexOf(job);
    if (q >= 0) {
      this.queue.splice(q, 1);
      job.reject(new CancelledError());
      return;
    }
    const slot = this.slots.find((s) => s.job === job);
    if (slot === undefined || slot.timer !== null) return;
    slot.timer = setTimeout(() => {
      if (slot.job !== job) return;
      slot.worker.terminate();
      this.settle(slot, (j) => j.reject(new CancelledError()));
      this.attach(slot);
      this.restarts += 1;
      this.pump();
    }, this.graceMs);
  }

  msPerReplicate(): number | null {
    return this.replicatesDone === 0 ? null : this.computeMs / this.replicatesDone;
  }

  /** Tasks queued and running. */
  get load(): { queued: number; running: number } {
    return { queued: this.queue.length, running: this.slots.filter((s) => s.job !== null).length };
  }

  terminate(): void {
    for (const s of this.slots) s.worker.terminate();
    this.fail(new Error("the worker pool was closed"));
  }
}
