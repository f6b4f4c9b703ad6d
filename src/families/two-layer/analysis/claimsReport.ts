/**
 * The two-layer section of the reproduction report (docs/results/README.md): the claims C1-C3 on
 * the two-layer family (MODEL §2.3, §3.6), from the records of configs/two-layer-claims.json (one
 * cell per label kind). Every number and every statement is computed from the records: paired
 * comparisons of TWO_LAYER_CLAIM_PAIRS within each cell, a difference called clear beyond
 * CLEAR_SE standard errors.
 */
import type { CellRecord } from "../../../experiment/cellRecord.js";
import { type ClaimComparison, CLEAR_SE, twoLayerClaimsFromRecord } from "./claims.js";
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
  out.push(`  l2 adversarial training ${effect(find(claims, "standard", "l2", "sinTheta"), "sinTheta")}.`);
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
    `Sweep \`configs/two-layer-claims.json\`: the two-layer family's default scenario (MODEL §2.3, docs/TWO_LAYER.md: d = 50 inputs, a teacher supported on s = 10 of them, r = 4 relu units, T = 20 tasks of n = 40 labelled and m = 100 unlabelled samples, n0 = 20 target samples), with regression and with classification labels; methods standard, linf (PGD, eps 0.05), l2 (PGD, eps 0.5), ssl and ssl+linf (pseudo-labels from a network trained on the labelled data against the method's own attack). ${replicates} replicates per cell, seed ${seed}; all methods of a replicate share the truth, the data, the initial network and the test set, so comparisons are paired (improvement = baseline - method, > 0 when the method is better; clear beyond ${CLEAR_SE} SE).\n`,
    "![two-layer sinTheta](two-layer/figures/sinTheta.svg)\n",
    "![two-layer target excess](two-layer/figures/targetExcess.svg)\n",
    ...ordered.map(cellSection),
  ];
  return parts.join("\n");
}
