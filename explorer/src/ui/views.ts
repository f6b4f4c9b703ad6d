/**
 * The four live views and the loaded-file view: what each draws from its records (figures, a
 * sentence saying what they show, the numbers behind them), and the run of the visible view in
 * the Web Workers, refining stage by stage and cancelled as soon as a control changes. Every
 * panel exposes what it plotted (data-rows, JSON) and its state (data-status: idle, computing,
 * done, invalid, notice, error) for tests and scripts.
 */
import type { JsonValue } from "../../../src/core/config/canonicalJson.js";
import { formatMeanSe } from "../../../src/core/format.js";
import { type CellRecord, truncateRecord } from "../../../src/experiment/cellRecord.js";
import { type CellSummaryRow, summariseRecords } from "../../../src/experiment/cellSummary.js";
import { type PairedEffect, pairedEffects } from "../../../src/experiment/pairedEffects.js";
import { parsePlotOptions } from "../../../src/report/figureSpec.js";
import { axesFromSpec } from "../../../src/report/sweepOutputs.js";
import { type PlannedView, DISPLAY_LABELS } from "../configs.js";
import type { LoadedResults } from "../loadResults.js";
import { CancelledError, MethodCacheExecutor, type OutcomeCache, type TaskExecutor } from "../methodCache.js";
import { replicateStages, runProgressively } from "../progressive.js";
import { boundPoints, boundsSpec, curveSpec, phaseCells, phaseDiagramSpec, supportFractionText } from "../specs.js";
import type { ExplorerState, ViewId } from "../state.js";
import { Figure } from "./figure.js";

/** What the views compute with: the pool, and the cache and bookkeeping shared by all runs. */
export interface ComputeContext {
  readonly pool: TaskExecutor;
  readonly cache: OutcomeCache;
  readonly inflight: Map<string, Promise<unknown>>;
}

/** What a view draws at a moment. */
export interface ViewOutput {
  readonly figures: readonly { readonly spec: object; readonly label: string }[];
  /** The plotted numbers (the panel's data-rows). */
  readonly rows: readonly unknown[];
  /** One or two sentences on what the figures show (may be empty). */
  readonly verdict: string;
  readonly table: HTMLTableElement | null;
}

const label = (name: string) => DISPLAY_LABELS[name] ?? name;

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  e.append(...children);
  return e;
}

/** Hides the legend of all figures of a row but the last (they share it), so two fit side by side. */
function withLegend(spec: Record<string, unknown>, legend: boolean): Record<string, unknown> {
  if (legend) return spec;
  const inner = (spec.spec ?? spec) as { layer?: { encoding?: Record<string, Record<string, unknown>> }[] };
  for (const layer of inner.layer ?? []) {
    for (const channel of ["color", "strokeDash", "shape"]) {
      const enc = layer.encoding?.[channel];
      if (enc !== undefined) enc.legend = null;
    }
  }
  return spec;
}

/** The plotted form of a summary row (what data-rows holds). */
export function plottedRow(r: CellSummaryRow): Record<string, JsonValue> {
  return { cell: r.cell, point: r.point as JsonValue, method: r.method, metric: r.metric, replicates: r.replicates, n: r.n, mean: r.mean, se: r.se };
}

/** A table of means ± SE: one line per x value and method, one column per metric. */
function curvesTable(rows: readonly CellSummaryRow[], x: string | null, metrics: readonly string[]): HTMLTableElement {
  const table = el("table");
  table.append(el("thead", {}, el("tr", {}, ...[x ?? "cell", "method", ...metrics.map(label), "replicates"].map((h) => el("th", { scope: "col" }, h)))));
  const body = el("tbody");
  const byKey = new Map<string, CellSummaryRow[]>();
  for (const r of rows) {
    if (!metrics.includes(r.metric)) continue;
    const key = `${r.cell}\u0000${r.method}`;
    byKey.set(key, [...(byKey.get(key) ?? []), r]);
  }
  for (const group of byKey.values()) {
    const first = group[0];
    const cells = metrics.map((m) => {
      const r = group.find((g) => g.metric === m);
      return r === undefined ? "" : formatMeanSe(r.mean, r.se);
    });
    body.append(el("tr", {}, el("td", {}, String(x === null ? first.cell : JSON.stringify(first.point[x]))), el("td", {}, label(first.method)), ...cells.map((c) => el("td", {}, c)), el("td", {}, String(first.replicates))));
  }
  table.append(body);
  return table;
}

