/**
 * The explorer page: controls on the left, four views on the right (eps curve, m curve, phase
 * diagram, bounds), computed live in Web Workers by the library's own code. The URL fragment holds
 * the state (a permalink); "copy as config" gives the sweep config the CLI runs to the same
 * numbers; a results.jsonl or summary.json of a CLI sweep can be loaded and drawn.
 *
 * `?workers=N` in the query string sets the number of workers (default: one per core).
 */
import { createDefaultRegistry } from "../../src/families/index.js";
import { type PlannedState, type PlannedView, planState, runConfigAt } from "./configs.js";
import { LoadError, type LoadedResults, parseLoadedFile } from "./loadResults.js";
import { OutcomeCache } from "./methodCache.js";
import { controlRanges } from "./ranges.js";
import { type ExplorerState, VIEWS, type ViewId, configValue, stateFromHash, stateToHash } from "./state.js";
import { Controls, type RegistryNames } from "./ui/controls.js";
import { type ComputeContext, LiveView, Panel, drawLoaded } from "./ui/views.js";
import { WebWorkerPool } from "./workerPool.js";

declare const __EXPLORER_WORKER_SOURCE__: string;

const VIEW_TITLES: Readonly<Record<ViewId | "loaded", string>> = {
  eps: "Radius eps",
  m: "Unlabelled data m",
  phase: "Phase diagram s/d × eps",
  bounds: "Bounds",
  loaded: "Loaded file",
};

function byId<T extends HTMLElement>(id: string): T {
  const e = document.getElementById(id);
  if (e === null) throw new Error(`explorer: the page has no #${id}`);
  return e as T;
}

function workerCount(): number {
  const asked = Number(new URLSearchParams(location.search).get("workers"));
  if (Number.isInteger(asked) && asked >= 1 && asked <= 64) return asked;
  return Math.max(1, Math.min(8, navigator.hardwareConcurrency || 2));
}

function registryNames(registry: ReturnType<typeof createDefaultRegistry>): RegistryNames {
  const family = registry.family("mixture");
  const examples: Record<string, string> = { supervised: '{"rule": "hard-threshold", "k": 20}' };
  return {
    estimators: family.estimators.values().map((e) => {
      const ex = e.examples.find((x) => Object.keys(x).length > 0) ?? e.examples[0] ?? {};
      return { name: e.name, description: e.description, example: examples[e.name] ?? JSON.stringify(ex) };
    }),
    rules: family.extensions.perTaskRules?.names() ?? [],
  };
}

