/**
 * The two-layer section of the reproduction report (docs/results/README.md): the claims C1-C3 on
 * the two-layer family (MODEL §2.3, §3.6), from the records of configs/two-layer-claims.json (one
 * cell per label kind). Every number and every statement is computed from the records: paired
 * comparisons of TWO_LAYER_CLAIM_PAIRS within each cell, a difference called clear beyond
 * CLEAR_SE standard errors.
 */
import type { CellRecord } from "../../../experiment/cellRecord.js";
import { type ClaimComparison, CLEAR_SE, againstBestControl, twoLayerClaimsFromRecord } from "./claims.js";
import { formatMeanSe } from "../../../core/format.js";

const METRIC_TEXT: Record<string, string> = { sinTheta: "sinTheta", targetExcess: "the target excess risk" };

function find(claims: readonly ClaimComparison[], baseline: string, method: string, metric: string): ClaimComparison | undefined {
  return claims.find((c) => c.baseline === baseline && c.method === method && c.metric === metric);
}

/** "lowers sinTheta from 0.957 to 0.651 (improvement 0.306 ± 0.032, clear)". */
function effect(c: ClaimComparison | undefined, metric: string): string {
  if (c === undefined) return `(no ${metric} reported)`;
  const diff = formatMeanSe(c.improvement, c.se);
  const what = METRIC_TEXT[metric] ?? metric;
  // Enough decimals that two different means do not print alike.
  const gap = Math.abs(c.baselineMean - c.methodMean);
  const digits = gap > 0 ? Math.min(6, Math.max(3, 1 - Math.floor(Math.log10(gap)))) : 3;
  const from = `${what} from ${c.baselineMean.toFixed(digits)} to ${c.methodMean.toFixed(digits)}`;
  if (c.verdict === "better") return `lowers ${from} (improvement ${diff}, clear)`;
  if (c.verdict === "worse") return `raises ${from} (improvement ${diff}, clear)`;
  return `moves ${from}, not clearly (improvement ${diff})`;
}

function holds(claims: readonly ClaimComparison[], baseline: string, method: string): "holds" | "fails" | "is not clear" {
  const v = ["sinTheta", "targetExcess"].map((m) => find(claims, baseline, method, m)?.verdict);
  if (v.every((x) => x === "better")) return "holds";
  if (v.some((x) => x === "worse")) return "fails";
  return "is not clear";
}

function cellSection(record: CellRecord): string {
  const labels = String(record.point.labels ?? record.params["scenario.labels"] ?? "regression");
  const robust = labels === "classification" ? "robustErrorLinf" : "robustExcessLinf";
  const claims = twoLayerClaimsFromRecord(record, ["sinTheta", "targetExcess", robust]);
  const out: string[] = [];
  out.push(`### ${labels === "classification" ? "Classification (labels flipped at the scenario's rate, logistic training, linear target head)" : "Regression"}\n`);
  out.push("| claim | baseline | method | metric | baseline mean | method mean | improvement (paired) | verdict |");
  out.push("| --- | --- | --- | --- | --- | --- | --- | --- |");
  for (const c of claims) {
    out.push(`| ${c.claim} | ${c.baseline} | ${c.method} | ${c.metric} | ${c.baselineMean.toFixed(4)} | ${c.methodMean.toFixed(4)} | ${formatMeanSe(c.improvement, c.se)} | ${c.verdict} |`);
  }
  out.push("");
  const line = (claim: string, baseline: string, method: string, text: string) =>
    `- ${claim} ${holds(claims, baseline, method)} here: ${text} ${effect(find(claims, baseline, method, "sinTheta"), "sinTheta")} and ${effect(find(claims, baseline, method, "targetExcess"), "targetExcess")}.`;
  out.push(line("C1", "standard", "linf", "l-inf adversarial training (against standard)"));
  if (find(claims, "standard", "l2", "sinTheta") !== undefined) out.push(`  l2 adversarial training ${effect(find(claims, "standard", "l2", "sinTheta"), "sinTheta")}.`);
  out.push(line("C2", "standard", "ssl", "pseudo-labelling (against standard)"));
  out.push(line("C3", "ssl", "ssl+linf", "l-inf training on top of pseudo-labelling (against pseudo-labelling alone)"));
  out.push(`  Against l-inf training alone, ssl+linf ${effect(find(claims, "linf", "ssl+linf", "sinTheta"), "sinTheta")} and ${effect(find(claims, "linf", "ssl+linf", "targetExcess"), "targetExcess")}.`);
  out.push("");
  return out.join("\n");
}

/**
 * The markdown section "The two-layer family" from the records of configs/two-layer-claims.json,
 * regression first.
 */
