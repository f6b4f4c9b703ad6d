/** The README's library examples run as written, against the built package. */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";

describe("examples/library.mjs", () => {
  it("runs and prints a sinTheta per method and one hand-made replicate", () => {
    const res = spawnSync(process.execPath, [join(__dirname, "../examples/library.mjs")], { encoding: "utf8" });
    expect(res.status).toBe(0);
    expect(res.stdout).toMatch(/standard: sinTheta = 0\.\d+ ± 0\.\d+/);
    expect(res.stdout).toMatch(/linf: sinTheta = /);
    expect(res.stdout).toMatch(/one replicate: sinTheta = 0\.\d+, target excess = \d\.\d+/);
  });
});

describe("the README's library examples", () => {
  const readme = readFileSync(join(__dirname, "../README.md"), "utf8");
  const section = readme.slice(readme.indexOf("\n## Library"), readme.indexOf("\n## Command line"));
  const blocks = [...section.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]).filter((b) => b.includes('from "advtransfer"'));
  const entry = pathToFileURL(join(__dirname, "../dist/src/index.js")).href;

  it("are there", () => {
    expect(blocks.length).toBeGreaterThanOrEqual(3);
  });

  it.each(blocks.map((b, i) => [i + 1, b]))("block %i runs as written against the built package", (_i, block) => {
    const dir = mkdtempSync(join(tmpdir(), "advtransfer-readme-"));
    const file = join(dir, "example.mjs");
    writeFileSync(file, String(block).replaceAll('from "advtransfer"', `from ${JSON.stringify(entry)}`));
    const res = spawnSync(process.execPath, [file], { encoding: "utf8" });
    expect(res.stderr).toBe("");
    expect(res.status).toBe(0);
  });
});
