/**
 * `npm run bench`: seconds per replicate of the demonstration scenario (MODEL §7) on the
 * sample-level and the exact-sampler paths, and, when python3 with numpy is on the machine, the
 * same sample-level pipeline in vectorised numpy (scripts/bench_mixture_numpy.py) for comparison.
 * Then the two-layer and regression sections (scripts/benchTwoLayer.ts, scripts/benchRegression.ts).
 * Usage: node dist/scripts/bench.js [--quick]
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import { parseRunConfig } from "../src/experiment/runConfig.js";
import { createDefaultRegistry } from "../src/families/index.js";
import { demoConfig } from "../src/families/mixture/demo.js";
import { runReplicates } from "../src/experiment/run.js";
import { benchRegression } from "./benchRegression.js";
import { benchTwoLayer } from "./benchTwoLayer.js";

const quick = process.argv.includes("--quick");

/** Wall-clock and CPU seconds per replicate (CPU time is the fairer figure on a shared machine). */
interface Timing {
  readonly wall: number;
  readonly cpu: number;
}

const registry = createDefaultRegistry();

function secondsPerReplicate(sampler: "exact" | "sample", replicates: number): Timing {
  const run = parseRunConfig({ ...demoConfig(replicates, 1), sampler }, registry);
  runReplicates(parseRunConfig({ ...demoConfig(1, 99), sampler }, registry)); // warm-up (JIT)
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  runReplicates(run);
  const c = process.cpuUsage(c0);
  return { wall: (performance.now() - t0) / 1000 / replicates, cpu: (c.user + c.system) / 1e6 / replicates };
}

function numpyReference(replicates: number): Timing | null {
  const script = join(dirname(fileURLToPath(import.meta.url)), "../../scripts/bench_mixture_numpy.py");
  const res = spawnSync("python3", [script, String(replicates)], { encoding: "utf8" });
  if (res.status !== 0) return null;
  const match = /([0-9.]+) s per replicate \(cpu ([0-9.]+) s\)/.exec(res.stdout);
  return match === null ? null : { wall: Number(match[1]), cpu: Number(match[2]) };
}

const show = (t: Timing, digits = 4) => `${t.wall.toFixed(digits)} s per replicate (cpu ${t.cpu.toFixed(digits)} s)`;

const sampleReps = quick ? 3 : 10;
const exactReps = quick ? 50 : 400;
console.log("advtransfer bench: demonstration scenario d=500 s=20 r=4 T=20 n=40 m=1000 n0=20, five methods");
const sample = secondsPerReplicate("sample", sampleReps);
console.log(`  sample-level path: ${show(sample)}, ${sampleReps} replicates`);
const exact = secondsPerReplicate("exact", exactReps);
console.log(`  exact path (E1/E2): ${show(exact, 5)}, ${exactReps} replicates; ${(sample.cpu / exact.cpu).toFixed(0)}x less cpu than the sample-level path`);
const numpy = numpyReference(sampleReps);
if (numpy === null) console.log("  numpy reference: skipped (python3 with numpy not found)");
else console.log(`  numpy reference (the same sample-level pipeline, vectorised): ${show(numpy)}; sample-level path / numpy cpu = ${(sample.cpu / numpy.cpu).toFixed(2)}`);

console.log("advtransfer bench: two-layer family");
for (const line of benchTwoLayer({ quick })) console.log(`  ${line}`);

console.log("advtransfer bench: regression family");
for (const line of benchRegression({ quick })) console.log(`  ${line}`);