export function twoLayerClaimsSection(records: readonly CellRecord[], replicates: number, seed: number | string): string {
  const ordered = [...records].sort((a, b) => a.cell - b.cell);
  const parts = [
    "## The two-layer family\n",
    `Sweep \`configs/two-layer-claims.json\`: the two-layer family's default scenario (MODEL §2.3, docs/TWO_LAYER.md: d = 50 inputs, a teacher supported on s = 10 of them, r = 4 relu units, T = 20 tasks of n = 200 labelled and m = 200 unlabelled samples, n0 = 20 target samples), with regression and with classification labels; methods standard, linf (PGD, eps 0.05), ssl and ssl+linf (a fresh student on the labelled and the pseudo-labelled data) (pseudo-labels from a network trained on the labelled data against the method's own attack). ${replicates} replicates per cell, seed ${seed}; all methods of a replicate share the truth, the data, the initial network and the test set, so comparisons are paired (improvement = baseline - method, > 0 when the method is better; clear beyond ${CLEAR_SE} SE).\n`,
    "![two-layer sinTheta](two-layer/figures/sinTheta.svg)\n",
    "![two-layer target excess](two-layer/figures/targetExcess.svg)\n",
    "For regression, pseudo-labels are the teacher's outputs f_teacher(x): the pseudo-labelled part is a noise-free copy of the teacher's function, so the student can learn no more about W* than the teacher knew; a fresh student only removes the teacher's optimisation path. For classification, signs thresholded at a confidence level discard the teacher's least certain labels and can add information only where the teacher is right more often than the label noise allows (docs/TWO_LAYER.md).\n",
    ...ordered.map(cellSection),
  ];
  return parts.join("\n");
}

/** The controls of configs/two-layer-regimes.json, by label. */
export const TWO_LAYER_CONTROLS = ["l1", "group-lasso", "weight-decay", "input-l1", "early-stop"] as const;

function fmt(x: number): string {
  return Math.abs(x) >= 0.01 ? x.toFixed(3) : x.toPrecision(2);
}

/**
 * The markdown section "Two-layer regimes" from the records of configs/two-layer-regimes.json
 * (axes labels x n): the regime map (figures) and, per cell, l-inf PGD against standard training
 * and against the best control, paired.
 */
export function twoLayerRegimesSection(records: readonly CellRecord[], replicates: number, seed: number | string): string {
  const ordered = [...records].sort((a, b) => a.cell - b.cell);
  const out: string[] = [];
  out.push("## Two-layer regimes and controls\n");
  out.push(
    `Sweep \`configs/two-layer-regimes.json\`: the two-layer default scenario with n = ${[...new Set(ordered.map((r) => r.point.n))].join(", ")} labelled samples per source task, regression and classification labels; methods standard, linf (PGD, eps 0.05) and the controls ${TWO_LAYER_CONTROLS.join(", ")} (one value each, as linf has one eps: l1 0.01 on W's entries, group lasso 0.01 over input coordinates, weight decay 0.001, l1 0.01 on each task's input weights W^T v_t, the linear model's l-inf penalty, and 100 steps of early stopping). ${replicates} replicates per cell, seed ${seed}; paired comparisons (improvement = baseline - linf, > 0 when linf is better; clear beyond ${CLEAR_SE} SE). The best control is the one of lowest mean in the cell, chosen on the same replicates, which favours the control.\n`,
  );
  for (const m of ["sinTheta", "targetExcess", "sourceLoss", "lossGap"]) out.push(`![two-layer regimes ${m}](two-layer-regimes/figures/${m}.svg)\n`);
  out.push("| labels | n | metric | standard | linf | best control | its mean | linf vs standard | verdict | linf vs best control | verdict |");
  out.push("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
  const summary: string[] = [];
  for (const record of ordered) {
    const labels = String(record.point.labels);
    const n = String(record.point.n);
    const rows = againstBestControl(record, "linf", TWO_LAYER_CONTROLS);
    for (const c of rows) {
      out.push(
        `| ${labels} | ${n} | ${c.metric} | ${fmt(c.vsStandard.baselineMean)} | ${fmt(c.vsStandard.methodMean)} | ${c.bestControl} | ${fmt(c.vsBestControl.baselineMean)} | ${formatMeanSe(c.vsStandard.improvement, c.vsStandard.se)} | ${c.vsStandard.verdict} | ${formatMeanSe(c.vsBestControl.improvement, c.vsBestControl.se)} | ${c.vsBestControl.verdict} |`,
      );
    }
    const s = rows.find((c) => c.metric === "sinTheta");
    if (s !== undefined) {
      const vsStd = s.vsStandard.verdict === "better" ? "beats standard training" : s.vsStandard.verdict === "worse" ? "is worse than standard training" : "is not clearly different from standard training";
      const vsCtl = s.vsBestControl.verdict === "better" ? `beats the best control (${s.bestControl})` : s.vsBestControl.verdict === "worse" ? `is worse than the best control (${s.bestControl})` : `is not clearly different from the best control (${s.bestControl})`;
      summary.push(`- ${labels}, n = ${n}: standard training ends at sinTheta ${fmt(s.vsStandard.baselineMean)}; l-inf PGD (${fmt(s.vsStandard.methodMean)}) ${vsStd} and ${vsCtl}.`);
    }
  }
  out.push("");
  out.push(...summary);
  out.push("");
  return out.join("\n");
}
