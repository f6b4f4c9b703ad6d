/**
 * The section "The prior-work regression model" of docs/results/README.md (MODEL §2.2, §3.5, §7):
 * sinTheta(U, B*) and the target parameter error ||beta_hat_0 - beta_0|| of the method of moments,
 * the spectral estimator, AltMin ERM and FO ERM against the number of source tasks T (n = 25) and
 * against the samples per task n (T = 20), from the records of configs/regression-prior-work-{T,n}.json
 * and configs/regression-prior-work-T-fo.json; the paired comparison ERM vs MoM that MODEL §7's
 * expected picture names, FO's agreement with AltMin, and log-log slopes against T n.
 * Pure: a function of the records.
 */
import type { CellRecord, MethodRecord } from "../../../experiment/cellRecord.js";
import { CLEAR_SE, comparePaired } from "../../../experiment/claims.js";
import { formatMeanSe, markdownTable } from "../../../core/format.js";
import { mean, standardError, weightedSlope } from "../../../core/stats.js";

/** The records of one sweep and what the section says of it. */
export interface PriorWorkSweep {
  readonly records: readonly CellRecord[];
  readonly config: string;
  readonly replicates: number;
  readonly seed: number | string;
}

/** Method labels of the prior-work configs, in the tables' order, with their display names. */
export const PRIOR_WORK_METHODS: readonly (readonly [string, string])[] = [
  ["mom", "MoM"],
  ["spectral", "spectral"],
  ["altmin", "AltMin"],
  ["fo", "FO"],
];

/**
 * The records of two sweeps over the same cells (same points, same replicate count, disjoint
 * method labels) as one sweep's: each cell's methods are a's then b's.
 * @throws Error when the cells, points or replicate counts differ, or a label is in both.
 */
export function mergeMethodRecords(a: readonly CellRecord[], b: readonly CellRecord[]): CellRecord[] {
  const byCell = new Map(b.map((r) => [r.cell, r]));
  if (byCell.size !== a.length) throw new Error(`mergeMethodRecords: ${a.length} cells against ${byCell.size}`);
  return a.map((ra) => {
    const rb = byCell.get(ra.cell);
    if (rb === undefined) throw new Error(`mergeMethodRecords: cell ${ra.cell} missing from the second sweep`);
    if (JSON.stringify(ra.point) !== JSON.stringify(rb.point)) throw new Error(`mergeMethodRecords: cell ${ra.cell} is ${JSON.stringify(ra.point)} in one sweep and ${JSON.stringify(rb.point)} in the other`);
    if (ra.replicates !== rb.replicates) throw new Error(`mergeMethodRecords: cell ${ra.cell} has ${ra.replicates} and ${rb.replicates} replicates`);
    const labels = new Set(ra.methods.map((m) => m.method));
    for (const m of rb.methods) if (labels.has(m.method)) throw new Error(`mergeMethodRecords: method ${m.method} is in both sweeps`);
    return { ...ra, methods: [...ra.methods, ...rb.methods] };
  });
}

function column(m: MethodRecord | undefined, metric: string): (number | null)[] | null {
  const c = m?.metrics[metric];
  return c === undefined ? null : [...c];
}

function values(col: readonly (number | null)[] | null): number[] {
  return col === null ? [] : (col.filter((v) => v !== null) as number[]);
}

function fmt3(x: number): string {
  return Math.abs(x) >= 0.01 ? x.toFixed(3) : x.toPrecision(2);
}

/** "mean ± se" of a method's metric in a cell. */
function cellText(record: CellRecord, label: string, metric: string): string {
  const xs = values(column(record.methods.find((x) => x.method === label), metric));
  return xs.length === 0 ? "-" : formatMeanSe(mean(xs), standardError(xs));
}

/** " (k failed)" when some of a method's replicates failed in the cell. */
function failedText(record: CellRecord, label: string): string {
  const k = record.methods.find((x) => x.method === label)?.failures.length ?? 0;
  return k > 0 ? ` (${k} failed)` : "";
}

/** The x value of a cell (the sweep's single axis). */
function xOf(record: CellRecord): number {
  const v = Object.values(record.point)[0];
  return typeof v === "number" ? v : Number(v);
}

