/** `advtransfer rates` as a user meets it: the built CLI, run as a process. */
import { describe, expect, it } from "vitest";
import { cli } from "./harness.js";


const SMALL = ["--replicates", "4", "--scenario.d", "60", "--scenario.s", "8", "--scenario.r", "2", "--scenario.T", "6"];

describe("advtransfer rates", () => {
  it("prints the sweep with local slopes and the fitted slopes beside B2's and B3's", () => {
    const { code, stdout } = cli("rates", ...SMALL, "--parameter", "n", "--values", "100,400,1600");
    expect(code).toBe(0);
    expect(stdout).toMatch(/n over 100, 400, 1600/);
    expect(stdout).toMatch(/^1600\s/m);
    expect(stdout).toMatch(/standard: measured slope -?\d\.\d+ ± \d\.\d+ \(3 points\).*B2 slope/);
    expect(stdout).toMatch(/linf: measured slope/);
  });

  it("--json has the points and fits", () => {
    const { code, stdout } = cli("rates", ...SMALL, "--parameter", "d", "--values", "60,120", "--json");
    expect(code).toBe(0);
    const out = JSON.parse(stdout);
    expect(out.parameter).toBe("d");
    expect(out.points.map((p: { value: number }) => p.value)).toEqual([60, 120]);
    expect(out.fits).toHaveLength(2);
  });

  it.each([
    [["--parameter", "sigma"], /parameter = "sigma": must be one of "n", "d", "T"/],
    [["--values", "400,100"], /values\[1\] = 100: must be larger than values\[0\] = 400/],
    [["--parameter", "T", "--values", "1,8"], /scenario\.T = 1/],
  ])("bad input %j exits 2 with one line", (args, pattern) => {
    const { code, stdout, stderr } = cli("rates", ...SMALL, ...(args as string[]));
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr.trim().split("\n")).toHaveLength(1);
    expect(stderr).toMatch(pattern);
  });
});
