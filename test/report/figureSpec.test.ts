import { describe, expect, it } from "vitest";
import type { CellSummaryRow } from "../../src/experiment/cellSummary.js";
import { ConfigError } from "../../src/core/config/parse.js";
import { buildFigureSpec, buildGainSpec, parsePlotOptions, type PlotAxis, useLogScale } from "../../src/report/figureSpec.js";
import { renderSvg } from "../../src/report/renderSvg.js";

const axes: PlotAxis[] = [
  { name: "s", label: "support size s", values: [20, 500] },
  { name: "eps", label: "l-inf radius eps", values: [0, 0.1, 0.2] },
];

function rows(metric: string, f: (s: number, eps: number, method: string) => number): CellSummaryRow[] {
  const out: CellSummaryRow[] = [];
  let cell = 0;
  for (const s of [20, 500]) {
    for (const eps of [0, 0.1, 0.2]) {
      for (const method of ["standard", "linf"]) {
        const mean = f(s, eps, method);
        out.push({ cell, point: { s, eps }, method, metric, replicates: 50, n: 50, failures: 0, mean, sd: 0.1, se: 0.1 / Math.sqrt(50), quantiles: [] });
      }
      cell++;
    }
  }
  return out;
}

describe("useLogScale", () => {
  it("never logs values that are not all positive", () => {
    expect(useLogScale([0, 1, 1000], "auto", "f")).toBe(false);
    expect(useLogScale([-1, 2], "auto", "f")).toBe(false);
    expect(() => useLogScale([0, 1], "on", "plot.log.y")).toThrow(ConfigError);
  });
  it("uses a log scale automatically only over a wide positive span", () => {
    expect(useLogScale([0.01, 1], "auto", "f")).toBe(true);
    expect(useLogScale([0.5, 1], "auto", "f")).toBe(false);
    expect(useLogScale([0.5, 1], "on", "f")).toBe(true);
    expect(useLogScale([0.01, 1], "off", "f")).toBe(false);
  });
});

describe("parsePlotOptions", () => {
  it("defaults x to the longest axis and checks names", () => {
    expect(parsePlotOptions(undefined, axes).x).toBe("eps");
    expect(() => parsePlotOptions({ x: "m" }, axes)).toThrow(/plot\.x = "m": must name a sweep axis: "s", "eps"/);
    expect(() => parsePlotOptions({ log: { y: "sometimes" } }, axes)).toThrow(ConfigError);
  });
});

describe("buildFigureSpec and renderSvg", () => {
  it("draws one panel per remaining axis value, labelled axes, error bars of one SE", async () => {
    const data = rows("sinTheta", (s, eps, method) => (method === "standard" ? 0.6 : 0.6 - eps + (s === 500 ? 2 * eps : 0)));
    const spec = buildFigureSpec(data, axes, parsePlotOptions({ labels: { sinTheta: "sin theta(U, B*)" } }, axes), "sinTheta");
    expect(spec.facet).toMatchObject({ column: { field: "col", title: "support size s", sort: [20, 500] } });
    const layer = (spec.spec as { layer: { mark: { type: string }; encoding: Record<string, { title?: string; scale?: { type?: string } }> }[] }).layer;
    expect(layer.map((l) => l.mark.type)).toEqual(["errorbar", "line", "point"]);
    expect(layer[1].encoding.x.title).toBe("l-inf radius eps");
    expect(layer[1].encoding.y.title).toBe("sin theta(U, B*)");
    expect(layer[1].encoding.y.scale?.type).toBeUndefined();
    const values = (spec.data as { values: { mean: number; lo: number; hi: number }[] }).values;
    for (const v of values) expect(v.hi - v.mean).toBeCloseTo(0.1 / Math.sqrt(50), 15);
    const svg = await renderSvg(spec);
    expect(svg.startsWith("<svg")).toBe(true);
    for (const text of ["l-inf radius eps", "sin theta(U, B*)", "support size s", "s = 20", "s = 500", "standard", "linf"]) expect(svg).toContain(text);
  });
  it("puts a wide positive metric on a log scale and says so in the title", () => {
    // means 1 .. 1000 with SE 0.014: every bar end positive, span 1000
    const data = rows("excess", (s, eps) => 10 ** (15 * eps));
    const spec = buildFigureSpec(data, axes, parsePlotOptions({}, axes), "excess");
    const layer = (spec.spec as { layer: { encoding: Record<string, { title?: string; scale?: { type?: string } }> }[] }).layer;
    expect(layer[1].encoding.y.scale?.type).toBe("log");
    expect(layer[1].encoding.y.title).toBe("excess (log scale)");
  });
  it("names the metrics when asked for a missing one", () => {
    const data = rows("sinTheta", () => 0.5);
    expect(() => buildFigureSpec(data, axes, parsePlotOptions({}, axes), "nope")).toThrow(/metrics: sinTheta/);
  });
});

