/**
 * The library under Deno (the `deno` devDependency; its binary ships inside the npm package), as
 * a Deno user meets it: in a clone, `deno run` with no flags (deno.json: Deno uses the
 * node_modules npm installed); anywhere else, the self-contained browser bundle by path. The
 * README's library example prints what it prints under Node, and the cross-runtime probe's numbers
 * agree with Node's (test/crossRuntime.ts says how exactly).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import * as lib from "../../dist/src/index.js";
import { agreementProblems, compareJson, describeAgreement, mathDifferences } from "../crossRuntime.js";
// @ts-expect-error: a plain .mjs fixture without types
import { probe } from "../fixtures/crossRuntimeProbe.mjs";

const ROOT = resolve(__dirname, "../..");
const DENO = join(ROOT, "node_modules", "deno", "bin.cjs");

let nodeStdout: string | undefined;
/** What `node examples/library.mjs` prints (run once). */
function nodeOutput(): string {
  nodeStdout ??= spawnSync(process.execPath, ["examples/library.mjs"], { cwd: ROOT, encoding: "utf8" }).stdout;
  return nodeStdout;
}

function deno(args: string[], cwd = ROOT): { code: number | null; stdout: string; stderr: string } {
  const res = spawnSync(process.execPath, [DENO, ...args], { cwd, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" }, maxBuffer: 64 << 20 });
  return { code: res.status, stdout: res.stdout, stderr: res.stderr };
}

describe("Deno", () => {
  it("runs the README's library example in the clone without flags, printing what Node prints", () => {
    const d = deno(["run", "examples/library.mjs"]);
    expect(d.stderr).toBe("");
    expect(d.code).toBe(0);
    expect(d.stdout).toBe(nodeOutput());
    expect(d.stdout).toMatch(/standard: sinTheta = 0\.\d+ ± 0\.\d+/);
  });

  it("gives the probe's numbers: the same structure as Node, equal up to the last bits of its Math functions", async () => {
    const d = deno(["run", "test/deno/probe.mjs"]);
    expect(d.code, d.stderr).toBe(0);
    const theirs = JSON.parse(d.stdout);
    const ours = JSON.parse(JSON.stringify(await probe(lib)));
    const { math: mo, ...ro } = ours;
    const { math: mt, ...rt } = theirs;
    console.log(describeAgreement(`Deno ${deno(["--version"]).stdout.split("\n")[0]}`, compareJson(ro, rt), mathDifferences(mo, mt)));
    expect(agreementProblems(ours, theirs)).toEqual([]);
    expect(theirs.configHash).toBe(ours.configHash);
  });

  it("imports the self-contained bundle (dist/browser) from outside any project, without flags or config", () => {
    const d0 = mkdtempSync(join(tmpdir(), "advtransfer-deno-"));
    const url = pathToFileURL(join(ROOT, "dist/browser/advtransfer.js")).href;
    const script = readFileSync(join(ROOT, "examples/library.mjs"), "utf8").replace('from "advtransfer"', `from ${JSON.stringify(url)}`);
    writeFileSync(join(d0, "example.mjs"), script);
    const d = deno(["run", "example.mjs"], d0);
    expect(d.code, d.stderr).toBe(0);
    expect(d.stdout).toBe(nodeOutput());
  });
});
