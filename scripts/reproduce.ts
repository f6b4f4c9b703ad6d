/**
 * `npm run reproduce`: the paper's claims C1-C3 (MODEL §0, §7) on the default scenario. Runs the
 * sweeps configs/c1-adversarial-radius.json, configs/c2-unlabelled.json,
 * configs/c3-complementarity.json, configs/two-layer-claims.json and configs/two-layer-regimes.json
 * (the two-layer family) and configs/regression-prior-work-{T,n}.json (the regression family's
 * prior-work sweeps) on worker threads (results files under out/reproduce/, resumed
 * when present and computed by this build from these configs, else started over), then writes
 * their tables and figures to docs/results/{c1,c2,c3,two-layer,two-layer-regimes,regression-T,regression-n}/
 * and the report docs/results/README.md.
 *
 * With --where, the section "Where adversarial training helps" adds the sweeps of configs/where-linf-helps-*.json,
 * configs/bounds-n40.json, configs/bounds-n20480.json and configs/limits-l1-grid.json, and
 * `advtransfer tune` with configs/best-radius.json (cached in out/reproduce/ by config and build);
 * L2's accuracy grid (configs/limits-l2-grid-d*.json, about an hour on 2 cores) is read from its
 * committed records in docs/results/where-linf-helps/limits-l2-grid/ and run again only with
 * --limits-grid.
 *
 * Options: --workers N (default: available cores), --fresh (discard earlier results and start
 * over), --replicates R (override the configs' 200; use with --docs elsewhere for a quick look),
 * --docs DIR (default docs/results), --progress auto|bar|lines|off, --where, --limits-grid, --fo-sweep.
 *
 * The section "The prior-work regression model" reads FO ERM's T-sweep (configs/regression-prior-work-T-fo.json,
 * long) from its committed records in docs/results/regression-T/fo/ and runs it again only with --fo-sweep.
 */
import { ensureDirectory } from "../src/runtime/directories.js";
import { dirname, join } from "node:path";
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
import { renderSvg } from "../src/report/renderSvg.js";
import { readConfigFile } from "../src/runtime/configFile.js";
import { readResultsFile } from "../src/runtime/resultsFile.js";
import { type LoadedSweep, executeSweep, loadSweepConfig } from "../src/runtime/sweep.js";
import { axesFromSpec, writeSweepOutputs } from "../src/runtime/sweepOutputs.js";
import { existsSync, readFileSync } from "node:fs";
import { parseTuneSpec } from "../src/experiment/tune.js";
import { runTune } from "../src/runtime/tune.js";
import { type SweepRecords, type TunedCell, whereLinfHelpsReport } from "./whereLinfHelps.js";
import { axesFromRecords } from "../src/report/sweepOutputs.js";
import { mergeMethodRecords, priorWorkSection } from "../src/families/regression/analysis/priorWorkReport.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

const CLAIMS = [
  { key: "c1", config: "configs/c1-adversarial-radius.json" },
  { key: "c2", config: "configs/c2-unlabelled.json" },
  { key: "c3", config: "configs/c3-complementarity.json" },
  { key: "two-layer", config: "configs/two-layer-claims.json" },
  { key: "two-layer-regimes", config: "configs/two-layer-regimes.json" },
  { key: "regression-T", config: "configs/regression-prior-work-T.json" },
  { key: "regression-n", config: "configs/regression-prior-work-n.json" },
] as const;

