/**
 * The explorer's state: what every control holds, as the text the visitor typed (a value is
 * checked by the library's parsers when configs are built, never here), its defaults, and its
 * form in the URL (the permalink). Pure: no DOM.
 */

/** Scenario keys of the mixture family, in the order the controls show them. */
export const SCENARIO_KEYS = ["d", "s", "r", "T", "n", "m", "n0", "sigma", "snr", "target", "diversity"] as const;
export type ScenarioKey = (typeof SCENARIO_KEYS)[number];

/** The five demonstration methods (MODEL §7), by the labels their configs use. */
export const BUILTIN_METHODS = ["standard", "linf", "l2", "ssl", "ssl+linf"] as const;
export type BuiltinMethod = (typeof BUILTIN_METHODS)[number];

/** The views (tabs). */
export const VIEWS = ["eps", "m", "phase", "bounds"] as const;
export type ViewId = (typeof VIEWS)[number];

/** A method added from the registry: a label, an estimator name and its keys as JSON text. */
export interface ExtraMethod {
  readonly label: string;
  readonly estimator: string;
  readonly keys: string;
}

export interface ExplorerState {
  /** Raw text of each scenario control ("" for diversity: i.i.d. heads, the key omitted). */
  readonly scenario: Readonly<Record<ScenarioKey, string>>;
  /** The demonstration methods switched on, in BUILTIN_METHODS order. */
  readonly methods: readonly BuiltinMethod[];
  readonly extra: readonly ExtraMethod[];
  /** The radius grid of the eps axis (views 1, 3, 4), comma-separated. */
  readonly epsGrid: string;
  /** The radius picked on the grid: the marked point of view 1 and the radius of view 2. */
  readonly eps: string;
  /** The m grid of view 2. */
  readonly mGrid: string;
  /** The s/d grid of the phase diagram (view 3). */
  readonly sdGrid: string;
  /** The metric of the phase diagram. */
  readonly phaseMetric: string;
  readonly replicates: string;
  readonly seed: string;
  readonly sampler: string;
  readonly view: ViewId;
}

/** MODEL §7's demonstration: the default scenario with m = 1000, five methods, 200 replicates, seed 1. */
export const DEFAULT_STATE: ExplorerState = {
  scenario: { d: "500", s: "20", r: "4", T: "20", n: "40", m: "1000", n0: "20", sigma: "1", snr: "1.5", target: "random", diversity: "" },
  methods: [...BUILTIN_METHODS],
  extra: [],
  epsGrid: "0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6",
  eps: "0.3",
  mGrid: "25, 50, 100, 200, 500, 1000, 2000",
  sdGrid: "0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1",
  phaseMetric: "targetExcess",
  replicates: "200",
  seed: "1",
  sampler: "exact",
  view: "eps",
};

/** URL parameter names of the non-scenario fields. */
const URL_KEYS = {
  methods: "methods",
  extra: "extra",
  epsGrid: "grid",
  eps: "eps",
  mGrid: "mgrid",
  sdGrid: "sdgrid",
  phaseMetric: "phase",
  replicates: "R",
  seed: "seed",
  sampler: "sampler",
  view: "view",
} as const;

/**
 * The state as a URL fragment (without "#"): only the fields that differ from the defaults, so
 * the default page has the empty fragment. Scenario keys keep their names (d, s, ...).
 */
export function stateToHash(state: ExplorerState): string {
  const p = new URLSearchParams();
  for (const k of SCENARIO_KEYS) if (state.scenario[k] !== DEFAULT_STATE.scenario[k]) p.set(k, state.scenario[k]);
  if (state.methods.join(",") !== DEFAULT_STATE.methods.join(",")) p.set(URL_KEYS.methods, state.methods.join(","));
  if (state.extra.length > 0) p.set(URL_KEYS.extra, JSON.stringify(state.extra.map((e) => [e.label, e.estimator, e.keys])));
  for (const key of ["epsGrid", "eps", "mGrid", "sdGrid", "phaseMetric", "replicates", "seed", "sampler", "view"] as const) {
    if (state[key] !== DEFAULT_STATE[key]) p.set(URL_KEYS[key], state[key]);
  }
  return p.toString();
}

/**
 * The state a URL fragment describes: the defaults overlaid with its parameters. Values are kept
 * as text (a bad value shows its error next to its control, as if typed); unknown parameters
 * and malformed method lists are ignored.
 */
export function stateFromHash(hash: string): ExplorerState {
  const p = new URLSearchParams(hash.startsWith("#") ? hash.slice(1) : hash);
  const scenario = { ...DEFAULT_STATE.scenario };
  for (const k of SCENARIO_KEYS) {
    const v = p.get(k);
    if (v !== null) scenario[k] = v;
  }
  const text = (key: keyof typeof URL_KEYS, fallback: string) => p.get(URL_KEYS[key]) ?? fallback;
  let methods: BuiltinMethod[] = [...DEFAULT_STATE.methods];
  const m = p.get(URL_KEYS.methods);
  if (m !== null) {
    const listed = m.split(",").filter((x) => x !== "");
    methods = BUILTIN_METHODS.filter((b) => listed.includes(b));
  }
  let extra: ExtraMethod[] = [];
  const e = p.get(URL_KEYS.extra);
  if (e !== null) {
    try {
      const parsed: unknown = JSON.parse(e);
      if (Array.isArray(parsed)) {
        extra = parsed
          .filter((x): x is [string, string, string] => Array.isArray(x) && x.length === 3 && x.every((y) => typeof y === "string"))
          .map(([label, estimator, keys]) => ({ label, estimator, keys }));
      }
    } catch {
      extra = [];
    }
  }
  const view = text("view", DEFAULT_STATE.view);
  return {
    scenario,
    methods,
    extra,
    epsGrid: text("epsGrid", DEFAULT_STATE.epsGrid),
    eps: text("eps", DEFAULT_STATE.eps),
    mGrid: text("mGrid", DEFAULT_STATE.mGrid),
    sdGrid: text("sdGrid", DEFAULT_STATE.sdGrid),
    phaseMetric: text("phaseMetric", DEFAULT_STATE.phaseMetric),
    replicates: text("replicates", DEFAULT_STATE.replicates),
    seed: text("seed", DEFAULT_STATE.seed),
    sampler: text("sampler", DEFAULT_STATE.sampler),
    view: (VIEWS as readonly string[]).includes(view) ? (view as ViewId) : DEFAULT_STATE.view,
  };
}

const JSON_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

/**
 * A control's text as a config value: a JSON number becomes that number (the CLI's grammar for
 * flag values: no hex, no leading "+" or "."), anything else stays the trimmed text, so the
 * parser reports it as the string it is ("scenario.d = \"abc\": must be an integer in ...").
 * @example configValue(" 20 ") // 20
 * @example configValue("2e1") // 20
 * @example configValue("0x14") // "0x14"
 */
export function configValue(text: string): number | string {
  const t = text.trim();
  return JSON_NUMBER.test(t) ? Number(t) : t;
}

/**
 * A comma-separated list as config values ("" is the empty list; blanks around commas are
 * dropped; an empty entry stays "" so the parser names it).
 * @example configList("0, 0.1,0.2") // [0, 0.1, 0.2]
 */
export function configList(text: string): (number | string)[] {
  if (text.trim() === "") return [];
  return text.split(",").map(configValue);
}