/**
 * The log-log slope of a method's mean metric against x over the cells where the mean is below
 * `below` (where the method "works"), weighted by (mean / se)^2; null with fewer than 3 such cells.
 */
export function logLogSlope(records: readonly CellRecord[], label: string, metric: string, below: number): { slope: number; se: number; from: number; to: number; points: number } | null {
  const xs: number[] = [];
  const ys: number[] = [];
  const ws: number[] = [];
  for (const r of [...records].sort((a, b) => xOf(a) - xOf(b))) {
    const v = values(column(r.methods.find((m) => m.method === label), metric));
    if (v.length < 2) continue;
    const mu = mean(v);
    const se = standardError(v);
    if (!(mu < below) || se === null || !(se > 0)) continue;
    xs.push(Math.log(xOf(r)));
    ys.push(Math.log(mu));
    ws.push((mu / se) ** 2);
  }
  if (xs.length < 3) return null;
  const fit = weightedSlope(xs, ys, ws);
  if (fit === null) return null;
  return { slope: fit.slope, se: fit.se, from: Math.round(Math.exp(xs[0])), to: Math.round(Math.exp(xs[xs.length - 1])), points: xs.length };
}

function sweepTable(records: readonly CellRecord[], axisLabel: string): string {
  const labels = PRIOR_WORK_METHODS.filter(([l]) => records.some((r) => r.methods.some((m) => m.method === l)));
  const rows = [...records]
    .sort((a, b) => xOf(a) - xOf(b))
    .map((r) => [String(xOf(r)), ...labels.map(([l]) => `${cellText(r, l, "sinTheta")} / ${cellText(r, l, "targetParameterError")}${failedText(r, l)}`)]);
  return markdownTable([axisLabel, ...labels.map(([, name]) => name)], rows);
}

/** Paired ERM (AltMin) vs MoM per cell on sinTheta: "better" where AltMin is lower beyond CLEAR_SE SE. */
function ermVsMom(records: readonly CellRecord[]): { x: number; mom: number; altmin: number; improvement: number; se: number; verdict: string }[] {
  const out = [];
  for (const r of [...records].sort((a, b) => xOf(a) - xOf(b))) {
    const mom = column(r.methods.find((m) => m.method === "mom"), "sinTheta");
    const alt = column(r.methods.find((m) => m.method === "altmin"), "sinTheta");
    if (mom === null || alt === null) continue;
    const c = comparePaired(mom, alt);
    if (c === null) continue;
    out.push({ x: xOf(r), mom: c.baselineMean, altmin: c.methodMean, improvement: c.improvement, se: c.se, verdict: c.verdict });
  }
  return out;
}

/** The largest |sinTheta_FO - sinTheta_AltMin| over the replicates of a cell (both reported), and the count. */
function foAgreement(record: CellRecord): { max: number; n: number } | null {
  const fo = column(record.methods.find((m) => m.method === "fo"), "sinTheta");
  const alt = column(record.methods.find((m) => m.method === "altmin"), "sinTheta");
  if (fo === null || alt === null) return null;
  let max = 0;
  let n = 0;
  for (let k = 0; k < fo.length; k++) {
    const a = fo[k];
    const b = alt[k];
    if (a === null || b === null) continue;
    max = Math.max(max, Math.abs(a - b));
    n++;
  }
  return n === 0 ? null : { max, n };
}

