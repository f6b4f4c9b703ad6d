/** Writing a sweep's tables and figures (report/sweepOutputs.ts) into its output directory, atomically file by file. */
import { dirname, join } from "node:path";
import { ensureDirectory } from "./directories.js";
import type { CellRecord } from "../experiment/cellRecord.js";
import type { PlotAxis } from "../report/figureSpec.js";
import { type SweepOutputOptions, sweepOutputs } from "../report/sweepOutputs.js";
import { writeFileAtomic } from "./atomicWrite.js";

export type { SweepOutputOptions } from "../report/sweepOutputs.js";
export { axesFromRecords, axesFromSpec, figureFileStem } from "../report/sweepOutputs.js";

/** Paths written, relative to the output directory. */
export interface SweepOutputFiles {
  readonly tables: string[];
  readonly figures: string[];
}

/** Aggregates `records` and writes the summary tables and figures into `dir` (created if needed). */
export async function writeSweepOutputs(dir: string, records: readonly CellRecord[], axes: readonly PlotAxis[], options: SweepOutputOptions = {}): Promise<SweepOutputFiles> {
  const outputs = await sweepOutputs(records, axes, options);
  for (const [rel, text] of [...outputs.tables, ...outputs.figures]) {
    ensureDirectory(dirname(join(dir, rel)));
    writeFileAtomic(join(dir, rel), text);
  }
  return { tables: [...outputs.tables.keys()], figures: [...outputs.figures.keys()] };
}
