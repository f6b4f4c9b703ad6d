/**
 * The valid range of every control, in the parser's own words: each is found by giving the
 * library's parser a value it must refuse ("?") in that field, with the other fields as they are,
 * and reading what the ConfigError allows ("must be an integer in [1, d = 500]"). So the ranges
 * shown are the ranges checked, and follow the other values (s up to d, r up to s). Pure: no DOM.
 */
import { isConfigError } from "../../src/core/config/parse.js";
import type { Registry } from "../../src/experiment/registry.js";
import { planSweepConfig } from "../../src/experiment/run.js";
import { baseConfig, builtinMethod } from "./configs.js";
import { type ExplorerState, SCENARIO_KEYS } from "./state.js";

type Json = { [key: string]: unknown };

/** What the parser allows in `field` when `raw` has a value there it must refuse; null if it failed elsewhere. */
function allowedIn(raw: Json, field: string, registry: Registry): string | null {
  try {
    planSweepConfig(raw, registry);
  } catch (e) {
    if (isConfigError(e) && e.field === field) return e.allowed.replace(/^must be /, "");
    return null;
  }
  return null;
}

/** Control id -> its valid range; a control whose range cannot be found now (another field is invalid) is left out. */
export function controlRanges(state: ExplorerState, registry: Registry): Record<string, string> {
  const base = baseConfig(state) as Json & { scenario: Json };
  const withStandard = (over: Json): Json => ({ ...base, methods: [builtinMethod("standard", 0)], ...over });
  const out: Record<string, string> = {};
  for (const k of SCENARIO_KEYS) {
    if (k === "diversity") continue;
    const a = allowedIn(withStandard({ scenario: { ...base.scenario, [k]: "?" } }), `scenario.${k}`, registry);
    if (a !== null) out[`scenario.${k}`] = a;
  }
  const r = Number(state.scenario.r);
  if (Number.isInteger(r) && r >= 1 && r <= 1000) {
    const a = allowedIn(withStandard({ scenario: { ...base.scenario, diversity: Array.from({ length: r }, () => "?") } }), "scenario.diversity[0]", registry);
    if (a !== null) out["scenario.diversity"] = `blank for i.i.d. heads, or r = ${r} numbers, each ${a}`;
  }
  for (const k of ["replicates", "seed"]) {
    const a = allowedIn(withStandard({ [k]: "?" }), k, registry);
    if (a !== null) out[k] = a;
  }
  const eps = allowedIn({ ...base, methods: [builtinMethod("linf", "?")] }, "methods[0].eps", registry);
  if (eps !== null) {
    out.epsGrid = `comma-separated, distinct, each ${eps}`;
    out.eps = `${eps}; the slider steps through the eps grid`;
  }
  const m = out["scenario.m"];
  if (m !== undefined) out.mGrid = `comma-separated, distinct, each ${m} (SSL needs m >= 1)`;
  out.sdGrid = "comma-separated fractions in (0, 1]; s = round(fraction x d)";
  return out;
}