function fmt(v: number): string {
  return Number(v.toPrecision(3)).toString();
}

/** "lowers sin theta from 0.881 to 0.608" for a paired effect, given the baseline's mean. */
function changeText(e: PairedEffect, base: number): string {
  const verb = e.difference < 0 ? "lowers" : "raises";
  return `${verb} ${metricShort(e.metric)} from ${fmt(base)} to ${fmt(base + e.difference)}`;
}

/** "(paired differences -0.274 ± 0.014 and -0.401 ± 0.035: both clear)". */
function differencesText(effects: readonly PairedEffect[]): string {
  const ds = effects.map((e) => `${e.difference >= 0 ? "+" : "\u2212"}${fmt(Math.abs(e.difference))}${e.differenceSe === null ? "" : ` ± ${fmt(e.differenceSe)}`}`);
  if (effects.some((e) => e.differenceSe === null)) return `(paired difference${ds.length > 1 ? "s" : ""} ${ds.join(" and ")})`;
  const clear = effects.map((e) => e.clear);
  const verdict = clear.every((c) => c) ? (clear.length > 1 ? "both clear" : "clear") : clear.every((c) => !c) ? (clear.length > 1 ? "neither clear" : "not clear") : clear.map((c) => (c ? "clear" : "not clear")).join(", ");
  return `(paired difference${ds.length > 1 ? "s" : ""} ${ds.join(" and ")}: ${verdict}, beyond 3 SE)`;
}

function metricShort(metric: string): string {
  return metric === "sinTheta" ? "sin theta" : metric === "targetExcess" ? "the target excess risk" : metric;
}

/** The sentence of view 1: l-inf against standard training (and SSL + l-inf against SSL) at the marked radius. */
function epsVerdict(records: readonly CellRecord[], eps: JsonValue): string {
  const record = records.find((r) => r.point.eps === eps);
  if (record === undefined) return "";
  const has = (m: string) => record.methods.some((x) => x.method === m);
  const parts: string[] = [];
  const metrics = ["sinTheta", "targetExcess"];
  const compare = (method: string, baseline: string, name: string) => {
    if (!has(method) || !has(baseline)) return;
    const effects = pairedEffects([record], baseline, metrics).filter((e) => e.method === method);
    if (effects.length === 0) return;
    const text = effects.map((e) => {
      const base = record.methods.find((m) => m.method === baseline)!.metrics[e.metric].filter((x): x is number => x !== null);
      return changeText(e, base.reduce((a, b) => a + b, 0) / base.length);
    });
    parts.push(`${name} ${text.join(" and ")} ${differencesText(effects)}.`);
  };
  compare("linf", "standard", "l-inf adversarial training");
  compare("ssl+linf", "ssl", "Added to SSL, l-inf training");
  if (parts.length === 0) return "";
  return `At eps = ${JSON.stringify(eps)} (${record.replicates} replicates), ${parts.join(" ")}`;
}