function start(): void {
  const registry = createDefaultRegistry();
  const workerUrl = URL.createObjectURL(new Blob([__EXPLORER_WORKER_SOURCE__], { type: "text/javascript" }));
  const pool = new WebWorkerPool(() => new Worker(workerUrl, { name: "advtransfer" }), workerCount());
  const context: ComputeContext = { pool, cache: new OutcomeCache(), inflight: new Map() };

  let state: ExplorerState = stateFromHash(location.hash);
  let planned: PlannedState = { views: {}, notices: {}, errors: [], viewErrors: {} };
  let ranges: Record<string, string> = {};
  let loaded: LoadedResults | null = null;
  let selected: ViewId | "loaded" = state.view;

  // Tabs and panels.
  const tablist = byId("tabs");
  const panels = byId("panels");
  const tabs = new Map<ViewId | "loaded", HTMLButtonElement>();
  const panelOf = new Map<ViewId | "loaded", Panel>();
  for (const id of [...VIEWS, "loaded"] as const) {
    const tab = document.createElement("button");
    tab.type = "button";
    tab.setAttribute("role", "tab");
    tab.id = `tab-${id}`;
    tab.setAttribute("aria-controls", `view-${id}`);
    tab.textContent = VIEW_TITLES[id];
    tab.addEventListener("click", () => select(id));
    tab.addEventListener("keydown", (e) => {
      const visible = [...tabs.entries()].filter(([, t]) => !t.hidden).map(([k]) => k);
      const i = visible.indexOf(id);
      const next = e.key === "ArrowRight" ? visible[(i + 1) % visible.length] : e.key === "ArrowLeft" ? visible[(i - 1 + visible.length) % visible.length] : e.key === "Home" ? visible[0] : e.key === "End" ? visible[visible.length - 1] : null;
      if (next == null) return;
      e.preventDefault();
      select(next);
      tabs.get(next)!.focus();
    });
    tablist.append(tab);
    tabs.set(id, tab);
    const section = document.createElement("section");
    section.id = `view-${id}`;
    section.className = "panel";
    section.setAttribute("role", "tabpanel");
    section.setAttribute("aria-labelledby", tab.id);
    section.dataset.status = "idle";
    panels.append(section);
    panelOf.set(id, new Panel(section));
  }
  tabs.get("loaded")!.hidden = true;
  const live = new Map<ViewId, LiveView>(VIEWS.map((id) => [id, new LiveView(id, panelOf.get(id)!, context)]));

  function select(id: ViewId | "loaded"): void {
    selected = id;
    for (const [k, t] of tabs) {
      const on = k === id;
      t.setAttribute("aria-selected", String(on));
      t.tabIndex = on ? 0 : -1;
      panelOf.get(k)!.root.hidden = !on;
    }
    if (id !== "loaded" && state.view !== id) {
      state = { ...state, view: id };
      writeHash();
    }
    refreshViews();
  }

  const controls = new Controls(byId<HTMLFormElement>("controls"), registryNames(registry), (update, immediate) => {
    const next = update(state);
    if (next === state) {
      if (immediate) schedule(0);
      return;
    }
    state = next;
    writeHash();
    // Keystrokes and slider steps in one burst are planned once; a changed config stops the
    // stale run at once and starts the new one.
    schedule(immediate ? 0 : 60);
  });

  let timer: ReturnType<typeof setTimeout> | null = null;
  function schedule(ms: number): void {
    if (timer !== null) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      apply();
    }, ms);
  }

  function writeHash(): void {
    const hash = stateToHash(state);
    const url = `${location.pathname}${location.search}${hash === "" ? "" : `#${hash}`}`;
    if (`${location.pathname}${location.search}${location.hash}` !== url) history.replaceState(null, "", url);
  }

  const generalError = byId("general-error");

  /** Plans every view from the state, shows the errors, and refreshes the visible view. */
  function apply(): void {
    planned = planState(state, registry);
    const r = controlRanges(state, registry);
    ranges = { ...ranges, ...r };
    controls.render(state, ranges, planned.errors);
    generalError.textContent = planned.errors.filter((e) => e.control === "general").map((e) => e.message).join("\n");
    document.body.dataset.errors = String(planned.errors.length);
    if (loaded !== null && selected === "loaded") {
      // A control moved: back to the live views.
      select(state.view);
      return;
    }
    refreshViews();
  }

  function refreshViews(): void {
    for (const id of VIEWS) {
      const view = live.get(id)!;
      const active = selected === id;
      const error = planned.viewErrors[id];
      if (error !== undefined) {
        view.blank("invalid", `Nothing is computed while a value is invalid: ${error.message}`);
        continue;
      }
      const p = planned.views[id];
      if (p === undefined) {
        view.blank("notice", planned.notices[id] ?? "");
        continue;
      }
      view.show(p, state, active);
    }
    if (selected === "loaded" && loaded !== null) drawLoadedFile(loaded);
  }

  function drawLoadedFile(data: LoadedResults): void {
    const panel = panelOf.get("loaded")!;
    const root = panel.root;
    const missing = data.missingCells.length > 0 ? ` · missing cells: ${data.missingCells.length} of ${data.cells}` : "";
    const warn = data.warnings.length > 0 ? ` · ${data.warnings.join("; ")}` : "";
    const axes = data.axes.map((a) => `${a.name} (${a.values.length})`).join(" × ") || "(no axes)";
    panel.status.textContent = `${data.file}: ${data.kind === "results" ? "results file" : "summary"} of a ${data.family} sweep, seed ${JSON.stringify(data.seed)}, axes ${axes}${missing}${warn}. Changing a control returns to the live views.`;
    const marker = Number(state.eps);
    root.dataset.status = "computing";
    void panel.show(drawLoaded(data, data.axes.some((a) => a.name === "eps") && Number.isFinite(marker) ? marker : null)).then(
      () => {
        root.dataset.status = "done";
      },
      (e: unknown) => {
        root.dataset.status = "error";
        panel.status.textContent = `${data.file}: cannot draw it: ${e instanceof Error ? e.message : String(e)}`;
      },
    );
  }

  // Loading a CLI sweep's results.jsonl or summary.json.
  const fileInput = byId<HTMLInputElement>("load-file");
  async function loadFile(file: File): Promise<void> {
    const text = await file.text();
    try {
      loaded = parseLoadedFile(file.name, text);
    } catch (e) {
      generalError.textContent = e instanceof LoadError ? e.message : `${file.name}: ${e instanceof Error ? e.message : String(e)}`;
      return;
    }
    generalError.textContent = "";
    tabs.get("loaded")!.hidden = false;
    for (const v of live.values()) v.stop();
    select("loaded");
  }
  fileInput.addEventListener("change", () => {
    const f = fileInput.files?.[0];
    if (f !== undefined) void loadFile(f);
    fileInput.value = "";
  });
  document.addEventListener("dragover", (e) => e.preventDefault());
  document.addEventListener("drop", (e) => {
    e.preventDefault();
    const f = e.dataTransfer?.files[0];
    if (f !== undefined) void loadFile(f);
  });

  // "Copy as config".
  const dialog = byId<HTMLDialogElement>("config-dialog");
  const kind = byId<HTMLFieldSetElement>("config-kind");
  const json = byId<HTMLTextAreaElement>("config-json");
  const command = byId("config-command");
  const download = byId<HTMLAnchorElement>("config-download");
  const copied = byId("config-copied");
  let downloadUrl: string | null = null;
  function configText(view: PlannedView, asRun: boolean): { text: string; file: string; cmd: string } {
    const id = view.config.view;
    if (asRun) {
      const file = `explorer-${id}-run.json`;
      return { text: `${JSON.stringify(runConfigAt(view.config, configValue(state.eps)), null, 2)}\n`, file, cmd: `advtransfer run --config ${file}` };
    }
    const file = `explorer-${id}.json`;
    return { text: `${JSON.stringify(view.config.raw, null, 2)}\n`, file, cmd: `advtransfer sweep --config ${file} --out runs/explorer-${id}` };
  }
  function fillDialog(): void {
    const view = selected === "loaded" ? undefined : planned.views[selected];
    const asRun = (kind.querySelector("input:checked") as HTMLInputElement | null)?.value === "run";
    if (view === undefined) {
      json.value = "";
      command.textContent = planned.errors.length > 0 ? "fix the invalid value first" : "this view has no config";
      return;
    }
    const { text, file, cmd } = configText(view, asRun && view.config.view === "eps");
    json.value = text;
    command.textContent = cmd;
    if (downloadUrl !== null) URL.revokeObjectURL(downloadUrl);
    downloadUrl = URL.createObjectURL(new Blob([text], { type: "application/json" }));
    download.href = downloadUrl;
    download.download = file;
  }
  byId("copy-config").addEventListener("click", () => {
    const view = selected === "loaded" ? undefined : planned.views[selected];
    kind.replaceChildren();
    const legend = document.createElement("legend");
    legend.textContent = "Config";
    kind.append(legend);
    const options: [string, string][] = [["sweep", "the sweep this view draws (advtransfer sweep)"]];
    if (view?.config.view === "eps") options.push(["run", `one run at eps = ${state.eps} (advtransfer run)`]);
    options.forEach(([value, text], i) => {
      const label = document.createElement("label");
      const input = document.createElement("input");
      input.type = "radio";
      input.name = "config-kind";
      input.value = value;
      input.checked = i === 0;
      input.addEventListener("change", fillDialog);
      label.append(input, ` ${text}`);
      kind.append(label);
    });
    copied.textContent = "";
    fillDialog();
    dialog.showModal();
    json.focus();
    json.select();
  });
  byId("config-copy").addEventListener("click", () => {
    json.select();
    const done = () => {
      copied.textContent = "copied";
    };
    if (navigator.clipboard?.writeText !== undefined) navigator.clipboard.writeText(json.value).then(done, () => (copied.textContent = document.execCommand("copy") ? "copied" : "select the text and copy it"));
    else copied.textContent = document.execCommand("copy") ? "copied" : "select the text and copy it";
  });
  byId("config-close").addEventListener("click", () => dialog.close());
  byId("copy-link").addEventListener("click", () => {
    const button = byId("copy-link");
    const text = location.href;
    const say = (t: string) => {
      button.textContent = t;
      setTimeout(() => (button.textContent = "Copy link"), 1500);
    };
    if (navigator.clipboard?.writeText !== undefined) navigator.clipboard.writeText(text).then(() => say("Link copied"), () => say("Copy the address bar"));
    else say("Copy the address bar");
  });

  window.addEventListener("hashchange", () => {
    const next = stateFromHash(location.hash);
    if (stateToHash(next) === stateToHash(state)) return;
    state = next;
    select(state.view);
    apply();
  });

  byId("footnote").textContent =
    `Computed in your browser on ${pool.workers} Web Worker${pool.workers === 1 ? "" : "s"} by advtransfer's own code: replicate k draws from the stream of (seed, k), so "Copy as config" gives a config that ` +
    "`advtransfer sweep` (or `run`) runs to the same numbers (bit for bit in this browser's engine; in Node up to the last bits of Math.exp, Math.log, ...). The address of this page holds every control (a permalink).";
  document.body.dataset.workers = String(pool.workers);
  // Diagnostics for scripts and tests: where the time went.
  (window as unknown as { explorerStats: () => object }).explorerStats = () => ({ workers: pool.workers, computeMs: pool.computeMs, tasks: pool.tasksDone, restarts: pool.restarts, cachedOutcomes: context.cache.outcomes, msPerMethodReplicate: pool.msPerReplicate() });
  select(state.view);
  apply();
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
else start();
