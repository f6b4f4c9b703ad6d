/**
 * The reproduction section "Where adversarial training helps" (docs/results/README.md): heatmaps
 * of the paired gain of l-inf over standard training over (s, eps) and over (n, eps / tau) with
 * the best radius per row and the predicted boundary of the limits (MODEL §8), the best radius on
 * MODEL §7's scenario (advtransfer tune) against the theory's, the C1 curves beside B2''/B3' and
 * L1/L2, the sharper bounds at n = 40 and n = 20480, and the accuracy of the limits over grids.
 * Every number and statement is computed from the records it is given; the figures are Vega-Lite
 * specs made with report/ (the script writes them).
 *
 * Comparisons are paired (common random numbers); "clear" means beyond CLEAR_SE paired SEs.
 */
import type { JsonValue } from "../src/core/config/canonicalJson.js";
import { canonicalJson } from "../src/core/config/canonicalJson.js";
import { formatMeanSe, markdownTable } from "../src/core/format.js";
import { mean, median, pairedDifference } from "../src/core/stats.js";
import { summariseBoundChecks, summariseLimits } from "../src/experiment/boundChecks.js";
import type { CellRecord } from "../src/experiment/cellRecord.js";
import { type CellSummaryRow, summariseRecords } from "../src/experiment/cellSummary.js";
import { CLEAR_SE, zScore } from "../src/experiment/claims.js";
import { pairedEffects } from "../src/experiment/pairedEffects.js";
import type { TuneEstimate, TunePoint } from "../src/experiment/tune.js";
import { type PlotAxis, buildFigureSpec, parsePlotOptions } from "../src/report/figureSpec.js";
import { buildHeatmapSpec, heatmapData } from "../src/report/heatmapSpec.js";

/** A sweep's records with its axes and the scenario values its cells share. */
export interface SweepRecords {
  readonly records: readonly CellRecord[];
  readonly axes: readonly PlotAxis[];
  readonly fixed: Readonly<Record<string, JsonValue>>;
  readonly config: string;
}

/** One tuned cell (runtime/tune.ts). */
export interface TunedCell {
  readonly estimate: TuneEstimate;
  readonly atLow: TunePoint;
  readonly theoryValues: readonly { readonly name: string; readonly value: number }[];
  readonly predicted: (TuneEstimate & { readonly replicates: number }) | null;
}

/** Everything the section is computed from. */
export interface WhereLinfHelpsInput {
  /** (s, eps): measured (with a baseline) and the theory run (limits and bounds, fewer replicates) on the same grid. */
  readonly sparsity: SweepRecords;
  readonly sparsityTheory: SweepRecords;
  /** (n, eps / tau): measured and limits. */
  readonly samples: SweepRecords;
  readonly samplesTheory: SweepRecords;
  /** The C1 sweep's records (configs/c1-adversarial-radius.json). */
  readonly c1: SweepRecords;
  /** advtransfer tune on MODEL §7's scenario, for sinTheta and for the target excess. */
  readonly tune: { readonly config: string; readonly replicates: number; readonly range: readonly [number, number]; readonly sinTheta: TunedCell; readonly targetExcess: TunedCell };
  /** One-cell bound checks at n = 40 and n = 20480. */
  readonly bounds40: SweepRecords;
  readonly bounds20480: SweepRecords;
  /** L1's accuracy grid (d, T, n) and L2's (T, n, s, eps at d = 100 and d = 500). */
  readonly l1Grid: SweepRecords;
  readonly l2Grid: readonly SweepRecords[];
}

/** The section's text and its figures (relative path -> Vega-Lite spec). */
export interface WhereLinfHelpsReport {
  readonly markdown: string;
  readonly figures: ReadonlyMap<string, Record<string, JsonValue>>;
}

const METRIC_TEXT: Record<string, string> = { sinTheta: "sinTheta", targetExcess: "the target excess" };
const LABELS: Record<string, string> = {
  sinTheta: "sin theta(U, B*)",
  targetExcess: "target excess linear risk",
  standard: "standard",
  linf: "l-inf adversarial",
  l2: "l2 adversarial",
};

function num(x: number, digits = 3): string {
  if (x === 0) return "0";
  const a = Math.abs(x);
  return a >= 1e-3 && a < 1e5 ? `${Number(x.toPrecision(digits))}` : x.toExponential(2);
}

function signed(m: number, se: number | null): string {
  const text = formatMeanSe(m, se);
  return m > 0 ? `+${text}` : text;
}

function value(x: JsonValue): number {
  if (typeof x !== "number") throw new Error(`expected a number, got ${canonicalJson(x)}`);
  return x;
}

/**
 * The theory run's limit (and bound) rows moved onto the measured cells with the same point, so
 * the figures draw them beside the measured rows (the two runs share replicate streams: the
 * theory's R replicates are the first R of the measured run).
 */
