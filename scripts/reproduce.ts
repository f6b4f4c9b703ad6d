/**
 * `npm run reproduce`: the paper's claims C1-C3 (MODEL §0, §7) on the default scenario. Runs the
 * sweeps configs/c1-adversarial-radius.json, configs/c2-unlabelled.json,
 * configs/c3-complementarity.json, configs/two-layer-claims.json and configs/two-layer-regimes.json (the two-layer family) on
 * worker threads (results files under out/reproduce/, resumed
 * when present and computed by this build from these configs, else started over), then writes
 * their tables and figures to docs/results/{c1,c2,c3,two-layer,two-layer-regimes}/ and the report docs/results/README.md.
 *
 * Options: --workers N (default: available cores), --fresh (discard earlier results and start
 * over), --replicates R (override the configs' 200; use with --docs elsewhere for a quick look),
 * --docs DIR (default docs/results), --progress auto|bar|lines|off.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import yargs from "yargs";
import { hideBin } from "yargs/helpers";
import { availableParallelism } from "node:os";
import { reportError } from "../src/cli/output.js";
import type { JsonValue } from "../src/core/config/canonicalJson.js";
import { parseInteger } from "../src/core/config/parse.js";
import type { CellRecord } from "../src/experiment/cellRecord.js";
import { claimsReadme } from "../src/families/mixture/analysis/reproductionReport.js";
import { twoLayerClaimsSection, twoLayerRegimesSection } from "../src/families/two-layer/analysis/claimsReport.js";
import { writeFileAtomic } from "../src/runtime/atomicWrite.js";
import { readConfigFile } from "../src/runtime/configFile.js";
import { readResultsFile } from "../src/runtime/resultsFile.js";
import { type LoadedSweep, executeSweep, loadSweepConfig } from "../src/runtime/sweep.js";
import { axesFromSpec, writeSweepOutputs } from "../src/runtime/sweepOutputs.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

const CLAIMS = [
  { key: "c1", config: "configs/c1-adversarial-radius.json" },
  { key: "c2", config: "configs/c2-unlabelled.json" },
  { key: "c3", config: "configs/c3-complementarity.json" },
  { key: "two-layer", config: "configs/two-layer-claims.json" },
  { key: "two-layer-regimes", config: "configs/two-layer-regimes.json" },
] as const;

async function main(): Promise<void> {
  const args = await yargs(hideBin(process.argv))
    .option("workers", { describe: "worker threads (default: available cores)" })
    .option("fresh", { type: "boolean", default: false, describe: "start over instead of resuming earlier results" })
    .option("replicates", { describe: "override the configs' replicate count" })
    .option("docs", { type: "string", default: join(ROOT, "docs", "results"), describe: "where tables, figures and README.md go" })
    .option("progress", { type: "string", default: "auto", choices: ["auto", "bar", "lines", "off"] })
    .strict()
    .parseAsync();
  const workers = args.workers === undefined ? availableParallelism() : parseInteger("--workers", args.workers, 0, 1024);
  const started = performance.now();
  const records: Record<string, readonly CellRecord[]> = {};
  const loadedByKey: Record<string, LoadedSweep> = {};
  for (const claim of CLAIMS) {
    const raw = readConfigFile(join(ROOT, claim.config));
    if (args.replicates !== undefined) raw.replicates = args.replicates;
    const loaded = await loadSweepConfig(raw, join(ROOT, "configs"));
    loadedByKey[claim.key] = loaded;
    const out = join(ROOT, "out", "reproduce", claim.key);
    // out/reproduce is this script's own cache: results of another config or build are replaced
    // (a sweep command would refuse them), a malformed file is still an error.
    let resume = !args.fresh;
    const previous = readResultsFile(join(out, "results.jsonl"), { allowMissing: true }).records[0]?.record;
    if (resume && previous !== undefined && (previous.configHash !== loaded.hash || previous.code !== loaded.code)) {
      process.stdout.write(`${claim.key.toUpperCase()}: the results in ${out} come from another ${previous.configHash !== loaded.hash ? "config" : "build"}; starting over\n`);
      resume = false;
    }
    const res = await executeSweep(loaded, {
      out,
      workers,
      resume,
      progress: args.progress as "auto",
      progressLabel: claim.key.toUpperCase(),
    });
    records[claim.key] = res.records;
    const docs = join(args.docs, claim.key);
    mkdirSync(docs, { recursive: true });
    await writeSweepOutputs(docs, res.records, axesFromSpec(loaded.spec), { plot: loaded.spec.plot });
    process.stdout.write(
      `${claim.key.toUpperCase()}: ${loaded.plan.cells.length} cells x ${loaded.plan.replicates} replicates, ${res.ran} run and ${res.resumed} resumed in ${res.seconds.toFixed(1)} s; tables and figures in ${docs}\n`,
    );
  }
  const c3 = loadedByKey.c3;
  const c2Methods = loadedByKey.c2.spec.base.methods as { label?: string; eps?: number }[];
  const teacherEps = c2Methods.find((m) => m.label === "linf")?.eps;
  if (typeof teacherEps !== "number") throw new Error('configs/c2-unlabelled.json: expected a method labelled "linf" with an eps');
  const c3Scenario = c3.spec.base.scenario as Record<string, JsonValue>;
  const readme = claimsReadme({
    c1: records.c1,
    c2: records.c2,
    c3: records.c3,
    scenario: Object.fromEntries(Object.entries(c3Scenario).filter(([k]) => k !== "m")),
    replicates: c3.plan.replicates,
    seed: c3.plan.seed,
    c3UnlabelledPerTask: c3Scenario.m as number,
    teacherEps,
  });
  const twoLayer = loadedByKey["two-layer"];
  const twoLayerSection = twoLayerClaimsSection(records["two-layer"], twoLayer.plan.replicates, twoLayer.plan.seed);
  const regimes = loadedByKey["two-layer-regimes"];
  // The section reads n from each cell's point; the sweep's axis is named nPerTask (a summary
  // table already has a column n, the replicate count), so n is taken from the cell's parameters.
  const regimeRecords = records["two-layer-regimes"].map((r) => ({ ...r, point: { ...r.point, n: r.params["scenario.n"] } }));
  const regimesSection = twoLayerRegimesSection(regimeRecords, regimes.plan.replicates, regimes.plan.seed);
  writeFileAtomic(join(args.docs, "README.md"), `${readme}\n${twoLayerSection}\n${regimesSection}`);
  const seconds = (performance.now() - started) / 1000;
  process.stdout.write(`reproduce: ${seconds.toFixed(1)} s with ${workers === 0 ? "no worker threads" : `${workers} worker thread(s)`}; report in ${join(args.docs, "README.md")}\n`);
}

main().catch((err) => {
  process.exitCode = reportError(err);
});
