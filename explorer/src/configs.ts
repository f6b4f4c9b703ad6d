/**
 * From the explorer's state to the sweep configs its views run. Each is a complete sweep config
 * that `advtransfer sweep --config FILE --out DIR` runs to the same numbers ("copy as config"
 * gives it as it is), planned by the library's own parser, so a bad value is the CLI's
 * ConfigError, shown next to the control it came from. Pure: no DOM.
 */
import type { JsonValue } from "../../src/core/config/canonicalJson.js";
import { ConfigError, isConfigError } from "../../src/core/config/parse.js";
import type { Registry } from "../../src/experiment/registry.js";
import { planSweepConfig } from "../../src/experiment/run.js";
import type { SweepPlan } from "../../src/experiment/sweepPlan.js";
import { type BuiltinMethod, type ExplorerState, SCENARIO_KEYS, type ScenarioKey, type ViewId, configList, configValue } from "./state.js";

type JsonObject = { [key: string]: JsonValue };

/** Display names of the demonstration methods and the metrics the views draw. */
export const DISPLAY_LABELS: Readonly<Record<string, string>> = {
  standard: "standard",
  linf: "l-inf adversarial",
  l2: "l2 adversarial",
  ssl: "SSL (pseudo-labels)",
  "ssl+linf": "SSL + l-inf",
  sinTheta: "sin theta(U, B*): representation error",
  targetExcess: "target excess risk",
  expectedExcess: "E[target excess | U]",
};

/** Where an invalid value is shown: a control id ("scenario.s", "epsGrid", "extra.0", ...) or "general". */
export interface ControlError {
  readonly control: string;
  readonly field: string;
  /** The CLI's line without the program name: "invalid config: scenario.s = 600: must be ...". */
  readonly message: string;
}

/** A view's sweep config and how its fields map back to controls. */
export interface ViewConfig {
  readonly view: ViewId;
  /** The sweep config, as "copy as config" gives it. */
  readonly raw: JsonObject;
  /** Config fields written by sweep axes or derived from a control, by field prefix -> control. */
  readonly fieldControls: readonly (readonly [string, string])[];
  /** Control of each entry of raw.methods. */
  readonly methodControls: readonly string[];
}

/** A view that cannot be drawn with the methods switched on (not an error: nothing is invalid). */
export interface ViewNotice {
  readonly view: ViewId;
  readonly notice: string;
}

/** The raw method of a demonstration method at radius eps (SSL methods take m from the scenario). */
export function builtinMethod(id: BuiltinMethod, eps: JsonValue): JsonObject {
  switch (id) {
    case "standard":
      return { label: "standard" };
    case "linf":
      return { label: "linf", attack: "linf", eps };
    case "l2":
      return { label: "l2", attack: "l2", eps };
    case "ssl":
      return { label: "ssl", ssl: {} };
    case "ssl+linf":
      return { label: "ssl+linf", attack: "linf", eps, ssl: {} };
  }
}

/** The run keys and scenario of every view's config. */
export function baseConfig(state: ExplorerState): JsonObject {
  const scenario: JsonObject = {};
  for (const k of SCENARIO_KEYS) {
    const text = state.scenario[k];
    if (k === "diversity") {
      if (text.trim() !== "") scenario.diversity = configList(text);
    } else if (k === "target") {
      scenario.target = text.trim();
    } else {
      scenario[k] = configValue(text);
    }
  }
  return { family: "mixture", replicates: configValue(state.replicates), seed: configValue(state.seed), sampler: state.sampler, scenario };
}

/** A parameter path selecting a method by label (brackets when the label has a dot or bracket). */
export function methodPath(label: string, key: string): string {
  return /[.[\]]/.test(label) ? `methods[${label}].${key}` : `methods.${label}.${key}`;
}

