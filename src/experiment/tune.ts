/**
 * The best value of one parameter (e.g. a training radius) for every cell of a sweep: the value
 * that minimises (or maximises) the mean of a metric of one method over R replicates, found on
 * common random numbers (replicate k uses the stream of (seed, k) at every value, so the sample
 * mean curve is a smooth function of the parameter and its differences are paired).
 *
 * Search: an even grid over the range, then golden-section refinement inside the bracket of the
 * best grid point's neighbours. Estimate: the vertex of the parabola through the best evaluated
 * value and its two evaluated neighbours (clamped to their interval), or the best value itself at
 * an end. Uncertainty: the same estimate on bootstrap resamples of the replicates (the mean curve
 * at every evaluated value recomputed from the resampled replicates; named stream
 * "tune:bootstrap:<cell>"), reported as the bootstrap SE and the 2.5% and 97.5% quantiles. A best
 * grid value at either end of the range is flagged: the optimum may lie outside it.
 *
 * Pure: points are evaluated through a `TuneEvaluator` (the runtime builds one on the engine and
 * a worker pool).
 */
import { ConfigError, parseArray, parseChoice, parseInteger, parseNumber, parseObject, parseString, rejectUnknownKeys } from "../core/config/parse.js";
import type { JsonValue } from "../core/config/canonicalJson.js";
import { type Rng, rootRng } from "../core/random/rng.js";
import { mean, quantiles, sampleVariance, standardError } from "../core/stats.js";
import type { CellRecord } from "./cellRecord.js";
import { RUN_KEYS } from "./runConfig.js";
import type { PlannedCell, ResolvedRun, SweepPlan } from "./sweepPlan.js";
import { type SweepCell, parseParamPath, setParam } from "./sweepSpec.js";

/** A checked tune section. */
export interface TuneSpec {
  /** The parameter path set in every run config (e.g. "methods.linf.eps" or "methods.linf.eps.tau"). */
  readonly param: string;
  readonly range: readonly [number, number];
  /** The method whose metric is optimised (a label). */
  readonly method: string;
  readonly metric: string;
  readonly goal: "min" | "max";
  /** Evenly spaced grid points over the range (>= 3). */
  readonly grid: number;
  /** Golden-section steps after the grid (0: grid only). */
  readonly refine: number;
  /** Bootstrap resamples for the uncertainty (0: none). */
  readonly bootstrap: number;
  /** Replicates for the theory's predicted curve (0: none). */
  readonly theoryReplicates: number;
  /** Grid points of the predicted curve. */
  readonly theoryGrid: number;
}

export const TUNE_DEFAULTS = { metric: "sinTheta", goal: "min", grid: 13, refine: 8, bootstrap: 1000, theoryReplicates: 20, theoryGrid: 25 } as const;

/**
 * Parses a tune section: `param` (a dotted path), `range` ([lo, hi], lo < hi), `method` (default
 * the label the path names after "methods."), `metric`, `goal` ("min" or "max"), `grid` (3 to
 * 201), `refine` (0 to 60), `bootstrap` (0 or 20 to 100000), `theoryReplicates` (0 to 10^4),
 * `theoryGrid` (3 to 201). ConfigError on any bad value.
 */
export function parseTuneSpec(raw: unknown, field = "tune"): TuneSpec {
  const obj = parseObject(field, raw);
  rejectUnknownKeys(field, obj, ["param", "range", "method", "metric", "goal", "grid", "refine", "bootstrap", "theoryReplicates", "theoryGrid"]);
  const param = parseString(`${field}.param`, obj.param);
  const segments = parseParamPath(param, `${field}.param`);
  const rangeRaw = parseArray(`${field}.range`, obj.range, 2);
  if (rangeRaw.length !== 2) throw new ConfigError(`${field}.range`, obj.range, "must be [lo, hi] with lo < hi");
  const lo = parseNumber(`${field}.range[0]`, rangeRaw[0]);
  const hi = parseNumber(`${field}.range[1]`, rangeRaw[1]);
  if (!(lo < hi)) throw new ConfigError(`${field}.range`, obj.range, "must be [lo, hi] with lo < hi");
  let method: string;
  if (obj.method !== undefined) method = parseString(`${field}.method`, obj.method);
  else if (segments[0] === "methods" && segments.length >= 3) method = segments[1];
  else throw new ConfigError(`${field}.method`, obj.method, 'must name the method whose metric is optimised (the path does not start with "methods.<label>.")');
  const bootstrap = parseInteger(`${field}.bootstrap`, obj.bootstrap ?? TUNE_DEFAULTS.bootstrap, 0, 100_000);
  if (bootstrap > 0 && bootstrap < 20) throw new ConfigError(`${field}.bootstrap`, bootstrap, "must be 0 (no uncertainty) or at least 20 resamples");
  return {
    param,
    range: [lo, hi],
    method,
    metric: obj.metric === undefined ? TUNE_DEFAULTS.metric : parseString(`${field}.metric`, obj.metric),
    goal: parseChoice(`${field}.goal`, obj.goal ?? TUNE_DEFAULTS.goal, ["min", "max"] as const),
    grid: parseInteger(`${field}.grid`, obj.grid ?? TUNE_DEFAULTS.grid, 3, 201),
    refine: parseInteger(`${field}.refine`, obj.refine ?? TUNE_DEFAULTS.refine, 0, 60),
    bootstrap,
    theoryReplicates: parseInteger(`${field}.theoryReplicates`, obj.theoryReplicates ?? TUNE_DEFAULTS.theoryReplicates, 0, 10_000),
    theoryGrid: parseInteger(`${field}.theoryGrid`, obj.theoryGrid ?? TUNE_DEFAULTS.theoryGrid, 3, 201),
  };
}

