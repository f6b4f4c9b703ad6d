/**
 * The execution engine: every run, sweep, bound check and rate fit goes through executePlan.
 * It splits the chosen cells of a plan into replicate tasks, schedules them on an executor,
 * assembles each finished cell into a CellRecord and hands it to `onCell` at once (the runtime
 * appends it to the results file there). Pure: promises only, no I/O.
 *
 * Tasks go to the executor through a window of two per worker: enough to keep every worker busy,
 * and on an abort or an error only the tasks already running are waited for (their cells are
 * still completed and reported); nothing running is killed, so no worker is left mid-task.
 */
import { type CellRecord, buildCellRecord, recordReplicates } from "./cellRecord.js";
import type { Executor } from "./executor.js";
import type { ReplicateResult } from "./family.js";
import { replicateChunks } from "./shard.js";
import type { SweepPlan } from "./sweepPlan.js";

export interface ExecutePlanOptions {
  readonly plan: SweepPlan;
  /** Stored in every record: the sweep's config hash and the program's fingerprint. */
  readonly configHash: string;
  readonly code: string;
  readonly executor: Executor;
  /** Cells to run (default: all), in the order their tasks are submitted. */
  readonly cells?: readonly number[];
  /**
   * Records of some of those cells with fewer replicates than the plan's (a sweep grown with a
   * larger replicate count): only the missing replicates run, and the record is extended.
   */
  readonly partial?: ReadonlyMap<number, CellRecord>;
  /** Replicates per task; default ceil(R / (4 workers)), which balances load without much overhead. */
  readonly chunkSize?: number;
  /** Stops submitting tasks; running ones finish and their cells are reported; then rejects with the reason. */
  readonly signal?: AbortSignal;
  /** Called once per finished cell, in completion order. An exception here stops the run like a failed task. */
  readonly onCell?: (record: CellRecord) => void;
  /** Called after every finished task with the replicates and cells done so far in this call. */
  readonly onProgress?: (doneReplicates: number, doneCells: number) => void;
}

/**
 * Runs the cells and resolves with their records sorted by cell index. On an error or an abort
 * no new task starts, the running ones finish (a cell they complete is still reported through
 * `onCell`), and the promise rejects with the error (or the abort reason).
 */
export async function executePlan(options: ExecutePlanOptions): Promise<CellRecord[]> {
  const { plan, executor } = options;
  const R = plan.replicates;
  const cells = options.cells ?? plan.cells.map((_, i) => i);
  const chunkSize = options.chunkSize ?? Math.max(1, Math.ceil(R / (4 * executor.workers)));
  const queue: { cell: number; from: number; to: number }[] = [];
  const pending = new Map<number, { results: ReplicateResult[]; remaining: number }>();
  for (const c of cells) {
    if (!Number.isInteger(c) || c < 0 || c >= plan.cells.length) throw new RangeError(`executePlan: cell ${c} outside [0, ${plan.cells.length})`);
    const partial = options.partial?.get(c);
    if (partial !== undefined && !(partial.replicates < R)) throw new RangeError(`executePlan: the partial record of cell ${c} has ${partial.replicates} >= ${R} replicates`);
    const start = partial?.replicates ?? 0;
    const chunks = replicateChunks(R - start, chunkSize).map((ch) => ({ from: ch.from + start, to: ch.to + start }));
    pending.set(c, { results: partial === undefined ? [] : recordReplicates(partial), remaining: chunks.length });
    for (const chunk of chunks) queue.push({ cell: c, from: chunk.from, to: chunk.to });
  }
  const window = Math.max(1, 2 * executor.workers);
  const records: CellRecord[] = [];
  let doneReplicates = 0;

  const finishChunk = (cell: number, res: ReplicateResult[]) => {
    const state = pending.get(cell)!;
    state.results.push(...res);
    doneReplicates += res.length;
    state.remaining -= 1;
    if (state.remaining === 0) {
      const planned = plan.cells[cell];
      const record = buildCellRecord(
        { configHash: options.configHash, code: options.code, family: plan.family, seed: plan.seed, cell, cells: plan.cells.length, point: planned.cell.point, params: planned.cell.params },
        planned.methodLabels,
        state.results,
      );
      pending.delete(cell);
      options.onCell?.(record);
      records.push(record);
    }
    options.onProgress?.(doneReplicates, records.length);
  };

  let onAbort: (() => void) | null = null;
  try {
    await new Promise<void>((resolve, reject) => {
      let next = 0;
      let active = 0;
      let failure: { error: unknown } | null = null;
      const stop = (error: unknown) => {
        if (failure === null) failure = { error };
      };
      const pump = () => {
        while (failure === null && active < window && next < queue.length) {
          const item = queue[next++];
          const planned = plan.cells[item.cell];
          active += 1;
          executor
            .run({ family: plan.family, plugins: plan.plugins, config: planned.familyConfig, seed: plan.seed, cell: item.cell, from: item.from, to: item.to })
            .then((res) => finishChunk(item.cell, res))
            .catch(stop)
            .finally(() => {
              active -= 1;
              pump();
            });
        }
        if (active === 0 && (failure !== null || next >= queue.length)) {
          if (failure !== null) reject((failure as { error: unknown }).error);
          else resolve();
        }
      };
      if (options.signal) {
        const signal = options.signal;
        onAbort = () => {
          stop(signal.reason ?? new Error("aborted"));
          pump();
        };
        if (signal.aborted) stop(signal.reason ?? new Error("aborted"));
        else signal.addEventListener("abort", onAbort, { once: true });
      }
      pump();
    });
  } finally {
    if (onAbort !== null) options.signal?.removeEventListener("abort", onAbort);
  }
  return records.sort((a, b) => a.cell - b.cell);
}
