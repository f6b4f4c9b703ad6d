/** The two-layer family through the built CLI, as a user meets it (npm test builds first). */
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const CLI = join(__dirname, "../../dist/src/cli/main.js");

function cli(...args: string[]) {
  const res = spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8" });
  return { code: res.status, stdout: res.stdout, stderr: res.stderr };
}

const small = {
  family: "two-layer",
  scenario: { d: 12, s: 4, r: 2, T: 4, n: 20, m: 20, n0: 10 },
  training: { steps: 30 },
  evaluation: { testSize: 100 },
  replicates: 2,
  seed: 3,
};

describe("advtransfer run with the two-layer family", () => {
  it("prints the table of mean ± SE per method for a config file", () => {
    const dir = mkdtempSync(join(tmpdir(), "advtransfer-"));
    const file = join(dir, "two-layer.json");
    writeFileSync(file, JSON.stringify(small));
    const { code, stdout } = cli("run", "--config", file);
    expect(code).toBe(0);
    expect(stdout).toMatch(/family two-layer, 2 replicates, seed 3/);
    expect(stdout).toMatch(/scenario: d=12 r=2 s=4 T=4 n=20 m=20 n0=10 activation=relu labels=regression/);
    for (const method of ["standard", "linf", "l2", "ssl", "ssl\\+linf"]) expect(stdout).toMatch(new RegExp(`\\n${method}\\s+\\d\\.\\d+ ± \\d`));
    expect(stdout).toMatch(/sinTheta\s+targetExcess\s+robustExcessLinf/);
  });

  it("takes methods and scenario fields from flags, and --json echoes the checked config", () => {
    const dir = mkdtempSync(join(tmpdir(), "advtransfer-"));
    const file = join(dir, "two-layer.json");
    writeFileSync(file, JSON.stringify(small));
    const { code, stdout } = cli("run", "--config", file, "--scenario.labels", "classification", "--method", "standard", "--method", "attack=l2,eps=0.3,inner=fgsm", "--json");
    expect(code).toBe(0);
    const out = JSON.parse(stdout);
    expect(out.config).toMatchObject({ family: "two-layer", replicates: 2, seed: 3, scenario: { labels: "classification" }, target: { fit: "linear" } });
    expect(out.config.methods.map((m: { label: string }) => m.label)).toEqual(["standard", "fgsm-l2(0.3)"]);
    const metrics = new Set(out.summary.map((r: { metric: string }) => r.metric));
    for (const m of ["sinTheta", "targetExcess", "targetError", "robustErrorLinf"]) expect(metrics.has(m)).toBe(true);
  });

  it("rejects bad input in one line with exit code 2", () => {
    const { code, stderr } = cli("run", "--family", "two-layer", "--scenario.activation", "gelu");
    expect(code).toBe(2);
    expect(stderr.trim().split("\n")).toHaveLength(1);
    expect(stderr).toMatch(/scenario\.activation = "gelu": must be one of "relu", "tanh", "quadratic", "identity"/);
  });
});
