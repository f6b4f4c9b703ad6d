/** `advtransfer tune` as a process: the best radius per cell, deterministic whatever the worker count, and its errors. */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli } from "./harness.js";

const d = mkdtempSync(join(tmpdir(), "advtransfer-tune-"));
const config = {
  replicates: 30,
  seed: 3,
  scenario: { d: 120, s: 6, r: 2, T: 8, n: 30, n0: 10 },
  methods: [{ label: "standard" }, { label: "linf", attack: "linf", eps: { tau: 0 } }],
  sweep: [{ param: "scenario.s", values: [6, 120], name: "s" }],
  tune: { param: "methods.linf.eps.tau", range: [0, 4], grid: 7, refine: 4, bootstrap: 50, theoryReplicates: 3, theoryGrid: 5 },
};
const file = join(d, "tune.json");
writeFileSync(file, JSON.stringify(config));

describe("advtransfer tune", () => {
  it("reports per cell the best radius with its bootstrap SE, the same for 0 and 2 worker threads; the dense cell's best is at the edge (eps = 0)", () => {
    const a = cli("tune", "--config", file, "--json", "--workers", "0", "--progress", "off");
    const b = cli("tune", "--config", file, "--json", "--workers", "2", "--progress", "off");
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    const strip = (text: string) => {
      const j = JSON.parse(text);
      delete j.seconds;
      return j;
    };
    expect(strip(a.stdout)).toEqual(strip(b.stdout));
    const cells = JSON.parse(a.stdout).cells;
    expect(cells).toHaveLength(2);
    expect(cells[0].point).toEqual({ s: 6 });
    expect(cells[0].estimate.value).toBeGreaterThan(0);
    expect(cells[0].estimate.se).toBeGreaterThan(0);
    // s = d: l-inf training only hurts (MODEL §7), so the best multiple is the lower end.
    expect(cells[1].estimate.value).toBe(0);
    expect(cells[1].estimate.edge).toBe(true);
    expect(cells[0].theoryValues.map((t: { name: string }) => t.name)).toEqual(["B3's eps(0.05)", "B3's eps(0.1)"]);
    expect(cells[0].predicted).not.toBeNull();
    const text = cli("tune", "--config", file, "--workers", "0", "--progress", "off", "--theory-replicates", "0");
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/warning: s = 120: the best grid value sits on the edge of the search range \[0, 4\]/);
  });

  it("refuses a parameter a sweep axis sets, an unknown objective and a bad range, in one line with exit code 2", () => {
    const bad: [string[], RegExp][] = [
      [["--param", "scenario.s", "--objective-method", "linf", "--range", "2,6"], /tune\.param = "scenario\.s": is set by the sweep axis "s"/],
      [["--objective", "nope"], /tune\.metric = "nope": is not a metric of method "linf"/],
      [["--range", "1,0"], /tune\.range/],
    ];
    for (const [flags, message] of bad) {
      const r = cli("tune", "--config", file, "--workers", "0", "--progress", "off", "--theory-replicates", "0", ...flags);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
      expect(r.stderr).toMatch(message);
    }
  });
});
