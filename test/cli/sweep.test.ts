/** `advtransfer sweep` and `plot` as a user runs them: the built CLI as a process. */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { SMALL_SWEEP as SMALL, cli, smallSweepWorkspace } from "./harness.js";

const { d, config, base, read, runBase } = smallSweepWorkspace();

beforeAll(runBase);

describe("advtransfer sweep", () => {
  it("writes results, tables and figures; 1 and 2 worker threads give the outputs of a run without threads, byte for byte", () => {
    expect(JSON.parse(read(base, "sweep.json"))).toEqual(SMALL);
    expect(read(base, "figures/sinTheta.svg").startsWith("<svg")).toBe(true);
    const w1 = cli("sweep", "--config", config, "--out", join(d, "w1"), "--workers", "1", "--no-svg");
    const w2 = cli("sweep", "--config", config, "--out", join(d, "w2"), "--workers", "2", "--no-svg");
    expect(w2.code, w2.stderr).toBe(0);
    expect(w2.stdout).toMatch(/6 cells x 24 replicates: 6 run, 0 resumed/);
    for (const f of ["summary.csv", "summary.json", "figures/sinTheta.vl.json"]) {
      expect(read(join(d, "w1"), f), f).toBe(read(base, f));
      expect(read(join(d, "w2"), f), f).toBe(read(base, f));
    }
    expect(existsSync(join(d, "w2", "figures/sinTheta.svg"))).toBe(false);
    expect(w1.code).toBe(0);
  });

  it("plot redraws the tables and figures from a results file", () => {
    const r = cli("plot", join(base, "results.jsonl"), "--out", join(d, "replot"));
    expect(r.code, r.stderr).toBe(0);
    expect(read(join(d, "replot"), "figures/targetExcess.svg")).toBe(read(base, "figures/targetExcess.svg"));
    expect(read(join(d, "replot"), "summary.csv")).toBe(read(base, "summary.csv"));
  });
});