/** Draws one live view from its records. */
export function drawLive(view: ViewId, planned: PlannedView, records: readonly CellRecord[], state: ExplorerState): ViewOutput {
  const rows = summariseRecords(records);
  const axes = axesFromSpec(planned.plan.spec);
  const options = parsePlotOptions(planned.config.raw.plot, axes);
  const size = { width: 330, height: 250 };
  if (view === "eps" || view === "m") {
    const metrics = ["sinTheta", "targetExcess"].filter((m) => rows.some((r) => r.metric === m));
    const markerValue = view === "eps" ? Number(state.eps) : Number(state.scenario.m);
    const marker = Number.isFinite(markerValue) ? markerValue : null;
    const figures = metrics.map((m, i) => ({ spec: withLegend(curveSpec(rows, axes, options, m, { marker, size }), i === metrics.length - 1), label: `${label(m)} against ${options.x}, one line per method` }));
    let verdict = "";
    if (view === "eps") verdict = epsVerdict(records, typeof state.eps === "string" && Number.isFinite(Number(state.eps)) ? Number(state.eps) : state.eps);
    else verdict = mVerdict(rows);
    const same = coincidingMethods(rows, metrics);
    if (same.length > 0) verdict += ` ${same.map(([a, b]) => `The ${label(a)} curve lies on the ${label(b)} curve${a === "l2" && b === "standard" ? " (l2 training never changes a task's direction, MODEL §3.1)" : ""}.`).join(" ")}`;
    return { figures, rows: rows.filter((r) => metrics.includes(r.metric)).map(plottedRow), verdict, table: curvesTable(rows, options.x, metrics) };
  }
  if (view === "phase") {
    const metric = state.phaseMetric;
    const effects = pairedEffects(records, "standard", [metric]);
    const cells = phaseCells(effects, "linf", metric, "s", "eps");
    const d = Number(state.scenario.d);
    const sAxis = axes.find((a) => a.name === "s")!;
    const epsAxis = axes.find((a) => a.name === "eps")!;
    const spec = phaseDiagramSpec(cells, { x: epsAxis.values, y: sAxis.values, xTitle: "adversarial radius eps", yTitle: "support fraction s/d (s = d: dense)", yText: (s) => supportFractionText(s, d) }, { metric: metricShort(metric), method: "l-inf", baseline: "standard" });
    return { figures: [{ spec, label: `gain of l-inf over standard training in ${metric} on the grid of s/d and eps` }], rows: cells, verdict: phaseVerdict(cells, d), table: phaseTable(cells, d) };
  }
  const points = boundPoints(rows, "eps");
  const spec = boundsSpec(points, "adversarial radius eps", ["standard", "linf"], DISPLAY_LABELS);
  return { figures: [{ spec, label: "bounds and exact limits beside the measured sin theta and target excess against eps" }], rows: points, verdict: `${boundsVerdict(rows)}${limitsVerdict(rows)}`, table: null };
}

/** Pairs [method, earlier method] whose means agree (to 1e-12 relative) at every point of every metric. */
export function coincidingMethods(rows: readonly CellSummaryRow[], metrics: readonly string[]): [string, string][] {
  const methods = [...new Set(rows.map((r) => r.method))];
  const series = (m: string) => rows.filter((r) => r.method === m && metrics.includes(r.metric));
  const out: [string, string][] = [];
  methods.forEach((a, i) => {
    const sa = series(a);
    for (const b of methods.slice(0, i)) {
      const sb = series(b);
      const agree = sa.length > 0 && sa.length === sb.length && sa.every((r, k) => r.cell === sb[k].cell && r.metric === sb[k].metric && Math.abs(r.mean - sb[k].mean) <= 1e-12 * Math.max(1, Math.abs(sb[k].mean)));
      if (agree) {
        out.push([a, b]);
        break;
      }
    }
  });
  return out;
}

function mVerdict(rows: readonly CellSummaryRow[]): string {
  const sin = rows.filter((r) => r.metric === "sinTheta");
  const at = (method: string, pick: (xs: CellSummaryRow[]) => CellSummaryRow | undefined) => pick(sin.filter((r) => r.method === method));
  const parts: string[] = [];
  for (const method of ["ssl", "ssl+linf"]) {
    const lo = at(method, (xs) => xs[0]);
    const hi = at(method, (xs) => xs[xs.length - 1]);
    if (lo !== undefined && hi !== undefined && lo.cell !== hi.cell) parts.push(`${label(method)}: sin theta ${fmt(lo.mean)} at m = ${JSON.stringify(lo.point.m)}, ${fmt(hi.mean)} at m = ${JSON.stringify(hi.point.m)}`);
  }
  const std = at("standard", (xs) => xs[0]);
  if (parts.length === 0) return "";
  return `${parts.join("; ")}${std === undefined ? "" : ` (standard training, which uses no unlabelled data: ${fmt(std.mean)})`}.`;
}

function phaseVerdict(cells: readonly { gain: number; clear: boolean; y: JsonValue; x: JsonValue }[], d: number): string {
  if (cells.length === 0) return "";
  const gains = cells.filter((c) => c.clear && c.gain > 0);
  const losses = cells.filter((c) => c.clear && c.gain < 0);
  const sd = (c: { y: JsonValue }) => (typeof c.y === "number" ? c.y / d : Number.NaN);
  const range = (xs: readonly { y: JsonValue }[]) => {
    const v = xs.map(sd).filter((x) => Number.isFinite(x));
    return v.length === 0 ? "" : ` (s/d from ${fmt(Math.min(...v))} to ${fmt(Math.max(...v))})`;
  };
  return `l-inf training is clearly better in ${gains.length} of ${cells.length} cells${range(gains)} and clearly worse in ${losses.length}${range(losses)}.`;
}

