/**
 * The notebook API against the command line: runSweep's rows are the rows of summary.csv (with the
 * baseline's paired effects), figureSpec returns the figures/<metric>.vl.json the CLI writes, and
 * figureSvg its SVG, for the same config.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ConfigError } from "../../src/core/config/parse.js";
import { createDefaultRegistry } from "../../src/families/index.js";
import { runSweep } from "../../src/experiment/run.js";
import { axesFromRows, figureSpec, figureSvg } from "../../src/report/figure.js";
import { SMALL_SWEEP, cli, smallSweepWorkspace } from "../cli/harness.js";

const CONFIG = { ...SMALL_SWEEP, baseline: "standard", plot: { ...SMALL_SWEEP.plot, labels: { sinTheta: "sin theta", linf: "l-inf" } } };
const ws = smallSweepWorkspace();
const out = join(ws.d, "cli");
let result: Awaited<ReturnType<typeof runSweep>>;

beforeAll(async () => {
  writeFileSync(ws.config, JSON.stringify(CONFIG));
  const r = cli("sweep", "--config", ws.config, "--out", out, "--workers", "0", "--progress", "off");
  if (r.code !== 0) throw new Error(r.stderr);
  result = await runSweep(CONFIG, { registry: createDefaultRegistry() });
});

/** summary.csv parsed: numbers as numbers, empty fields as null. */
function csvRows(text: string): Record<string, unknown>[] {
  const [head, ...lines] = text.trim().split("\n");
  const cols = head.split(",");
  return lines.map((l) => Object.fromEntries(l.split(",").map((f, i) => [cols[i], f === "" ? null : f === "true" ? true : f === "false" ? false : Number.isNaN(Number(f)) ? f : Number(f)])));
}

describe("runSweep rows", () => {
  it("are the rows of the CLI's summary.csv, paired effects included, number for number", () => {
    const csv = csvRows(readFileSync(join(out, "summary.csv"), "utf8"));
    expect(result.rows.length).toBe(csv.length);
    expect(result.baseline).toBe("standard");
    result.rows.forEach((row, i) => {
      const c = csv[i];
      expect([row.cell, row.point.s, row.point.eps, row.method, row.metric, row.n]).toEqual([c.cell, c.s, c.eps, c.method, c.metric, c.n]);
      expect([row.mean, row.se, row.sd, ...row.quantiles]).toEqual([c.mean, c.se, c.sd, c.q05, c.q25, c.q50, c.q75, c.q95]);
      expect([row.baseline, row.difference, row.differenceSe, row.ratio, row.ratioSe, row.clear]).toEqual([c.baseline, c.difference, c.differenceSe, c.ratio, c.ratioSe, c.clear]);
    });
    // the effects are there: every non-baseline row of a metric the baseline reports has one
    expect(result.rows.filter((r) => r.method !== "standard" && r.metric === "sinTheta").every((r) => r.difference !== null)).toBe(true);
  });

  it("takes the baseline from the options too, and refuses one that is not a method of every cell", async () => {
    const { baseline, ...rest } = CONFIG;
    void baseline;
    const noBaseline = { ...rest, replicates: 3 };
    const a = await runSweep(noBaseline, { registry: createDefaultRegistry(), baseline: "ssl" });
    expect(a.rows.find((r) => r.method === "standard" && r.metric === "sinTheta")?.baseline).toBe("ssl");
    expect((await runSweep(noBaseline, { registry: createDefaultRegistry() })).rows[0].difference).toBeNull();
    await expect(runSweep(noBaseline, { registry: createDefaultRegistry(), baseline: "nobody" })).rejects.toThrow(ConfigError);
  });
});

describe("figureSpec and figureSvg", () => {
  it("give the CLI's figures/<metric>.vl.json and .svg for the same config", async () => {
    for (const metric of ["sinTheta", "targetExcess"]) {
      const cliSpec = JSON.parse(readFileSync(join(out, "figures", `${metric}.vl.json`), "utf8"));
      const spec = figureSpec(result, { metric });
      expect(spec).toEqual(cliSpec);
      expect(await figureSvg(spec)).toBe(readFileSync(join(out, "figures", `${metric}.svg`), "utf8"));
    }
    // the default metric is the plot section's first
    expect(figureSpec(result)).toEqual(figureSpec(result, { metric: "sinTheta" }));
  });

  it("options override the plot section; bare rows take their axes from the rows", () => {
    const spec = figureSpec(result, { metric: "sinTheta", x: "s", title: "by support" }) as { title: { text: string }; facet: { column: { field: string; title: string } } };
    expect(spec.title.text).toBe("by support");
    expect(spec.facet.column.title).toBe("l-inf radius");
    const fromRows = figureSpec(result.rows.filter((r) => r.point.s === 6), { metric: "sinTheta", labels: { eps: "l-inf radius" } }) as { data: { values: { x: number }[] }; facet?: unknown };
    expect(fromRows.facet).toBeDefined(); // s is still an axis of the rows, with one value
    expect(fromRows.data.values.map((v) => v.x)).toEqual([0, 0, 0, 0.15, 0.15, 0.15, 0.3, 0.3, 0.3]);
    expect(axesFromRows(result.rows).map((a) => [a.name, a.values])).toEqual([
      ["s", [6, 60]],
      ["eps", [0, 0.15, 0.3]],
    ]);
  });

  it("refuses a metric without rows, an unknown axis or option, and empty rows, with a ConfigError", () => {
    expect(() => figureSpec(result, { metric: "nope" })).toThrow(ConfigError);
    expect(() => figureSpec(result, { metric: "sinTheta", x: "nope" })).toThrow(/plot\.x/);
    expect(() => figureSpec(result, { metric: "sinTheta", colour: "red" } as never)).toThrow(ConfigError);
    expect(() => figureSpec([], {})).toThrow(/no summary rows/);
  });
});
