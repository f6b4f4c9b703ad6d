/** `advtransfer sweep --shard` and `advtransfer merge`: the built CLI as a process. */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { cli, smallSweepWorkspace } from "./harness.js";

const { d, config, base, read, runBase } = smallSweepWorkspace();

beforeAll(runBase);

describe("advtransfer sweep --shard and merge", () => {
  it("shards merged equal a single run", () => {
    const cluster = join(d, "cluster");
    for (const i of [1, 2, 3]) {
      const r = cli("sweep", "--config", config, "--out", cluster, "--shard", `${i}/3`, "--workers", "1");
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`shard ${i}/3 \\(2 cells\\)`));
    }
    expect(existsSync(join(cluster, "summary.csv"))).toBe(false);
    const merged = cli("merge", "--out", cluster, "--no-svg");
    expect(merged.code, merged.stderr).toBe(0);
    expect(merged.stdout).toMatch(/merged 3 file\(s\), 6 of 6 cells/);
    expect(read(cluster, "summary.csv")).toBe(read(base, "summary.csv"));
    expect(read(cluster, "summary.json")).toBe(read(base, "summary.json"));
    // merging two of the three shards reports the missing cells and summarises the rest
    const partial = cli("merge", join(cluster, "results.shard-1-of-3.jsonl"), join(cluster, "results.shard-3-of-3.jsonl"), "--out", join(d, "partial"), "--config", config, "--no-svg");
    expect(partial.code, partial.stderr).toBe(0);
    expect(partial.stderr).toMatch(/2 of 6 cells have no results yet \(cells 1, 4\)/);
    expect(JSON.parse(read(join(d, "partial"), "summary.json"))).toMatchObject({ complete: false, missingCells: [1, 4] });
  });
});
