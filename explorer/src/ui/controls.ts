/**
 * The controls: every one labelled, keyboard-usable (sliders move with the arrow keys; in the
 * number boxes ArrowUp/ArrowDown step integers), with its valid range as the library's parser
 * states it and, when the value is invalid, the CLI's one-line message beside it.
 */
import type { ControlError } from "../configs.js";
import { BUILTIN_METHODS, type BuiltinMethod, DEFAULT_STATE, type ExplorerState, type ExtraMethod, type ScenarioKey, configList } from "../state.js";

/** How the state changes; `immediate` skips the debounce (a committed value, not a keystroke). */
export type ChangeHandler = (update: (s: ExplorerState) => ExplorerState, immediate: boolean) => void;

interface FieldSpec {
  readonly id: string;
  readonly label: string;
  readonly help?: string;
  readonly kind: "text" | "select";
  readonly options?: readonly (readonly [string, string])[];
  /** Slider stops for this state (none: no slider). */
  readonly stops?: (s: ExplorerState) => number[];
  /** Whether ArrowUp/ArrowDown step the value by 1 (10 with Shift). */
  readonly integer?: boolean;
  readonly get: (s: ExplorerState) => string;
  readonly set: (s: ExplorerState, v: string) => ExplorerState;
}

const METHOD_NAMES: Readonly<Record<BuiltinMethod, string>> = {
  standard: "standard",
  linf: "l-inf",
  l2: "l2",
  ssl: "SSL",
  "ssl+linf": "SSL + l-inf",
};

/** Integers from 1 to d spaced evenly in log scale (about 24 of them), d included. */
export function logStops(lo: number, hi: number, count = 24): number[] {
  if (!(hi >= lo && lo >= 1)) return [lo];
  const out = new Set<number>();
  for (let i = 0; i < count; i++) out.add(Math.round(lo * (hi / lo) ** (i / (count - 1))));
  out.add(hi);
  return [...out].sort((a, b) => a - b);
}

function intOf(text: string): number | null {
  const v = Number(text.trim());
  return Number.isInteger(v) ? v : null;
}

const scenarioField = (key: ScenarioKey, label: string, help: string, extra: Partial<FieldSpec> = {}): FieldSpec => ({
  id: `scenario.${key}`,
  label,
  help,
  kind: "text",
  get: (s) => s.scenario[key],
  set: (s, v) => ({ ...s, scenario: { ...s.scenario, [key]: v } }),
  ...extra,
});

const SCENARIO_FIELDS: readonly FieldSpec[] = [
  scenarioField("d", "d", "input dimension", { integer: true }),
  scenarioField("s", "s", "support size of B* (s = d: dense)", { integer: true, stops: (st) => logStops(1, intOf(st.scenario.d) ?? 500) }),
  scenarioField("r", "r", "rank of the representation", { integer: true }),
  scenarioField("T", "T", "source tasks", { integer: true }),
  scenarioField("n", "n", "labelled samples per source task", { integer: true, stops: () => [5, 10, 20, 40, 80, 160, 320, 640, 1280, 2560, 5120] }),
  scenarioField("m", "m", "unlabelled samples per source task (SSL)", { integer: true, stops: () => [0, 25, 50, 100, 200, 500, 1000, 2000, 5000, 10000] }),
  scenarioField("n0", "n0", "labelled target samples", { integer: true }),
  scenarioField("sigma", "sigma", "noise level"),
  scenarioField("snr", "snr", "signal strength ||mu_t||", { stops: () => Array.from({ length: 16 }, (_, i) => (i + 1) / 4) }),
  scenarioField("target", "target", "target head", {
    kind: "select",
    options: [
      ["random", "random direction"],
      ["weakest", "weakest source direction"],
    ],
  }),
  scenarioField("diversity", "diversity", "relative singular values of the source heads"),
];

