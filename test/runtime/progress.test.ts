import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createProgressReporter, estimateSecondsLeft, formatDuration, progressLine } from "../../src/runtime/progress.js";

class Sink extends Writable {
  text = "";
  isTTY = false;
  override _write(chunk: Buffer, _enc: string, done: () => void) {
    this.text += chunk.toString();
    done();
  }
}

describe("progress", () => {
  it("estimates the time left from this run's rate only", () => {
    // 30 replicates done now in 10 s, 60 left: 20 s.
    expect(estimateSecondsLeft(30, 10, 60)).toBe(20);
    expect(estimateSecondsLeft(0, 10, 60)).toBeNull();
  });
  it("formats durations", () => {
    expect(formatDuration(42.4)).toBe("42 s");
    expect(formatDuration(185)).toBe("3 min 05 s");
    expect(formatDuration(7620)).toBe("2 h 07 min");
  });
  it("writes plain lines when not on a terminal, starting from resumed work", () => {
    const sink = new Sink();
    let now = 0;
    const p = createProgressReporter({ stream: sink, now: () => now, intervalMs: 1e9, label: "C1" });
    p.start({ totalReplicates: 1000, doneReplicates: 200, totalCells: 5, doneCells: 1 });
    now = 20_000;
    p.update(600, 3);
    p.stop();
    p.stop();
    const lines = sink.text.trim().split("\n");
    expect(lines).toHaveLength(2);
    expect(lines[0]).toBe("C1: 200/1000 replicates (20.0%), 1/5 cells, 0 s elapsed, time left unknown");
    // 400 replicates in 20 s this run, 400 left: 20 s.
    expect(lines[1]).toBe("C1: 600/1000 replicates (60.0%), 3/5 cells, 20 s elapsed, about 20 s left");
    expect(progressLine("x", { totalReplicates: 0, doneReplicates: 0, totalCells: 0, doneCells: 0 }, 0, null)).toContain("(100.0%)");
  });
  it("draws a bar on a terminal", () => {
    const sink = new Sink();
    sink.isTTY = true;
    const p = createProgressReporter({ stream: sink, mode: "bar" });
    p.start({ totalReplicates: 10, doneReplicates: 0, totalCells: 2, doneCells: 0 });
    p.update(10, 2);
    p.stop();
    expect(sink.text).toContain("10/10 replicates");
    expect(sink.text).toContain("cells 2/2");
  });
});