function phaseTable(cells: readonly { gain: number; se: number | null; clear: boolean; y: JsonValue; x: JsonValue; n: number }[], d: number): HTMLTableElement {
  const table = el("table");
  table.append(el("thead", {}, el("tr", {}, ...["s/d (s)", "eps", "gain ± paired SE", "clear", "pairs"].map((h) => el("th", { scope: "col" }, h)))));
  const body = el("tbody");
  for (const c of cells) body.append(el("tr", {}, el("td", {}, supportFractionText(c.y, d)), el("td", {}, JSON.stringify(c.x)), el("td", {}, formatMeanSe(c.gain, c.se)), el("td", {}, c.clear ? "yes" : "no"), el("td", {}, String(c.n))));
  table.append(body);
  return table;
}

function boundsVerdict(rows: readonly CellSummaryRow[]): string {
  const vacuous = new Map<string, { all: number; vac: number }>();
  for (const r of rows) {
    const m = /^bound\.sinTheta\.([^.]+)\.vacuous$/.exec(r.metric);
    if (m === null) continue;
    const v = vacuous.get(m[1]) ?? { all: 0, vac: 0 };
    v.all += 1;
    if (r.mean === 1) v.vac += 1;
    vacuous.set(m[1], v);
  }
  const always = [...vacuous].filter(([, v]) => v.vac === v.all).map(([b]) => b);
  const informative = [...vacuous].filter(([, v]) => v.vac < v.all).map(([b]) => b);
  if (vacuous.size === 0) return "";
  return `${informative.length > 0 ? `Informative for sin theta here: ${informative.join(", ")}. ` : ""}${always.length > 0 ? `At their cap (vacuous) in every replicate: ${always.join(", ")}; more labelled samples (n) make them bite.` : ""}`;
}

/**
 * How far the measured means are from the exact limits (MODEL §8): per method and limit, the
 * largest |measured - limit| over the points, in standard errors of the difference of the two
 * means taken as independent (they are positively correlated, so this SE is too large and the
 * distance too small; a paired SE needs the replicates).
 */
function limitsVerdict(rows: readonly CellSummaryRow[]): string {
  const measured = new Map<string, CellSummaryRow>();
  for (const r of rows) if (!r.metric.includes(".")) measured.set(`${r.cell} ${r.method} ${r.metric}`, r);
  const worst = new Map<string, { method: string; quantity: string; limit: string; z: number; diff: number }>();
  for (const r of rows) {
    const l = /^limit\.(sinTheta|targetExcess)\.([^.]+)$/.exec(r.metric);
    if (l === null) continue;
    const m = measured.get(`${r.cell} ${r.method} ${l[1]}`);
    if (m === undefined || m.se === null || r.se === null) continue;
    const diff = m.mean - r.mean;
    const se = Math.hypot(m.se, r.se);
    const z = se > 0 ? Math.abs(diff) / se : diff === 0 ? 0 : Infinity;
    const key = `${r.method} ${l[1]} ${l[2]}`;
    const w = worst.get(key);
    if (w === undefined || z > w.z) worst.set(key, { method: r.method, quantity: l[1], limit: l[2], z, diff });
  }
  if (worst.size === 0) return "";
  const parts = [...worst.values()].map((w) => `${DISPLAY_LABELS[w.method] ?? w.method}, ${w.quantity === "sinTheta" ? "sin theta" : "target excess"} vs ${w.limit}: at most ${w.z.toFixed(1)} SE (${w.diff >= 0 ? "+" : ""}${w.diff.toPrecision(2)})`);
  return ` Measured minus exact limit, the largest over the radii: ${parts.join("; ")}.`;
}

/** A view's panel: status line, sentence, figures, numbers. */
export class Panel {
  readonly root: HTMLElement;
  readonly status: HTMLElement;
  readonly verdict: HTMLElement;
  readonly figures: HTMLElement;
  readonly numbers: HTMLDetailsElement;
  private readonly figureSlots: Figure[] = [];
  private drawing: Promise<void> = Promise.resolve();

