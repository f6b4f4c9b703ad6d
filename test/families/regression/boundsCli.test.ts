/** `advtransfer bounds --family regression` as a user meets it: the built CLI (npm test builds first). */
import { describe, expect, it } from "vitest";
import { cli } from "../../cli/harness.js";

const SMALL = ["--family", "regression", "--replicates", "3", "--scenario.d", "8", "--scenario.r", "2", "--scenario.T", "6", "--scenario.n", "30", "--scenario.n0", "6"];

describe("advtransfer bounds --family regression", () => {
  it("prints each applicable bound beside the measured value, with ratio and coverage, and says why ERM has none", () => {
    const { code, stdout } = cli("bounds", ...SMALL, "--method", "estimator=mom", "--method", "estimator=spectral", "--method", "estimator=altmin", "--progress", "off");
    expect(code).toBe(0);
    expect(stdout).toMatch(/3 replicates/);
    expect(stdout).toMatch(/delta = 0\.05/);
    for (const bound of ["MoM-D", "MoM-DK", "Chebyshev", "Bernstein", "MoM-Chebyshev", "MoM-Bernstein", "B1", "conditional", "model-only"]) expect(stdout).toMatch(new RegExp(`\\s${bound}\\s`));
    expect(stdout).toMatch(/altmin: no bound \(ERM: docs\/THEORY\.md R7\.3/);
  });

  it.each([
    [["--evaluation.bounds.delta", "0"], /evaluation\.bounds\.delta = 0: must be a number in \(0, 1\)/],
    [["--t", "2"], /evaluation\.bounds/],
  ])("bad input %j exits 2 with one line", (args, pattern) => {
    const { code, stdout, stderr } = cli("bounds", ...SMALL, ...(args as string[]));
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr.trim().split("\n")).toHaveLength(1);
    expect(stderr).toMatch(pattern);
  });
});