/** The tune section as JSON: parseTuneSpec(echoTuneSpec(s)) gives s again. */
export function echoTuneSpec(s: TuneSpec): { [key: string]: JsonValue } {
  return { param: s.param, range: [...s.range], method: s.method, metric: s.metric, goal: s.goal, grid: s.grid, refine: s.refine, bootstrap: s.bootstrap, theoryReplicates: s.theoryReplicates, theoryGrid: s.theoryGrid };
}

/** Evaluates parameter values in cells: per point, the per-replicate values of the objective (null where not reported). */
export interface TuneEvaluator {
  evaluate(points: readonly { readonly cell: number; readonly value: number }[]): Promise<(readonly (number | null)[])[]>;
}

/** One evaluated value: the sample mean of the objective over the replicates that report it. */
export interface TunePoint {
  readonly value: number;
  readonly mean: number;
  readonly se: number | null;
  /** The per-replicate values (for bootstrap resampling). */
  readonly values: readonly (number | null)[];
}

/** The best value for one cell. */
export interface TuneEstimate {
  /** The estimate (parabolic vertex near the best evaluated value). */
  readonly value: number;
  /** The best evaluated value and its sample mean. */
  readonly bestEvaluated: TunePoint;
  /** Bootstrap SE and 95% percentile interval of the estimate (null without a bootstrap). */
  readonly se: number | null;
  readonly interval: readonly [number, number] | null;
  /** The best grid value is the first or last grid value: the optimum may lie outside the range. */
  readonly edge: boolean;
  /** Every evaluated value, ascending. */
  readonly points: readonly TunePoint[];
}

/** Evenly spaced values from lo to hi (n >= 2). */
export function evenGrid(lo: number, hi: number, n: number): number[] {
  return Array.from({ length: n }, (_, i) => (i === n - 1 ? hi : lo + ((hi - lo) * i) / (n - 1)));
}

function meanOf(values: readonly (number | null)[], weights?: readonly number[]): number {
  let sum = 0;
  let count = 0;
  values.forEach((v, k) => {
    if (v === null) return;
    const w = weights === undefined ? 1 : weights[k];
    sum += w * v;
    count += w;
  });
  return count === 0 ? NaN : sum / count;
}

function point(value: number, values: readonly (number | null)[]): TunePoint {
  const present = values.filter((v): v is number => v !== null);
  if (present.length === 0) throw new ConfigError("tune.metric", value, "no replicate reported the objective at this value (does the method report the metric?)");
  return { value, mean: mean(present), se: standardError(present), values };
}

/**
 * The estimator of the best value from a curve sampled at ascending xs: the best sample, then the
 * vertex of the parabola through it and its two neighbours, clamped to their interval (the best
 * sample itself at an end, or when the three points are not convex for the goal).
 * @example bestOfCurve([0, 1, 2], [1, 0, 1], "min") // 1
 */
