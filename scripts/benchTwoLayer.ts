/**
 * Benchmark of the two-layer family, for `npm run bench` (never part of the test suite):
 * - seconds per replicate (wall and CPU) of the default two-layer scenario, five methods;
 * - time and achieved GFLOP/s of one forward-backward pass (lossAndGradient: loss, gradient of W
 *   and of the heads) over all source samples, T = 20 tasks x n = 40 samples, r = 4, d = 100 and
 *   500, beside the numpy reference of exactly the same pass (scripts/bench-twolayer-numpy.py,
 *   run with OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset so OpenBLAS picks its own kernel).
 * FLOPs are counted the same way on both sides: the two skinny products, 2 N r d each, i.e.
 * 4 N r d per pass. Pass timings take the fastest of many short trials, which is robust to other
 * load on a shared machine. Usage: node dist/scripts/benchTwoLayer.js [--quick]
 */
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath, pathToFileURL } from "node:url";
import { rootRng, replicateRng } from "../src/core/random/rng.js";
import { initialNetwork } from "../src/families/two-layer/estimators/network.js";
import { featureMajor, lossAndGradient, type TrainingData } from "../src/families/two-layer/estimators/kernels.js";
import { createTwoLayerFamily } from "../src/families/two-layer/family.js";

const twoLayerFamily = createTwoLayerFamily();

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
  const script = join(dirname(fileURLToPath(import.meta.url)), "../../scripts/bench-twolayer-numpy.py");
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  if (threads !== undefined) env.OPENBLAS_NUM_THREADS = String(threads);
  const { T, n, d, r } = options;
  const res = spawnSync("python3", [script, String(T), String(n), String(d), String(r)], { encoding: "utf8", env });
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

/** Wall and CPU seconds per replicate of a two-layer config (after one warm-up replicate). */
export function secondsPerTwoLayerReplicate(raw: unknown, replicates: number): { wall: number; cpu: number } {
  const config = twoLayerFamily.parse(raw);
  twoLayerFamily.runReplicate(config, replicateRng(99, 0));
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  for (let k = 0; k < replicates; k++) twoLayerFamily.runReplicate(config, replicateRng(1, k));
  const c = process.cpuUsage(c0);
  return { wall: (performance.now() - t0) / 1000 / replicates, cpu: (c.user + c.system) / 1e6 / replicates };
}

/** Runs the two-layer benchmarks and returns the report lines. */
export function benchTwoLayer(options: { quick?: boolean } = {}): string[] {
  const quick = options.quick ?? false;
  const lines: string[] = [];
  const reps = quick ? 2 : 5;
  const rep = secondsPerTwoLayerReplicate({}, reps);
  lines.push(
    `two-layer default scenario (d=50 s=10 r=4 T=20 n=40 m=100 n0=20 relu regression; standard, linf, l2, ssl, ssl+linf): ` +
      `${rep.wall.toFixed(2)} s per replicate (cpu ${rep.cpu.toFixed(2)} s), ${reps} replicates`,
  );
  for (const d of [100, 500]) {
    const shape = { T: 20, n: 40, d, r: 4 };
    const ts = benchForwardBackward({ ...shape, seconds: quick ? 1 : 3 });
    const np = numpyForwardBackward(shape);
    const np1 = numpyForwardBackward(shape, 1);
    let line = `two-layer forward-backward pass, N=${shape.T * shape.n} (T=20 x n=40) d=${d} r=4: ${(ts.passSeconds * 1e6).toFixed(0)} us, ${ts.gflops.toFixed(2)} GFLOP/s`;
    if (np === null || np1 === null) line += "; numpy reference skipped (python3 with numpy not found)";
    else {
      line +=
        `; numpy (OpenBLAS, default threads): ${(np.passSeconds * 1e6).toFixed(0)} us, ${np.gflops.toFixed(2)} GFLOP/s, TS/numpy time ${(ts.passSeconds / np.passSeconds).toFixed(2)}` +
        `; numpy 1 thread: ${(np1.passSeconds * 1e6).toFixed(0)} us, TS/numpy ${(ts.passSeconds / np1.passSeconds).toFixed(2)}`;
    }
    lines.push(line);
  }
  return lines;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  for (const line of benchTwoLayer({ quick: process.argv.includes("--quick") })) console.log(line);
}