export function mergeTheoryRows(measured: readonly CellRecord[], theory: readonly CellRecord[], keep: (metric: string) => boolean): CellSummaryRow[] {
  const rows = summariseRecords(measured);
  const byPoint = new Map(measured.map((r) => [canonicalJson(r.point as JsonValue), r]));
  for (const row of summariseRecords(theory)) {
    if (!keep(row.metric)) continue;
    const target = byPoint.get(canonicalJson(row.point as JsonValue));
    if (target === undefined) continue;
    rows.push({ ...row, cell: target.cell, point: target.point });
  }
  return rows;
}

const isLimit = (m: string) => m.startsWith("limit.");

/** The rows of one heatmap: per y value, the best x (lowest paired difference), its gain, and the predicted sign change. */
function heatmapTable(s: SweepRecords, theory: SweepRecords, metric: string, xName: string, yName: string) {
  const rows = mergeTheoryRows(s.records, theory.records, isLimit);
  const effects = pairedEffects(s.records, "standard", [metric]);
  const options = parsePlotOptions({ x: xName, heatmap: { y: yName, value: "difference" } }, { axes: s.axes, baseline: "standard" });
  const data = heatmapData(rows, effects, s.axes, options, metric);
  const xAxis = s.axes.find((a) => a.name === xName)!;
  const yAxis = s.axes.find((a) => a.name === yName)!;
  return yAxis.values.map((y, yi) => {
    const cells = data.cells.filter((c) => c.yi === yi);
    const best = cells.find((c) => c.best)!;
    const effect = effects.find((e) => e.cell === best.cell)!;
    const crossings = data.boundary.filter((b) => b.yi === yi).map((b) => {
      const i = Math.floor(b.xi);
      const lo = value(xAxis.values[i]);
      const hi = value(xAxis.values[Math.min(i + 1, xAxis.values.length - 1)]);
      return lo + (hi - lo) * (b.xi - i);
    });
    return { y: value(y), bestX: value(xAxis.values[best.xi]), gain: effect, edge: data.edgeRows.some((e) => e.yi === yi), crossings, clearCells: cells.filter((c) => c.clear && c.value < 0).length };
  });
}

function heatmapFigures(s: SweepRecords, theory: SweepRecords, xName: string, yName: string, stem: string, figures: Map<string, Record<string, JsonValue>>): void {
  const rows = mergeTheoryRows(s.records, theory.records, isLimit);
  const effects = pairedEffects(s.records, "standard");
  const options = parsePlotOptions({ x: xName, heatmap: { y: yName, value: "difference" }, columns: 2, labels: LABELS }, { axes: s.axes, baseline: "standard" });
  for (const metric of ["sinTheta", "targetExcess"]) {
    figures.set(`where-linf-helps/figures/${stem}-${metric}.heatmap`, buildHeatmapSpec(rows, effects, s.axes, options, metric, { fixed: s.fixed }));
  }
}

