/** The command line as a user meets it: the built CLI (npm test builds first), run as a process. */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli } from "./harness.js";


describe("advtransfer run", () => {
  it("prints a table of mean ± SE per method", () => {
    const { code, stdout } = cli("run", "--replicates", "4", "--scenario.d", "50", "--method", "standard", "--method", "attack=linf,eps=0.3");
    expect(code).toBe(0);
    expect(stdout).toMatch(/4 replicates/);
    expect(stdout).toMatch(/standard\s+\d\.\d+ ± \d/);
    expect(stdout).toMatch(/linf\(0\.3\)/);
  });

  it("--json prints the summary rows and the config echo with defaults filled in", () => {
    const dir = mkdtempSync(join(tmpdir(), "advtransfer-"));
    const file = join(dir, "c.json");
    writeFileSync(file, JSON.stringify({ family: "mixture", scenario: { d: 40, s: 6, r: 2, T: 5, n: 10, m: 20, n0: 5 }, methods: [{ label: "a", attack: "linf", eps: 0.2, ssl: { m: 20, eps: 0.1 } }], replicates: 3, seed: 5 }));
    const { code, stdout } = cli("run", "--config", file, "--json");
    expect(code).toBe(0);
    const out = JSON.parse(stdout);
    expect(out.config).toMatchObject({ family: "mixture", replicates: 3, seed: 5, sampler: "exact", scenario: { d: 40, sigma: 1 } });
    const rows = out.summary.filter((r: { metric: string }) => r.metric === "sinTheta" || r.metric === "targetExcess");
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      expect(Object.keys(row).sort()).toEqual(["mean", "method", "metric", "n", "se"]);
      expect(row.n).toBe(3);
      expect(Number.isFinite(row.mean) && Number.isFinite(row.se)).toBe(true);
    }
    // Same config and seed: the same numbers, in this thread or on two worker threads.
    expect(JSON.parse(cli("run", "--config", file, "--json").stdout).summary).toEqual(out.summary);
    expect(JSON.parse(cli("run", "--config", file, "--json", "--workers", "0").stdout).summary).toEqual(out.summary);
    expect(JSON.parse(cli("run", "--config", file, "--json", "--workers", "2", "--replicates", "3").stdout).summary).toEqual(out.summary);
  });

  it.each([
    [["--scenario.r", "30"], /scenario\.r = 30: must be an integer in \[1, s = 20\]/],
    [["--scenario.s", "600"], /scenario\.s = 600: .*d = 500/],
    [["--scenario.n0", "0"], /scenario\.n0 = 0: must be an integer in \[1,/],
    [["--method", "attack=linf,eps=-0.1"], /methods\[0\]\.eps = -0\.1: must be a number >= 0/],
    [["--scenario.sigma", "abc"], /scenario\.sigma = "abc": must be a number in \[1e-100, 1e\+100\]/],
    [["--method", "attack=pgd,eps=1"], /methods\[0\]\.attack = "pgd": must be one of/],
    [["--method", "estimator=magic"], /methods\[0\]\.estimator = "magic"/],
    [["--scenario.depth", "3"], /scenario\.depth = 3: unknown key/],
    [["--config", "/no/such/file.json"], /--config = "\/no\/such\/file\.json": cannot read the file/],
    [["--frobnicate"], /Unknown argument: frobnicate/],
    [["--workers", "-1"], /--workers = -1: must be an integer in \[0, 256\]/],
    [["--progress", "loud"], /--progress = "loud": must be one of/],
  ])("bad input %j exits 2 with one line naming the field, value and range", (args, pattern) => {
    const { code, stdout, stderr } = cli("run", "--replicates", "1", ...(args as string[]));
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr.trim().split("\n")).toHaveLength(1);
    expect(stderr).toMatch(pattern);
  });

  it("an unknown command exits 2", () => {
    const { code, stderr } = cli("frobnicate");
    expect(code).toBe(2);
    expect(stderr).toMatch(/advtransfer:/);
  });
});

describe("advtransfer demo", () => {
  it("--print-config shows MODEL §7's scenario and the five methods", () => {
    const { code, stdout } = cli("demo", "--print-config");
    expect(code).toBe(0);
    const cfg = JSON.parse(stdout);
    expect(cfg.scenario).toMatchObject({ d: 500, s: 20, r: 4, T: 20, n: 40, m: 1000, n0: 20, sigma: 1, snr: 1.5 });
    expect(cfg.methods.map((m: { label: string }) => m.label)).toEqual(["standard", "linf", "l2", "ssl", "ssl+linf"]);
  });
});
