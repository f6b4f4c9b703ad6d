/** The execution engine: chunking, completion order and cancellation change no number, and finished cells are never lost. */
import { describe, expect, it } from "vitest";
import type { CellRecord } from "../../src/experiment/cellRecord.js";
import { executePlan } from "../../src/experiment/engine.js";
import { type Executor, InProcessExecutor } from "../../src/experiment/executor.js";
import type { ReplicateTask } from "../../src/experiment/task.js";
import { fakeRegistry, planFake, TWO_AXIS_SWEEP } from "../fixtures/fakeSweep.js";

const { plan, hash } = planFake(TWO_AXIS_SWEEP);
const run = (executor: Executor, extra: Partial<Parameters<typeof executePlan>[0]> = {}) =>
  executePlan({ plan, configHash: hash, code: "engine-test", executor, ...extra });

/** Completes tasks in reverse submission order within each window. */
class ReversingExecutor implements Executor {
  readonly workers = 3;
  private readonly inner = new InProcessExecutor(fakeRegistry());
  private held: (() => void)[] = [];
  async run(task: ReplicateTask) {
    const res = await this.inner.run(task);
    await new Promise<void>((resolve) => {
      this.held.push(resolve);
      if (this.held.length >= 2) {
        const all = this.held.reverse();
        this.held = [];
        all.forEach((f) => f());
      } else setTimeout(() => { const rest = this.held; this.held = []; rest.forEach((f) => f()); }, 2);
    });
    return res;
  }
  close() {
    return this.inner.close();
  }
}

describe("executePlan", () => {
  it("gives the same records for any chunk size and completion order, sorted by cell, each reported once", async () => {
    const reference = JSON.stringify(await run(new InProcessExecutor(fakeRegistry())));
    for (const chunkSize of [1, 7, 30]) expect(JSON.stringify(await run(new InProcessExecutor(fakeRegistry()), { chunkSize }))).toBe(reference);
    const seen: number[] = [];
    const records = await run(new ReversingExecutor(), { chunkSize: 4, onCell: (r) => seen.push(r.cell) });
    expect(JSON.stringify(records)).toBe(reference);
    expect([...seen].sort((a, b) => a - b)).toEqual(plan.cells.map((_, i) => i));
  });

  it("runs only the cells asked for, and reports progress up to every replicate", async () => {
    let last = [0, 0];
    const records = await run(new InProcessExecutor(fakeRegistry()), { cells: [5, 2], onProgress: (r, c) => (last = [r, c]) });
    expect(records.map((r) => r.cell)).toEqual([2, 5]);
    expect(last).toEqual([2 * plan.replicates, 2]);
  });

  it("on an abort stops submitting, keeps every finished cell, and rejects with the reason", async () => {
    const controller = new AbortController();
    const finished: CellRecord[] = [];
    const promise = run(new InProcessExecutor(fakeRegistry()), {
      chunkSize: 10,
      signal: controller.signal,
      onCell: (r) => {
        finished.push(r);
        if (finished.length === 2) controller.abort(new Error("stop here"));
      },
    });
    await expect(promise).rejects.toThrow("stop here");
    expect(finished.length).toBeGreaterThanOrEqual(2);
    expect(finished.length).toBeLessThan(plan.cells.length);
  });

  it("rejects with a task's error and refuses a cell outside the plan", async () => {
    const failing: Executor = { workers: 1, run: () => Promise.reject(new Error("boom")), close: async () => undefined };
    await expect(run(failing)).rejects.toThrow("boom");
    await expect(run(new InProcessExecutor(fakeRegistry()), { cells: [99] })).rejects.toThrow(RangeError);
  });
});
