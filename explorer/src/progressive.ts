/**
 * A sweep run in stages of growing replicate counts, so the first picture comes from a few
 * replicates and refines: stage R runs replicates [R_prev, R) of every cell through the engine
 * (executePlan with the previous records as partial records), and every finished cell is
 * reported at once. Replicate k depends on (seed, k) only, so the record of a cell after stage R
 * is the record of a sweep run with R replicates. Pure: no DOM.
 */
import type { CellRecord } from "../../src/experiment/cellRecord.js";
import { executePlan } from "../../src/experiment/engine.js";
import type { Executor } from "../../src/experiment/executor.js";
import type { SweepPlan } from "../../src/experiment/sweepPlan.js";
import type { ReplicateTask } from "../../src/experiment/task.js";

/**
 * The replicate counts of the stages: 4, 16, 50, 100, 200, 400, 800, ... below R, then R.
 * @example replicateStages(200) // [4, 16, 50, 100, 200]
 * @example replicateStages(30) // [4, 16, 30]
 */
export function replicateStages(R: number): number[] {
  if (!(Number.isInteger(R) && R >= 1)) throw new RangeError(`replicateStages: R = ${R} is not a positive integer`);
  const stages: number[] = [];
  const steps = [4, 16, 50, 100];
  for (let s = 200; s < R; s *= 2) steps.push(s);
  for (const s of steps) if (s < R) stages.push(s);
  stages.push(R);
  return stages;
}

export interface ProgressiveOptions {
  readonly plan: SweepPlan;
  readonly configHash: string;
  /** Stored in the records (the CLI stores its code fingerprint there). */
  readonly code: string;
  readonly executor: Executor;
  /** Ascending replicate counts, the last the plan's (default replicateStages(plan.replicates)). */
  readonly stages?: readonly number[];
  /** Records to continue from (a cell's record with R' replicates skips the stages up to R'). */
  readonly initial?: readonly CellRecord[];
  /** Stops the run: no new task starts; the promise rejects with the reason. */
  readonly signal?: AbortSignal;
  /**
   * Called at the start of each stage with the stage's tasks, one per cell (replicates
   * [have, R)), before the engine asks for them: an executor may start them in a better order
   * (MethodCacheExecutor.prefetch groups them by replicate).
   */
  readonly prefetch?: (tasks: readonly ReplicateTask[]) => void;
  /** Every finished cell of every stage, at once. */
  readonly onCell?: (record: CellRecord, stage: number) => void;
  /** After each stage, with the records so far (by cell index). */
  readonly onStage?: (stage: number, records: readonly CellRecord[]) => void;
}

/**
 * Runs the stages in turn and resolves with the records of the last (by cell index). After an
 * abort nothing more is reported (not even cells that tasks already running complete).
 */
export async function runProgressively(options: ProgressiveOptions): Promise<CellRecord[]> {
  const { plan } = options;
  const stages = options.stages ?? replicateStages(plan.replicates);
  if (stages.length === 0 || stages[stages.length - 1] !== plan.replicates || stages.some((s, i) => i > 0 && !(s > stages[i - 1]))) {
    throw new RangeError(`runProgressively: stages ${stages.join(", ")} must ascend to R = ${plan.replicates}`);
  }
  const records = new Map<number, CellRecord>();
  for (const r of options.initial ?? []) {
    if (r.replicates > plan.replicates) throw new RangeError(`runProgressively: the record of cell ${r.cell} has ${r.replicates} > ${plan.replicates} replicates`);
    records.set(r.cell, r);
  }
  const tasksFor = (cells: readonly number[], from: (c: number) => number, to: number): ReplicateTask[] =>
    cells.map((c) => ({ family: plan.family, plugins: plan.plugins, config: plan.cells[c].familyConfig, seed: plan.seed, cell: c, from: from(c), to }));
  for (let s = 0; s < stages.length; s++) {
    const R = stages[s];
    const partial = new Map<number, CellRecord>();
    const cells: number[] = [];
    plan.cells.forEach((_, c) => {
      const have = records.get(c);
      if (have === undefined || have.replicates < R) cells.push(c);
      if (have !== undefined && have.replicates < R) partial.set(c, have);
    });
    options.prefetch?.(tasksFor(cells, (c) => partial.get(c)?.replicates ?? 0, R));
    // The next stage's replicates queue behind this stage's, so the workers go on into them while
    // this stage's last tasks finish and its records are drawn (no idle worker at the stage's end).
    if (s + 1 < stages.length) {
      const next = stages[s + 1];
      options.prefetch?.(tasksFor(plan.cells.map((_, c) => c), (c) => Math.max(R, Math.min(next, records.get(c)?.replicates ?? 0)), next));
    }
    await executePlan({
      plan: { ...plan, replicates: R },
      configHash: options.configHash,
      code: options.code,
      executor: options.executor,
      cells,
      partial,
      // One task per cell and stage: the executor splits it into methods and chunks.
      chunkSize: R,
      signal: options.signal,
      onCell: (record) => {
        // The engine still reports cells that running tasks complete after an abort: stale, dropped.
        if (options.signal?.aborted) return;
        records.set(record.cell, record);
        options.onCell?.(record, R);
      },
    });
    options.onStage?.(R, [...records.values()].sort((a, b) => a.cell - b.cell));
  }
  return [...records.values()].sort((a, b) => a.cell - b.cell);
}
