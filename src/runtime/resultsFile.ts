/**
 * Sweep results files: JSON lines, one finished cell per line (a CellRecord), appended as cells
 * finish. A process killed while writing leaves at most one incomplete last line (each line is
 * written by one write call ending in "\n"); reading detects it, warns and discards it, and
 * resuming truncates it away before appending. Any other malformed line is a ResultsFileError
 * naming the file and line, and the file is left untouched.
 */
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, statSync, truncateSync, writeSync } from "node:fs";
import { configHash } from "../core/config/canonicalJson.js";
import { type CellRecord, CellRecordShapeError, extendsRecord, parseCellRecord, sameRecord } from "../experiment/cellRecord.js";
import { writeFileAtomic } from "./atomicWrite.js";

/** A results file that cannot be used as it is: which file, which line (1-based, 0 if none) and why. */
export class ResultsFileError extends Error {
  readonly file: string;
  readonly line: number;
  constructor(file: string, line: number, reason: string) {
    super(line > 0 ? `${file}:${line}: ${reason}` : `${file}: ${reason}`);
    this.name = "ResultsFileError";
    this.file = file;
    this.line = line;
  }
}

/** A record and the line it came from. */
export interface LocatedRecord {
  readonly record: CellRecord;
  readonly file: string;
  readonly line: number;
}

/** What reading a results file found. */
export interface ResultsFileContents {
  readonly file: string;
  /** Valid records, in file order, duplicates of identical cells removed. */
  readonly records: readonly LocatedRecord[];
  /** Things the reader repaired or ignored (a truncated last line, repeated identical cells). */
  readonly warnings: readonly string[];
  /** Bytes of the file up to the end of the last complete line: the length to truncate to before appending. */
  readonly validBytes: number;
  /** The last line is a valid record without its newline (killed between the two): append "\n" first. */
  readonly missingFinalNewline: boolean;
}

export { configHash };

function parseLine(file: string, lineNo: number, text: string): CellRecord {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new ResultsFileError(file, lineNo, `not valid JSON (${(e as Error).message}); this is not a complete sweep results line`);
  }
  try {
    return parseCellRecord(value);
  } catch (e) {
    if (e instanceof CellRecordShapeError) throw new ResultsFileError(file, lineNo, `not a sweep cell record: ${e.message}`);
    throw e;
  }
}

/**
 * Reads a results file. A missing file reads as empty when `allowMissing`, else is an error.
 * Checks: every complete line is a cell record; all records share one configHash and one cell
 * count; a cell repeated with identical contents is kept once (with a warning), with different
 * contents is an error. The incomplete last line of a killed writer is discarded with a warning.
 */
export function readResultsFile(file: string, options: { allowMissing?: boolean } = {}): ResultsFileContents {
  if (!existsSync(file)) {
    if (options.allowMissing) return { file, records: [], warnings: [], validBytes: 0, missingFinalNewline: false };
    throw new ResultsFileError(file, 0, "no such file");
  }
  if (!statSync(file).isFile()) throw new ResultsFileError(file, 0, "is not a regular file");
  const bytes = readFileSync(file);
  const warnings: string[] = [];
  const lastNewline = bytes.lastIndexOf(0x0a);
  let validBytes = lastNewline + 1;
  const complete = bytes.subarray(0, validBytes).toString("utf8");
  const lines = complete.length === 0 ? [] : complete.slice(0, -1).split("\n");
  const located: LocatedRecord[] = [];
  lines.forEach((text, i) => {
    if (text.trim().length === 0) return;
    located.push({ record: parseLine(file, i + 1, text), file, line: i + 1 });
  });
  let missingFinalNewline = false;
  if (validBytes < bytes.length) {
    const tailLine = lines.length + 1;
    const tail = bytes.subarray(validBytes).toString("utf8");
    if (tail.trim().length > 0) {
      let record: CellRecord | null = null;
      try {
        record = parseCellRecord(JSON.parse(tail));
      } catch {
        record = null;
      }
      if (record !== null) {
        located.push({ record, file, line: tailLine });
        validBytes = bytes.length;
        missingFinalNewline = true;
      } else {
        warnings.push(`${file}:${tailLine}: discarded an incomplete last line (${bytes.length - validBytes} bytes; the writer was interrupted); that cell will be run again`);
      }
    }
  }
  return { file, records: dedupe(located, warnings), warnings, validBytes, missingFinalNewline };
}

