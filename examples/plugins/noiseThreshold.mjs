// A plugin estimator for the mixture family, written only against advtransfer's public API.
//
// "noise-threshold": hard-thresholds each task's statistic v_t at c noise standard deviations,
// keeping the coordinates with |v_j| > c tau (tau = sigma / sqrt(n), the noise sd of a coordinate
// of v_t by MODEL §5 E1) and zeroing the rest, then takes the top-r SVD of the kept columns
// (MODEL §3.2). Off the support of B* a coordinate of v_t is pure noise, N(0, tau^2), so c = 3
// keeps about 0.27% of them; on the support the signal survives when |mu_tj| is a few tau.
//
// Use it from the command line (every worker thread loads it too):
//   advtransfer run --plugin examples/plugins/noiseThreshold.mjs --method standard --method "estimator=noise-threshold,c=3"
// or list it in a config: { "plugins": ["noiseThreshold.mjs"], "methods": [{ "estimator": "noise-threshold", "c": 3 }] }
// (paths in a config are relative to the config file).
import { ConfigError, column, parseNumber, rejectUnknownKeys, representationFromDirections } from "advtransfer";

/** The estimator: the Estimator contract of advtransfer (experiment/estimator.ts). */
export const noiseThresholdEstimator = {
  name: "noise-threshold",
  description: "keep |v_j| > c sigma / sqrt(n) in each task's statistic, then the top-r SVD (a plugin example)",
  // The method keys this estimator owns: "c" (required), and "columns" like the built-in estimators.
  parameters(raw, field, context) {
    rejectUnknownKeys(field, raw, ["c", "columns"]);
    if (raw.c === undefined) throw new ConfigError(`${field}.c`, raw.c, "must be a number > 0 (the threshold in noise standard deviations)");
    const c = parseNumber(`${field}.c`, raw.c, { min: 0, minOpen: true });
    const columns = raw.columns ?? "normalised";
    if (columns !== "normalised" && columns !== "unnormalised") throw new ConfigError(`${field}.columns`, columns, 'must be "normalised" or "unnormalised"');
    const { sigma, n } = context.scenario;
    return { c, columns, level: (c * sigma) / Math.sqrt(n) };
  },
  echo: (p) => ({ c: p.c, columns: p.columns }),
  label: (p) => `noise-threshold(${p.c})${p.columns === "unnormalised" ? "[unnormalised]" : ""}`,
  // What the bound checks may assume: U is the SVD of per-task columns (B1 applies) from labelled
  // data only, but no sinTheta bound of MODEL §6 covers this rule.
  tags: (p) => ({ attacks: [], pseudoLabelling: false, svdOfColumns: true, labelledOnly: true, columns: p.columns, rule: null }),
  fit({ data, r }, p) {
    const stats = data.sourceStatistics;
    const directions = [];
    for (let t = 0; t < stats.cols; t++) {
      const v = column(stats, t);
      const kept = v.map((x) => (Math.abs(x) > p.level ? x : 0));
      directions.push(kept.some((x) => x !== 0) ? kept : null);
    }
    return representationFromDirections(directions, r, p.columns);
  },
  examples: [{ c: 3 }, { c: 2, columns: "unnormalised" }],
};

/** The plugin: advtransfer calls it with an API bound to the registry being loaded. */
export default function register(api) {
  api.registerEstimator("mixture", noiseThresholdEstimator);
}