function sparsitySection(input: WhereLinfHelpsInput, figures: Map<string, Record<string, JsonValue>>): string {
  const s = input.sparsity;
  heatmapFigures(s, input.sparsityTheory, "eps", "s", "sparsity", figures);
  const d = value(s.fixed.d ?? 500);
  const tables = { sinTheta: heatmapTable(s, input.sparsityTheory, "sinTheta", "eps", "s"), targetExcess: heatmapTable(s, input.sparsityTheory, "targetExcess", "eps", "s") };
  const reps = s.records[0].replicates;
  const out: string[] = [];
  out.push(`### Over the support size s and the radius eps\n`);
  out.push(
    `Sweep \`${s.config}\` (${reps} replicates per cell; d = ${d} and the rest as MODEL §7), with \`"baseline": "standard"\`: per cell the paired difference linf - standard (negative: l-inf training is better). ` +
      `The predicted boundary is where L2 - L1 (the limits of l-inf and standard training, MODEL §8) changes sign, from \`${input.sparsityTheory.config}\` (the first ${input.sparsityTheory.records[0].replicates} replicates of the same streams).\n`,
  );
  out.push("![paired gain in sinTheta over (s, eps)](where-linf-helps/figures/sparsity-sinTheta.heatmap.svg)\n");
  out.push("![paired gain in target excess over (s, eps)](where-linf-helps/figures/sparsity-targetExcess.heatmap.svg)\n");
  const header = ["s", "s / d", "best eps (sinTheta)", "gain in sinTheta", "L2 predicts the gain ends at eps", "best eps (excess)", "gain in excess"];
  const body = tables.sinTheta.map((r, i) => {
    const e = tables.targetExcess[i];
    return [
      String(r.y),
      num(r.y / d, 2),
      `${r.bestX}${r.edge ? " (edge)" : ""}`,
      `${signed(r.gain.difference, r.gain.differenceSe)}${r.gain.clear ? "" : " (not clear)"}`,
      r.crossings.length === 0 ? "no sign change" : r.crossings.map((c) => num(c, 2)).join(", "),
      `${e.bestX}${e.edge ? " (edge)" : ""}`,
      `${signed(e.gain.difference, e.gain.differenceSe)}${e.gain.clear ? "" : " (not clear)"}`,
    ];
  });
  out.push(markdownTable(header, body));
  // The paragraph: where it helps, by how much, and whether the limits draw the line.
  const helps = tables.sinTheta.filter((r) => r.gain.clear && r.gain.difference < 0);
  const never = tables.sinTheta.filter((r) => !(r.gain.clear && r.gain.difference < 0));
  const sentences: string[] = [];
  if (helps.length > 0) {
    const strongest = helps.reduce((b, r) => (r.gain.difference < b.gain.difference ? r : b), helps[0]);
    sentences.push(
      `l-inf training clearly lowers sinTheta at its best radius for s in {${helps.map((r) => r.y).join(", ")}} (s / d up to ${num(Math.max(...helps.map((r) => r.y)) / d, 2)}), most at s = ${strongest.y} (${signed(strongest.gain.difference, strongest.gain.differenceSe)} at eps = ${strongest.bestX});`,
    );
  }
  if (never.length > 0) sentences.push(`${helps.length > 0 ? "it does not" : "l-inf training does not"} help at any radius for s in {${never.map((r) => r.y).join(", ")}}, where the best radius is eps = ${[...new Set(never.map((r) => r.bestX))].join(" or ")}${never.every((r) => r.edge) ? ", the edge of the grid: no threshold beats standard training there" : ""}.`);
  const bestRadii = helps.map((r) => r.bestX);
  if (bestRadii.length > 1) sentences.push(`The best radius moves from ${bestRadii[0]} (s = ${helps[0].y}) to ${bestRadii[bestRadii.length - 1]} (s = ${helps[helps.length - 1].y}) as the support grows.`);
  const predictedEnds = tables.sinTheta.filter((r) => r.crossings.length > 0);
  if (predictedEnds.length > 0) {
    sentences.push(
      `L2 predicts a gain that changes sign inside the grid in ${predictedEnds.length} of ${tables.sinTheta.length} rows (black ticks), ` +
        `and no sign change in the rows s in {${tables.sinTheta.filter((r) => r.crossings.length === 0).map((r) => r.y).join(", ") || "none"}}.`,
    );
  }
  const excessHelps = tables.targetExcess.filter((r) => r.gain.clear && r.gain.difference < 0).map((r) => r.y);
  sentences.push(`For the target excess l-inf training helps clearly at its best radius for s in {${excessHelps.join(", ") || "none"}}.`);
  out.push(sentences.join(" ") + "\n");
  return out.join("\n");
}

function samplesSection(input: WhereLinfHelpsInput, figures: Map<string, Record<string, JsonValue>>): string {
  const s = input.samples;
  heatmapFigures(s, input.samplesTheory, "epsOverTau", "nPerTask", "samples", figures);
  const tables = { sinTheta: heatmapTable(s, input.samplesTheory, "sinTheta", "epsOverTau", "nPerTask"), targetExcess: heatmapTable(s, input.samplesTheory, "targetExcess", "epsOverTau", "nPerTask") };
  const out: string[] = [];
  out.push(`### Over the sample size n and the radius in units of tau = sigma / sqrt(n)\n`);
  out.push(
    `Sweep \`${s.config}\` (${s.records[0].replicates} replicates per cell, s = ${s.fixed.s}, d = ${s.fixed.d}): the radius is \`{"tau": k}\`, k sigma / sqrt(n), so each column is one multiple of the noise scale of a source statistic. Predicted boundary from \`${input.samplesTheory.config}\` (${input.samplesTheory.records[0].replicates} replicates).\n`,
  );
  out.push("![paired gain in sinTheta over (n, eps / tau)](where-linf-helps/figures/samples-sinTheta.heatmap.svg)\n");
  out.push("![paired gain in target excess over (n, eps / tau)](where-linf-helps/figures/samples-targetExcess.heatmap.svg)\n");
  const header = ["n", "best eps / tau (sinTheta)", "best eps", "gain in sinTheta", "L2 predicts the gain ends at eps / tau", "best eps / tau (excess)", "gain in excess"];
  const body = tables.sinTheta.map((r, i) => {
    const e = tables.targetExcess[i];
    return [
      String(r.y),
      `${r.bestX}${r.edge ? " (edge)" : ""}`,
      num(r.bestX / Math.sqrt(r.y), 3),
      `${signed(r.gain.difference, r.gain.differenceSe)}${r.gain.clear ? "" : " (not clear)"}`,
      r.crossings.length === 0 ? "no sign change" : r.crossings.map((c) => num(c, 2)).join(", "),
      `${e.bestX}${e.edge ? " (edge)" : ""}`,
      `${signed(e.gain.difference, e.gain.differenceSe)}${e.gain.clear ? "" : " (not clear)"}`,
    ];
  });
  out.push(markdownTable(header, body));
  const multiples = tables.sinTheta.map((r) => r.bestX);
  const gains = tables.sinTheta.map((r) => r.gain.difference);
  const sentences = [
    `In units of tau the best radius for sinTheta stays between ${Math.min(...multiples)} and ${Math.max(...multiples)} over n = ${tables.sinTheta[0].y} to ${tables.sinTheta[tables.sinTheta.length - 1].y}, so the best absolute radius shrinks like 1 / sqrt(n) within the grid's resolution (0.5 tau).`,
    `The gain in sinTheta is ${signed(gains[0], tables.sinTheta[0].gain.differenceSe)} at n = ${tables.sinTheta[0].y} and ${signed(gains[gains.length - 1], tables.sinTheta[tables.sinTheta.length - 1].gain.differenceSe)} at n = ${tables.sinTheta[tables.sinTheta.length - 1].y}; it is clear in ${tables.sinTheta.filter((r) => r.gain.clear && r.gain.difference < 0).length} of ${tables.sinTheta.length} rows.`,
  ];
  out.push(sentences.join(" ") + "\n");
  return out.join("\n");
}

