/**
 * Prints the C1-C3 comparisons of the two-layer family (src/experiment/twoLayerClaims.ts) on the
 * default regression scenario and its classification variant.
 * Usage: node dist/scripts/twoLayerClaims.js [--replicates R] [--json]
 */
import { parseRunConfig } from "../src/experiment/runConfig.js";
import { createDefaultRegistry } from "../src/families/index.js";
import { runReplicates } from "../src/experiment/run.js";
import { twoLayerClaimRuns, twoLayerClaims } from "../src/families/two-layer/analysis/claims.js";
import { formatMeanSe, textTable } from "../src/report/table.js";

const args = process.argv.slice(2);
const at = args.indexOf("--replicates");
const replicates = at >= 0 ? Number(args[at + 1]) : 50;
const json = args.includes("--json");
const registry = createDefaultRegistry();
const all = [];
for (const raw of twoLayerClaimRuns(replicates)) {
  const run = parseRunConfig(raw, registry);
  const results = runReplicates(run);
  const labels = (run.config as { scenario: { labels: string } }).scenario.labels;
  const robust = labels === "regression" ? "robustExcessLinf" : "robustErrorLinf";
  const claims = twoLayerClaims(results, ["sinTheta", "targetExcess", robust]);
  all.push({ labels, replicates, claims });
  if (json) continue;
  console.log(`two-layer, ${labels} labels, default scenario, ${replicates} replicates (paired differences baseline - method; > 0: method better)\n`);
  console.log(
    textTable(
      ["claim", "baseline", "method", "metric", "baseline mean", "method mean", "improvement", "verdict"],
      claims.map((c) => [c.claim, c.baseline, c.method, c.metric, c.baselineMean.toFixed(4), c.methodMean.toFixed(4), formatMeanSe(c.improvement, c.se), c.verdict]),
    ),
  );
  console.log("");
}
if (json) console.log(JSON.stringify(all, null, 2));
