import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildCellRecord, type CellRecord } from "../../src/experiment/cellRecord.js";
import { readResultsFile, readResultsFiles, ResultsAppender, ResultsFileError, writeResultsFile } from "../../src/runtime/resultsFile.js";
import { thrownBy } from "../errors.js";

function record(cell: number, value = cell, hash = "h1"): CellRecord {
  return buildCellRecord({ configHash: hash, code: "c0", family: "fake", seed: 1, cell, cells: 5, point: { a: cell }, params: { "scenario.a": cell } }, ["m"], [
    { replicate: 0, outcomes: [{ method: "m", ok: true, metrics: { v: value } }] },
    { replicate: 1, outcomes: [{ method: "m", ok: true, metrics: { v: value + 0.5 } }] },
  ]);
}
const line = (r: CellRecord) => `${JSON.stringify(r)}\n`;
const dir = () => mkdtempSync(join(tmpdir(), "advtransfer-results-"));

const errorOf = (f: () => unknown) => thrownBy(f, ResultsFileError);

describe("readResultsFile", () => {
  it("reads back appended records exactly", () => {
    const f = join(dir(), "results.jsonl");
    const a = new ResultsAppender(f, "fresh");
    a.append(record(0));
    a.append(record(3));
    a.close();
    const got = readResultsFile(f);
    expect(got.records.map((r) => r.record)).toEqual([record(0), record(3)]);
    expect(got.warnings).toEqual([]);
  });

  it("treats a missing file as empty only when asked", () => {
    const f = join(dir(), "none.jsonl");
    expect(readResultsFile(f, { allowMissing: true }).records).toEqual([]);
    expect(errorOf(() => readResultsFile(f)).message).toContain("no such file");
  });

  it("discards an incomplete last line with a warning, and the appender cuts it away", () => {
    const f = join(dir(), "results.jsonl");
    const partial = line(record(2)).slice(0, 57);
    writeFileSync(f, line(record(0)) + line(record(1)) + partial);
    const got = readResultsFile(f);
    expect(got.records.map((r) => r.record.cell)).toEqual([0, 1]);
    expect(got.warnings).toHaveLength(1);
    expect(got.warnings[0]).toMatch(/results\.jsonl:3: discarded an incomplete last line \(57 bytes/);
    const a = new ResultsAppender(f, got);
    a.append(record(2));
    a.close();
    expect(readFileSync(f, "utf8")).toBe(line(record(0)) + line(record(1)) + line(record(2)));
  });

  it("keeps a complete last line that lost only its newline, and completes it before appending", () => {
    const f = join(dir(), "results.jsonl");
    writeFileSync(f, line(record(0)) + JSON.stringify(record(1)));
    const got = readResultsFile(f);
    expect(got.records.map((r) => r.record.cell)).toEqual([0, 1]);
    expect(got.missingFinalNewline).toBe(true);
    const a = new ResultsAppender(f, got);
    a.append(record(4));
    a.close();
    expect(readFileSync(f, "utf8")).toBe(line(record(0)) + line(record(1)) + line(record(4)));
  });

  it("names file and line of a malformed line before the end, and leaves the file alone", () => {
    const f = join(dir(), "results.jsonl");
    const text = line(record(0)) + '{"format": "advtransfer-sweep-cell/1", "oops"\n' + line(record(1));
    writeFileSync(f, text);
    const e = errorOf(() => readResultsFile(f));
    expect(e.line).toBe(2);
    expect(e.message).toMatch(/results\.jsonl:2: not valid JSON/);
    expect(readFileSync(f, "utf8")).toBe(text);
  });

  it("names the field of a JSON line that is not a cell record", () => {
    const f = join(dir(), "results.jsonl");
    const bad = { ...record(1), replicates: 0 };
    writeFileSync(f, line(record(0)) + `${JSON.stringify(bad)}\n`);
    const e = errorOf(() => readResultsFile(f));
    expect(e.message).toMatch(/:2: not a sweep cell record: replicates: must be a positive integer/);
  });

  it("refuses lines from two different sweeps and conflicting repeats, keeps identical repeats once", () => {
    const d = dir();
    const mixed = join(d, "mixed.jsonl");
    writeFileSync(mixed, line(record(0)) + line(record(1, 1, "h2")));
    expect(errorOf(() => readResultsFile(mixed)).message).toMatch(/mixed\.jsonl:2: configHash = "h2" but .*mixed\.jsonl:1 has "h1"/);
    const builds = join(d, "builds.jsonl");
    writeFileSync(builds, line(record(0)) + line({ ...record(1), code: "c1" }));
    expect(errorOf(() => readResultsFile(builds)).message).toMatch(/builds\.jsonl:2: code = "c1" but .* has "c0": these lines were computed by different builds/);
    const conflict = join(d, "conflict.jsonl");
    writeFileSync(conflict, line(record(0)) + line(record(0, 9)));
    expect(errorOf(() => readResultsFile(conflict)).message).toMatch(/conflict\.jsonl:2: cell 0 conflicts with .*conflict\.jsonl:1/);
    const repeat = join(d, "repeat.jsonl");
    writeFileSync(repeat, line(record(0)) + line(record(0)));
    const got = readResultsFile(repeat);
    expect(got.records).toHaveLength(1);
    expect(got.warnings[0]).toMatch(/identical/);
  });
});

describe("readResultsFiles and writeResultsFile", () => {
  it("merge shards into one sorted file; appending garbage is caught on the merged file", () => {
    const d = dir();
    const s1 = join(d, "s1.jsonl");
    const s2 = join(d, "s2.jsonl");
    writeFileSync(s1, line(record(3)) + line(record(1)));
    writeFileSync(s2, line(record(0)) + line(record(2)) + line(record(4)));
    const merged = readResultsFiles([s1, s2]);
    expect(merged.records.map((r) => r.cell)).toEqual([0, 1, 2, 3, 4]);
    const out = join(d, "merged.jsonl");
    writeResultsFile(out, merged.records);
    expect(readFileSync(out, "utf8")).toBe([0, 1, 2, 3, 4].map((c) => line(record(c))).join(""));
    appendFileSync(out, "not json\n");
    expect(errorOf(() => readResultsFile(out)).line).toBe(6);
  });
});
