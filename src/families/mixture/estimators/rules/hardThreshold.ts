/**
 * Hard thresholding (beyond the paper): keep the k largest |v_j| of a task's statistic, or every
 * coordinate with |v_j| > level, and zero the rest; a task with nothing kept is dropped. Like
 * l-inf training it discards the small, mostly-noise coordinates of v_t, but without shrinking
 * the kept ones (S_eps shrinks every coordinate by eps, MODEL §1), so it has no bias on the
 * support: the contrast of hard and soft thresholding separates the two effects of l-inf training.
 * A pseudo-labelling student keeps the same k, or a level rescaled to its sample size like the
 * adversarial radii (level sqrt(n / (n + weight m)), docs/DECISIONS.md); "ssl.k" or "ssl.level"
 * overrides it.
 */
import { ConfigError, parseInteger, parseNumber } from "../../../../core/config/parse.js";
import { floats } from "../../../../core/linalg/mat.js";
import type { PerTaskRule } from "../perTaskRule.js";

/** Keep the k largest |v_j|, or those above a level (exactly one is set). */
export type HardThresholdParams = { readonly k: number } | { readonly level: number };

function parseOne(raw: Readonly<Record<string, unknown>>, field: string, d: number): HardThresholdParams {
  if ((raw.k === undefined) === (raw.level === undefined)) {
    throw new ConfigError(`${field}.k`, raw.k, 'give exactly one of "k" (keep the k largest |v_j|) and "level" (keep |v_j| > level)');
  }
  return raw.k !== undefined ? { k: parseInteger(`${field}.k`, raw.k, 1, d) } : { level: parseNumber(`${field}.level`, raw.level, { min: 0 }) };
}

const describe = (p: HardThresholdParams) => ("k" in p ? `k=${p.k}` : `level=${p.level}`);

/** The k largest |v_j| kept (ties broken towards the lower index), or |v_j| > level; the rest zeroed. */
export function hardThreshold(v: ArrayLike<number>, p: HardThresholdParams): Float64Array {
  const out = floats(v.length);
  if ("level" in p) {
    for (let j = 0; j < v.length; j++) if (Math.abs(v[j]) > p.level) out[j] = v[j];
    return out;
  }
  const order = Array.from({ length: v.length }, (_, j) => j).sort((a, b) => Math.abs(v[b]) - Math.abs(v[a]) || a - b);
  for (let i = 0; i < Math.min(p.k, v.length); i++) out[order[i]] = v[order[i]];
  return out;
}

export const hardThresholdRule: PerTaskRule<HardThresholdParams> = {
  name: "hard-threshold",
  description: "hard thresholding: keep the k largest |v_j|, or those above a level, then normalise",
  attack: null,
  keys: ["k", "level"],
  studentKeys: ["k", "level"],
  parameters: (raw, field, { scenario }) => parseOne(raw, field, scenario.d),
  echo: (p) => ({ ...p }),
  student(teacher, raw, field, { scenario, m, weight }) {
    if (raw.k !== undefined || raw.level !== undefined) return parseOne(raw, field, scenario.d);
    return "k" in teacher ? teacher : { level: teacher.level * Math.sqrt(scenario.n / (scenario.n + weight * m)) };
  },
  echoStudent: (p) => ({ ...p }),
  label: (p) => `hard(${describe(p)})`,
  studentLabel: (t, s) => ("k" in t ? `hard(${describe(t)})` : `hard(level=${t.level}/${Number((s as { level: number }).level.toPrecision(4))})`),
  tags: () => ({ sinThetaBound: null, endToEnd: false }),
  direction: (v, p) => hardThreshold(v, p),
  examples: [{ rule: "hard-threshold", k: 5 }, { rule: "hard-threshold", level: 0.3 }],
};