  constructor(root: HTMLElement) {
    this.root = root;
    this.status = el("div", { class: "status", "aria-live": "polite" });
    this.verdict = el("p", { class: "verdict", "aria-live": "polite" });
    this.figures = el("div", { class: "figures" });
    this.numbers = el("details", { class: "numbers" }, el("summary", {}, "The numbers behind the figures"));
    root.append(this.status, this.verdict, this.figures, this.numbers);
  }

  /** Draws `out` (figures in order); resolves when drawn. */
  show(out: ViewOutput): Promise<void> {
    this.drawing = this.drawing.then(async () => {
      while (this.figureSlots.length < out.figures.length) {
        const holder = el("div", { class: "figure" });
        this.figures.append(holder);
        this.figureSlots.push(new Figure(holder));
      }
      while (this.figureSlots.length > out.figures.length) {
        this.figureSlots.pop()!.clear();
        this.figures.lastElementChild?.remove();
      }
      await Promise.all(out.figures.map((f, i) => this.figureSlots[i].draw(f.spec, f.label)));
      this.verdict.textContent = out.verdict;
      this.root.dataset.rows = JSON.stringify(out.rows);
      const summary = this.numbers.querySelector("summary")!;
      this.numbers.replaceChildren(summary, ...(out.table === null ? [] : [out.table]));
      this.numbers.hidden = out.table === null;
    });
    return this.drawing;
  }

  /** Removes every figure and number (an invalid value: no stale curve stays on screen). */
  clear(status: string, text: string): void {
    this.root.classList.remove("stale");
    for (const f of this.figureSlots) f.clear();
    this.figureSlots.length = 0;
    this.figures.replaceChildren();
    this.verdict.textContent = "";
    this.numbers.hidden = true;
    this.root.dataset.rows = "[]";
    this.root.dataset.status = status;
    this.status.replaceChildren(el("span", { class: "notice" }, text));
  }
}

/** The live run of one view. */
export class LiveView {
  readonly id: ViewId;
  readonly panel: Panel;
  private readonly context: ComputeContext;
  private planned: PlannedView | null = null;
  private state: ExplorerState | null = null;
  private records = new Map<number, CellRecord>();
  private controller: AbortController | null = null;
  private running = false;
  private t0 = 0;
  private firstFullMs: number | null = null;
  private doneMs: number | null = null;
  private renderQueued = false;
  private lastRender = 0;
  private generation = 0;

  constructor(id: ViewId, panel: Panel, context: ComputeContext) {
    this.id = id;
    this.panel = panel;
    this.context = context;
  }

  /** Stops computing (the cached outcomes stay); nothing more of this run is drawn. */
  stop(): void {
    this.generation += 1;
    this.controller?.abort(new CancelledError("a control changed"));
    this.controller = null;
    this.running = false;
  }

  /** Shows why nothing is computed (an invalid value, or methods this view needs are off). */
  blank(status: "invalid" | "notice", text: string): void {
    this.stop();
    this.planned = null;
    this.records.clear();
    this.panel.clear(status, text);
  }

  /**
   * Shows `planned` for `state`: a new config restarts the run; the same config (the same hash:
   * only the replicate count or a mark moved) keeps the records and computes what is missing.
   */
  show(planned: PlannedView, state: ExplorerState, active: boolean): void {
    const same = this.planned !== null && this.planned.configHash === planned.configHash;
    this.state = state;
    if (!same) {
      this.stop();
      this.records.clear();
    } else {
      for (const [c, r] of this.records) if (r.replicates > planned.plan.replicates) this.records.set(c, truncateRecord(r, planned.plan.replicates));
    }
    const R = planned.plan.replicates;
    const complete = this.records.size === planned.plan.cells.length && [...this.records.values()].every((r) => r.replicates === R);
    const changedR = same && this.planned!.plan.replicates !== R;
    this.planned = planned;
    if (!active) {
      // A hidden view computes nothing; it continues when its tab is opened.
      this.stop();
      return;
    }
    if (complete) {
      if (changedR) this.stop();
      if (!this.running) this.finish(false);
      this.scheduleRender(true);
      return;
    }
    if (this.running && !changedR) {
      this.scheduleRender(true);
      return;
    }
    this.start();
  }

