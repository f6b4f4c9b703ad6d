/**
 * Progress of a sweep, on stderr: a progress bar with the estimated time left when stderr is a
 * terminal (cli-progress), plain periodic lines otherwise (log files of batch jobs), or nothing.
 */
import type { Writable } from "node:stream";
import cliProgress from "cli-progress";

/** Counts of a sweep's work: replicates and cells, done and in total (this shard only). */
export interface ProgressState {
  readonly totalReplicates: number;
  readonly doneReplicates: number;
  readonly totalCells: number;
  readonly doneCells: number;
}

export interface ProgressReporter {
  /** Called once before work starts; done counts include cells finished in an earlier run. */
  start(state: ProgressState): void;
  update(doneReplicates: number, doneCells: number): void;
  /** Prints the final state and releases the terminal; safe to call twice. */
  stop(): void;
}

/**
 * Seconds left at the rate of this run: remaining * elapsed / doneThisRun. Null before
 * anything was done in this run (work resumed from a file says nothing about the speed).
 */
export function estimateSecondsLeft(doneThisRun: number, elapsedSeconds: number, remaining: number): number | null {
  if (doneThisRun <= 0 || elapsedSeconds <= 0) return null;
  return (remaining * elapsedSeconds) / doneThisRun;
}

/** "42 s", "3 min 05 s", "2 h 07 min". */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, "0")} s`;
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, "0")} min`;
}

/** The text of one progress line. */
export function progressLine(label: string, state: ProgressState, elapsedSeconds: number, secondsLeft: number | null): string {
  const pct = state.totalReplicates === 0 ? 100 : (100 * state.doneReplicates) / state.totalReplicates;
  const left = secondsLeft === null ? "time left unknown" : `about ${formatDuration(secondsLeft)} left`;
  return `${label}: ${state.doneReplicates}/${state.totalReplicates} replicates (${pct.toFixed(1)}%), ${state.doneCells}/${state.totalCells} cells, ${formatDuration(elapsedSeconds)} elapsed, ${left}`;
}

/** How progress is shown: a bar on a terminal or plain lines ("auto"), always one of them, or nothing. */
export type ProgressMode = "auto" | "bar" | "lines" | "off";

export interface ProgressOptions {
  /** "auto": bar on a terminal, lines otherwise. */
  readonly mode?: "auto" | "bar" | "lines" | "off";
  readonly stream?: Writable & { isTTY?: boolean };
  /** Milliseconds between plain lines (default 10 s). */
  readonly intervalMs?: number;
  readonly label?: string;
  /** Clock in milliseconds (tests). */
  readonly now?: () => number;
}

class SilentProgress implements ProgressReporter {
  start(): void {}
  update(): void {}
  stop(): void {}
}

class LineProgress implements ProgressReporter {
  private state: ProgressState = { totalReplicates: 0, doneReplicates: 0, totalCells: 0, doneCells: 0 };
  private startedAt = 0;
  private resumedReplicates = 0;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  constructor(
    private readonly stream: Writable,
    private readonly label: string,
    private readonly intervalMs: number,
    private readonly now: () => number,
  ) {}

  private print(): void {
    const elapsed = (this.now() - this.startedAt) / 1000;
    const left = estimateSecondsLeft(this.state.doneReplicates - this.resumedReplicates, elapsed, this.state.totalReplicates - this.state.doneReplicates);
    this.stream.write(`${progressLine(this.label, this.state, elapsed, left)}\n`);
  }

  start(state: ProgressState): void {
    this.state = state;
    this.startedAt = this.now();
    this.resumedReplicates = state.doneReplicates;
    this.print();
    this.timer = setInterval(() => this.print(), this.intervalMs);
    this.timer.unref();
  }

  update(doneReplicates: number, doneCells: number): void {
    this.state = { ...this.state, doneReplicates, doneCells };
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    if (this.timer !== null) clearInterval(this.timer);
    this.print();
  }
}

class BarProgress implements ProgressReporter {
  private readonly bar: cliProgress.SingleBar;
  private started = false;
  private stopped = false;
  constructor(stream: Writable, label: string) {
    this.bar = new cliProgress.SingleBar(
      {
        stream: stream as NodeJS.WritableStream,
        format: `${label} [{bar}] {percentage}% | {value}/{total} replicates | cells {cells}/{cellsTotal} | {duration_formatted} elapsed | ETA {eta_formatted}`,
        hideCursor: true,
        etaBuffer: 40,
        fps: 5,
      },
      cliProgress.Presets.shades_classic,
    );
  }
  start(state: ProgressState): void {
    this.started = true;
    this.bar.start(state.totalReplicates, state.doneReplicates, { cells: state.doneCells, cellsTotal: state.totalCells });
  }
  update(doneReplicates: number, doneCells: number): void {
    this.bar.update(doneReplicates, { cells: doneCells });
  }
  stop(): void {
    if (this.stopped || !this.started) return;
    this.stopped = true;
    this.bar.stop();
  }
}

/** A reporter for `options.mode`; "auto" picks the bar when the stream is a terminal. */
export function createProgressReporter(options: ProgressOptions = {}): ProgressReporter {
  const stream = options.stream ?? process.stderr;
  const mode = options.mode ?? "auto";
  const label = options.label ?? "sweep";
  if (mode === "off") return new SilentProgress();
  if (mode === "bar" || (mode === "auto" && stream.isTTY === true)) return new BarProgress(stream, label);
  return new LineProgress(stream, label, options.intervalMs ?? 10_000, options.now ?? Date.now);
}
