/**
 * The demonstration run of MODEL §7: the default scenario with standard, l-inf, l2,
 * semi-supervised (m = 1000) and semi-supervised + l-inf training.
 */

/**
 * The l-inf radius of the demonstration, near the minimum of the target excess over the radius
 * grid of MODEL §7 on the default scenario (the C1 sweep of docs/results shows the curve).
 */
export const DEMO_EPS = 0.3;

/** Unlabelled samples per task of the semi-supervised demonstration methods. */
export const DEMO_UNLABELLED = 1000;

/**
 * The raw demo config. The semi-supervised + l-inf student's radius is left to its default,
 * eps sqrt(n / (n + m)): the teacher's radius rescaled to n + m samples (MODEL §3.3).
 */
export function demoConfig(replicates = 200, seed = 1): Record<string, unknown> {
  return {
    family: "mixture",
    scenario: { d: 500, s: 20, r: 4, T: 20, n: 40, m: DEMO_UNLABELLED, n0: 20, sigma: 1, snr: 1.5 },
    methods: [
      { label: "standard" },
      { label: "linf", attack: "linf", eps: DEMO_EPS },
      { label: "l2", attack: "l2", eps: DEMO_EPS },
      { label: "ssl", ssl: { m: DEMO_UNLABELLED } },
      { label: "ssl+linf", attack: "linf", eps: DEMO_EPS, ssl: { m: DEMO_UNLABELLED } },
    ],
    sampler: "exact",
    replicates,
    seed,
  };
}
