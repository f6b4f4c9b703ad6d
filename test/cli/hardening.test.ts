/**
 * Inputs that once hung, crashed or silently misbehaved (the list of hostile inputs found by
 * fuzzing the CLI): each is now one line on stderr with exit code 2, or works, and leaves files
 * as they were.
 */
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CLI, cli } from "./harness.js";

const d = mkdtempSync(join(tmpdir(), "advtransfer-hardening-"));
const SMALL = ["--scenario.d", "40", "--scenario.s", "6", "--scenario.r", "2", "--scenario.T", "6", "--replicates", "3", "--workers", "0", "--progress", "off"];

function oneLine(args: readonly string[], pattern: RegExp): void {
  const r = cli(...args);
  expect(r.code, r.stderr).toBe(2);
  expect(r.stdout).toBe("");
  expect(r.stderr.trim().split("\n")).toHaveLength(1);
  expect(r.stderr).toMatch(pattern);
}

describe("1-2: extreme values are refused by their range, never a hang or a NaN", () => {
  it.each([
    [["--scenario.snr", "5e-324", "--scenario.target", "weakest"], /scenario\.snr = 5e-324: must be a number in \[1e-100, 1e\+100\]/],
    [["--scenario.sigma", "1.7976931348623157e308"], /scenario\.sigma = 1\.7976931348623157e\+308: must be a number in \[1e-100, 1e\+100\]/],
    [["--scenario.snr", "1e300"], /scenario\.snr = 1e\+300/],
    [["--workers", "1000"], /--workers = 1000: must be an integer in \[0, 256\]/],
  ])("%j", (args, pattern) => oneLine(["run", ...SMALL.slice(0, -4), ...args], pattern));
});

describe("3: no key reaches an object prototype", () => {
  it("refuses __proto__ in --method keys, config files and sweep paths", () => {
    oneLine(["run", ...SMALL, "--method", "__proto__.sigma=3"], /--method\[0\] = "__proto__\.sigma": "__proto__" is a reserved name/);
    oneLine(["run", ...SMALL, "--method", "label=adv,__proto__.attack=linf,__proto__.eps=0.3", "--method", "standard"], /reserved name/);
    const file = join(d, "proto.json");
    writeFileSync(file, '{"__proto__": {"sigma": 3}, "replicates": 1}');
    oneLine(["run", "--config", file], /__proto__ = \{"sigma":3\}: "__proto__" is a reserved name/);
    const sweep = join(d, "proto-sweep.json");
    writeFileSync(sweep, JSON.stringify({ replicates: 2, sweep: [{ param: "__proto__.sigma", values: [1, 3] }] }));
    oneLine(["sweep", "--config", sweep, "--out", join(d, "proto-out")], /sweep\[0\]\.param = "__proto__\.sigma": .*reserved name/);
  });
});

describe("4: the echo parses back", () => {
  it("run --print-config, and the --json echo, can be fed back as --config with the same numbers", () => {
    const printed = cli("run", ...SMALL, "--method", "standard", "--method", "attack=linf,eps=0.2,ssl.m=30", "--print-config");
    expect(printed.code, printed.stderr).toBe(0);
    const file = join(d, "echo.json");
    writeFileSync(file, printed.stdout);
    const again = cli("run", "--config", file, "--workers", "0", "--progress", "off", "--json");
    expect(again.code, again.stderr).toBe(0);
    const json = JSON.parse(again.stdout);
    expect(json.config).toEqual(JSON.parse(printed.stdout));
    const file2 = join(d, "echo2.json");
    writeFileSync(file2, JSON.stringify(json.config));
    expect(JSON.parse(cli("run", "--config", file2, "--workers", "0", "--progress", "off", "--json").stdout).summary).toEqual(json.summary);
  });
});

describe("5: file-system problems are one line", () => {
  const config = join(d, "small-sweep.json");
  writeFileSync(config, JSON.stringify({ replicates: 2, scenario: { d: 40, s: 6, r: 2, T: 6 }, sweep: { "scenario.n": [10, 20] } }));
  const aFile = join(d, "a-file");
  writeFileSync(aFile, "x");
  it.each([
    ["--out naming a file", aFile, /ENOTDIR: not a directory, mkdir/],
    ["--out under a file", join(aFile, "sub"), /ENOTDIR/],
    ["--out on a file system that refuses it", "/proc/advtransfer-out", /ENOENT: no such file or directory, mkdir '\/proc\/advtransfer-out'/],
  ])("%s", (_what, out, pattern) => {
    oneLine(["sweep", "--config", config, "--out", out, "--workers", "0"], pattern);
    expect(readFileSync(aFile, "utf8")).toBe("x");
  });
  it("a FIFO given as --config is refused at once instead of blocking", () => {
    const fifo = join(d, "fifo");
    expect(spawnSync("mkfifo", [fifo]).status).toBe(0);
    oneLine(["run", "--config", fifo], /--config = ".*fifo": is not a regular file/);
  });
});

