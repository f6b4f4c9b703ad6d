import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { parseShard, replicateChunks, shardCells } from "../../src/experiment/shard.js";
import { ConfigError } from "../../src/core/config/parse.js";

describe("parseShard", () => {
  it("parses i/N with 1 <= i <= N", () => {
    expect(parseShard("1/1")).toEqual({ index: 1, count: 1 });
    expect(parseShard(" 3 / 8 ")).toEqual({ index: 3, count: 8 });
  });
  it("rejects everything else with a ConfigError on --shard", () => {
    for (const bad of ["0/4", "5/4", "1/0", "a/b", "1", "1/2/3", "-1/2", "1.5/2", ""]) {
      expect(() => parseShard(bad)).toThrow(ConfigError);
    }
    expect(() => parseShard("5/4")).toThrow(/--shard = "5\/4"/);
  });
});

describe("shardCells", () => {
  // Invariant (shard.ts): the N shards partition the cells 0..C-1, each cell in exactly one shard.
  it("partitions the cells (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 200 }), fc.integer({ min: 1, max: 20 }), (cells, count) => {
        const all: number[] = [];
        for (let i = 1; i <= count; i++) {
          const mine = shardCells(cells, { index: i, count });
          expect([...mine].sort((a, b) => a - b)).toEqual(mine);
          all.push(...mine);
        }
        expect(all.sort((a, b) => a - b)).toEqual(Array.from({ length: cells }, (_, c) => c));
      }),
    );
  });
  it("deals cells round-robin", () => {
    expect(shardCells(7, { index: 2, count: 3 })).toEqual([1, 4]);
  });
});

describe("replicateChunks", () => {
  // Invariant: chunks are consecutive, cover [0, R) exactly, and have chunkSize elements except the last.
  it("covers [0, R) with consecutive ranges (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 500 }), fc.integer({ min: 1, max: 60 }), (R, size) => {
        const chunks = replicateChunks(R, size);
        let next = 0;
        chunks.forEach((c, i) => {
          expect(c.from).toBe(next);
          expect(c.to - c.from).toBe(i === chunks.length - 1 ? R - c.from : size);
          next = c.to;
        });
        expect(next).toBe(R);
      }),
    );
  });
  it("rejects a non-positive chunk size", () => {
    expect(() => replicateChunks(10, 0)).toThrow(RangeError);
  });
});
