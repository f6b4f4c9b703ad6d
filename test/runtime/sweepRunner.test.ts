import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { CellRecord } from "../../src/experiment/cellRecord.js";
import { summariseRecords } from "../../src/experiment/cellSummary.js";
import { rootRng } from "../../src/core/random/rng.js";
import { type Executor as ReplicateExecutor, InProcessExecutor } from "../../src/experiment/executor.js";
import type { ReplicateTask } from "../../src/experiment/task.js";
import { readResultsFile, readResultsFiles, ResultsFileError } from "../../src/runtime/resultsFile.js";
import { runSweep } from "../../src/runtime/sweepRunner.js";
import { axesFromSpec, writeSweepOutputs } from "../../src/runtime/sweepOutputs.js";
import { fakeRegistry, planFake, TWO_AXIS_SWEEP } from "../fixtures/fakeSweep.js";

const tmp = () => mkdtempSync(join(tmpdir(), "advtransfer-sweep-"));

/** Runs tasks in this thread but completes them in a scrambled order (seeded delays). */
class ScrambledExecutor implements ReplicateExecutor {
  readonly workers = 4;
  private readonly inner = new InProcessExecutor(fakeRegistry());
  private readonly rng = rootRng("scramble");
  async run(task: ReplicateTask) {
    const res = await this.inner.run(task);
    await new Promise((r) => setTimeout(r, Math.floor(this.rng.uniform() * 8)));
    return res;
  }
  close() {
    return this.inner.close();
  }
}

async function outputsOf(records: readonly CellRecord[], raw: unknown): Promise<{ csv: string; json: string }> {
  const d = tmp();
  const { plan } = planFake(raw);
  await writeSweepOutputs(d, records, axesFromSpec(plan.spec), { svg: false });
  return { csv: readFileSync(join(d, "summary.csv"), "utf8"), json: readFileSync(join(d, "summary.json"), "utf8") };
}

async function runOnce(raw: unknown, file: string, extra: Partial<Parameters<typeof runSweep>[0]> = {}) {
  const { plan, hash } = planFake(raw);
  return runSweep({ plan, configHash: hash, code: "test-build", executor: new InProcessExecutor(fakeRegistry()), resultsFile: file, ...extra });
}