describe("8: flags are neither ignored nor refused inconsistently", () => {
  it.each([
    [["run", ...SMALL, "--metrics", "sinTheta,foo"], /--metrics = "foo": is not a metric of this family/],
    [["rates", ...SMALL, "--method", "standard"], /--method does not apply/],
    [["rates", ...SMALL, "--metrics", "sinTheta"], /--metrics does not apply/],
    [["bounds", ...SMALL, "--metrics", "sinTheta"], /--metrics does not apply/],
    [["run", ...SMALL, "--method", ""], /--method\[0\] = "": is empty/],
    [["run", ...SMALL, "--method", "label=a,label=b"], /gives label twice/],
    [["run", ...SMALL, "--json=maybe"], /--json = "maybe": must be true or false/],
    [["run", ...SMALL, "--scenario.n", "0x10"], /scenario\.n = "0x10": must be an integer/],
    [["run", ...SMALL, "--scenario.n", "-Infinity"], /scenario\.n = -Infinity: must be an integer in \[1, 1000000000\]/],
    [["run", "--config", "a.json", "--config", "b.json"], /--config is given 2 times/],
    [["run", "--scenario.d", "3", "--replicates", "1"], /scenario\.s = \(missing\): must be given when d = 3 is below its default 20/],
    [["run", "--scenario.s", "600", "--replicates", "1"], /scenario\.s = 600: .*\[1, d = 500\]/],
  ])("%j", (args, pattern) => oneLine(args as string[], pattern));

  it("accepts what it should: unsafe integers as numbers, lists for array keys, bounds on workers, rates --print-config, demo --family two-layer", () => {
    expect(cli("run", ...SMALL, "--scenario.sigma", "1e16").code).toBe(0);
    const div = cli("run", ...SMALL, "--scenario.diversity", "3,1", "--print-config");
    expect(JSON.parse(div.stdout).scenario.diversity).toEqual([3, 1]);
    expect(cli("bounds", ...SMALL.slice(0, -6), "--replicates", "2", "--workers", "2", "--progress", "off").code).toBe(0);
    const rates = cli("rates", ...SMALL, "--values", "20,40", "--print-config");
    expect(rates.code, rates.stderr).toBe(0);
    expect(JSON.parse(rates.stdout).sweep[0].param).toBe("scenario.n");
    const demo = cli("demo", "--family", "two-layer", "--replicates", "1", "--scenario.d", "12", "--scenario.s", "4", "--scenario.r", "2", "--scenario.T", "3", "--training.steps", "5", "--workers", "0", "--progress", "off");
    expect(demo.code, demo.stderr).toBe(0);
    expect(demo.stdout).toMatch(/advtransfer demo: family two-layer/);
  });
});

describe("10: what cannot fit in memory is refused before any work", () => {
  it("a d x T beyond the machine's memory", () => {
    oneLine(["run", "--scenario.d", "10000000", "--scenario.T", "1000", "--replicates", "2", "--workers", "2"], /scenario\.d = 10000000: needs about \d+\.\d GB per replicate \(6 d T doubles\) on each of 2 worker threads, more than the/);
  });
});

describe("growing a sweep", () => {
  it("a larger --replicates keeps the finished replicates and computes only the new ones; the results equal a fresh run's, byte for byte; a smaller one reuses a prefix", () => {
    const config = join(d, "grow.json");
    writeFileSync(config, JSON.stringify({ seed: 5, scenario: { d: 40, s: 6, r: 2, T: 6, m: 20 }, methods: [{ label: "standard" }, { label: "ssl", ssl: {} }], sweep: { "scenario.n": [10, 20, 40] } }));
    const grown = join(d, "grown");
    const first = cli("sweep", "--config", config, "--out", grown, "--replicates", "6", "--workers", "0", "--no-svg", "--progress", "off");
    expect(first.code, first.stderr).toBe(0);
    const second = cli("sweep", "--config", config, "--out", grown, "--replicates", "14", "--workers", "0", "--no-svg", "--progress", "off");
    expect(second.code, second.stderr).toBe(0);
    const fresh = join(d, "fresh");
    expect(cli("sweep", "--config", config, "--out", fresh, "--replicates", "14", "--workers", "0", "--no-svg", "--progress", "off").code).toBe(0);
    for (const f of ["results.jsonl", "summary.csv", "summary.json"]) expect(readFileSync(join(grown, f), "utf8")).toBe(readFileSync(join(fresh, f), "utf8"));
    const small = join(d, "small");
    expect(cli("sweep", "--config", config, "--out", small, "--replicates", "6", "--workers", "0", "--no-svg", "--progress", "off").code).toBe(0);
    copyFileSync(join(fresh, "results.jsonl"), join(d, "results-14.jsonl"));
    const prefix = join(d, "prefix");
    const shrink = spawnSync(process.execPath, [CLI, "sweep", "--config", config, "--out", prefix, "--replicates", "14", "--workers", "0", "--no-svg", "--progress", "off"], { encoding: "utf8" });
    expect(shrink.status).toBe(0);
    const back = cli("sweep", "--config", config, "--out", prefix, "--replicates", "6", "--workers", "0", "--no-svg", "--progress", "off");
    expect(back.stdout).toMatch(/0 run, 3 resumed/);
    for (const f of ["summary.csv", "summary.json"]) expect(readFileSync(join(prefix, f), "utf8")).toBe(readFileSync(join(small, f), "utf8"));
  });
});
