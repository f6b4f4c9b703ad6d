/** Killing a sweep process mid-way and resuming it ends with the results of an uninterrupted run. */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const CLI = join(__dirname, "../../dist/src/cli/main.js");

/** 8 cells of about 0.1 s each on two threads (the sample-level sampler is the slow path). */
const SLOW = {
  family: "mixture",
  replicates: 40,
  seed: 5,
  scenario: { d: 200, s: 10, r: 2, T: 10, n: 20, m: 100, n0: 10 },
  sampler: "sample",
  methods: [{ label: "standard" }, { label: "linf", attack: "linf", eps: 0.2 }, { label: "ssl", ssl: {} }],
  sweep: [
    { param: "methods.linf.eps", values: [0, 0.15, 0.3, 0.45], name: "eps" },
    { param: "scenario.s", values: [10, 200], name: "s" },
  ],
};

const lineCount = (file: string) => (existsSync(file) ? readFileSync(file, "utf8").split("\n").length - 1 : 0);

/** Starts a sweep and sends `signal` once the results file has `after` lines; resolves with the exit code. */
function interrupted(args: string[], file: string, after: number, signal: NodeJS.Signals): Promise<{ code: number | null; signal: string | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (b) => (stderr += b));
    const poll = setInterval(() => {
      if (lineCount(file) >= after) {
        clearInterval(poll);
        child.kill(signal);
      }
    }, 20);
    child.on("exit", (code, sig) => {
      clearInterval(poll);
      resolve({ code, signal: sig, stderr });
    });
  });
}

describe("interrupted sweeps", () => {
  const d = mkdtempSync(join(tmpdir(), "advtransfer-interrupt-"));
  const config = join(d, "slow.json");
  writeFileSync(config, JSON.stringify(SLOW));
  const reference = join(d, "reference");
  const ref = spawnSync(process.execPath, [CLI, "sweep", "--config", config, "--out", reference, "--workers", "2", "--no-svg"], { encoding: "utf8" });

  it("SIGKILL mid-way, then the same command: the same results as an uninterrupted run", async () => {
    expect(ref.status, ref.stderr).toBe(0);
    const out = join(d, "killed");
    const file = join(out, "results.jsonl");
    const killed = await interrupted(["sweep", "--config", config, "--out", out, "--workers", "2", "--no-svg"], file, 3, "SIGKILL");
    expect(killed.signal).toBe("SIGKILL");
    const kept = lineCount(file);
    expect(kept).toBeGreaterThanOrEqual(3);
    expect(kept).toBeLessThan(8);
    const resumed = spawnSync(process.execPath, [CLI, "sweep", "--config", config, "--out", out, "--workers", "2", "--no-svg"], { encoding: "utf8" });
    expect(resumed.status, resumed.stderr).toBe(0);
    expect(resumed.stdout).toContain(`${8 - kept} run, ${kept} resumed`);
    for (const f of ["summary.csv", "summary.json"]) expect(readFileSync(join(out, f), "utf8")).toBe(readFileSync(join(reference, f), "utf8"));
  });

  it("SIGINT finishes the tasks in flight, exits 130 with a resume hint, and resuming completes the sweep", async () => {
    const out = join(d, "interrupted");
    const file = join(out, "results.jsonl");
    const stopped = await interrupted(["sweep", "--config", config, "--out", out, "--workers", "2", "--no-svg", "--progress", "off"], file, 2, "SIGINT");
    expect(stopped.code).toBe(130);
    expect(stopped.stderr).toMatch(/interrupted: \d+ finished cell\(s\) are in .*results\.jsonl; run the same command again to resume/);
    const resumed = spawnSync(process.execPath, [CLI, "sweep", "--config", config, "--out", out, "--workers", "1", "--no-svg"], { encoding: "utf8" });
    expect(resumed.status, resumed.stderr).toBe(0);
    expect(readFileSync(join(out, "summary.csv"), "utf8")).toBe(readFileSync(join(reference, "summary.csv"), "utf8"));
  });
});