/** The extra methods as raw methods; a ConfigError on `methods[i]` when the keys are not a JSON object. */
function extraMethods(state: ExplorerState, offset: number): JsonObject[] {
  return state.extra.map((e, j) => {
    let keys: unknown;
    try {
      keys = e.keys.trim() === "" ? {} : JSON.parse(e.keys);
    } catch {
      keys = undefined;
    }
    if (typeof keys !== "object" || keys === null || Array.isArray(keys)) {
      throw new ConfigError(`methods[${offset + j}]`, e.keys, 'the keys must be a JSON object of the estimator\'s keys, such as {"rule": "hard-threshold", "k": 20}');
    }
    return { label: e.label, estimator: e.estimator, ...(keys as JsonObject) };
  });
}

function labelsFor(methods: readonly JsonObject[], metrics: readonly string[]): JsonObject {
  const labels: JsonObject = {};
  for (const m of methods) {
    const l = m.label as string;
    if (DISPLAY_LABELS[l] !== undefined) labels[l] = DISPLAY_LABELS[l];
  }
  for (const metric of metrics) labels[metric] = DISPLAY_LABELS[metric];
  return labels;
}

const EPS_AXIS_LABEL = "adversarial radius eps";

/** First value of a grid for the base config (every cell overwrites it), 0 when the grid is empty. */
function firstOf(list: readonly JsonValue[]): JsonValue {
  return list.length > 0 ? list[0] : 0;
}

/** View 1: sinTheta and target excess against eps, every method switched on. */
export function epsViewConfig(state: ExplorerState): ViewConfig | ViewNotice {
  const grid = configList(state.epsGrid);
  const builtins = state.methods.map((id) => builtinMethod(id, firstOf(grid)));
  const methods = [...builtins, ...extraMethods(state, builtins.length)];
  const swept = methods.filter((m) => m.eps !== undefined).map((m) => methodPath(m.label as string, "eps"));
  if (swept.length === 0) return { view: "eps", notice: "Switch on a method with a radius (l-inf, l2, SSL + l-inf, or an added method with an \"eps\" key) to sweep eps." };
  const metrics = ["sinTheta", "targetExcess"];
  const raw: JsonObject = {
    ...baseConfig(state),
    methods,
    sweep: [{ param: swept, values: grid, name: "eps", label: EPS_AXIS_LABEL }],
    plot: { x: "eps", metrics, labels: labelsFor(methods, metrics) },
  };
  return { view: "eps", raw, fieldControls: epsFieldControls(methods), methodControls: methodControls(state) };
}

/** Fields a swept radius writes: methods[i].eps of every method with a radius, and the students' radii. */
function epsFieldControls(methods: readonly JsonObject[]): [string, string][] {
  const out: [string, string][] = [];
  methods.forEach((m, i) => {
    if (m.eps !== undefined) out.push([`methods[${i}].eps`, "epsGrid"], [`methods[${i}].ssl.eps`, "epsGrid"]);
  });
  return out;
}

function methodControls(state: ExplorerState): string[] {
  return [...state.methods.map(() => "methods"), ...state.extra.map((_, j) => `extra.${j}`)];
}

/** View 2: against m (scenario.m, which the SSL methods use), every method switched on. */
export function mViewConfig(state: ExplorerState): ViewConfig | ViewNotice {
  if (!state.methods.includes("ssl") && !state.methods.includes("ssl+linf") && !state.extra.some((e) => e.estimator === "pseudo-label")) {
    return { view: "m", notice: "Switch on SSL or SSL + l-inf to see the curves against m." };
  }
  const eps = configValue(state.eps);
  const builtins = state.methods.map((id) => builtinMethod(id, eps));
  const methods = [...builtins, ...extraMethods(state, builtins.length)];
  const metrics = ["sinTheta", "targetExcess"];
  const raw: JsonObject = {
    ...baseConfig(state),
    methods,
    sweep: [{ param: "scenario.m", values: configList(state.mGrid), name: "m", label: "unlabelled samples per source task m" }],
    plot: { x: "m", metrics, labels: labelsFor(methods, metrics) },
  };
  const fields: [string, string][] = [["scenario.m", "mGrid"], ["sweep[0]", "mGrid"]];
  methods.forEach((m, i) => {
    if (m.eps !== undefined && i < builtins.length) fields.push([`methods[${i}].eps`, "eps"]);
  });
  return { view: "m", raw, fieldControls: fields, methodControls: methodControls(state) };
}