  private start(): void {
    this.stop();
    const planned = this.planned!;
    const generation = this.generation;
    const controller = new AbortController();
    this.controller = controller;
    this.running = true;
    this.t0 = performance.now();
    this.firstFullMs = null;
    this.doneMs = null;
    this.renderMs = 0;
    this.renders = 0;
    const root = this.panel.root;
    root.dataset.status = "computing";
    // Until the new run's first cell arrives, the old picture stays, dimmed; its numbers are gone.
    if (this.records.size === 0) {
      root.dataset.rows = "[]";
      root.classList.add("stale");
    }
    delete root.dataset.firstFullMs;
    delete root.dataset.doneMs;
    root.dataset.configHash = planned.configHash;
    const R = planned.plan.replicates;
    const have = Math.min(...planned.plan.cells.map((_, c) => this.records.get(c)?.replicates ?? 0));
    const stages = replicateStages(R).filter((s) => s > have);
    const executor = new MethodCacheExecutor(this.context.pool, this.context.cache, { signal: controller.signal }, this.context.inflight);
    runProgressively({
      plan: planned.plan,
      configHash: planned.configHash,
      code: "explorer",
      executor,
      stages: stages.length === 0 ? [R] : stages,
      // The stages continue from the records there are.
      initial: [...this.records.values()],
      signal: controller.signal,
      prefetch: (tasks) => executor.prefetch(tasks),
      onCell: (record) => {
        if (generation !== this.generation) return;
        this.records.set(record.cell, record);
        if (this.firstFullMs === null && this.records.size === planned.plan.cells.length) {
          this.firstFullMs = performance.now() - this.t0;
          root.dataset.firstFullMs = this.firstFullMs.toFixed(0);
        }
        this.scheduleRender(false);
      },
    }).then(
      () => {
        if (generation !== this.generation) return;
        this.running = false;
        this.finish(true);
      },
      (e: unknown) => {
        if (generation !== this.generation || (e instanceof Error && e.name === "CancelledError")) return;
        this.running = false;
        root.dataset.status = "error";
        this.panel.status.textContent = `error: ${e instanceof Error ? e.message : String(e)}`;
      },
    );
    this.scheduleRender(true);
  }

  private finish(measured: boolean): void {
    const root = this.panel.root;
    if (measured) {
      this.doneMs = performance.now() - this.t0;
      root.dataset.doneMs = this.doneMs.toFixed(0);
    }
    this.scheduleRender(true, () => {
      if (this.planned !== null && !this.running) root.dataset.status = "done";
    });
  }

  /**
   * Redraws while computing at most every 400 ms, and leaves at least six times the last draw's
   * duration between draws (drawing takes the main thread from the workers: on 2 cores a draw of
   * the eps view, about 170 ms, is time the two workers do not get); at once when `now`.
   * `after` runs once drawn.
   */
  private scheduleRender(now: boolean, after?: () => void): void {
    const run = () => {
      this.renderQueued = false;
      this.lastRender = performance.now();
      void this.render().then(after);
    };
    if (now) {
      run();
      return;
    }
    if (this.renderQueued) return;
    this.renderQueued = true;
    const gap = Math.max(400, 6 * this.lastRenderMs);
    setTimeout(run, Math.max(0, gap - (performance.now() - this.lastRender)));
  }

  /** Milliseconds spent drawing in this run, and the draws. */
  private renderMs = 0;
  private renders = 0;
  private lastRenderMs = 0;

  private async render(): Promise<void> {
    const t0 = performance.now();
    await this.renderNow();
    this.lastRenderMs = performance.now() - t0;
    this.renderMs += this.lastRenderMs;
    this.renders += 1;
    this.panel.root.dataset.renderMs = this.renderMs.toFixed(0);
    this.panel.root.dataset.renders = String(this.renders);
  }

  private async renderNow(): Promise<void> {
    const planned = this.planned;
    const state = this.state;
    if (planned === null || state === null) return;
    const records = [...this.records.values()].sort((a, b) => a.cell - b.cell);
    this.renderStatus(planned, records);
    if (records.length === 0) return;
    await this.panel.show(drawLive(this.id, planned, records, state));
    this.panel.root.classList.remove("stale");
  }

