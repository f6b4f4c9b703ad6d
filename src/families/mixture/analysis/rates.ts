/**
 * The mixture family's rate checks (MODEL §6, docs/THEORY.md "Rates"): sweep n, d or T on a
 * scenario, measure sinTheta of standard and l-inf training with unnormalised columns (the
 * columns B2 and B3 bound without a kappa factor), and compare the slope of log sinTheta with the
 * slope of the bound: B2 for standard training, B3 for l-inf training at the radius eps(delta)
 * of B3, recomputed at every grid point so that B3's event keeps probability >= 1 - delta. The
 * sweep runs through the engine like any other (experiment/rates.ts).
 */
import { ConfigError, parseArray, parseChoice, parseInteger, parseNumber, parseObject } from "../../../core/config/parse.js";
import type { JsonObject } from "../../../experiment/family.js";
import type { RateSweep, RatesSupport } from "../../../experiment/rates.js";
import { parseMixtureScenario } from "../scenario.js";
import { linfRadius } from "../theory/linfRadius.js";

/** The swept scenario parameters. */
export const RATE_PARAMETERS = ["n", "d", "T"] as const;
export type RateParameter = (typeof RATE_PARAMETERS)[number];

/** Default grids: factors of 2 around MODEL §7's scenario. */
export const DEFAULT_RATE_GRIDS: Readonly<Record<RateParameter, readonly number[]>> = {
  n: [40, 80, 160, 320, 640, 1280, 2560, 5120],
  d: [100, 200, 400, 800, 1600, 3200],
  T: [5, 10, 20, 40, 80, 160],
};

/** Parses a sweep: `parameter` (n, d or T), `values` (default grid), `delta` (default 0.1), B3's failure probability. */
export function parseRateSweep(raw: { readonly parameter?: unknown; readonly values?: unknown; readonly delta?: unknown }): RateSweep {
  const parameter = parseChoice("parameter", raw.parameter ?? "n", RATE_PARAMETERS);
  const values =
    raw.values === undefined
      ? [...DEFAULT_RATE_GRIDS[parameter]]
      : parseArray("values", raw.values, 2).map((v, i) => parseInteger(`values[${i}]`, v, 1, 1e7));
  for (let i = 1; i < values.length; i++) {
    if (!(values[i] > values[i - 1])) throw new ConfigError(`values[${i}]`, values[i], `must be larger than values[${i - 1}] = ${values[i - 1]} (ascending, distinct)`);
  }
  const delta = parseNumber("delta", raw.delta ?? 0.1, { min: 0, max: 1, minOpen: true, maxOpen: true });
  return { parameter, values, options: { delta } };
}

/**
 * The raw sweep config of a rate check: the base run config's scenario with the parameter swept,
 * two methods (standard and l-inf, unnormalised columns), the l-inf radius eps(delta) moving with
 * the parameter, and bound checks on. Every grid point's scenario is parsed here, so a bad value
 * is a ConfigError naming the scenario field.
 */
export function rateSweepConfig(baseRaw: JsonObject, sweep: RateSweep, boundOptions: JsonObject): JsonObject {
  const scenario = baseRaw.scenario === undefined ? {} : parseObject("scenario", baseRaw.scenario);
  const delta = sweep.options.delta as number;
  const eps = sweep.values.map((value) => {
    const sc = parseMixtureScenario({ ...scenario, [sweep.parameter]: value });
    return linfRadius({ sigma: sc.sigma, n: sc.n, d: sc.d, s: sc.s, T: sc.T, delta });
  });
  const evaluation = typeof baseRaw.evaluation === "object" && baseRaw.evaluation !== null && !Array.isArray(baseRaw.evaluation) ? baseRaw.evaluation : {};
  return {
    ...baseRaw,
    methods: [
      { label: "standard", columns: "unnormalised" },
      { label: "linf", attack: "linf", eps: eps[0], columns: "unnormalised" },
    ],
    evaluation: { ...evaluation, bounds: boundOptions },
    sweep: [{ param: `scenario.${sweep.parameter}`, values: [...sweep.values], with: { "methods.linf.eps": eps } }],
  };
}

/** The mixture family's rate support. */
export const MIXTURE_RATES: RatesSupport = {
  description: "standard training against B2 and l-inf training against B3, unnormalised columns, the l-inf radius eps(delta) of B3 at each point",
  parameters: RATE_PARAMETERS,
  parseSweep: parseRateSweep,
  sweepConfig: rateSweepConfig,
  pairs: [
    { method: "standard", bound: "B2", quantity: "sinTheta" },
    { method: "linf", bound: "B3", quantity: "sinTheta", radiusParam: "methods.linf.eps" },
  ],
};
