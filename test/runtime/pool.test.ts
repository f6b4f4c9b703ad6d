import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { type Executor as ReplicateExecutor, InProcessExecutor } from "../../src/experiment/executor.js";
import { PoolExecutor } from "../../src/runtime/pool.js";
import { readResultsFile, writeResultsFile } from "../../src/runtime/resultsFile.js";
import { runSweep } from "../../src/runtime/sweepRunner.js";
import { axesFromSpec, writeSweepOutputs } from "../../src/runtime/sweepOutputs.js";
import { fakeRegistry, planFake, TWO_AXIS_SWEEP } from "../fixtures/fakeSweep.js";

const tmp = () => mkdtempSync(join(tmpdir(), "advtransfer-pool-"));
const SWEEP = { ...TWO_AXIS_SWEEP, replicates: 200 };

/** Runs the sweep with `executor`; returns the sorted results file and the summary tables. */
async function run(executor: ReplicateExecutor): Promise<{ results: string; csv: string; json: string }> {
  const d = tmp();
  const { plan, hash } = planFake(SWEEP);
  try {
    await runSweep({ plan, configHash: hash, code: "test-build", executor, resultsFile: join(d, "results.jsonl") });
  } finally {
    await executor.close();
  }
  const records = readResultsFile(join(d, "results.jsonl")).records.map((r) => r.record);
  writeResultsFile(join(d, "sorted.jsonl"), records);
  await writeSweepOutputs(d, records, axesFromSpec(plan.spec), { svg: false });
  const read = (f: string) => readFileSync(join(d, f), "utf8");
  return { results: read("sorted.jsonl"), csv: read("summary.csv"), json: read("summary.json") };
}

describe("PoolExecutor (piscina, compiled worker)", () => {
  it("gives byte-identical results and aggregates with 1 and 2 worker threads and in-process", async () => {
    const one = await run(new PoolExecutor(1));
    const two = await run(new PoolExecutor(2));
    const inProcess = await run(new InProcessExecutor(fakeRegistry()));
    expect(two.results).toBe(one.results);
    expect(two.csv).toBe(one.csv);
    expect(two.json).toBe(one.json);
    expect(inProcess.results).toBe(one.results);
    // header + 12 cells x 3 methods x 2 metrics + the empty string after the final newline
    expect(one.csv.split("\n")).toHaveLength(1 + 12 * 3 * 2 + 1);
  });

  it("reports a family error from a worker as a rejected sweep", async () => {
    const d = tmp();
    const { plan, hash } = planFake(SWEEP);
    const pool = new PoolExecutor(2);
    try {
      await expect(
        runSweep({ plan: { ...plan, family: "missing" }, configHash: hash, code: "test-build", executor: pool, resultsFile: join(d, "r.jsonl") }),
      ).rejects.toThrow(/family = "missing": must be one of "mixture", "two-layer", "regression", "fake"/);
    } finally {
      await pool.close();
    }
  });
});
