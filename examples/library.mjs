// Using advtransfer as a library: one scenario, two methods, 50 replicates, then one replicate by hand.
import {
  run,
  parseMixtureScenario,
  drawMixtureTruth,
  exactMixtureData,
  supervisedEstimator,
  createPerTaskRules,
  fitTargetHead,
  sinTheta,
  excessLinearRisk,
  rootRng,
} from "advtransfer";

// 1. A run: configs are plain JSON, checked once (bad values throw a ConfigError naming the field).
const { summary } = await run({
  scenario: { d: 200, s: 10, r: 3, T: 15, n: 30, n0: 10 },
  methods: [{ label: "standard" }, { label: "linf", attack: "linf", eps: 0.3 }],
  replicates: 50,
  seed: 7,
});
for (const row of summary) {
  if (row.metric === "sinTheta") console.log(`${row.method}: sinTheta = ${row.mean.toFixed(3)} ± ${row.se.toFixed(3)}`);
}

// 2. The same pipeline step by step (MODEL §2.1, §5 E1, §3.1-§3.4, §4).
const scenario = parseMixtureScenario({ d: 200, s: 10, r: 3, T: 15, n: 30, n0: 10 });
const rng = rootRng(7);
const truth = drawMixtureTruth(scenario, rng.fork("truth"));
const data = exactMixtureData(scenario, truth, rng.fork("data"));
// An estimator parses its own parameters (here l-inf training at radius 0.3) and fits.
const params = supervisedEstimator.parameters({ attack: "linf", eps: 0.3 }, "method", { scenario, sampler: "exact", rules: createPerTaskRules() });
const rep = supervisedEstimator.fit({ data, r: scenario.r, n: scenario.n }, params, rng.fork("method"));
if (rep.ok) {
  const fit = fitTargetHead(rep.basis, data.targetStatistic);
  console.log(`one replicate: sinTheta = ${sinTheta(rep.basis, truth.basis).toFixed(3)}, ` +
    `target excess = ${fit ? excessLinearRisk(fit.predictor, truth.targetMean).toFixed(3) : "n/a"}`);
} else {
  console.log(`no representation: ${rep.reason}`);
}
