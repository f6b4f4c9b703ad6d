/**
 * Benchmark of the two-layer family, for `npm run bench` (never part of the test suite):
 * - seconds per replicate of one method, "standard" and "linf" (PGD, K = 3, random start), on
 *   the default scenario, beside the whole-replicate numpy reference of the same algorithm
 *   (scripts/bench_twolayer_numpy.py: draw, train with the same stopping rule, measure), in
 *   alternating rounds so both sides see the same load; medians and ranges over the rounds;
 * - time and achieved GFLOP/s of one forward-backward pass (lossAndGradient) over T = 20 tasks x
 *   n = 40 samples, r = 4, d = 100 and 500, beside numpy's same pass
 *   (scripts/bench-twolayer-numpy.py). FLOPs are counted alike, 4 N r d per pass. Pass timings
 *   take the fastest of many short trials.
 * numpy runs with OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset, so OpenBLAS picks its kernel.
 * Usage: node dist/scripts/benchTwoLayer.js [--quick]
 */
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath, pathToFileURL } from "node:url";
import { rootRng, replicateRng } from "../src/core/random/rng.js";
import { median } from "../src/core/stats.js";
import { initialNetwork } from "../src/families/two-layer/estimators/network.js";
import { featureMajor, lossAndGradient, type TrainingData } from "../src/families/two-layer/estimators/kernels.js";
import { createTwoLayerFamily } from "../src/families/two-layer/family.js";
import type { TwoLayerConfig } from "../src/families/two-layer/config.js";

const twoLayerFamily = createTwoLayerFamily();
const SCRIPTS = join(dirname(fileURLToPath(import.meta.url)), "../../scripts");

export interface PassBenchOptions {
  readonly T: number;
  readonly n: number;
  readonly d: number;
  readonly r: number;
  /** Wall-clock budget of the timing loop in seconds. */
  readonly seconds: number;
}

export interface PassTiming {
  /** Best seconds of one forward-backward pass. */
  readonly passSeconds: number;
  /** 4 N r d / passSeconds / 1e9. */
  readonly gflops: number;
}

function numpyEnv(threads?: number): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  if (threads !== undefined) env.OPENBLAS_NUM_THREADS = String(threads);
  return env;
}

/** Times one forward-backward pass (squared loss, relu) over T n samples of dimension d. */
export function benchForwardBackward(options: PassBenchOptions): PassTiming {
  const { T, n, d, r, seconds } = options;
  const count = T * n;
  const rng = rootRng("bench-two-layer");
  const x = rng.fillNormal(new Float64Array(count * d));
  const y = rng.fillNormal(new Float64Array(count));
  const task = Int32Array.from({ length: count }, (_, i) => Math.floor(i / n));
  const weight = new Float64Array(count).fill(1 / count);
  const data: TrainingData = { count, dim: d, x, xT: featureMajor(x, count, d), y, task, weight };
  const net = initialNetwork(r, d, T, 1, rng.fork("init"));
  const grad = new Float64Array(net.params.length);
  const pass = () => lossAndGradient(net, data, "relu", "squared", grad);
  const warm = performance.now();
  while (performance.now() - warm < Math.min(1000, seconds * 250)) pass();
  const reps = Math.max(1, Math.round(5e6 / (4 * count * r * d)));
  let best = Infinity;
  const end = performance.now() + seconds * 1000;
  while (performance.now() < end) {
    const s = performance.now();
    for (let k = 0; k < reps; k++) pass();
    best = Math.min(best, (performance.now() - s) / 1000 / reps);
  }
  return { passSeconds: best, gflops: (4 * count * r * d) / best / 1e9 };
}

/** The numpy reference of the same pass, or null when python3 with numpy is not available. */
export function numpyForwardBackward(options: Omit<PassBenchOptions, "seconds">, threads?: number): (PassTiming & { products: PassTiming }) | null {
  const { T, n, d, r } = options;
  const res = spawnSync("python3", [join(SCRIPTS, "bench-twolayer-numpy.py"), String(T), String(n), String(d), String(r)], { encoding: "utf8", env: numpyEnv(threads) });
  if (res.status !== 0) return null;
  const full = /full pass:\s+([0-9.]+) us\s+([0-9.]+) GFLOP/.exec(res.stdout);
  const prod = /two products:\s+([0-9.]+) us\s+([0-9.]+) GFLOP/.exec(res.stdout);
  if (full === null || prod === null) return null;
  return {
    passSeconds: Number(full[1]) / 1e6,
    gflops: Number(full[2]),
    products: { passSeconds: Number(prod[1]) / 1e6, gflops: Number(prod[2]) },
  };
}

/** Seconds per replicate (wall and CPU) and the mean training steps taken. */
export interface ReplicateTiming {
  readonly wall: number;
  readonly cpu: number;
  readonly steps: number;
}

