/**
 * An Executor that runs each method of a cell on its own and remembers every method's outcome,
 * so work shared by the cells of a sweep is done once. In the eps curve, standard training and
 * SSL do not depend on eps: 13 cells x 5 methods need 2 + 13 x 3 method fits per replicate, not
 * 65. Moving a control back, or raising the replicate count, reuses what was computed.
 *
 * Sound for the mixture family: a replicate's outcome for a method is a function of the scenario,
 * the sampler, the evaluation, the method itself (its label names its random stream,
 * "method:<label>"), the seed and the replicate index, and of nothing else: the truth and the data
 * come from their own streams, so adding a method leaves the others' numbers unchanged (README,
 * "Determinism"). So replicate k of a cell is, outcome for outcome, replicate k of the one-method
 * configs, and the engine (executePlan) assembles the same records it would from whole-cell
 * tasks; test/explorer/methodCache.test.ts checks this bit for bit. Pure: no DOM.
 */
import { canonicalJson, type JsonValue } from "../../src/core/config/canonicalJson.js";
import type { Executor } from "../../src/experiment/executor.js";
import type { MethodOutcome, ReplicateResult } from "../../src/experiment/family.js";
import type { ReplicateTask } from "../../src/experiment/task.js";

/** What the method cache runs its one-method tasks on (the Web Worker pool, or any Executor). */
export interface TaskExecutor {
  readonly workers: number;
  /** Runs a task; `signal` withdraws it (rejecting with a CancelledError) if it has not finished. */
  run(task: ReplicateTask, signal?: AbortSignal): Promise<ReplicateResult[]>;
  /** Mean milliseconds of computing per replicate of a one-method task so far (null: not known). */
  msPerReplicate?(): number | null;
}

/** The rejection of a task that was withdrawn before it finished. */
export class CancelledError extends Error {
  constructor(message = "cancelled") {
    super(message);
    this.name = "CancelledError";
  }
}

/** Method outcomes by (one-method task key, replicate), dropping the least recently added keys beyond a bound. */
export class OutcomeCache {
  private readonly byKey = new Map<string, Map<number, MethodOutcome>>();
  private size = 0;
  readonly maxOutcomes: number;

  constructor(maxOutcomes = 150_000) {
    this.maxOutcomes = maxOutcomes;
  }

  get(key: string, k: number): MethodOutcome | undefined {
    return this.byKey.get(key)?.get(k);
  }

  set(key: string, k: number, outcome: MethodOutcome): void {
    let m = this.byKey.get(key);
    if (m === undefined) {
      m = new Map();
      this.byKey.set(key, m);
    } else {
      // Refresh the key's place (Map keeps insertion order: the first key is the oldest).
      this.byKey.delete(key);
      this.byKey.set(key, m);
    }
    if (!m.has(k)) this.size += 1;
    m.set(k, outcome);
    while (this.size > this.maxOutcomes && this.byKey.size > 1) {
      const [oldest, entries] = this.byKey.entries().next().value as [string, Map<number, MethodOutcome>];
      this.byKey.delete(oldest);
      this.size -= entries.size;
    }
  }

  /** Outcomes held. */
  get outcomes(): number {
    return this.size;
  }
}

/** Options of a MethodCacheExecutor. */
export interface MethodCacheOptions {
  /** Withdraws this executor's queued and running tasks (a stale run). */
  readonly signal?: AbortSignal;
  /**
   * Replicates per one-method task, from the mean milliseconds a replicate of a one-method task
   * took so far in the inner executor (null when not known): default about 60 ms of work per
   * task, 1 to 32 replicates.
   */
  readonly chunk?: (msPerReplicate: number | null) => number;
}

function defaultChunk(ms: number | null): number {
  if (ms === null) return 2;
  return Math.max(1, Math.min(32, Math.round(60 / Math.max(ms, 1e-3))));
}

/**
 * Splits every task into one task per method and replicate chunk, runs on `inner` only the
 * outcomes neither cached nor already running, and answers with whole-cell replicate results
 * (outcomes in the config's method order). A task without a `methods` list runs as it is.
 */