describe("figures that answer questions: gains, wrapped panels, nominal axes, identical methods, partial results", () => {
  it("a gain figure plots the paired difference with its SE, fills clear points, and names a method identical to the baseline", async () => {
    const effects = [0, 0.1, 0.2].flatMap((eps, i) => [
      { cell: i, point: { s: 20, eps }, method: "linf", metric: "sinTheta", baseline: "standard", n: 50, difference: -eps, differenceSe: 0.01, ratio: 1 - eps, ratioSe: 0.01, clear: eps > 0 },
      { cell: i, point: { s: 20, eps }, method: "l2", metric: "sinTheta", baseline: "standard", n: 50, difference: 0, differenceSe: 0, ratio: 1, ratioSe: 0, clear: false },
    ]);
    const oneAxis: PlotAxis[] = [{ name: "eps", label: "radius", values: [0, 0.1, 0.2] }];
    const options = parsePlotOptions({}, { axes: oneAxis, baseline: "standard" });
    expect(options.gain).toBe("difference");
    const spec = buildGainSpec(effects, oneAxis, options, "sinTheta");
    const values = (spec.data as { values: { method: string; value: number; lo: number; clear: string }[] }).values;
    expect(values.filter((v) => v.method === "linf").map((v) => v.value)).toEqual([-0, -0.1, -0.2]);
    expect(values.find((v) => v.method === "linf" && v.value === -0.2)?.lo).toBeCloseTo(-0.21, 14);
    const svg = await renderSvg(spec);
    expect(svg).toContain("l2 (= standard at every point)");
    expect(svg).toContain("sinTheta: method - standard");
  });

  it("wraps panels into rows of plot.columns", () => {
    const data = rows("sinTheta", () => 0.5);
    const spec = buildFigureSpec(data, axes, parsePlotOptions({ x: "eps", columns: 1 }, axes), "sinTheta");
    expect(spec.columns).toBe(1);
    expect(spec.facet).toMatchObject({ field: "panel", sort: ["s = 20", "s = 500"] });
    expect((spec.data as { values: { panel: string }[] }).values[0].panel).toBe("s = 20");
  });

  it("draws a nominal x axis as grouped points, never joined by lines", () => {
    const nominal: PlotAxis[] = [{ name: "labels", label: "labels", values: ["regression", "classification"] }];
    const data: CellSummaryRow[] = ["regression", "classification"].flatMap((labels, cell) =>
      ["standard", "linf"].map((method) => ({ cell, point: { labels }, method, metric: "sinTheta", replicates: 10, n: 10, failures: 0, mean: 0.5, sd: 0.1, se: 0.03, quantiles: [] })),
    );
    const spec = buildFigureSpec(data, nominal, parsePlotOptions({}, nominal), "sinTheta");
    const layer = spec.layer as { mark: { type: string }; encoding: Record<string, unknown> }[];
    expect(layer.map((l) => l.mark.type)).toEqual(["errorbar", "point"]);
    expect(layer[1].encoding.xOffset).toMatchObject({ field: "method" });
  });

  it("says when a method coincides with another at every point, and when results are partial; prints the fixed values", async () => {
    const data = rows("sinTheta", (s, eps, method) => (method === "standard" ? 0.6 : 0.6));
    const spec = buildFigureSpec(data, axes, parsePlotOptions({}, axes), "sinTheta", { fixed: { d: 500, r: 4 }, missingCells: 2, cells: 6 });
    const subtitle = (spec.title as { subtitle: string[] }).subtitle;
    expect(subtitle[1]).toBe("d = 500, r = 4");
    expect(subtitle[2]).toMatch(/^PARTIAL: 2 of 6 cells have no results yet/);
    const svg = await renderSvg(spec);
    expect(svg).toContain("linf (= standard at every point)");
  });

  it("draws the limits a method reports as dashed curves beside the measured one", () => {
    const data = [...rows("sinTheta", (s, eps) => 0.6 - eps), ...rows("limit.sinTheta.L2", (s, eps) => 0.61 - eps)];
    const spec = buildFigureSpec(data, axes, parsePlotOptions({}, axes), "sinTheta");
    const values = (spec.data as { values: { curve: string }[] }).values;
    expect(new Set(values.map((v) => v.curve))).toEqual(new Set(["measured", "limit L2"]));
    const off = buildFigureSpec(data, axes, parsePlotOptions({ limits: false }, axes), "sinTheta");
    expect(new Set((off.data as { values: { curve: string }[] }).values.map((v) => v.curve))).toEqual(new Set(["measured"]));
  });
});
