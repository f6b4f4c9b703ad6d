/**
 * Running a sweep plan: the cells of one shard, skipping cells a previous run already wrote to the
 * results file, each cell's replicates split into tasks for an executor, each finished cell
 * appended to the results file at once. Killing the process loses only the cells in flight.
 */
import { canonicalJson } from "../core/config/canonicalJson.js";
import { type CellRecord, truncateRecord } from "../experiment/cellRecord.js";
import { executePlan } from "../experiment/engine.js";
import type { Executor } from "../experiment/executor.js";
import { type Shard, WHOLE, shardCells } from "../experiment/shard.js";
import type { SweepPlan } from "../experiment/sweepPlan.js";
import type { ProgressReporter } from "./progress.js";
import { type LocatedRecord, ResultsAppender, ResultsFileError, readResultsFile, writeResultsFile } from "./resultsFile.js";

export interface SweepRunOptions {
  readonly plan: SweepPlan;
  /** Hash of sweepIdentity(plan); stored in every line and checked on resume. */
  readonly configHash: string;
  /** Fingerprint of the computing code (codeFingerprint()); stored in every line and checked on resume. */
  readonly code: string;
  readonly executor: Executor;
  readonly resultsFile: string;
  readonly shard?: Shard;
  /** Keep the cells already in the results file (default true); false empties the file first. */
  readonly resume?: boolean;
  readonly progress?: ProgressReporter;
  /** Replicates per task; default ceil(R / (4 workers)), which balances load without much overhead. */
  readonly chunkSize?: number;
  readonly signal?: AbortSignal;
  /** Receives warnings (an incomplete last line discarded, a repeated cell). */
  readonly warn?: (message: string) => void;
  /** Called after each cell is written (tests use it to interrupt a run). */
  readonly onCellWritten?: (record: CellRecord) => void;
}

export interface SweepRunResult {
  /** Records of this shard's cells, sorted by cell index (resumed and new). */
  readonly records: readonly CellRecord[];
  /** Cells run now, and cells found finished in the results file. */
  readonly ran: number;
  readonly resumed: number;
}

/** Checks that a record read back from the file belongs to this plan. */
function checkAgainstPlan(lr: LocatedRecord, plan: SweepPlan, configHash: string, code: string): void {
  const r = lr.record;
  if (r.configHash !== configHash) {
    throw new ResultsFileError(lr.file, lr.line, `written by a different sweep config (configHash ${r.configHash}, this config has ${configHash}); use another output directory, or start over with --no-resume`);
  }
  if (r.code !== code) {
    throw new ResultsFileError(lr.file, lr.line, `computed by a different build of advtransfer (code ${r.code}, this build ${code}), whose numbers may differ; start over with --no-resume, or use another output directory`);
  }
  if (r.cells !== plan.cells.length || r.cell >= plan.cells.length) {
    throw new ResultsFileError(lr.file, lr.line, `cell ${r.cell} of ${r.cells} does not fit this sweep's ${plan.cells.length} cells`);
  }
  const expected = plan.cells[r.cell].cell;
  if (canonicalJson(r.point) !== canonicalJson(expected.point) || canonicalJson(r.params) !== canonicalJson(expected.params)) {
    throw new ResultsFileError(lr.file, lr.line, `cell ${r.cell} has parameters ${canonicalJson(r.params)} but this sweep's cell ${r.cell} has ${canonicalJson(expected.params)}`);
  }
}

/**
 * Runs the cells of `shard` that the results file does not hold yet. Returns when every such cell
 * is written. On an error or an abort no new task starts, the running ones finish (a cell they
 * complete is still written), and the error (or the abort reason) is rethrown; the cells written
 * stay in the file for a resumed run.
 */
export async function runSweep(options: SweepRunOptions): Promise<SweepRunResult> {
  const { plan, configHash, executor, resultsFile } = options;
  const shard = options.shard ?? WHOLE;
  const resume = options.resume ?? true;
  const warn = options.warn ?? (() => undefined);
  const R = plan.replicates;

  let appender: ResultsAppender;
  const finished = new Map<number, CellRecord>();
  if (resume) {
    const contents = readResultsFile(resultsFile, { allowMissing: true });
    for (const lr of contents.records) {
      checkAgainstPlan(lr, plan, configHash, options.code);
      finished.set(lr.record.cell, lr.record);
    }
    contents.warnings.forEach((w) => warn(w));
    appender = new ResultsAppender(resultsFile, contents);
  } else {
    appender = new ResultsAppender(resultsFile, "fresh");
  }

  // A finished cell with at least R replicates is resumed (its first R replicates); one with fewer
  // (a sweep grown with a larger --replicates) is extended with the missing replicates only.
  const mine = shardCells(plan.cells.length, shard);
  const resumedCells = mine.filter((c) => (finished.get(c)?.replicates ?? 0) >= R);
  const partial = new Map<number, CellRecord>();
  for (const c of mine) {
    const rec = finished.get(c);
    if (rec !== undefined && rec.replicates < R) partial.set(c, rec);
  }
  const toRun = mine.filter((c) => !resumedCells.includes(c));
  const progress = options.progress;
  const doneBefore = resumedCells.length * R + [...partial.values()].reduce((acc, r) => acc + r.replicates, 0);
  progress?.start({ totalReplicates: mine.length * R, doneReplicates: doneBefore, totalCells: mine.length, doneCells: resumedCells.length });
  let written: CellRecord[];
  try {
    written = await executePlan({
      plan,
      configHash,
      code: options.code,
      executor,
      cells: toRun,
      partial,
      chunkSize: options.chunkSize,
      signal: options.signal,
      onCell: (record) => {
        appender.append(record);
        options.onCellWritten?.(record);
      },
      onProgress: (done, cells) => progress?.update(doneBefore + done, resumedCells.length + cells),
    });
  } finally {
    appender.close();
    progress?.stop();
  }
  // Extended cells left their shorter lines behind: keep one line per cell, as a fresh run would.
  if (partial.size > 0) writeResultsFile(resultsFile, readResultsFile(resultsFile).records.map((lr) => lr.record));
  const records = [...resumedCells.map((c) => truncateRecord(finished.get(c)!, R)), ...written].sort((a, b) => a.cell - b.cell);
  return { records, ran: written.length, resumed: resumedCells.length };
}