const RADIUS_FIELDS: readonly FieldSpec[] = [
  { id: "epsGrid", label: "eps grid", help: "radii of the eps axis (views 1, 3, 4)", kind: "text", get: (s) => s.epsGrid, set: (s, v) => ({ ...s, epsGrid: v }) },
  {
    id: "eps",
    label: "eps",
    help: "marked on the eps curve; the radius of the m view",
    kind: "text",
    stops: (s) => configList(s.epsGrid).filter((x): x is number => typeof x === "number"),
    get: (s) => s.eps,
    set: (s, v) => ({ ...s, eps: v }),
  },
];

const VIEW_FIELDS: readonly FieldSpec[] = [
  { id: "mGrid", label: "m grid", help: "values of m in the m view", kind: "text", get: (s) => s.mGrid, set: (s, v) => ({ ...s, mGrid: v }) },
  { id: "sdGrid", label: "s/d grid", help: "support fractions of the phase diagram", kind: "text", get: (s) => s.sdGrid, set: (s, v) => ({ ...s, sdGrid: v }) },
  {
    id: "phaseMetric",
    label: "phase metric",
    help: "what the phase diagram compares",
    kind: "select",
    options: [
      ["targetExcess", "target excess risk"],
      ["sinTheta", "sin theta(U, B*)"],
    ],
    get: (s) => s.phaseMetric,
    set: (s, v) => ({ ...s, phaseMetric: v }),
  },
];

const RUN_FIELDS: readonly FieldSpec[] = [
  { id: "replicates", label: "replicates", help: "per point (the curves refine as they arrive)", kind: "text", integer: true, get: (s) => s.replicates, set: (s, v) => ({ ...s, replicates: v }) },
  { id: "seed", label: "seed", help: "replicate k draws from the stream of (seed, k)", kind: "text", integer: true, get: (s) => s.seed, set: (s, v) => ({ ...s, seed: v }) },
  {
    id: "sampler",
    label: "sampler",
    help: "exact: sufficient statistics (MODEL §5); sample: every sample drawn (slower)",
    kind: "select",
    options: [
      ["exact", "exact"],
      ["sample", "sample"],
    ],
    get: (s) => s.sampler,
    set: (s, v) => ({ ...s, sampler: v }),
  },
];

/** A DOM id for a control id ("scenario.s" -> "scenario-s"). */
export function domId(control: string): string {
  return control.replace(/[^A-Za-z0-9_-]/g, "-");
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  e.append(...children);
  return e;
}

interface FieldDom {
  readonly spec: FieldSpec;
  readonly wrap: HTMLElement;
  readonly input: HTMLInputElement | HTMLSelectElement;
  readonly slider: HTMLInputElement | null;
  readonly range: HTMLElement;
  readonly error: HTMLElement;
}

/** The registry names the "add a method" rows offer. */
export interface RegistryNames {
  readonly estimators: readonly { readonly name: string; readonly description: string; readonly example: string }[];
  readonly rules: readonly string[];
}

export class Controls {
  private readonly form: HTMLFormElement;
  private readonly onChange: ChangeHandler;
  private readonly fields: FieldDom[] = [];
  private readonly methodBoxes = new Map<BuiltinMethod, HTMLInputElement>();
  private readonly methodsError: HTMLElement;
  private readonly extraList: HTMLElement;
  private readonly names: RegistryNames;
  private state: ExplorerState = DEFAULT_STATE;

