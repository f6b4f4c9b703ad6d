/**
 * The claims C1-C3 of MODEL §0 measured on the two-layer family: paired comparisons of methods
 * over the same replicates (every method of a replicate sees the same truth, data, initial
 * network and test set, so the paired difference has a much smaller standard error than the
 * difference of the two means).
 *
 *   C1  adversarial training beats standard training:      standard -> linf, standard -> l2
 *   C2  pseudo-labelling beats standard training:          standard -> ssl
 *   C3  adversarial training on top of pseudo-labelling:   ssl -> ssl+linf (and linf -> ssl+linf)
 *
 * For each pair and metric (all lower-is-better: sinTheta, targetExcess, robust risks) the
 * improvement is the mean over replicates of baseline - method, with its standard error; the
 * verdict is "better" or "worse" when |improvement| > 3 SE (a two-sided false-alarm rate of
 * 0.27% per comparison under a normal approximation), else "no clear difference". The numbers
 * are reported whatever they show.
 */
import { meanAndSe } from "./run.js";
import type { ReplicateResult } from "./types.js";

/** A pair of methods compared for a claim. */
export interface ClaimPair {
  readonly claim: "C1" | "C2" | "C3";
  readonly baseline: string;
  readonly method: string;
}

/** The comparisons of the default two-layer methods (labels of TWO_LAYER_DEFAULTS.methods). */
export const TWO_LAYER_CLAIM_PAIRS: readonly ClaimPair[] = [
  { claim: "C1", baseline: "standard", method: "linf" },
  { claim: "C1", baseline: "standard", method: "l2" },
  { claim: "C2", baseline: "standard", method: "ssl" },
  { claim: "C3", baseline: "ssl", method: "ssl+linf" },
  { claim: "C3", baseline: "linf", method: "ssl+linf" },
];

/** One comparison: a claim's pair on one metric. */
export interface ClaimComparison extends ClaimPair {
  readonly metric: string;
  readonly baselineMean: number;
  readonly methodMean: number;
  /** Mean of baseline - method over replicates where both were measured (> 0: method better). */
  readonly improvement: number;
  /** Standard error of that mean (paired). */
  readonly se: number;
  /** Replicates where both methods reported the metric. */
  readonly n: number;
  readonly verdict: "better" | "worse" | "no clear difference";
}

/** Paired differences per claim pair and metric; pairs or metrics absent from the results are skipped. */
export function twoLayerClaims(
  results: readonly ReplicateResult[],
  metrics: readonly string[] = ["sinTheta", "targetExcess"],
  pairs: readonly ClaimPair[] = TWO_LAYER_CLAIM_PAIRS,
): ClaimComparison[] {
  const out: ClaimComparison[] = [];
  for (const pair of pairs) {
    for (const metric of metrics) {
      const base: number[] = [];
      const meth: number[] = [];
      for (const res of results) {
        const b = res.outcomes.find((o) => o.method === pair.baseline);
        const m = res.outcomes.find((o) => o.method === pair.method);
        const bv = b?.ok ? b.metrics[metric] : undefined;
        const mv = m?.ok ? m.metrics[metric] : undefined;
        if (bv === undefined || mv === undefined) continue;
        base.push(bv);
        meth.push(mv);
      }
      if (base.length === 0) continue;
      const diff = meanAndSe(base.map((v, i) => v - meth[i]));
      const verdict = diff.n > 1 && Math.abs(diff.mean) > 3 * diff.se ? (diff.mean > 0 ? "better" : "worse") : "no clear difference";
      out.push({
        ...pair,
        metric,
        baselineMean: meanAndSe(base).mean,
        methodMean: meanAndSe(meth).mean,
        improvement: diff.mean,
        se: diff.se,
        n: diff.n,
        verdict,
      });
    }
  }
  return out;
}

/**
 * The runs behind the two-layer claims: the default scenario (regression) and the same with
 * classification labels (flip rate 0.1, logistic training, linear target head), default methods.
 */
export function twoLayerClaimRuns(replicates: number, seed = 1): Record<string, unknown>[] {
  return [
    { family: "two-layer", replicates, seed },
    { family: "two-layer", replicates, seed, scenario: { labels: "classification" } },
  ];
}