/** Seconds per replicate of a two-layer config (after one warm-up replicate). */
export function secondsPerTwoLayerReplicate(raw: unknown, replicates: number): ReplicateTiming {
  const config = twoLayerFamily.parse(raw);
  twoLayerFamily.runReplicate(config, replicateRng(99, 0));
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  let steps = 0;
  for (let k = 0; k < replicates; k++) {
    for (const o of twoLayerFamily.runReplicate(config, replicateRng(1, k))) steps += o.metrics.trainingSteps ?? 0;
  }
  const c = process.cpuUsage(c0);
  return { wall: (performance.now() - t0) / 1000 / replicates, cpu: (c.user + c.system) / 1e6 / replicates, steps: steps / replicates };
}

/** The numpy whole-replicate reference for one method on a scenario, or null without numpy. */
export function numpyReplicate(method: "standard" | "linf", config: TwoLayerConfig, eps: number, replicates: number, threads?: number): ReplicateTiming | null {
  const { d, s, r, T, n, n0 } = config.scenario;
  const { steps, learningRate, tolerance } = config.training;
  const args = [method, replicates, d, s, r, T, n, n0, config.evaluation.testSize, steps, learningRate, tolerance, eps].map(String);
  const res = spawnSync("python3", [join(SCRIPTS, "bench_twolayer_numpy.py"), ...args], { encoding: "utf8", env: numpyEnv(threads) });
  if (res.status !== 0) return null;
  const m = /([0-9.]+) s per replicate \(cpu ([0-9.]+) s\), ([0-9.]+) steps/.exec(res.stdout);
  return m === null ? null : { wall: Number(m[1]), cpu: Number(m[2]), steps: Number(m[3]) };
}

function range(xs: readonly number[], digits: number): string {
  const med = median(xs) as number;
  return `${med.toFixed(digits)} [${Math.min(...xs).toFixed(digits)}-${Math.max(...xs).toFixed(digits)}]`;
}

/** Runs the two-layer benchmarks and returns the report lines. */
export function benchTwoLayer(options: { quick?: boolean } = {}): string[] {
  const quick = options.quick ?? false;
  const lines: string[] = [];
  const rounds = quick ? 1 : 3;
  const eps = 0.05;
  const base = twoLayerFamily.parse({});
  const sc = base.scenario;
  lines.push(
    `two-layer replicate, one method, default scenario (d=${sc.d} s=${sc.s} r=${sc.r} T=${sc.T} n=${sc.n} n0=${sc.n0} relu regression, ${base.training.steps} Adam steps at most, tolerance ${base.training.tolerance}; ` +
      `test set ${base.evaluation.testSize}); ${rounds} alternating rounds, median [range] of seconds per replicate:`,
  );
  for (const method of ["standard", "linf"] as const) {
    const raw = { methods: [method === "standard" ? "standard" : { label: "linf", attack: "linf", eps }] };
    const reps = method === "standard" ? (quick ? 2 : 6) : quick ? 1 : 3;
    const ts: ReplicateTiming[] = [];
    const np: ReplicateTiming[] = [];
    for (let k = 0; k < rounds; k++) {
      ts.push(secondsPerTwoLayerReplicate(raw, reps));
      const ref = numpyReplicate(method, base, eps, reps);
      if (ref !== null) np.push(ref);
    }
    const what = method === "standard" ? "standard" : `linf PGD (eps ${eps}, K = 3)`;
    let line = `  ${what}: TypeScript ${range(ts.map((t) => t.wall), 3)} s wall, cpu ${range(ts.map((t) => t.cpu), 3)} s, ${(median(ts.map((t) => t.steps)) as number).toFixed(0)} steps`;
    if (np.length < rounds) line += "; numpy reference skipped (python3 with numpy not found)";
    else {
      const ratios = ts.map((t, k) => t.cpu / np[k].cpu);
      line +=
        `; numpy ${range(np.map((t) => t.wall), 3)} s wall, cpu ${range(np.map((t) => t.cpu), 3)} s, ${(median(np.map((t) => t.steps)) as number).toFixed(0)} steps` +
        `; TS/numpy cpu per round ${range(ratios, 2)}`;
    }
    lines.push(line);
  }
  for (const d of [100, 500]) {
    const shape = { T: 20, n: 40, d, r: 4 };
    const t = benchForwardBackward({ ...shape, seconds: quick ? 1 : 3 });
    const np2 = numpyForwardBackward(shape);
    const np1 = numpyForwardBackward(shape, 1);
    let line = `two-layer forward-backward pass, N=${shape.T * shape.n} (T=20 x n=40) d=${d} r=4: ${(t.passSeconds * 1e6).toFixed(0)} us, ${t.gflops.toFixed(2)} GFLOP/s`;
    if (np2 === null || np1 === null) line += "; numpy reference skipped (python3 with numpy not found)";
    else {
      line +=
        `; numpy (OpenBLAS, default threads): ${(np2.passSeconds * 1e6).toFixed(0)} us, ${np2.gflops.toFixed(2)} GFLOP/s, TS/numpy time ${(t.passSeconds / np2.passSeconds).toFixed(2)}` +
        `; numpy 1 thread: ${(np1.passSeconds * 1e6).toFixed(0)} us, TS/numpy ${(t.passSeconds / np1.passSeconds).toFixed(2)}`;
    }
    lines.push(line);
  }
  return lines;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  for (const line of benchTwoLayer({ quick: process.argv.includes("--quick") })) console.log(line);
}
