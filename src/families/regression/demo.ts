/**
 * The regression family's demonstration: the prior-work setting of MODEL §2.2 at T = 400 (d = 100,
 * r = 5, n = 25, n0 = 25, sigma = 1) with the four estimators of MODEL §7: method of moments,
 * spectral, AltMin from the method-of-moments start, and FO.
 */
export function regressionDemoConfig(replicates = 20, seed = 1): Record<string, unknown> {
  return {
    family: "regression",
    scenario: { generator: "prior-work", d: 100, r: 5, T: 400, n: 25, n0: 25 },
    methods: [{ estimator: "mom" }, { estimator: "spectral" }, { estimator: "altmin" }, { estimator: "fo" }],
    replicates,
    seed,
  };
}
