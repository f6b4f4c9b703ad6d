/** Bad results files and bad sweep configs at the command line: the built CLI as a process. */
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { SMALL_SWEEP as SMALL, cli } from "./harness.js";


const d = mkdtempSync(join(tmpdir(), "advtransfer-sweep-cli-"));
const config = join(d, "sweep-config.json");
const base = join(d, "base");
const read = (dir: string, file: string) => readFileSync(join(dir, file), "utf8");
/** A copy of the base run's output directory, to damage or extend. */
function copyOfBase(name: string): string {
  const out = join(d, name);
  cpSync(base, out, { recursive: true });
  return out;
}

beforeAll(() => {
  writeFileSync(config, JSON.stringify(SMALL));
  const r = cli("sweep", "--config", config, "--out", base, "--workers", "0");
  if (r.code !== 0) throw new Error(`base sweep failed: ${r.stderr}`);
});

describe("advtransfer sweep errors", () => {
  it("a malformed results file is a one-line error naming file and line, and the file is kept", () => {
    const out = copyOfBase("malformed");
    const file = join(out, "results.jsonl");
    const lines = readFileSync(file, "utf8").split("\n");
    lines[2] = lines[2].slice(0, 100);
    const broken = lines.join("\n");
    writeFileSync(file, broken);
    for (const args of [["sweep", "--config", config, "--out", out], ["plot", file]]) {
      const r = cli(...args);
      expect(r.code, args[0]).toBe(2);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
      expect(r.stderr).toMatch(/results\.jsonl:3: not valid JSON/);
    }
    expect(readFileSync(file, "utf8")).toBe(broken);
  });

  it("an incomplete last line is dropped with a warning and its cell run again", () => {
    const out = copyOfBase("truncated");
    const file = join(out, "results.jsonl");
    const lines = readFileSync(file, "utf8").trimEnd().split("\n");
    writeFileSync(file, `${lines.slice(0, 4).join("\n")}\n${lines[4].slice(0, 300)}`);
    const r = cli("sweep", "--config", config, "--out", out, "--workers", "1", "--no-svg");
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/warning: .*results\.jsonl:5: discarded an incomplete last line/);
    expect(r.stdout).toMatch(/2 run, 4 resumed/);
    expect(read(out, "summary.csv")).toBe(read(base, "summary.csv"));
  });

  it("exits 2 with one line on results of another config, a bad grid value, a label typo and a bad shard", () => {
    const other = cli("sweep", "--config", config, "--out", base, "--seed", "10");
    expect(other.code).toBe(2);
    expect(other.stderr).toMatch(/results\.jsonl:1: written by a different sweep config/);
    const bad = join(d, "bad.json");
    writeFileSync(bad, JSON.stringify({ ...SMALL, sweep: [{ param: "scenario.s", values: [6, 1000] }] }));
    const r = cli("sweep", "--config", bad, "--out", join(d, "bad"));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^advtransfer: invalid config: scenario\.s = 1000: /);
    const typo = join(d, "typo.json");
    writeFileSync(typo, JSON.stringify({ ...SMALL, sweep: { "methods.linff.eps": [0.1] } }));
    expect(cli("sweep", "--config", typo, "--out", join(d, "typo")).stderr).toMatch(
      /sweep\.methods\.linff\.eps = "methods\.linff\.eps": "methods" has no element labelled "linff"; labels: "standard", "linf", "ssl"/,
    );
    expect(cli("sweep", "--config", config, "--out", base, "--shard", "4/3").stderr).toMatch(/--shard = "4\/3"/);
  });
});

describe("advtransfer sweep with a baseline method", () => {
  it("adds paired effects against the baseline to the summaries, and reuses the finished cells (the baseline is not part of the config hash)", () => {
    const out = copyOfBase("baseline");
    const withBaseline = join(d, "baseline-config.json");
    writeFileSync(withBaseline, JSON.stringify({ ...SMALL, baseline: "standard" }));
    const r = cli("sweep", "--config", withBaseline, "--out", out, "--workers", "0", "--no-svg");
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/0 run, 6 resumed/);
    const csv = read(out, "summary.csv").split("\n");
    expect(csv[0]).toMatch(/,baseline,difference,differenceSe,ratio,ratioSe,clear$/);
    expect(csv.find((l) => l.includes(",linf,sinTheta,"))).toMatch(/,standard,-?\d/);
    expect(JSON.parse(read(out, "summary.json")).baseline).toBe("standard");
  });

  it("refuses a baseline that is not a method of every cell before any work", () => {
    const bad = join(d, "bad-baseline.json");
    writeFileSync(bad, JSON.stringify({ ...SMALL, baseline: "nope" }));
    const out = join(d, "bad-baseline-out");
    const r = cli("sweep", "--config", bad, "--out", out);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/baseline = "nope": must be the label of a method of every cell/);
  });
});

describe("advtransfer sweep: a bad axis name or plot section fails before any work (issue 10, item 6)", () => {
  const cases: [string, Record<string, unknown>, RegExp][] = [
    ["an axis named n", { sweep: [{ param: "scenario.n", values: [20, 40], name: "n" }] }, /sweep\[0\]\.name = "n": names a column of the summary tables/],
    ["plot.x not an axis", { plot: { x: "m" } }, /plot\.x = "m": must name a sweep axis: "s", "eps"/],
    ["an unknown metric", { plot: { metrics: ["sinTheta", "nope"] } }, /plot\.metrics\[1\] = "nope": must be a metric the sweep reports/],
    ["an unknown key", { plot: { colour: "red" } }, /colour/],
  ];
  for (const [what, change, message] of cases) {
    it(`${what}: exit 2, one line, no results file`, () => {
      const file = join(d, `plot-${what.replace(/\W+/g, "-")}.json`);
      writeFileSync(file, JSON.stringify({ ...SMALL, ...change }));
      const out = join(d, `plot-out-${what.replace(/\W+/g, "-")}`);
      const r = cli("sweep", "--config", file, "--out", out, "--workers", "0");
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
      expect(r.stderr).toMatch(message);
      expect(existsSync(join(out, "results.jsonl"))).toBe(false);
    });
  }
});
