/** The README's library example runs as written, against the built package. */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
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