/**
 * The support sizes s = round(f d) of the s/d grid; a ConfigError on the grid when an entry is
 * not a number in (0, 1] (d itself is checked by the scenario parser).
 */
export function supportGrid(sdGrid: string, d: number): number[] {
  const fractions = configList(sdGrid);
  if (fractions.length === 0) throw new ConfigError("s/d grid", sdGrid, "must list at least one fraction s/d in (0, 1]");
  return fractions.map((f, i) => {
    if (typeof f !== "number" || !(f > 0 && f <= 1)) throw new ConfigError(`s/d grid[${i}]`, f, "must be a number in (0, 1]");
    return Math.max(1, Math.round(f * d));
  });
}

/** View 3: the paired gain of l-inf over standard training on the grid s x eps (baseline "standard"). */
export function phaseViewConfig(state: ExplorerState): ViewConfig {
  const grid = configList(state.epsGrid);
  const s = supportGrid(state.sdGrid, configValue(state.scenario.d) as number);
  const methods = [builtinMethod("standard", 0), builtinMethod("linf", firstOf(grid))];
  const metrics = [state.phaseMetric];
  const raw: JsonObject = {
    ...baseConfig(state),
    methods,
    sweep: [
      { param: "scenario.s", values: s, name: "s", label: "support size s" },
      { param: "methods.linf.eps", values: grid, name: "eps", label: EPS_AXIS_LABEL },
    ],
    baseline: "standard",
    plot: { x: "eps", metrics, labels: labelsFor(methods, metrics) },
  };
  const fields: [string, string][] = [
    ["scenario.s", "sdGrid"],
    ["scenario.r", "sdGrid"],
    ["sweep[0]", "sdGrid"],
    ["sweep[1]", "epsGrid"],
    ["methods[1].eps", "epsGrid"],
  ];
  return { view: "phase", raw, fieldControls: fields, methodControls: ["methods", "methods"] };
}

/** View 4: standard and l-inf training along eps with the bound checks of MODEL §6 switched on. */
export function boundsViewConfig(state: ExplorerState): ViewConfig {
  const grid = configList(state.epsGrid);
  const methods = [builtinMethod("standard", 0), builtinMethod("linf", firstOf(grid))];
  const metrics = ["sinTheta", "expectedExcess"];
  const raw: JsonObject = {
    ...baseConfig(state),
    methods,
    evaluation: { bounds: {} },
    sweep: [{ param: "methods.linf.eps", values: grid, name: "eps", label: EPS_AXIS_LABEL }],
    plot: { x: "eps", metrics, labels: labelsFor(methods, metrics) },
  };
  return { view: "bounds", raw, fieldControls: [["methods[1].eps", "epsGrid"], ["sweep[0]", "epsGrid"]], methodControls: ["methods", "methods"] };
}

/** The control an error of `config` belongs to. */
export function controlOf(field: string, config: ViewConfig | null): string {
  const under = (prefix: string) => field === prefix || field.startsWith(`${prefix}.`) || field.startsWith(`${prefix}[`);
  if (config !== null) {
    for (const [prefix, control] of config.fieldControls) if (under(prefix)) return control;
  }
  if (field.startsWith("s/d grid")) return "sdGrid";
  for (const k of SCENARIO_KEYS) if (under(`scenario.${k}`)) return `scenario.${k as ScenarioKey}`;
  for (const k of ["replicates", "seed", "sampler"]) if (under(k)) return k;
  const m = /^methods\[(\d+)\]/.exec(field);
  if (m !== null && config !== null) {
    const i = Number(m[1]);
    // An SSL method with no m of its own takes scenario.m: its missing m is the m control's.
    if (/\.ssl\.m$/.test(field) && config.methodControls[i] === "methods") return "scenario.m";
    return config.methodControls[i] ?? "methods";
  }
  return "general";
}