describe("runSweep", () => {
  it("writes one line per cell, and results do not depend on completion order or chunking", async () => {
    const d = tmp();
    const a = await runOnce(TWO_AXIS_SWEEP, join(d, "a.jsonl"));
    expect(a.ran).toBe(12);
    expect(readFileSync(join(d, "a.jsonl"), "utf8").trim().split("\n")).toHaveLength(12);
    const b = await runOnce(TWO_AXIS_SWEEP, join(d, "b.jsonl"), { executor: new ScrambledExecutor(), chunkSize: 7 });
    expect(b.records).toEqual(a.records);
    const oa = await outputsOf(a.records, TWO_AXIS_SWEEP);
    const ob = await outputsOf(readResultsFile(join(d, "b.jsonl")).records.map((r) => r.record), TWO_AXIS_SWEEP);
    expect(ob.csv).toBe(oa.csv);
    expect(ob.json).toBe(oa.json);
  });

  it("an interrupted sweep resumed from its results file ends with the same results", async () => {
    const d = tmp();
    const full = await runOnce(TWO_AXIS_SWEEP, join(d, "full.jsonl"));
    const file = join(d, "cut.jsonl");
    const stop = new AbortController();
    let written = 0;
    await expect(
      runOnce(TWO_AXIS_SWEEP, file, {
        executor: new ScrambledExecutor(),
        signal: stop.signal,
        onCellWritten: () => {
          if (++written === 5) stop.abort(new Error("killed"));
        },
      }),
    ).rejects.toThrow();
    const partialText = readFileSync(file, "utf8");
    const kept = partialText.trim().split("\n").length;
    expect(kept).toBeGreaterThanOrEqual(5);
    expect(kept).toBeLessThan(12);
    // A kill in the middle of a write leaves half a line behind.
    appendFileSync(file, JSON.stringify(full.records[11]).slice(0, 80));
    const warnings: string[] = [];
    const resumed = await runOnce(TWO_AXIS_SWEEP, file, { warn: (w) => warnings.push(w) });
    expect(warnings.join("\n")).toMatch(/discarded an incomplete last line/);
    expect(resumed.resumed).toBe(kept);
    expect(resumed.ran).toBe(12 - kept);
    expect(resumed.records).toEqual(full.records);
    const fromFile = readResultsFile(file);
    expect(fromFile.warnings).toEqual([]);
    const o1 = await outputsOf(full.records, TWO_AXIS_SWEEP);
    const o2 = await outputsOf(fromFile.records.map((r) => r.record), TWO_AXIS_SWEEP);
    expect(o2.csv).toBe(o1.csv);
    expect(o2.json).toBe(o1.json);
  });

  it("shards 1/3, 2/3, 3/3 merged equal a single run", async () => {
    const d = tmp();
    const single = await runOnce(TWO_AXIS_SWEEP, join(d, "single.jsonl"));
    const files = [1, 2, 3].map((i) => join(d, `shard-${i}.jsonl`));
    for (let i = 1; i <= 3; i++) {
      const r = await runOnce(TWO_AXIS_SWEEP, files[i - 1], { shard: { index: i, count: 3 } });
      expect(r.records.map((x) => x.cell)).toEqual([i - 1, i + 2, i + 5, i + 8]);
    }
    const merged = readResultsFiles(files).records;
    expect(merged).toEqual(single.records);
    expect(summariseRecords(merged)).toEqual(summariseRecords(single.records));
  });

  it("refuses to resume a results file written by a different config", async () => {
    const d = tmp();
    const file = join(d, "r.jsonl");
    await runOnce(TWO_AXIS_SWEEP, file);
    const before = readFileSync(file, "utf8");
    await expect(runOnce({ ...TWO_AXIS_SWEEP, seed: 12 }, file)).rejects.toThrow(ResultsFileError);
    await expect(runOnce({ ...TWO_AXIS_SWEEP, seed: 12 }, file)).rejects.toThrow(/r\.jsonl:1: written by a different sweep config/);
    expect(readFileSync(file, "utf8")).toBe(before);
    // --no-resume starts over
    const fresh = await runOnce({ ...TWO_AXIS_SWEEP, seed: 12 }, file, { resume: false });
    expect(fresh.ran).toBe(12);
  });

  it("refuses to resume results computed by a different build (code fingerprint)", async () => {
    const file = join(tmp(), "r.jsonl");
    await runOnce(TWO_AXIS_SWEEP, file, { code: "build-a" });
    await expect(runOnce(TWO_AXIS_SWEEP, file, { code: "build-b" })).rejects.toThrow(/r\.jsonl:1: computed by a different build of advtransfer \(code build-a, this build build-b\)/);
    expect((await runOnce(TWO_AXIS_SWEEP, file, { code: "build-a" })).resumed).toBe(12);
  });

  it("a malformed line in the results file stops the sweep before any work, naming file and line", async () => {
    const d = tmp();
    const file = join(d, "r.jsonl");
    await runOnce(TWO_AXIS_SWEEP, file);
    const lines = readFileSync(file, "utf8").split("\n");
    lines[3] = lines[3].replace('"replicates":30', '"replicates":"thirty"');
    writeFileSync(file, lines.join("\n"));
    await expect(runOnce(TWO_AXIS_SWEEP, file)).rejects.toThrow(/r\.jsonl:4: not a sweep cell record: replicates/);
    expect(readFileSync(file, "utf8")).toBe(lines.join("\n"));
  });

  it("checks every cell's config before running any", () => {
    const bad = structuredClone(TWO_AXIS_SWEEP);
    bad.sweep[0].values = [0.5, 1, -2];
    // (the fake family throws its own error class named ConfigError; real families throw model/parse's)
    expect(() => planFake(bad)).toThrow(/scenario\.sd = -2/);
  });

  // Common random numbers (docs/ARCHITECTURE.md, "Sweeps"): replicate k of every cell uses
  // replicateRng(seed, k), so the fake family's z is shared, and value - mu - shift is the same
  // number sd * z in every cell with the same sd.
  it("uses common random numbers across cells", async () => {
    const { records } = await runOnce(TWO_AXIS_SWEEP, join(tmp(), "r.jsonl"));
    const sdOne = records.filter((r) => r.point["scenario.sd"] === 1);
    expect(sdOne).toHaveLength(4);
    const noise = (r: CellRecord) => (r.methods[0].metrics.value as number[]).map((v) => v - (r.point.mu as number));
    for (const r of sdOne) noise(r).forEach((x, k) => expect(x).toBeCloseTo(noise(sdOne[0])[k], 12));
    // and the fragile method fails in exactly the replicates where z < -1
    const z = noise(sdOne[0]);
    expect(sdOne[2].methods[2].failures.map((f) => f.replicate)).toEqual(z.flatMap((x, k) => (x < -1 ? [k] : [])));
  });
});
