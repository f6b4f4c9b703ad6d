/**
 * The regression section of `npm run bench`: seconds per replicate of the method of moments and
 * AltMin ERM from its start in the prior-work setting (MODEL §2.2: d = 100, r = 5, n = 25,
 * sigma = 1) at T = 1600 and T = 6400, beside the vectorised numpy implementation of the same
 * pipeline (scripts/bench_regression_numpy.py: data, MoM, AltMin with the same stopping rules,
 * target step), run in the same process tree one after the other so both see the same load.
 * numpy runs with one BLAS thread, as each replicate of the simulator runs on one thread.
 * Then FO ERM preconditioned (the default) against plain L-BFGS on the same data and random start
 * (THEORY R3): iterations, evaluations and seconds of one fit at T = 400 (--quick) or 1600.
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import { replicateRng } from "../src/core/random/rng.js";
import { parseRegressionConfig } from "../src/families/regression/config.js";
import { createRegressionEstimators } from "../src/families/regression/estimators/registry.js";
import { fitRegressionReplicate } from "../src/families/regression/replicate.js";
import { drawRegressionData } from "../src/families/regression/samplers.js";
import { drawRegressionTruth } from "../src/families/regression/scenario.js";
import { fitFo } from "../src/families/regression/estimators/fo.js";

interface Timing {
  readonly wall: number;
  readonly cpu: number;
}

function simulator(T: number, replicates: number): Timing {
  const config = parseRegressionConfig(
    { scenario: { generator: "prior-work", d: 100, r: 5, T, n: 25, n0: 25, sigma: 1 }, methods: [{ estimator: "mom" }, { estimator: "altmin" }] },
    createRegressionEstimators(),
  );
  let wall = 0;
  let cpu = 0;
  for (let k = 0; k < replicates; k++) {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const res = fitRegressionReplicate(config, replicateRng(1, k));
    const c = process.cpuUsage(c0);
    wall += (performance.now() - t0) / 1000;
    cpu += (c.user + c.system) / 1e6;
    if (res.fits[1].fit.basis === null) throw new Error("AltMin returned no basis");
  }
  return { wall: wall / replicates, cpu: cpu / replicates };
}

function numpy(T: number, replicates: number): Timing | null {
  const script = join(dirname(fileURLToPath(import.meta.url)), "../../scripts/bench_regression_numpy.py");
  const env = { ...process.env, OPENBLAS_NUM_THREADS: "1", OMP_NUM_THREADS: "1", MKL_NUM_THREADS: "1" };
  const res = spawnSync("python3", [script, "--T", String(T), "--reps", String(replicates)], { encoding: "utf8", env, maxBuffer: 1 << 24 });
  if (res.status !== 0) return null;
  for (const line of res.stdout.split("\n")) {
    if (!line.startsWith("{")) continue;
    const row = JSON.parse(line) as { what: string; seconds_per_replicate: number; cpu_seconds: number };
    if (row.what === "replicate") return { wall: row.seconds_per_replicate, cpu: row.cpu_seconds };
  }
  return null;
}

/** One FO fit with and without the preconditioner on the same data and start. */
function foLines(T: number): string[] {
  const config = parseRegressionConfig({ scenario: { generator: "prior-work", d: 100, r: 5, T, n: 25, n0: 25, sigma: 1 }, methods: [{ estimator: "fo" }] }, createRegressionEstimators());
  const rng = replicateRng(1, 0);
  const truth = drawRegressionTruth(config.scenario, rng.fork("truth"));
  const data = drawRegressionData(config.scenario, truth, rng.fork("data"), { sampler: config.sampler, store: true });
  const out: string[] = [];
  for (const precondition of [true, false]) {
    const t0 = performance.now();
    const fit = fitFo(data, 5, { maxIterations: 5000, gradientTolerance: 1e-8, memory: 10, initScale: 1, precondition }, rng.fork("fo"));
    const s = (performance.now() - t0) / 1000;
    const dg = fit.diagnostics as { iterations: number; evaluations: number };
    out.push(`FO T=${T} ${precondition ? "preconditioned" : "plain L-BFGS  "}: ${dg.iterations} iterations, ${dg.evaluations} evaluations, ${s.toFixed(2)} s${fit.ok ? "" : ` (${fit.reason})`}`);
  }
  return out;
}

/** Lines of the regression section. */
export function benchRegression(options: { quick: boolean }): string[] {
  const reps = options.quick ? 1 : 3;
  simulator(200, 1); // warm-up (JIT)
  const lines: string[] = [`prior-work d=100 r=5 n=25 sigma=1, MoM + AltMin ERM (MoM start), ${reps} replicate(s) per T; numpy with 1 BLAS thread`];
  for (const T of [1600, 6400]) {
    const ts = simulator(T, reps);
    const np = numpy(T, reps);
    const ours = `simulator ${ts.wall.toFixed(2)} s per replicate (cpu ${ts.cpu.toFixed(2)} s)`;
    if (np === null) lines.push(`T=${T}: ${ours}; numpy reference skipped (python3 with numpy not found)`);
    else lines.push(`T=${T}: ${ours}; numpy ${np.wall.toFixed(2)} s (cpu ${np.cpu.toFixed(2)} s); simulator / numpy wall = ${(ts.wall / np.wall).toFixed(2)}, cpu = ${(ts.cpu / np.cpu).toFixed(2)}`);
  }
  lines.push(...foLines(options.quick ? 400 : 1600));
  return lines;
}
