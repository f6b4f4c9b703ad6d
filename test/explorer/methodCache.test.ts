/**
 * The explorer's compute path (explorer/src/methodCache.ts, progressive.ts) against the library's
 * own: records bit for bit equal to runSweep's, whatever the chunking, the worker count, the
 * completion order and the cancellations on the way.
 */
import { describe, expect, it } from "vitest";
import { canonicalJson } from "../../src/core/config/canonicalJson.js";
import type { CellRecord } from "../../src/experiment/cellRecord.js";
import { InProcessExecutor } from "../../src/experiment/executor.js";
import type { ReplicateResult } from "../../src/experiment/family.js";
import { planSweepConfig, runSweep } from "../../src/experiment/run.js";
import type { ReplicateTask } from "../../src/experiment/task.js";
import { createDefaultRegistry } from "../../src/families/index.js";
import { CancelledError, MethodCacheExecutor, OutcomeCache, type TaskExecutor } from "../../explorer/src/methodCache.js";
import { replicateStages, runProgressively } from "../../explorer/src/progressive.js";

const registry = createDefaultRegistry();

/** A small eps sweep with all five demonstration methods (SSL takes m from the scenario). */
function epsSweep(replicates: number): Record<string, unknown> {
  return {
    family: "mixture",
    seed: 11,
    replicates,
    scenario: { d: 60, s: 8, r: 2, T: 6, n: 20, m: 40, n0: 10 },
    methods: [
      { label: "standard" },
      { label: "linf", attack: "linf", eps: 0 },
      { label: "l2", attack: "l2", eps: 0 },
      { label: "ssl", ssl: {} },
      { label: "ssl+linf", attack: "linf", eps: 0, ssl: {} },
    ],
    sweep: [{ param: ["methods.linf.eps", "methods.l2.eps", "methods.ssl+linf.eps"], values: [0, 0.1, 0.2, 0.3], name: "eps" }],
  };
}

/** An executor that runs tasks in this thread, completing them in a scrambled order, and counts the work. */
class ScrambledExecutor implements TaskExecutor {
  readonly workers: number;
  private readonly runner = new InProcessExecutor(registry);
  methodReplicates = 0;
  tasks = 0;
  private turn = 0;
  constructor(workers: number) {
    this.workers = workers;
  }
  async run(task: ReplicateTask, signal?: AbortSignal): Promise<ReplicateResult[]> {
    this.tasks += 1;
    // Later tasks may finish first: wait 0-3 macrotasks, chosen by a fixed cycle.
    const waits = [3, 0, 2, 1][this.turn++ % 4];
    for (let i = 0; i < waits; i++) await new Promise((r) => setTimeout(r, 0));
    if (signal?.aborted) throw new CancelledError();
    const res = await this.runner.run(task);
    const methods = (task.config as { methods?: unknown[] }).methods?.length ?? 1;
    this.methodReplicates += res.length * methods;
    return res;
  }
}

const strip = (records: readonly CellRecord[]) => records.map((r) => canonicalJson({ ...r, code: "-" }));

describe("the method cache executor", () => {
  it("gives runSweep's records bit for bit, fitting methods shared by cells once", async () => {
    const raw = epsSweep(6);
    const expected = await runSweep(raw, { registry });
    const { plan, configHash } = planSweepConfig(raw, registry);
    const inner = new ScrambledExecutor(2);
    const exec = new MethodCacheExecutor(inner, new OutcomeCache(), { chunk: () => 4 });
    const records = await runProgressively({ plan, configHash, code: "library", executor: exec, stages: [2, 5, 6] });
    expect(strip(records)).toEqual(strip(expected.records));
    expect(records[0].configHash).toBe(expected.configHash);
    // standard and ssl once per replicate, the three swept methods once per cell and replicate.
    expect(inner.methodReplicates).toBe(6 * (2 + 4 * 3));
  });

  it("the same records for any chunk size, worker count and stages", async () => {
    const raw = epsSweep(5);
    const expected = strip((await runSweep(raw, { registry })).records);
    const { plan, configHash } = planSweepConfig(raw, registry);
    for (const [workers, chunk, stages] of [[1, 1, [5]], [3, 2, [1, 2, 3, 4, 5]], [2, 32, replicateStages(5)]] as const) {
      const exec = new MethodCacheExecutor(new ScrambledExecutor(workers), new OutcomeCache(), { chunk: () => chunk });
      const records = await runProgressively({ plan, configHash, code: "library", executor: exec, stages: [...stages] });
      expect(strip(records)).toEqual(expected);
    }
  });

  it("a cancelled run reports nothing after its abort, and the next run on the same cache is exact", async () => {
    const raw = epsSweep(8);
    const expected = strip((await runSweep(raw, { registry })).records);
    const { plan, configHash } = planSweepConfig(raw, registry);
    const cache = new OutcomeCache();
    const inflight = new Map<string, Promise<unknown>>();
    const inner = new ScrambledExecutor(2);
    const controller = new AbortController();
    const stale = new MethodCacheExecutor(inner, cache, { signal: controller.signal, chunk: () => 1 }, inflight);
    let afterAbort = 0;
    let cells = 0;
    const first = runProgressively({
      plan,
      configHash,
      code: "library",
      executor: stale,
      signal: controller.signal,
      onCell: () => {
        cells += 1;
        if (controller.signal.aborted) afterAbort += 1;
        if (cells === 3) controller.abort(new CancelledError("control changed"));
      },
    });
    await expect(first).rejects.toThrow("control changed");
    expect(afterAbort).toBe(0);
    const fresh = new MethodCacheExecutor(inner, cache, { chunk: () => 3 }, inflight);
    const records = await runProgressively({ plan, configHash, code: "library", executor: fresh });
    expect(strip(records)).toEqual(expected);
  });

  it("drops the oldest keys beyond its bound", () => {
    const cache = new OutcomeCache(3);
    const o = { method: "m", ok: true, metrics: {} };
    cache.set("a", 0, o);
    cache.set("a", 1, o);
    cache.set("b", 0, o);
    cache.set("c", 0, o);
    expect(cache.get("a", 0)).toBeUndefined();
    expect(cache.get("b", 0)).toBe(o);
    expect(cache.outcomes).toBe(2);
  });
});

describe("replicateStages", () => {
  it("grows to R", () => {
    expect(replicateStages(200)).toEqual([4, 16, 50, 100, 200]);
    expect(replicateStages(1000)).toEqual([4, 16, 50, 100, 200, 400, 800, 1000]);
    expect(replicateStages(3)).toEqual([3]);
    expect(() => replicateStages(0)).toThrow(RangeError);
  });
});