  constructor(form: HTMLFormElement, names: RegistryNames, onChange: ChangeHandler) {
    this.form = form;
    this.names = names;
    this.onChange = onChange;
    form.addEventListener("submit", (e) => e.preventDefault());
    form.append(this.group("Scenario (mixture family, MODEL §2.1)", SCENARIO_FIELDS));
    const methods = el("fieldset", {}, el("legend", {}, "Methods"));
    const checks = el("div", { class: "checks" });
    for (const id of BUILTIN_METHODS) {
      const box = el("input", { type: "checkbox", id: `method-${domId(id)}` });
      box.addEventListener("change", () => this.onChange((s) => ({ ...s, methods: BUILTIN_METHODS.filter((m) => (m === id ? box.checked : s.methods.includes(m))) }), true));
      this.methodBoxes.set(id, box);
      checks.append(el("label", {}, box, METHOD_NAMES[id]));
    }
    this.methodsError = el("div", { class: "error", id: "error-methods", "aria-live": "polite" });
    this.extraList = el("div", { id: "extra-methods" });
    const add = el("button", { type: "button", id: "add-method" }, "Add a method from the registry");
    add.addEventListener("click", () => {
      const first = this.names.estimators[0];
      this.onChange((s) => ({ ...s, extra: [...s.extra, { label: `method${s.extra.length + 1}`, estimator: first.name, keys: first.example }] }), true);
    });
    methods.append(checks, this.methodsError, this.extraList, add, el("div", { class: "help" }, `per-task rules: ${names.rules.join(", ")} ("rule" key)`));
    form.append(methods);
    form.append(this.group("Radius", RADIUS_FIELDS));
    form.append(this.group("Other views", VIEW_FIELDS));
    form.append(this.group("Replicates", RUN_FIELDS));
  }

  private group(title: string, specs: readonly FieldSpec[]): HTMLFieldSetElement {
    const fs = el("fieldset", {}, el("legend", {}, title));
    for (const spec of specs) fs.append(this.field(spec));
    return fs;
  }

  private field(spec: FieldSpec): HTMLElement {
    const id = domId(spec.id);
    const described = `range-${id} error-${id}`;
    let input: HTMLInputElement | HTMLSelectElement;
    if (spec.kind === "select") {
      input = el("select", { id: `ctl-${id}`, "aria-describedby": described });
      for (const [value, text] of spec.options ?? []) input.append(el("option", { value }, text));
    } else {
      input = el("input", { id: `ctl-${id}`, type: "text", autocomplete: "off", spellcheck: "false", "aria-describedby": described });
      if (spec.integer === true || spec.stops !== undefined) input.setAttribute("inputmode", "decimal");
    }
    let slider: HTMLInputElement | null = null;
    const inputs = el("div", { class: "inputs" });
    if (spec.stops !== undefined) {
      slider = el("input", { type: "range", id: `slider-${id}`, min: "0", step: "1", "aria-label": `${spec.label} (slider)`, "aria-describedby": described });
      input.classList.add("short");
      inputs.append(input, slider);
    } else {
      inputs.append(input);
    }
    const range = el("span", { class: "range", id: `range-${id}` });
    const error = el("div", { class: "error", id: `error-${id}`, "aria-live": "polite" });
    const name = el("label", { for: `ctl-${id}` }, el("span", { class: "name" }, spec.label));
    if (spec.help !== undefined) name.append(el("span", { class: "help" }, spec.help));
    const wrap = el("div", { class: "field", id: `field-${id}` }, name, inputs, range, error);
    const dom: FieldDom = { spec, wrap, input, slider, range, error };
    this.fields.push(dom);
    input.addEventListener("input", () => this.onChange((s) => spec.set(s, input.value), spec.kind === "select"));
    input.addEventListener("change", () => this.onChange((s) => spec.set(s, input.value), true));
    if (spec.integer === true && input instanceof HTMLInputElement) {
      input.addEventListener("keydown", (e) => {
        if (e.key !== "ArrowUp" && e.key !== "ArrowDown") return;
        const v = intOf(input.value);
        if (v === null) return;
        e.preventDefault();
        input.value = String(v + (e.key === "ArrowUp" ? 1 : -1) * (e.shiftKey ? 10 : 1));
        this.onChange((s) => spec.set(s, input.value), false);
      });
    }
    if (slider !== null) {
      const sl = slider;
      sl.addEventListener("input", () => {
        const stops = spec.stops!(this.state);
        const v = stops[Number(sl.value)];
        if (v === undefined) return;
        input.value = String(v);
        sl.setAttribute("aria-valuetext", String(v));
        this.onChange((s) => spec.set(s, String(v)), false);
      });
      sl.addEventListener("change", () => this.onChange((s) => s, true));
    }
    return wrap;
  }

