/**
 * The example plugin (examples/plugins/noiseThreshold.mjs, written against the public API) through
 * the CLI: `run` with --plugin, `sweep` in this thread, on 2 worker threads and as 2 shards merged
 * give the same numbers; a config's `plugins` list works like --plugin; bad plugins are one line.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli } from "./harness.js";

const PLUGIN = join(__dirname, "../../examples/plugins/noiseThreshold.mjs");
const SCENARIO = { d: 60, s: 6, r: 2, T: 8, n: 40, n0: 10 };
const METHODS = [{ label: "standard" }, { label: "nt", estimator: "noise-threshold", c: 3 }];

describe("the example plugin estimator", () => {
  it("runs with --plugin, with the same numbers in this thread and on 2 worker threads", () => {
    const args = ["run", "--plugin", PLUGIN, "--replicates", "12", "--scenario.d", "60", "--scenario.s", "6", "--scenario.r", "2", "--scenario.T", "8", "--method", "standard", "--method", "label=nt,estimator=noise-threshold,c=3", "--json", "--progress", "off"];
    const zero = cli(...args, "--workers", "0");
    expect(zero.stderr).toBe("");
    expect(zero.code).toBe(0);
    const two = cli(...args, "--workers", "2");
    expect(two.code).toBe(0);
    const summary = (s: string) => JSON.parse(s).summary;
    expect(summary(two.stdout)).toEqual(summary(zero.stdout));
    const nt = summary(zero.stdout).find((r: { method: string; metric: string }) => r.method === "nt" && r.metric === "sinTheta");
    const std = summary(zero.stdout).find((r: { method: string; metric: string }) => r.method === "standard" && r.metric === "sinTheta");
    // Thresholding at 3 noise sds on a sparse B* (s = 6 of d = 60) lowers sinTheta, as l-inf training does.
    expect(nt.mean).toBeLessThan(std.mean);
  });

  it("sweeps from a config's plugins list: in this thread, on 2 workers and as 2 merged shards, byte for byte", () => {
    // (The plugin imports "advtransfer", so it must stay where Node resolves the package: inside
    // the clone here, or in a project that has advtransfer installed.)
    const d = mkdtempSync(join(tmpdir(), "advtransfer-plugin-"));
    const config = join(d, "sweep.json");
    writeFileSync(config, JSON.stringify({ plugins: [PLUGIN], replicates: 10, seed: 4, scenario: SCENARIO, methods: METHODS, sweep: { "methods.nt.c": [2, 3, 4] } }));
    const read = (dir: string, f: string) => readFileSync(join(dir, f), "utf8");
    const base = join(d, "w0");
    expect(cli("sweep", "--config", config, "--out", base, "--workers", "0", "--no-svg", "--progress", "off").code).toBe(0);
    const two = join(d, "w2");
    expect(cli("sweep", "--config", config, "--out", two, "--workers", "2", "--no-svg", "--progress", "off").code).toBe(0);
    const sharded = join(d, "sh");
    for (const s of ["1/2", "2/2"]) expect(cli("sweep", "--config", config, "--out", sharded, "--shard", s, "--workers", "1", "--no-svg", "--progress", "off").code).toBe(0);
    const merged = cli("merge", "--out", sharded, "--no-svg");
    expect(merged.stderr).toBe("");
    expect(merged.code).toBe(0);
    // Cells are appended as they finish, so the results files are compared line by line in cell order.
    const lines = (dir: string) => read(dir, "results.jsonl").trim().split("\n").sort();
    expect(lines(two)).toEqual(lines(base));
    expect(lines(sharded)).toEqual(lines(base));
    for (const f of ["summary.csv", "summary.json"]) {
      expect(read(two, f)).toBe(read(base, f));
      expect(read(sharded, f)).toBe(read(base, f));
    }
    expect(read(base, "summary.csv")).toMatch(/noise-threshold|,nt,/);
  });

  it.each([
    [["--plugin", "/no/such/plugin.mjs"], /--plugin\[0\] = "\/no\/such\/plugin.mjs": no such plugin file/],
    [["--plugin", __filename], /plugins\[0\] = .*cannot be imported|default export must be a function/],
  ])("a bad plugin %j is one line with exit code 2", (args, pattern) => {
    const r = cli("run", "--replicates", "1", ...(args as string[]));
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(pattern);
  });
});