  private renderStatus(planned: PlannedView, records: readonly CellRecord[]): void {
    const cells = planned.plan.cells.length;
    const R = planned.plan.replicates;
    const done = records.reduce((a, r) => a + r.replicates, 0);
    const minR = records.length < cells ? 0 : Math.min(...records.map((r) => r.replicates));
    const root = this.panel.root;
    root.dataset.replicates = String(minR);
    root.dataset.cells = String(records.length);
    const methods = planned.plan.cells[0].methodLabels.length;
    const seconds = (ms: number | null) => (ms === null ? "" : `${(ms / 1000).toFixed(1)} s`);
    const workers = this.context.pool.workers;
    if (this.running) {
      const pct = cells * R === 0 ? 0 : (100 * done) / (cells * R);
      const bar = el("span", { class: "bar", role: "progressbar", "aria-valuemin": "0", "aria-valuemax": "100", "aria-valuenow": pct.toFixed(0), "aria-label": "replicates computed" }, el("span", { style: `width: ${pct.toFixed(1)}%` }));
      this.panel.status.replaceChildren(bar, `${minR} of ${R} replicates per point · ${cells} points × ${methods} methods · ${seconds(performance.now() - this.t0)} on ${workers} workers`);
    } else {
      const first = this.firstFullMs === null ? "" : ` (first full picture after ${seconds(this.firstFullMs)})`;
      const took = this.doneMs === null ? "" : ` in ${seconds(this.doneMs)} on ${workers} workers${first}`;
      this.panel.status.textContent = `${minR} replicates per point · ${cells} points × ${methods} methods${took}`;
    }
  }
}

/** Draws a loaded results file or summary in the page's figures. */
export function drawLoaded(loaded: LoadedResults, marker: number | null): ViewOutput {
  const axes = loaded.axes;
  const options = parsePlotOptions(undefined, axes);
  const plain = loaded.rows.filter((r) => !/^(bound|event|meanBound|limit)\./.test(r.metric));
  const available = [...new Set(plain.map((r) => r.metric))];
  const preferred = ["sinTheta", "targetExcess"].filter((m) => available.includes(m));
  const metrics = preferred.length > 0 ? preferred : available.slice(0, 2);
  const figures: { spec: object; label: string }[] = metrics.map((m, i) => ({
    spec: withLegend(curveSpec(loaded.rows, axes, options, m, { marker, size: { width: 330, height: 250 } }), i === metrics.length - 1),
    label: `${label(m)} against ${options.x ?? "method"}`,
  }));
  const parts: string[] = [];
  if (loaded.effects !== null && loaded.baseline !== null && axes.length === 2 && options.x !== null) {
    const yAxis = axes.find((a) => a.name !== options.x)!;
    const xAxis = axes.find((a) => a.name === options.x)!;
    const methods = [...new Set(loaded.effects.map((e) => e.method))];
    const method = methods.includes("linf") ? "linf" : methods[0];
    const metric = metrics.includes("targetExcess") ? "targetExcess" : metrics[0];
    if (method !== undefined && metric !== undefined) {
      const cells = phaseCells(loaded.effects, method, metric, yAxis.name, xAxis.name);
      if (cells.length > 0) {
        figures.push({ spec: phaseDiagramSpec(cells, { x: xAxis.values, y: yAxis.values, xTitle: xAxis.label, yTitle: yAxis.label }, { metric: metricShort(metric), method: label(method), baseline: label(loaded.baseline) }), label: `gain of ${method} over ${loaded.baseline}` });
        parts.push(`paired gains of ${method} over ${loaded.baseline}`);
      }
    }
  }
  if (axes.length === 1 && loaded.rows.some((r) => r.metric.startsWith("bound."))) {
    const points = boundPoints(loaded.rows, axes[0].name);
    const methods = [...new Set(points.map((p) => p.method))];
    figures.push({ spec: boundsSpec(points, axes[0].label, methods, DISPLAY_LABELS), label: "bounds beside the measured values" });
    parts.push("bounds");
  }
  const rows = loaded.rows.filter((r) => metrics.includes(r.metric)).map(plottedRow);
  return { figures, rows, verdict: parts.length > 0 ? `Also drawn: ${parts.join(" and ")}.` : "", table: curvesTable(loaded.rows, options.x, metrics) };
}