/**
 * Checks that records from one or more files belong to one sweep (same configHash, family, seed
 * and cell count) computed by one build (same code fingerprint), and removes repeated cells: an
 * identical repeat is kept once (with a warning), a repeat that extends an earlier line with more
 * replicates (a grown sweep) supersedes it, and any other repeat is an error.
 */
export function dedupe(located: readonly LocatedRecord[], warnings: string[]): LocatedRecord[] {
  if (located.length === 0) return [];
  const out: LocatedRecord[] = [];
  const byCell = new Map<number, LocatedRecord>();
  const first = located[0];
  for (const lr of located) {
    const r = lr.record;
    const f = first.record;
    for (const key of ["configHash", "family", "seed", "cells"] as const) {
      if (r[key] !== f[key]) {
        throw new ResultsFileError(lr.file, lr.line, `${key} = ${JSON.stringify(r[key])} but ${first.file}:${first.line} has ${JSON.stringify(f[key])}: these lines come from different sweep configs`);
      }
    }
    if (r.code !== f.code) {
      throw new ResultsFileError(lr.file, lr.line, `code = ${JSON.stringify(r.code)} but ${first.file}:${first.line} has ${JSON.stringify(f.code)}: these lines were computed by different builds of advtransfer`);
    }
    const prev = byCell.get(r.cell);
    if (prev === undefined) {
      byCell.set(r.cell, lr);
      out.push(lr);
    } else if (sameRecord(prev.record, r)) {
      warnings.push(`${lr.file}:${lr.line}: cell ${r.cell} repeats ${prev.file}:${prev.line} (identical); kept once`);
    } else if (extendsRecord(r, prev.record)) {
      byCell.set(r.cell, lr);
      out[out.indexOf(prev)] = lr;
    } else if (extendsRecord(prev.record, r)) {
      // an earlier line already has these replicates and more
    } else {
      throw new ResultsFileError(lr.file, lr.line, `cell ${r.cell} conflicts with ${prev.file}:${prev.line} (same cell, different outcomes)`);
    }
  }
  return out;
}

/** An open results file to which finished cells are appended. */
export class ResultsAppender {
  private fd: number | null;
  readonly file: string;

  /**
   * Opens `file` for appending after cutting it to `validBytes` (dropping an incomplete last
   * line) and completing a last line that lacks its newline. `fresh` empties the file first.
   */
  constructor(file: string, contents: Pick<ResultsFileContents, "validBytes" | "missingFinalNewline"> | "fresh") {
    this.file = file;
    if (contents === "fresh") {
      this.fd = openSync(file, "w");
    } else {
      if (existsSync(file)) truncateSync(file, contents.validBytes);
      this.fd = openSync(file, "a");
      if (contents.missingFinalNewline) writeSync(this.fd, "\n");
    }
  }

  /** Appends one record as one line in a single write, then flushes it to disk. */
  append(record: CellRecord): void {
    if (this.fd === null) throw new Error(`${this.file}: appender is closed`);
    writeSync(this.fd, `${JSON.stringify(record)}\n`);
    fsyncSync(this.fd);
  }

  close(): void {
    if (this.fd !== null) {
      closeSync(this.fd);
      this.fd = null;
    }
  }
}

/**
 * Writes records sorted by cell index as a complete results file (merge), through a temporary
 * file and a rename, so an existing file is replaced only by a complete one.
 */
export function writeResultsFile(file: string, records: readonly CellRecord[]): void {
  const sorted = [...records].sort((a, b) => a.cell - b.cell);
  writeFileAtomic(file, sorted.map((r) => `${JSON.stringify(r)}\n`).join(""));
}

/**
 * Reads several results files of one sweep (the shards of a cluster run) as one: the same checks
 * as readResultsFile across all lines of all files (one configHash; a cell present in two files
 * must be identical there). Records come back sorted by cell index.
 */
export function readResultsFiles(files: readonly string[]): { records: CellRecord[]; warnings: string[] } {
  if (files.length === 0) throw new Error("no results files given");
  const warnings: string[] = [];
  const located: LocatedRecord[] = [];
  for (const f of files) {
    const contents = readResultsFile(f);
    warnings.push(...contents.warnings);
    located.push(...contents.records);
  }
  const records = dedupe(located, warnings).map((lr) => lr.record);
  return { records: records.sort((a, b) => a.cell - b.cell), warnings };
}