function tuneSection(input: WhereLinfHelpsInput): string {
  const t = input.tune;
  const out: string[] = [];
  out.push("### The best radius on MODEL §7's scenario\n");
  out.push(
    `\`advtransfer tune\` with \`${t.config}\` (${t.replicates} replicates on common random numbers; a grid of 13 radii over [0, 0.6], then 8 golden-section steps; the estimate is the vertex of the parabola through the best evaluated radius and its neighbours, its uncertainty the bootstrap over replicates, 1000 resamples). Beside it the theory: B3's radius eps(delta) at which every off-support coordinate is zeroed with probability 1 - delta, and the minimiser of L2's predicted curve (over the first ${t.sinTheta.predicted?.replicates ?? 0} replicates' truths, with its own bootstrap).\n`,
  );
  const rows = (["sinTheta", "targetExcess"] as const).map((metric) => {
    const c = t[metric];
    const gain = pairedDifference(c.estimate.bestEvaluated.values, c.atLow.values);
    return [
      METRIC_TEXT[metric],
      `${num(c.estimate.value, 3)}${c.estimate.edge ? " (edge)" : ""}`,
      c.estimate.se === null ? "-" : num(c.estimate.se, 2),
      c.estimate.interval === null ? "-" : `[${num(c.estimate.interval[0], 3)}, ${num(c.estimate.interval[1], 3)}]`,
      `${formatMeanSe(c.estimate.bestEvaluated.mean, c.estimate.bestEvaluated.se)} (eps = ${num(c.estimate.bestEvaluated.value, 3)})`,
      gain === null ? "-" : signed(gain.mean, gain.se),
      c.predicted === null ? "-" : `${num(c.predicted.value, 3)}${c.predicted.se === null ? "" : ` ± ${num(c.predicted.se, 2)}`}`,
      c.theoryValues.map((v) => `${v.name} = ${num(v.value, 3)}`).join("; "),
    ];
  });
  out.push(markdownTable(["objective", "best eps", "bootstrap SE", "95% interval", "at the best evaluated radius", "gain over eps = 0", "L2's minimiser", "B3's radius"], rows));
  const s = t.sinTheta;
  const b3 = s.theoryValues[0]?.value;
  const b3Name = (s.theoryValues[0]?.name ?? "eps(delta)").replace(/^B3's /, "");
  const sentences: string[] = [];
  if (s.predicted !== null) {
    const z = (s.estimate.value - s.predicted.value) / Math.hypot(s.estimate.se ?? 0, s.predicted.se ?? 0);
    sentences.push(
      `For sinTheta the measured best radius is ${num(s.estimate.value, 3)} ± ${num(s.estimate.se ?? 0, 2)} and L2's predicted curve is lowest at ${num(s.predicted.value, 3)} ± ${num(s.predicted.se ?? 0, 2)}: ${Math.abs(z) <= 2 ? "they agree within two combined SEs" : `they differ by ${num(Math.abs(z), 2)} combined SEs`}.`,
    );
  }
  if (b3 !== undefined) {
    sentences.push(
      `B3's radius ${b3Name} = ${num(b3, 3)} is ${num(b3 / s.estimate.value, 2)} times the best radius${b3 > input.tune.range[1] ? ` and outside the searched range [${input.tune.range.join(", ")}]` : ""}: it is the radius at which every off-support coordinate is zeroed with probability 1 - delta, a guarantee the best radius does not need (it lets some off-support noise through and shrinks the on-support signal less); B3's radius is a proof device, not a recommendation.`,
    );
  }
  const e = t.targetExcess;
  sentences.push(`For the target excess the best radius is ${num(e.estimate.value, 3)} ± ${num(e.estimate.se ?? 0, 2)}${e.predicted === null ? "" : ` (L2t's minimiser ${num(e.predicted.value, 3)} ± ${num(e.predicted.se ?? 0, 2)})`}.`);
  if (s.estimate.edge || e.estimate.edge) sentences.push("The best grid radius sits on the edge of the search range: the optimum may lie outside it.");
  out.push(sentences.join(" ") + "\n");
  return out.join("\n");
}

function c1TheorySection(input: WhereLinfHelpsInput, figures: Map<string, Record<string, JsonValue>>): string {
  const c1 = input.c1;
  const theory = input.sparsityTheory;
  const keep = (m: string) => isLimit(m) || /^bound\.sinTheta\.(B2''|B3')\.value$/.test(m);
  const rows = mergeTheoryRows(c1.records, theory.records, keep);
  const options = parsePlotOptions({ x: "eps", bounds: ["B2''", "B3'"], labels: LABELS, methods: ["standard", "linf", "l2"] }, { axes: c1.axes });
  for (const metric of ["sinTheta", "targetExcess"]) {
    figures.set(`where-linf-helps/figures/c1-theory-${metric}`, buildFigureSpec(rows, c1.axes, options, metric, { fixed: c1.fixed }));
  }
  // Accuracy of L2 along the C1 curve at s = 20 (measured mean over 200 replicates against the predicted mean over the theory's replicates).
  const sparse = c1.records.filter((r) => r.point.s === 20).sort((a, b) => value(a.point.eps) - value(b.point.eps));
  const lines: string[][] = [];
  const errors: { eps: number; err: number }[] = [];
  for (const r of sparse) {
    const eps = value(r.point.eps);
    const measured = rows.find((x) => x.cell === r.cell && x.method === "linf" && x.metric === "sinTheta")!;
    const pred = rows.find((x) => x.cell === r.cell && x.method === "linf" && x.metric === "limit.sinTheta.L2");
    const bound = rows.find((x) => x.cell === r.cell && x.method === "linf" && x.metric === "bound.sinTheta.B3'.value");
    if (pred === undefined) continue;
    errors.push({ eps, err: measured.mean - pred.mean });
    lines.push([String(eps), formatMeanSe(measured.mean, measured.se), num(pred.mean, 4), signed(measured.mean - pred.mean, null), bound === undefined ? "-" : num(bound.mean, 3)]);
  }
  const out: string[] = [];
  out.push("### The C1 curves beside the theory\n");
  out.push(
    `The measured curves of C1 (\`${c1.config}\`, ${c1.records[0].replicates} replicates) with the limits (dashed: L1 for standard training, L2 for l-inf training) and the sharper bounds B2'' (standard) and B3' (l-inf), capped at the trivial value 1, from \`${theory.config}\` (${theory.records[0].replicates} replicates). l2 training coincides with standard training at every point and is said so in the legend.\n`,
  );
  out.push("![C1 sinTheta with bounds and limits](where-linf-helps/figures/c1-theory-sinTheta.svg)\n");
  out.push("![C1 target excess with limits](where-linf-helps/figures/c1-theory-targetExcess.svg)\n");
  out.push(`l-inf training at s = 20: measured sinTheta against L2's prediction and B3' (mean of the capped bound):\n`);
  out.push(markdownTable(["eps", "measured", "L2", "measured - L2", "B3'"], lines));
  const upTo = (limit: number) => errors.filter((e) => Math.abs(e.err) <= limit).map((e) => e.eps);
  const capped = rows.filter((x) => /^bound\.sinTheta\.(B2''|B3')\.value$/.test(x.metric) && c1.records.some((r) => r.cell === x.cell && r.point.s === 20)).every((x) => x.mean === 1);
  const worst = errors.reduce((b, e) => (Math.abs(e.err) > Math.abs(b.err) ? e : b), errors[0]);
  out.push(
    `L2 is within 0.02 of the measured mean at eps in {${upTo(0.02).join(", ")}} and its largest error on the curve is ${signed(worst.err, null)} at eps = ${worst.eps}${worst.eps >= 0.45 ? ", where thresholding leaves few large coordinates per task and the Gaussian-equivalence assumption of L2 (many entries of small weight) fails" : ""}. ` +
      (capped ? `At n = 40 both bounds sit at their cap over the whole curve (B2'' and B3' vacuous: the next table says why), so only the limits follow the measurements here.\n` : `At n = 40 the bounds fall below their cap only at some radii (table above).\n`),
  );
  return out.join("\n");
}

/** One row of the bounds table: method, bound, measured, median ratio, informative share, coverage/promise. */
function boundsRows(s: SweepRecords, bounds: readonly string[]): string[][] {
  const { rows } = summariseBoundChecks(s.records[0]);
  return rows
    .filter((r) => bounds.includes(r.bound) && r.quantity === "sinTheta")
    .map((r) => [
      String(s.fixed.n ?? ""),
      r.method,
      r.bound,
      formatMeanSe(r.measured.mean, r.measured.se),
      r.ratioMedian === null ? "undefined" : num(r.ratioMedian, 3),
      num(r.informative, 2),
      `${r.coverage.held}/${r.coverage.trials} (promised ${num(r.coverage.promised, 3)})`,
    ]);
}

export function boundsSection(input: Pick<WhereLinfHelpsInput, "bounds40" | "bounds20480">): string {
  const names = ["B2", "B2''", "B3", "B3'", "B3'-E0"];
  const rows = [...boundsRows(input.bounds40, names), ...boundsRows(input.bounds20480, names)];
  const out: string[] = [];
  out.push("### The sharper bounds at n = 40 and n = 20480\n");
  out.push(
    `\`advtransfer bounds\` with \`${input.bounds40.config}\` and \`${input.bounds20480.config}\` (MODEL §7's scenario at n = 40 and at n = 20480, ${input.bounds40.records[0].replicates} replicates, t = 2.5): ratio is the median over replicates of formula / measured (undefined: the formula's denominator is not positive in most replicates), informative the share of replicates where the bound is below its cap 1, coverage the replicates where it held. "-u": unnormalised columns; the others are the paper's normalised columns, whose bounds carry the data's kappa.\n`,
  );
  out.push(markdownTable(["n", "method", "bound", "measured sinTheta", "ratio", "informative", "coverage"], rows));
  const get = (s: SweepRecords, method: string, bound: string) => summariseBoundChecks(s.records[0]).rows.find((r) => r.method === method && r.bound === bound && r.quantity === "sinTheta");
  const std40 = get(input.bounds40, "standard-u", "B2''");
  const std20k = get(input.bounds20480, "standard-u", "B2''");
  const linf20k = get(input.bounds20480, "linf-u eps(0.1)", "B3'");
  const linf20kn = get(input.bounds20480, "linf eps(0.1)", "B3'");
  const b1 = get(input.bounds40, "standard-u", "B1");
  const b1linf = get(input.bounds40, "linf 0.3", "B1");
  const all = [...summariseBoundChecks(input.bounds40.records[0]).rows, ...summariseBoundChecks(input.bounds20480.records[0]).rows].filter((r) => names.includes(r.bound));
  const failures = all.reduce((acc, r) => acc + r.coverage.trials - r.coverage.held, 0);
  const sentences: string[] = [];
  sentences.push(`${failures === 0 ? "Every one of these bounds held in every replicate" : "Some bounds failed"} (${failures} failures in ${all.reduce((a, r) => a + r.coverage.trials, 0)} checks).`);
  if (std40 !== undefined && b1 !== undefined) {
    // B1 is the deterministic ratio ||P_perp M|| / sigma_r(M) of the data; every probabilistic
    // bound of this form bounds it from above, so bound = B1 x (the factor its slack adds). A
    // bound below 1 needs that factor below 1 / B1 (docs/THEORY.md, "Why an informative bound ...").
    const b1Ratio = b1.ratioMedian ?? NaN;
    const added = (std40.ratioMedian ?? NaN) / b1Ratio;
    const need = `a bound on a sinTheta of ${num(std40.measured.mean, 3)} must be within ${num(1 / std40.measured.mean, 3)} times it to fall below 1`;
    sentences.push(
      b1.boundMean < 1
        ? `At n = 40 B2'' is defined where B2 is not (its denominator adds the noise energy instead of subtracting it), but it is not informative: its median ratio is ${num(std40.ratioMedian ?? NaN, 3)} for unnormalised columns, while ${need}. The data-dependent B1 (the ratio ||P_perp M|| / sigma_r(M), which every bound of this form bounds from above) is itself below 1 here: ${num(b1.boundMean, 3)} on average, ${num(b1Ratio, 3)} times the measured value (unnormalised columns). What rules out an informative bound is the factor a probabilistic bound adds on top of B1 (the Gaussian deviation t in the numerator, the lower bound on sigma_r(M) along the fixed basis V_W in the denominator; docs/THEORY.md): it would have to stay below 1 / ${num(b1.boundMean, 3)} = ${num(1 / b1.boundMean, 3)}, and for B2'' it is about ${num(added, 3)} (median ratio over B1's median ratio).`
        : `At n = 40 B2'' is defined where B2 is not (its denominator adds the noise energy instead of subtracting it), but it is not informative: its median ratio is ${num(std40.ratioMedian ?? NaN, 3)} for unnormalised columns, while ${need}; the data-dependent B1 (the ratio ||P_perp M|| / sigma_r(M), which every bound of this form bounds from above) is already ${num(b1.boundMean, 3)} on average (${num(b1Ratio, 3)} times the measured value, unnormalised columns), so no bound of this form can be informative here.`,
    );
  }
  if (b1linf !== undefined) {
    sentences.push(`For l-inf training at n = 40 B3' is vacuous or undefined at every radius: at eps = 0.3 the along-support noise bound exceeds sigma_r(B*^T m), and B1 on the data is ${num(b1linf.boundMean, 3)} (measured ${num(b1linf.measured.mean, 3)}); an informative bound at n = 40 is out of reach for both trainings with these forms.`);
  }
  const b3old = get(input.bounds20480, "linf-u eps(0.1)", "B3");
  if (std20k !== undefined && linf20k !== undefined) {
    sentences.push(
      `At n = 20480 B2'' is ${num(std20k.ratioMedian ?? NaN, 3)} times the measured sinTheta (standard, unnormalised) and B3' ${num(linf20k.ratioMedian ?? NaN, 3)} times (l-inf at eps(0.1), unnormalised${linf20kn === undefined ? "" : `; ${num(linf20kn.ratioMedian ?? NaN, 3)} with the normalised columns' kappa`}${b3old?.ratioMedian == null ? "" : `; B3 is ${num(b3old.ratioMedian, 3)}`}): the goal "within 2x at large n" is ${(std20k.ratioMedian ?? 9) < 2 && (linf20k.ratioMedian ?? 9) < 2 ? "met for unnormalised columns" : "not met"}${linf20kn !== undefined && (linf20kn.ratioMedian ?? 9) >= 2 ? ", and not for normalised l-inf columns, whose kappa factor multiplies the ratio form (the Wedin form, tighter there, does not take kappa: THEORY.md B3')" : ""}.`,
    );
  }
  out.push(sentences.join(" ") + "\n");
  return out.join("\n");
}

function limitsSection(input: WhereLinfHelpsInput): string {
  const out: string[] = [];
  out.push("### How accurate the limits are\n");
  // L1.
  const l1Rows: string[][] = [];
  const l1Stats: { z: number; err: number; cell: string; near: boolean }[] = [];
  for (const r of [...input.l1Grid.records].sort((a, b) => a.cell - b.cell)) {
    const rows = summariseLimits(r).filter((x) => x.quantity === "sinTheta");
    const norm = rows.find((x) => x.method === "standard")!;
    const unnorm = rows.find((x) => x.method === "standard-u")!;
    const cell = `d = ${r.point.d}, T = ${r.point.T}, n = ${r.point.nPerTask}`;
    // theta_r^4 against c: how far above the detection threshold the weakest direction is.
    const near = norm.predicted.mean > 0.9;
    for (const x of [norm, unnorm]) l1Stats.push({ z: x.z, err: x.difference.mean, cell: `${cell} (${x.method})`, near });
    l1Rows.push([String(r.point.d), String(r.point.T), String(r.point.nPerTask), formatMeanSe(norm.measured.mean, norm.measured.se), num(norm.predicted.mean, 4), signed(norm.difference.mean, norm.difference.se), num(norm.z, 2), signed(unnorm.difference.mean, unnorm.difference.se)]);
  }
  const within = l1Stats.filter((x) => Math.abs(x.z) <= 3);
  const far = l1Stats.filter((x) => !x.near);
  const farWithin = far.filter((x) => Math.abs(x.z) <= 3);
  const farMiss = far.filter((x) => Math.abs(x.z) > 3).sort((a, b) => Math.abs(b.err) - Math.abs(a.err));
  const mae = mean(l1Stats.map((x) => Math.abs(x.err)));
  const worst = l1Stats.reduce((b, x) => (Math.abs(x.err) > Math.abs(b.err) ? x : b), l1Stats[0]);
  out.push(
    `**L1** (standard training; \`${input.l1Grid.config}\`, ${input.l1Grid.records[0].replicates} replicates per cell, prediction from each replicate's own sigma_i(W), paired differences measured - predicted). Columns: normalised (the paper's Algorithm 1; its measured and predicted sinTheta, the difference and z), then the difference for unnormalised columns.\n`,
  );
  out.push(markdownTable(["d", "T", "n", "measured", "L1", "measured - L1", "z", "unnormalised: measured - L1"], l1Rows));
  out.push(
    `Over the ${l1Stats.length} (cell, columns) pairs the mean absolute error is ${num(mae, 2)} and the worst ${signed(worst.err, null)} (${worst.cell}); the difference is within 3 paired SE in ${within.length} of ${l1Stats.length}. ` +
      `Where the prediction is below 0.9 (every direction well above the detection threshold theta^4 = c) it is within 3 SE in ${farWithin.length} of ${far.length}; ` +
      (farMiss.length === 0 ? "" : `the misses there are systematic finite-size errors of at most ${num(Math.abs(farMiss[0].err), 2)} (${farMiss[0].cell}), which the SE of ${input.l1Grid.records[0].replicates} replicates resolves. `) +
      `Near the threshold the limit says "no detection" (sinTheta 1) while finite matrices keep some alignment, so L1 is too high there by up to ${num(Math.max(0, ...l1Stats.filter((x) => x.near).map((x) => -x.err)), 2)}.\n`,
  );
  // L2.
  const l2: { err: number; z: number; s: number; d: number; T: number; n: number; eps: number; method: string; measured: number; predicted: number }[] = [];
  for (const g of input.l2Grid) {
    for (const r of g.records) {
      for (const x of summariseLimits(r).filter((y) => y.quantity === "sinTheta")) {
        l2.push({ err: x.difference.mean, z: x.z, s: value(r.point.s), d: value(g.fixed.d ?? 0), T: value(r.point.T), n: value(r.point.nPerTask), eps: value(r.point.eps), method: x.method, measured: x.measured.mean, predicted: x.predicted.mean });
      }
    }
  }
  if (l2.length > 0) {
    const reps = input.l2Grid[0].records[0].replicates;
    const group = (label: string, key: (x: (typeof l2)[number]) => string) => {
      const keys = [...new Set(l2.map(key))];
      return keys.map((k) => {
        const xs = l2.filter((x) => key(x) === k);
        const w = xs.reduce((b, x) => (Math.abs(x.err) > Math.abs(b.err) ? x : b), xs[0]);
        return [label, k, String(xs.length), num(mean(xs.map((x) => Math.abs(x.err))), 2), num(median(xs.map((x) => Math.abs(x.err))) ?? NaN, 2), `${signed(w.err, null)} (d = ${w.d}, s = ${w.s}, T = ${w.T}, n = ${w.n}, eps = ${w.eps}, ${w.method})`, `${xs.filter((x) => Math.abs(x.z) <= 3).length}/${xs.length}`];
      });
    };
    const all = group("all", () => "all cells");
    const set = (key: (x: (typeof l2)[number]) => number) => [...new Set(l2.map(key))].sort((a, b) => a - b).join(", ");
    out.push(
      `**L2** (l-inf training; \`${input.l2Grid.map((g) => g.config).join("`, `")}\`, ${reps} replicates per cell, normalised and unnormalised columns): the absolute error of the predicted mean sinTheta over the grid d in {${set((x) => x.d)}}, T in {${set((x) => x.T)}}, n in {${set((x) => x.n)}}, s in {${set((x) => x.s)}} (s >= r), eps in {${set((x) => x.eps)}}.\n`,
    );
    out.push(
      markdownTable(["group", "value", "cells", "mean abs. error", "median abs. error", "worst cell", "within 3 SE"], [
        ...all,
        ...group("s / d", (x) => num(x.s / x.d, 2)),
        ...group("s = r", (x) => (x.s === 4 ? "s = r = 4" : "s > r")),
        ...group("eps", (x) => String(x.eps)),
        ...group("n", (x) => String(x.n)),
        ...group("T", (x) => String(x.T)),
        ...group("d", (x) => String(x.d)),
      ]),
    );
    const good = l2.filter((x) => x.s > 4 && x.eps <= 0.3);
    const sr = l2.filter((x) => x.s === 4);
    out.push(
      `Away from s = r and for eps <= 0.3 the mean absolute error is ${num(mean(good.map((x) => Math.abs(x.err))), 2)} over ${good.length} cells. ` +
        (sr.length === 0
          ? ""
          : `With s = r = 4 (the support has as many rows as B* has columns; the deterministic equivalent assumes many rows of small weight) the measured sinTheta averages ${num(mean(sr.map((x) => x.measured)), 2)} against ${num(mean(sr.map((x) => x.predicted)), 2)} predicted. `) +
        `The error grows with eps (table), where each task keeps only its few largest coordinates and the thresholded noise is far from Gaussian (the equivalence L2 assumes). A larger reference grid (648 cells, d up to 2000, six radii; numpy, scripts/theory/limits_grid.py) is in docs/THEORY.md, L2.\n`,
    );
  }
  return out.join("\n");
}

/** The whole section. */
export function whereLinfHelpsReport(input: WhereLinfHelpsInput): WhereLinfHelpsReport {
  const figures = new Map<string, Record<string, JsonValue>>();
  const parts = [
    "## Where adversarial training helps\n",
    "Asked \"for which sparsity and which radius does l-inf training help, and by how much?\", the simulator answers with paired gains over standard training on two grids, the best radius with its uncertainty, and the theory beside the measurements: the sharper bounds of MODEL §6.1 and the limits of MODEL §8 (derived in docs/THEORY.md). All comparisons are paired on common random numbers; a gain is clear beyond 3 paired SE.\n",
    sparsitySection(input, figures),
    samplesSection(input, figures),
    tuneSection(input),
    c1TheorySection(input, figures),
    boundsSection(input),
    limitsSection(input),
  ];
  return { markdown: parts.join("\n"), figures };
}

export { CLEAR_SE, zScore };