function failureNotes(records: readonly CellRecord[], axis: string): string[] {
  const notes: string[] = [];
  for (const r of [...records].sort((a, b) => xOf(a) - xOf(b))) {
    for (const m of r.methods) {
      if (m.failures.length === 0) continue;
      const reason = m.failures[0].reason.replace(/\(relative .*$/, "").replace(/\s+$/, "");
      notes.push(`${m.method} at ${axis} = ${xOf(r)}: ${m.failures.length} of ${r.replicates} replicates failed (first reason: ${reason})`);
    }
  }
  return notes;
}

function sweepProse(records: readonly CellRecord[], axis: "T" | "n", fixed: string): string[] {
  const out: string[] = [];
  const cmp = ermVsMom(records);
  const better = cmp.filter((c) => c.verdict === "better");
  if (cmp.length > 0) {
    const range = (cs: typeof cmp) => (cs.length === 0 ? "none" : cs.map((c) => c.x).join(", "));
    out.push(
      `- AltMin ERM against the method of moments, paired on sinTheta (MoM - AltMin, clear beyond ${CLEAR_SE} SE): AltMin is clearly better at ${axis} = ${range(better)}${better.length === cmp.length ? " (every point)" : `, not clearly at ${range(cmp.filter((c) => c.verdict !== "better"))}`}; the largest gap is ${fmt3(Math.max(...cmp.map((c) => c.improvement)))} (${fixed}).`,
    );
  }
  for (const [label, name] of PRIOR_WORK_METHODS) {
    const s = logLogSlope(records, label, "sinTheta", 0.7);
    if (s === null) continue;
    out.push(`- ${name}: log-log slope of mean sinTheta against ${axis} over the ${s.points} points with mean sinTheta < 0.7 (${axis} = ${s.from} ... ${s.to}): ${s.slope.toFixed(3)} ± ${s.se.toFixed(3)} (weighted by (mean / SE)^2; the SE assumes a power law over that range; a 1/sqrt(T n) rate gives -0.5).`);
  }
  const agree = [...records].sort((a, b) => xOf(a) - xOf(b)).map((r) => [xOf(r), foAgreement(r)] as const).filter((e) => e[1] !== null);
  if (agree.length > 0) {
    out.push(`- FO against AltMin, largest |sinTheta_FO - sinTheta_AltMin| over the replicates: ${agree.map(([x, a]) => `${x}: ${(a as { max: number }).max.toExponential(1)}`).join(", ")} (${axis}: value).`);
  }
  const notes = failureNotes(records, axis);
  if (notes.length > 0) out.push(`- Failures (reported, with their values still in the means): ${notes.join("; ")}.`);
  return out;
}

/**
 * The markdown section from the T-sweep (with FO's T-sweep merged in when given) and the n-sweep.
 * `foT` null: the T table has no FO column, and the section says where FO's records would come from.
 */
export function priorWorkSection(input: { T: PriorWorkSweep; n: PriorWorkSweep; foT: PriorWorkSweep | null; foTNote: string }): string {
  const tRecords = input.foT === null ? input.T.records : mergeMethodRecords(input.T.records, input.foT.records);
  const out: string[] = [];
  out.push("## The prior-work regression model\n");
  out.push(
    `The regression family's \`prior-work\` generator (MODEL §2.2: d = 100, r = 5, B* Haar, heads N(0, I_r / r), x ~ N(0, I_d), sigma = 1, n0 = 25 target samples) with the method of moments (MoM), the spectral estimator (per-task least squares, minimum norm for n < d), ERM by alternating minimisation from the MoM start (AltMin) and the non-convex FO ERM with the balancing term (preconditioned L-BFGS from a random balanced start, THEORY R3). Each cell is "mean ± SE of sinTheta(U, B*) / mean ± SE of ||beta_hat_0 - beta_0||"; all methods of a replicate share the truth and the data (FO's T-sweep too: same seed), so comparisons are paired.\n`,
  );
  out.push(`### Against the number of source tasks T (n = 25)\n`);
  out.push(`Sweeps \`${input.T.config}\` (${input.T.replicates} replicates per point, seed ${input.T.seed})${input.foT === null ? "" : ` and \`${input.foT.config}\` (FO, ${input.foT.replicates} replicates, seed ${input.foT.seed})`}. ${input.foTNote}\n`);
  out.push("![prior-work T sinTheta](regression-T/figures/sinTheta.svg)\n");
  out.push("![prior-work T target error](regression-T/figures/targetParameterError.svg)\n");
  out.push(sweepTable(tRecords, "T"));
  out.push(...sweepProse(tRecords, "T", "n = 25"));
  out.push("");
  out.push(`### Against the samples per task n (T = 20)\n`);
  out.push(`Sweep \`${input.n.config}\` (${input.n.replicates} replicates per point, seed ${input.n.seed}).\n`);
  out.push("![prior-work n sinTheta](regression-n/figures/sinTheta.svg)\n");
  out.push("![prior-work n target error](regression-n/figures/targetParameterError.svg)\n");
  out.push(sweepTable(input.n.records, "n"));
  out.push(...sweepProse(input.n.records, "n", "T = 20"));
  out.push("");
  return out.join("\n");
}