async function main(): Promise<void> {
  const args = await yargs(hideBin(process.argv))
    .option("workers", { describe: "worker threads (default: available cores)" })
    .option("fresh", { type: "boolean", default: false, describe: "start over instead of resuming earlier results" })
    .option("replicates", { describe: "override the configs' replicate count" })
    .option("docs", { type: "string", default: join(ROOT, "docs", "results"), describe: "where tables, figures and README.md go" })
    .option("progress", { type: "string", default: "auto", choices: ["auto", "bar", "lines", "off"] })
    .option("where", { type: "boolean", default: false, describe: "also run the section \"Where adversarial training helps\" (several minutes)" })
    .option("limits-grid", { type: "boolean", default: false, describe: "with --where: run L2's accuracy grid again (long) instead of reading its committed records" })
    .option("fo-sweep", { type: "boolean", default: false, describe: "run FO ERM's prior-work T-sweep again (long) instead of reading its committed records" })
    .strict()
    .parseAsync();
  const workers = args.workers === undefined ? availableParallelism() : parseInteger("--workers", args.workers, 0, 1024);
  const started = performance.now();
  const records: Record<string, readonly CellRecord[]> = {};
  const loadedByKey: Record<string, LoadedSweep> = {};
  /** A finished sweep's records with what the report needs of its config. */
  const sweepRecords = (key: string, config: string): SweepRecords => ({ records: records[key], axes: axesFromSpec(loadedByKey[key].spec), fixed: loadedByKey[key].fixed, config });
  const runClaim = async (claim: { key: string; config: string }, docsDir: string | null, outputs: { figures?: boolean; replicates?: boolean } = {}) => {
    const raw = readConfigFile(join(ROOT, claim.config));
    if (args.replicates !== undefined && outputs.replicates !== false) raw.replicates = args.replicates;
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
    if (docsDir !== null) {
      ensureDirectory(docsDir);
      await writeSweepOutputs(docsDir, res.records, axesFromSpec(loaded.spec), { plot: loaded.spec.plot, baseline: loaded.spec.baseline, fixed: loaded.fixed, figures: outputs.figures });
    }
    process.stdout.write(
      `${claim.key.toUpperCase()}: ${loaded.plan.cells.length} cells x ${loaded.plan.replicates} replicates, ${res.ran} run and ${res.resumed} resumed in ${res.seconds.toFixed(1)} s${docsDir === null ? "" : `; tables${outputs.figures === false ? "" : " and figures"} in ${docsDir}`}\n`,
    );
  };
  for (const claim of CLAIMS) await runClaim(claim, join(args.docs, claim.key));
  /** The section "Where adversarial training helps" (only with --where: its sweeps take several minutes). */
  const whereSection = async (): Promise<string> => {
    const whereStarted = performance.now();
    const where = join(args.docs, "where-linf-helps");
    // The theory runs (limits and bounds on the same grids, few replicates) feed the section's
    // figures and tables only; their own summaries (several MB) are not written to the docs.
    for (const [key, measured] of [["sparsity", true], ["sparsity-theory", false], ["samples", true], ["samples-theory", false]] as const) {
      await runClaim({ key: `where-linf-helps-${key}`, config: `configs/where-linf-helps-${key}.json` }, measured ? join(where, key) : null);
    }
    for (const key of ["bounds-n40", "bounds-n20480", "limits-l1-grid"]) await runClaim({ key, config: `configs/${key}.json` }, join(where, key), { figures: false });
    const l2Grid: SweepRecords[] = [];
    for (const d of [100, 500]) {
      const key = `limits-l2-grid-d${d}`;
      const committed = join(where, "limits-l2-grid", `d${d}`, "results.jsonl");
      const config = `configs/${key}.json`;
      if (args.limitsGrid) {
        await runClaim({ key, config }, join(where, "limits-l2-grid", `d${d}`), { figures: false, replicates: false });
        writeFileAtomic(committed, readFileSync(join(ROOT, "out", "reproduce", key, "results.jsonl"), "utf8"));
        l2Grid.push(sweepRecords(key, config));
      } else if (existsSync(committed)) {
        const recs = readResultsFile(committed).records.map((r) => r.record);
        l2Grid.push({ records: recs, axes: axesFromRecords(recs), fixed: { d }, config });
      } else {
        process.stdout.write(`${key}: no committed records in ${committed}; run with --limits-grid to compute them (L2's accuracy table has no d = ${d} rows)\n`);
      }
    }
    const tuneRaw = readConfigFile(join(ROOT, "configs", "best-radius.json"));
    if (args.replicates !== undefined) tuneRaw.replicates = args.replicates;
    const tuneLoaded = await loadSweepConfig(tuneRaw, join(ROOT, "configs"));
    const tuned: Record<string, TunedCell> = {};
    for (const metric of ["sinTheta", "targetExcess"]) {
      const spec = parseTuneSpec({ ...(tuneRaw.tune as object), metric });
      // Tune is not resumable; its result is cached by config hash and build.
      const cache = join(ROOT, "out", "reproduce", `tune-${metric}.json`);
      const cached = existsSync(cache) && !args.fresh ? JSON.parse(readFileSync(cache, "utf8")) : null;
      if (cached !== null && cached.hash === tuneLoaded.hash && cached.code === tuneLoaded.code) {
        tuned[metric] = cached.cell;
        process.stdout.write(`TUNE ${metric}: from ${cache}\n`);
        continue;
      }
      const res = await runTune(tuneLoaded, spec, { workers });
      tuned[metric] = res.cells[0];
      ensureDirectory(dirname(cache));
      writeFileAtomic(cache, `${JSON.stringify({ hash: tuneLoaded.hash, code: tuneLoaded.code, cell: res.cells[0] })}\n`);
      process.stdout.write(`TUNE ${metric}: ${res.evaluations} evaluations in ${res.seconds.toFixed(1)} s\n`);
    }
    const whereReport = whereLinfHelpsReport({
      sparsity: sweepRecords("where-linf-helps-sparsity", "configs/where-linf-helps-sparsity.json"),
      sparsityTheory: sweepRecords("where-linf-helps-sparsity-theory", "configs/where-linf-helps-sparsity-theory.json"),
      samples: sweepRecords("where-linf-helps-samples", "configs/where-linf-helps-samples.json"),
      samplesTheory: sweepRecords("where-linf-helps-samples-theory", "configs/where-linf-helps-samples-theory.json"),
      c1: sweepRecords("c1", "configs/c1-adversarial-radius.json"),
      tune: { config: "configs/best-radius.json", replicates: tuneLoaded.plan.replicates, range: parseTuneSpec(tuneRaw.tune).range, sinTheta: tuned.sinTheta, targetExcess: tuned.targetExcess },
      bounds40: sweepRecords("bounds-n40", "configs/bounds-n40.json"),
      bounds20480: sweepRecords("bounds-n20480", "configs/bounds-n20480.json"),
      l1Grid: sweepRecords("limits-l1-grid", "configs/limits-l1-grid.json"),
      l2Grid,
    });
    for (const [rel, spec] of whereReport.figures) {
      const file = join(args.docs, rel);
      ensureDirectory(dirname(file));
      writeFileAtomic(`${file}.vl.json`, `${JSON.stringify(spec, null, 2)}\n`);
      writeFileAtomic(`${file}.svg`, await renderSvg(spec));
    }
    process.stdout.write(`WHERE-LINF-HELPS: ${((performance.now() - whereStarted) / 1000).toFixed(1)} s for the section's sweeps, tuning and figures\n`);
    return whereReport.markdown;
  };
  /**
   * The section "The prior-work regression model": FO ERM's T-sweep (configs/regression-prior-work-T-fo.json,
   * long: preconditioned L-BFGS from a random start needs hundreds of passes per fit) is read from its
   * committed records in docs/results/regression-T/fo/results.jsonl and run again only with --fo-sweep;
   * its methods join the T-sweep's in the table, figures and summary of docs/results/regression-T.
   */
  const priorWorkSectionOf = async (): Promise<string> => {
    const foConfig = "configs/regression-prior-work-T-fo.json";
    const committed = join(args.docs, "regression-T", "fo", "results.jsonl");
    let foRecords: readonly CellRecord[] | null = null;
    let foNote: string;
    if (args.foSweep) {
      await runClaim({ key: "regression-T-fo", config: foConfig }, null);
      ensureDirectory(dirname(committed));
      writeFileAtomic(committed, readFileSync(join(ROOT, "out", "reproduce", "regression-T-fo", "results.jsonl"), "utf8"));
      foRecords = records["regression-T-fo"];
      foNote = `FO's sweep ran in this reproduction (--fo-sweep); its records are in \`docs/results/regression-T/fo/results.jsonl\`.`;
    } else if (existsSync(committed)) {
      foRecords = readResultsFile(committed).records.map((r) => r.record);
      foNote = `FO's records are read from \`docs/results/regression-T/fo/results.jsonl\` (committed; \`npm run reproduce -- --fo-sweep\` computes them again, which takes much longer than the rest of the reproduction: see the README's timing).`;
    } else {
      foNote = `FO's T-sweep has no records in \`${committed}\`: run \`npm run reproduce -- --fo-sweep\` to compute them.`;
      process.stdout.write(`REGRESSION-T-FO: no committed records in ${committed}; run with --fo-sweep to compute them (the T table has no FO column)\n`);
    }
    const tLoaded = loadedByKey["regression-T"];
    const foRaw = readConfigFile(join(ROOT, foConfig));
    if (foRecords !== null) {
      const merged = mergeMethodRecords(records["regression-T"], foRecords);
      const tPlot = tLoaded.spec.plot as { labels?: Record<string, string> } & Record<string, unknown>;
      const foPlot = foRaw.plot as { labels?: Record<string, string> };
      const plot = { ...tPlot, labels: { ...(tPlot.labels ?? {}), ...(foPlot.labels ?? {}) } };
      await writeSweepOutputs(join(args.docs, "regression-T"), merged, axesFromSpec(tLoaded.spec), { plot, baseline: tLoaded.spec.baseline, fixed: tLoaded.fixed });
    }
    const nLoaded = loadedByKey["regression-n"];
    return priorWorkSection({
      T: { records: records["regression-T"], config: "configs/regression-prior-work-T.json", replicates: tLoaded.plan.replicates, seed: tLoaded.plan.seed },
      n: { records: records["regression-n"], config: "configs/regression-prior-work-n.json", replicates: nLoaded.plan.replicates, seed: nLoaded.plan.seed },
      foT: foRecords === null ? null : { records: foRecords, config: foConfig, replicates: foRecords[0]?.replicates ?? 0, seed: foRecords[0]?.seed ?? "" },
      foTNote: foNote,
    });
  };
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
  const whereMarkdown = args.where ? await whereSection() : "";
  const priorWork = await priorWorkSectionOf();
  writeFileAtomic(join(args.docs, "README.md"), `${readme}\n${whereMarkdown === "" ? "" : `${whereMarkdown}\n`}${twoLayerSection}\n${regimesSection}\n${priorWork}`);
  const seconds = (performance.now() - started) / 1000;
  process.stdout.write(`reproduce: ${seconds.toFixed(1)} s with ${workers === 0 ? "no worker threads" : `${workers} worker thread(s)`}; report in ${join(args.docs, "README.md")}\n`);
}

main().catch((err) => {
  process.exitCode = reportError(err);
});