export function bestOfCurve(xs: readonly number[], ys: readonly number[], goal: "min" | "max"): number {
  if (xs.length !== ys.length || xs.length === 0) throw new RangeError(`bestOfCurve: ${xs.length} xs and ${ys.length} ys`);
  const sign = goal === "min" ? 1 : -1;
  let j = 0;
  for (let i = 1; i < xs.length; i++) if (sign * ys[i] < sign * ys[j]) j = i;
  if (j === 0 || j === xs.length - 1) return xs[j];
  const [x0, x1, x2] = [xs[j - 1], xs[j], xs[j + 1]];
  const [y0, y1, y2] = [sign * ys[j - 1], sign * ys[j], sign * ys[j + 1]];
  const denom = (x0 - x1) * (x0 - x2) * (x1 - x2);
  const a = (x2 * (y1 - y0) + x1 * (y0 - y2) + x0 * (y2 - y1)) / denom;
  const b = (x2 * x2 * (y0 - y1) + x1 * x1 * (y2 - y0) + x0 * x0 * (y1 - y2)) / denom;
  if (!(a > 0) || !Number.isFinite(b)) return x1;
  return Math.min(x2, Math.max(x0, -b / (2 * a)));
}

/** Bootstrap replicate weights: counts of a resample with replacement of R indices. */
function resampleWeights(R: number, rng: Rng): number[] {
  const w = new Array<number>(R).fill(0);
  for (let i = 0; i < R; i++) w[rng.integer(R)] += 1;
  return w;
}

/** The estimate, its bootstrap and the edge flag from evaluated points (any order). */
export function estimateBest(points: readonly TunePoint[], gridValues: readonly number[], goal: "min" | "max", bootstrap: number, rng: Rng): TuneEstimate {
  const sorted = [...points].sort((a, b) => a.value - b.value);
  const xs = sorted.map((p) => p.value);
  const value = bestOfCurve(xs, sorted.map((p) => p.mean), goal);
  const sign = goal === "min" ? 1 : -1;
  const bestEvaluated = sorted.reduce((b, p) => (sign * p.mean < sign * b.mean ? p : b), sorted[0]);
  const grid = sorted.filter((p) => gridValues.includes(p.value));
  const bestGrid = grid.reduce((b, p) => (sign * p.mean < sign * b.mean ? p : b), grid[0]);
  const edge = bestGrid.value === gridValues[0] || bestGrid.value === gridValues[gridValues.length - 1];
  let se: number | null = null;
  let interval: readonly [number, number] | null = null;
  if (bootstrap > 0) {
    const R = sorted[0].values.length;
    const draws: number[] = [];
    for (let b = 0; b < bootstrap; b++) {
      const w = resampleWeights(R, rng);
      const ys = sorted.map((p) => meanOf(p.values, w));
      if (ys.some((y) => !Number.isFinite(y))) continue;
      draws.push(bestOfCurve(xs, ys, goal));
    }
    if (draws.length >= 2) {
      se = Math.sqrt(sampleVariance(draws) as number); // the SD of the bootstrap distribution
      const [lo, hi] = quantiles(draws, [0.025, 0.975]);
      interval = [lo, hi];
    }
  }
  return { value, bestEvaluated, se, interval, edge, points: sorted };
}

const GOLDEN = (Math.sqrt(5) - 1) / 2;

/**
 * Searches every cell (grid, then `refine` golden-section steps in the bracket of the best grid
 * value's neighbours, all cells in lockstep so each round is one batch of evaluations) and
 * estimates the best value with its bootstrap uncertainty.
 */
export async function tuneCells(cells: number, spec: TuneSpec, evaluator: TuneEvaluator, seed: number | string): Promise<TuneEstimate[]> {
  const grid = evenGrid(spec.range[0], spec.range[1], spec.grid);
  const evaluated: TunePoint[][] = Array.from({ length: cells }, () => []);
  const run = async (points: { cell: number; value: number }[]) => {
    const fresh = points.filter((p) => !evaluated[p.cell].some((q) => q.value === p.value));
    if (fresh.length === 0) return;
    const values = await evaluator.evaluate(fresh);
    fresh.forEach((p, i) => evaluated[p.cell].push(point(p.value, values[i])));
  };
  const valueAt = (cell: number, x: number) => evaluated[cell].find((p) => p.value === x)!.mean;
  await run(Array.from({ length: cells }, (_, c) => grid.map((value) => ({ cell: c, value }))).flat());
  const sign = spec.goal === "min" ? 1 : -1;
  // Golden-section state per cell: bracket [a, b] with interior points c < d.
  const state = Array.from({ length: cells }, (_, c) => {
    let j = 0;
    for (let i = 1; i < grid.length; i++) if (sign * valueAt(c, grid[i]) < sign * valueAt(c, grid[j])) j = i;
    const a = grid[Math.max(0, j - 1)];
    const b = grid[Math.min(grid.length - 1, j + 1)];
    return { a, b, c: b - GOLDEN * (b - a), d: a + GOLDEN * (b - a) };
  });
  if (spec.refine > 0) {
    await run(state.flatMap((s, cell) => [{ cell, value: s.c }, { cell, value: s.d }]));
    for (let step = 1; step < spec.refine; step++) {
      const next: { cell: number; value: number }[] = [];
      state.forEach((s, cell) => {
        if (sign * valueAt(cell, s.c) < sign * valueAt(cell, s.d)) {
          s.b = s.d;
          s.d = s.c;
          s.c = s.b - GOLDEN * (s.b - s.a);
          next.push({ cell, value: s.c });
        } else {
          s.a = s.c;
          s.c = s.d;
          s.d = s.a + GOLDEN * (s.b - s.a);
          next.push({ cell, value: s.d });
        }
      });
      await run(next);
    }
  }
  return evaluated.map((points, cell) => estimateBest(points, grid, spec.goal, spec.bootstrap, rootRng(seed).fork(`tune:bootstrap:${cell}`)));
}

