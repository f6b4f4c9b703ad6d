/**
 * Benchmark of the two-layer family: seconds per replicate of the default scenario, and the time
 * and achieved GFLOP/s of one forward-backward pass over all source samples (lossAndGradient).
 * FLOPs are counted as in scripts/bench-twolayer-numpy.py: the two skinny products, 2 N r d each,
 * i.e. 4 N r d per pass. Run the numpy reference of the same pass with
 *   env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python3 scripts/bench-twolayer-numpy.py 20 40 500 4
 * Timings take the fastest of many short trials, which is robust to other load on the machine.
 */
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";
import { rootRng } from "../src/random/rng.js";
import { initialNetwork } from "../src/estimators/twoLayer/network.js";
import { lossAndGradient, type TrainingData } from "../src/estimators/twoLayer/kernels.js";

export interface PassBenchOptions {
  readonly T: number;
  readonly n: number;
  readonly d: number;
  readonly r: number;
  /** Wall-clock budget of the timing loop in seconds. */
  readonly seconds: number;
}

export interface PassBenchResult extends PassBenchOptions {
  /** Best seconds of one forward-backward pass. */
  readonly passSeconds: number;
  /** 4 N r d / passSeconds / 1e9. */
  readonly gflops: number;
}

/** Times one forward-backward pass (squared loss, relu) over T n samples of dimension d. */
export function benchForwardBackward(options: PassBenchOptions): PassBenchResult {
  const { T, n, d, r, seconds } = options;
  const count = T * n;
  const rng = rootRng("bench-two-layer");
  const x = rng.fillNormal(new Float64Array(count * d));
  const y = rng.fillNormal(new Float64Array(count));
  const task = Int32Array.from({ length: count }, (_, i) => Math.floor(i / n));
  const weight = new Float64Array(count).fill(1 / count);
  const data: TrainingData = { count, dim: d, x, y, task, weight };
  const net = initialNetwork(r, d, T, 1, rng.fork("init"));
  const grad = new Float64Array(net.params.length);
  const pass = () => lossAndGradient(net, data, "relu", "squared", grad);
  // Warm up (optimising compiler), then time trials of a few passes each.
  const t0 = performance.now();
  while (performance.now() - t0 < Math.min(500, seconds * 250)) pass();
  const reps = Math.max(1, Math.round(2e7 / (4 * count * r * d)));
  let best = Infinity;
  const end = performance.now() + seconds * 1000;
  while (performance.now() < end) {
    const s = performance.now();
    for (let k = 0; k < reps; k++) pass();
    best = Math.min(best, (performance.now() - s) / 1000 / reps);
  }
  return { ...options, passSeconds: best, gflops: (4 * count * r * d) / best / 1e9 };
}

/** Lines for the bench report. */
export function formatPassBench(res: PassBenchResult): string {
  const N = res.T * res.n;
  return `two-layer forward-backward pass (T=${res.T} n=${res.n} N=${N} d=${res.d} r=${res.r}): ${(res.passSeconds * 1e6).toFixed(1)} us, ${res.gflops.toFixed(2)} GFLOP/s`;
}

/** Runs the two-layer benchmarks and returns the report lines. */
export function benchTwoLayer(options: { seconds?: number } = {}): string[] {
  const seconds = options.seconds ?? 3;
  const lines: string[] = [];
  for (const d of [100, 500]) lines.push(formatPassBench(benchForwardBackward({ T: 20, n: 40, d, r: 4, seconds })));
  return lines;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  for (const line of benchTwoLayer()) console.log(line);
}
