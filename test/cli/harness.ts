/** Running the built CLI (npm test builds first) as a process, and the small sweep the CLI tests share. */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const CLI = join(__dirname, "../../dist/src/cli/main.js");

/** Runs `advtransfer ...args` and returns its exit code and output. */
export function cli(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const res = spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8" });
  return { code: res.status, stdout: res.stdout, stderr: res.stderr };
}

/** A small, fast mixture sweep: 2 x 3 = 6 cells. */
export const SMALL_SWEEP = {
  family: "mixture",
  replicates: 24,
  seed: 9,
  scenario: { d: 60, s: 6, r: 2, T: 8, n: 20, m: 50, n0: 10 },
  methods: [{ label: "standard" }, { label: "linf", attack: "linf", eps: 0 }, { label: "ssl", ssl: {} }],
  sweep: [
    { param: "scenario.s", values: [6, 60], name: "s" },
    { param: "methods.linf.eps", values: [0, 0.15, 0.3], name: "eps", label: "l-inf radius" },
  ],
  plot: { metrics: ["sinTheta", "targetExcess"] },
};

/**
 * A temporary directory with SMALL_SWEEP's config file (`config`) and the directory `base` that
 * `runBase()` fills with an in-thread run of it: the reference the sweep tests compare against.
 */
export function smallSweepWorkspace(): { d: string; config: string; base: string; read: (dir: string, file: string) => string; runBase: () => void } {
  const d = mkdtempSync(join(tmpdir(), "advtransfer-sweep-cli-"));
  const config = join(d, "sweep-config.json");
  const base = join(d, "base");
  return {
    d,
    config,
    base,
    read: (dir: string, file: string) => readFileSync(join(dir, file), "utf8"),
    runBase: () => {
      writeFileSync(config, JSON.stringify(SMALL_SWEEP));
      const r = cli("sweep", "--config", config, "--out", base, "--workers", "0");
      if (r.code !== 0) throw new Error(`base sweep failed: ${r.stderr}`);
    },
  };
}
