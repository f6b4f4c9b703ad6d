/** `advtransfer bounds` as a user meets it: the built CLI (npm test builds first), run as a process. */
import { describe, expect, it } from "vitest";
import { cli } from "./harness.js";


const SCENARIO = ["--scenario.d", "60", "--scenario.s", "8", "--scenario.r", "2", "--scenario.T", "6"];
const SMALL = ["--replicates", "5", ...SCENARIO];

describe("advtransfer bounds", () => {
  it("prints each applicable bound beside the measured value, with ratio and coverage", () => {
    const { code, stdout } = cli("bounds", ...SMALL, "--method", "standard", "--method", "attack=linf,eps=0.3");
    expect(code).toBe(0);
    expect(stdout).toMatch(/5 replicates/);
    for (const bound of ["B1", "B2", "B3", "B4", "B4s", "B5"]) expect(stdout).toMatch(new RegExp(`\\s${bound}\\s`));
    expect(stdout).toMatch(/zeroing event E0 \(B3\)/);
    expect(stdout).toMatch(/B5 unconditional/);
  });

  it("--json has the summary, per-method notes and every replicate's checks; same seed, same numbers", () => {
    const args = ["bounds", ...SMALL, "--method", "attack=linf,eps=0.3", "--t", "2", "--json"];
    const { code, stdout } = cli(...args);
    expect(code).toBe(0);
    const out = JSON.parse(stdout);
    expect(out.options).toEqual({ t: 2, kappaDelta: 0.05 });
    expect(out.replicates).toHaveLength(5);
    const b3 = out.summary.find((r: { bound: string }) => r.bound === "B3");
    expect(Object.keys(b3).sort()).toEqual(["bound", "boundMean", "coverage", "informative", "measured", "method", "quantity", "ratioMedian"]);
    expect(b3.coverage.trials).toBe(5);
    expect(JSON.parse(cli(...args).stdout).summary).toEqual(out.summary);
  });

  it("--per-replicate lists every replicate's checks", () => {
    const { code, stdout } = cli("bounds", ...SCENARIO, "--replicates", "2", "--method", "standard", "--per-replicate");
    expect(code).toBe(0);
    expect(stdout).toMatch(/^1\s+standard\s+B2\s/m);
  });

  it.each([
    [["--t", "-1"], /t = -1: must be a number >= 0/],
    [["--kappa-delta", "2"], /kappaDelta = 2: must be a number in \(0, 1\)/],
    [["--scenario.r", "30"], /scenario\.r = 30/],
  ])("bad input %j exits 2 with one line", (args, pattern) => {
    const { code, stdout, stderr } = cli("bounds", "--replicates", "1", ...(args as string[]));
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr.trim().split("\n")).toHaveLength(1);
    expect(stderr).toMatch(pattern);
  });
});