/** A planned view: its config, plan and config hash. */
export interface PlannedView {
  readonly config: ViewConfig;
  readonly plan: SweepPlan;
  readonly configHash: string;
}

/** Everything the state gives: the planned views, the views that need other methods, and the errors. */
export interface PlannedState {
  readonly views: Partial<Record<ViewId, PlannedView>>;
  readonly notices: Partial<Record<ViewId, string>>;
  /** One error per control (the first found), in the order found. */
  readonly errors: readonly ControlError[];
  /**
   * The error that stops each view that has one. An error of the scenario or run keys stops every
   * view; an error of a view's own controls (such as an s/d grid giving s < r) stops that view only.
   */
  readonly viewErrors: Partial<Record<ViewId, ControlError>>;
}

const BUILDERS: readonly [ViewId, (s: ExplorerState) => ViewConfig | ViewNotice][] = [
  ["eps", epsViewConfig],
  ["m", mViewConfig],
  ["phase", phaseViewConfig],
  ["bounds", boundsViewConfig],
];

/**
 * Builds and plans every view's config against `registry`. A ConfigError (from the state's own
 * checks or the library's parsers) becomes a ControlError; other errors propagate.
 */
export function planState(state: ExplorerState, registry: Registry): PlannedState {
  const views: Partial<Record<ViewId, PlannedView>> = {};
  const notices: Partial<Record<ViewId, string>> = {};
  const errors: ControlError[] = [];
  const viewErrors: Partial<Record<ViewId, ControlError>> = {};
  const add = (e: ControlError) => {
    if (!errors.some((x) => x.control === e.control || x.field === e.field)) errors.push(e);
  };
  // The scenario and run keys first, on their own: an error there is the control's, whatever
  // the views would make of it (view 3 writes scenario.s from its own grid).
  // The views are planned only when these are valid (the CLI, too, reports one error at a time).
  try {
    planSweepConfig({ ...baseConfig(state), methods: [builtinMethod("standard", 0)] }, registry);
  } catch (e) {
    if (!isConfigError(e)) throw e;
    const error = { control: controlOf(e.field, null), field: e.field, message: `invalid config: ${e.message}` };
    add(error);
    for (const [view] of BUILDERS) viewErrors[view] = error;
    return { views, notices, errors, viewErrors };
  }
  for (const [view, build] of BUILDERS) {
    let config: ViewConfig | null = null;
    try {
      const built = build(state);
      if ("notice" in built) {
        notices[view] = built.notice;
        continue;
      }
      config = built;
      const { plan, configHash } = planSweepConfig(config.raw, registry);
      views[view] = { config, plan, configHash };
    } catch (e) {
      if (!isConfigError(e)) throw e;
      const error = { control: controlOf(e.field, config), field: e.field, message: `invalid config: ${e.message}` };
      add(error);
      viewErrors[view] = error;
    }
  }
  return { views, notices, errors, viewErrors };
}

/**
 * The run config of view 1 at one radius: the sweep config without its sweep, every radius set
 * to `eps` (what `advtransfer run --config FILE` runs; its numbers are the sweep's cell at eps).
 */
export function runConfigAt(view: ViewConfig, eps: JsonValue): JsonObject {
  const { sweep: _sweep, plot: _plot, baseline: _baseline, ...run } = view.raw;
  const methods = (view.raw.methods as JsonObject[]).map((m) => (m.eps === undefined ? m : { ...m, eps }));
  return { ...run, methods };
}
