/** Running the built CLI (npm test builds first) as a process, and the small sweep the CLI tests share. */
import { spawnSync } from "node:child_process";
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