/**
 * The minimiser (or maximiser) of a predicted curve on a grid (the theory's suggestion): the same
 * estimator as for the measured curve, with its bootstrap over the replicates the predictions were
 * averaged over (the truths they were drawn for; stream "tune:theory:<cell>").
 */
export function predictedBest(points: readonly TunePoint[], goal: "min" | "max", bootstrap: number, seed: number | string, cell: number): TuneEstimate {
  const grid = [...points].map((p) => p.value).sort((a, b) => a - b);
  return estimateBest(points, grid, goal, bootstrap, rootRng(seed).fork(`tune:theory:${cell}`));
}

/**
 * The plan that evaluates `points` (a base cell and a parameter value each): the base cell's run
 * config with the parameter written in, resolved like any sweep cell (so a bad value is a
 * ConfigError naming the tune section), sharing family, seed and plugins; `replicates` overrides
 * the count, `transform` may change each cell's family config (e.g. switch limits on).
 */
export function tunePlan(
  base: SweepPlan,
  spec: TuneSpec,
  points: readonly { readonly cell: number; readonly value: number }[],
  resolve: (config: { [key: string]: JsonValue }) => ResolvedRun,
  options: { readonly replicates?: number; readonly transform?: (familyConfig: { [key: string]: JsonValue }) => { [key: string]: JsonValue } } = {},
): SweepPlan {
  const cells: PlannedCell[] = points.map((p, index) => {
    const from = base.cells[p.cell].cell;
    let config = structuredClone(from.config) as { [key: string]: JsonValue };
    setParam(config, spec.param, p.value, "tune.param");
    if (options.replicates !== undefined) config.replicates = options.replicates;
    if (options.transform !== undefined) {
      const run: { [key: string]: JsonValue } = {};
      const fam: { [key: string]: JsonValue } = {};
      for (const [k, v] of Object.entries(config)) ((RUN_KEYS as readonly string[]).includes(k) ? run : fam)[k] = v;
      config = { ...run, ...options.transform(fam) };
    }
    const resolved = resolve(config);
    if (!resolved.methodLabels.includes(spec.method)) {
      throw new ConfigError("tune.method", spec.method, `must be a method label of every cell; this one has ${resolved.methodLabels.map((l) => JSON.stringify(l)).join(", ")}`);
    }
    const cell: SweepCell = { index, point: { ...from.point, [spec.param]: p.value }, params: { ...from.params, [spec.param]: p.value }, config };
    return { cell, familyConfig: resolved.familyConfig, methodLabels: resolved.methodLabels };
  });
  return { spec: base.spec, family: base.family, seed: base.seed, replicates: options.replicates ?? base.replicates, plugins: base.plugins, cells };
}

/** The objective's per-replicate values of a method in a record (null where not reported); `prefix` picks the first metric starting with it when no metric has exactly that name. */
export function objectiveColumn(record: CellRecord, method: string, metric: string, prefix?: string): (number | null)[] {
  const m = record.methods.find((x) => x.method === method);
  if (m === undefined) throw new ConfigError("tune.method", method, `is not a method of the results; methods: ${record.methods.map((x) => x.method).join(", ")}`);
  let column = m.metrics[metric];
  if (column === undefined && prefix !== undefined) {
    const name = Object.keys(m.metrics).find((k) => k.startsWith(prefix));
    if (name !== undefined) column = m.metrics[name];
  }
  if (column === undefined) throw new ConfigError("tune.metric", metric, `is not a metric of method ${JSON.stringify(method)}; its metrics: ${Object.keys(m.metrics).slice(0, 12).join(", ")}`);
  return [...column];
}