  /** Shows `state` (values, sliders, extra methods), the valid ranges and the errors. */
  render(state: ExplorerState, ranges: Readonly<Record<string, string>>, errors: readonly ControlError[]): void {
    this.state = state;
    const errorOf = (control: string) => errors.find((e) => e.control === control)?.message ?? "";
    for (const f of this.fields) {
      const value = f.spec.get(state);
      if (f.input.value !== value && document.activeElement !== f.input) f.input.value = value;
      if (f.slider !== null) {
        const stops = f.spec.stops!(state);
        f.slider.max = String(Math.max(0, stops.length - 1));
        const v = Number(value);
        let best = 0;
        stops.forEach((st, i) => {
          if (Math.abs(st - v) < Math.abs(stops[best] - v)) best = i;
        });
        if (document.activeElement !== f.slider || Number(f.slider.value) !== best) f.slider.value = String(best);
        f.slider.setAttribute("aria-valuetext", value);
        f.slider.disabled = stops.length < 2;
      }
      f.range.textContent = ranges[f.spec.id] ?? "";
      const message = errorOf(f.spec.id);
      f.error.textContent = message;
      f.wrap.classList.toggle("invalid", message !== "");
      f.input.setAttribute("aria-invalid", message === "" ? "false" : "true");
    }
    for (const [id, box] of this.methodBoxes) box.checked = state.methods.includes(id);
    this.methodsError.textContent = errorOf("methods");
    this.renderExtra(state, errors);
  }

  private renderExtra(state: ExplorerState, errors: readonly ControlError[]): void {
    const rows = this.extraList.children;
    // Rebuild only when the number of rows changed (so typing keeps its focus).
    if (rows.length !== state.extra.length) {
      this.extraList.replaceChildren(...state.extra.map((_, j) => this.extraRow(j)));
    }
    state.extra.forEach((e, j) => {
      const row = this.extraList.children[j] as HTMLElement;
      const set = (sel: string, v: string) => {
        const input = row.querySelector(sel) as HTMLInputElement | HTMLSelectElement;
        if (input.value !== v && document.activeElement !== input) input.value = v;
      };
      set(".label", e.label);
      set(".estimator", e.estimator);
      set(".keys", e.keys);
      (row.querySelector(".error") as HTMLElement).textContent = errors.find((x) => x.control === `extra.${j}`)?.message ?? "";
    });
  }

  private extraRow(j: number): HTMLElement {
    const update = (patch: Partial<ExtraMethod>, immediate: boolean) =>
      this.onChange((s) => ({ ...s, extra: s.extra.map((e, i) => (i === j ? { ...e, ...patch } : e)) }), immediate);
    const label = el("input", { class: "label", "aria-label": `label of added method ${j + 1}`, size: "9", autocomplete: "off" });
    const estimator = el("select", { class: "estimator", "aria-label": `estimator of added method ${j + 1}` });
    for (const e of this.names.estimators) estimator.append(el("option", { value: e.name, title: e.description }, e.name));
    const keys = el("input", { class: "keys", "aria-label": `keys of added method ${j + 1} (JSON object)`, autocomplete: "off", spellcheck: "false" });
    const remove = el("button", { type: "button", "aria-label": `remove added method ${j + 1}` }, "×");
    label.addEventListener("input", () => update({ label: label.value }, false));
    keys.addEventListener("input", () => update({ keys: keys.value }, false));
    estimator.addEventListener("change", () => {
      const example = this.names.estimators.find((e) => e.name === estimator.value)?.example ?? "{}";
      update({ estimator: estimator.value, keys: example }, true);
    });
    remove.addEventListener("click", () => this.onChange((s) => ({ ...s, extra: s.extra.filter((_, i) => i !== j) }), true));
    return el(
      "div",
      { class: "extra", id: `extra-${j}` },
      el("div", { class: "row" }, label, estimator, remove),
      el("div", { class: "row" }, keys),
      el("div", { class: "error", "aria-live": "polite" }),
    );
  }
}