export class MethodCacheExecutor implements Executor {
  readonly workers: number;
  private readonly inner: TaskExecutor;
  private readonly cache: OutcomeCache;
  private readonly inflight: Map<string, Promise<unknown>>;
  private readonly options: MethodCacheOptions;

  /**
   * `inflight` may be shared by the executors of successive runs (so a run waits for an outcome
   * a stale run is still computing instead of computing it twice).
   */
  constructor(inner: TaskExecutor, cache: OutcomeCache, options: MethodCacheOptions = {}, inflight = new Map<string, Promise<unknown>>()) {
    this.inner = inner;
    this.workers = inner.workers;
    this.cache = cache;
    this.options = options;
    this.inflight = inflight;
  }

  async run(task: ReplicateTask): Promise<ReplicateResult[]> {
    const config = task.config;
    const methods = typeof config === "object" && config !== null && !Array.isArray(config) ? config.methods : undefined;
    if (!Array.isArray(methods) || methods.length === 0) return this.inner.run(task, this.options.signal);
    const { methods: _all, ...rest } = config as { [key: string]: JsonValue };
    const parts = methods.map((method) => {
      const single: JsonValue = { ...rest, methods: [method] };
      return { single, key: canonicalJson({ family: task.family, plugins: [...task.plugins], config: single, seed: task.seed }) };
    });
    const columns = await Promise.all(parts.map((p) => this.ensure(task, p.single, p.key)));
    const out: ReplicateResult[] = [];
    for (let k = task.from; k < task.to; k++) {
      out.push({ replicate: k, outcomes: columns.map((c) => c[k - task.from]) });
    }
    return out;
  }

  /** Nothing to release: the inner executor belongs to whoever made it. */
  async close(): Promise<void> {}

  /** The outcomes of replicates [task.from, task.to) of the one-method config `single`, from the cache or computed. */
  private async ensure(task: ReplicateTask, single: JsonValue, key: string): Promise<MethodOutcome[]> {
    const signal = this.options.signal;
    const chunk = this.options.chunk ?? defaultChunk;
    for (;;) {
      if (signal?.aborted) throw signal.reason ?? new CancelledError();
      const waits: Promise<unknown>[] = [];
      const own: Promise<void>[] = [];
      let start = -1;
      const size = chunk(this.inner.msPerReplicate?.() ?? null);
      const launch = (from: number, to: number) => {
        for (let a = from; a < to; a += size) {
          const b = Math.min(to, a + size);
          const p = this.inner.run({ ...task, config: single, from: a, to: b }, signal).then((res) => {
            for (const r of res) {
              if (r.outcomes.length !== 1) throw new Error(`method cache: a one-method task returned ${r.outcomes.length} outcomes`);
              this.cache.set(key, r.replicate, r.outcomes[0]);
            }
          });
          const settled = p.catch(() => undefined);
          for (let k = a; k < b; k++) this.inflight.set(`${key}\u0000${k}`, settled);
          void settled.then(() => {
            for (let k = a; k < b; k++) if (this.inflight.get(`${key}\u0000${k}`) === settled) this.inflight.delete(`${key}\u0000${k}`);
          });
          own.push(p);
        }
      };
      for (let k = task.from; k < task.to; k++) {
        const cached = this.cache.get(key, k) !== undefined;
        const running = cached ? undefined : this.inflight.get(`${key}\u0000${k}`);
        if (cached || running !== undefined) {
          if (running !== undefined) waits.push(running);
          if (start >= 0) launch(start, k);
          start = -1;
        } else if (start < 0) {
          start = k;
        }
      }
      if (start >= 0) launch(start, task.to);
      if (waits.length > 0 || own.length > 0) {
        const results = await Promise.allSettled(own);
        for (const r of results) if (r.status === "rejected") throw r.reason;
        await Promise.all(waits);
      }
      const found: MethodOutcome[] = [];
      for (let k = task.from; k < task.to; k++) {
        const o = this.cache.get(key, k);
        if (o === undefined) break;
        found.push(o);
      }
      if (found.length === task.to - task.from) return found;
      // Outcomes another run was computing were withdrawn (or evicted): look again.
    }
  }
}
