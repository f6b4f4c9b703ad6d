/**
 * `advtransfer tune` in Node: the generic search of experiment/tune.ts evaluated on the engine and
 * a worker pool, once per base cell of the config's sweep (or once for a plain run config), with
 * the theory beside it: the family's closed-form values for the parameter (Family.tuning) and,
 * where the family has limits (MODEL §8), the minimiser of the predicted curve.
 */
import type { CellRecord } from "../experiment/cellRecord.js";
import { executePlan } from "../experiment/engine.js";
import type { JsonObject } from "../experiment/family.js";
import { resolveRunCell } from "../experiment/sweepPlan.js";
import { type TuneEstimate, type TunePoint, type TuneSpec, evenGrid, objectiveColumn, predictedBest, tuneCells, tunePlan } from "../experiment/tune.js";
import { ConfigError } from "../core/config/parse.js";
import { mean, standardError } from "../core/stats.js";
import type { JsonValue } from "../core/config/canonicalJson.js";
import { createExecutor } from "./pool.js";
import type { ProgressMode } from "./progress.js";
import type { LoadedSweep } from "./sweep.js";

/** The result for one base cell. */
export interface TuneCellReport {
  /** The base cell's axis values (empty for a run config). */
  readonly point: { readonly [axis: string]: JsonValue };
  readonly estimate: TuneEstimate;
  /** The objective at the low end of the range (e.g. eps = 0: standard training), for the gain. */
  readonly atLow: TunePoint;
  /** The family's closed-form suggestions, in the parameter's units. */
  readonly theoryValues: readonly { readonly name: string; readonly value: number }[];
  /** The best value of the predicted curve (limits), with its bootstrap over the truths; null without limits. */
  readonly predicted: (TuneEstimate & { readonly replicates: number }) | null;
}

export interface TuneRunOptions {
  readonly workers: number;
  readonly progress?: ProgressMode;
  /** Compute the predicted curve (needs limits in the family). */
  readonly theory?: boolean;
  /** Progress lines on stderr (one per round). */
  readonly log?: (line: string) => void;
}

/** Runs the search for every base cell and the theory beside it. */
export async function runTune(loaded: LoadedSweep, spec: TuneSpec, options: TuneRunOptions): Promise<{ cells: TuneCellReport[]; seconds: number; evaluations: number }> {
  const { plan, registry } = loaded;
  for (const axis of plan.spec.axes) {
    for (const p of [...axis.params, ...axis.linked.map((l) => l.path)]) {
      if (p === spec.param || spec.param.startsWith(`${p}.`) || p.startsWith(`${spec.param}.`)) throw new ConfigError("tune.param", spec.param, `is set by the sweep axis ${JSON.stringify(axis.name)}; tune a parameter no axis sets`);
    }
  }
  const family = registry.family(plan.family);
  const executor = createExecutor(options.workers, registry);
  const started = performance.now();
  let evaluations = 0;
  let round = 0;
  const resolve = (config: { [key: string]: JsonValue }) => resolveRunCell(config, registry);
  const runPoints = async (points: readonly { cell: number; value: number }[], replicates?: number, transform?: (f: JsonObject) => JsonObject): Promise<CellRecord[]> => {
    const p = tunePlan(plan, spec, points, resolve, { replicates, transform });
    round += 1;
    evaluations += points.length;
    options.log?.(`tune: round ${round}: ${points.length} value(s) x ${p.replicates} replicates`);
    return executePlan({ plan: p, configHash: loaded.hash, code: loaded.code, executor });
  };
  try {
    const cells = plan.cells.length;
    const estimates = await tuneCells(cells, spec, {
      evaluate: async (points) => (await runPoints(points)).map((r) => objectiveColumn(r, spec.method, spec.metric)),
    }, plan.seed);
    let predicted: (TuneEstimate & { replicates: number })[] | null = null;
    const enableLimits = family.bounds?.enableLimits;
    if ((options.theory ?? true) && spec.theoryReplicates > 0 && enableLimits !== undefined) {
      const grid = evenGrid(spec.range[0], spec.range[1], spec.theoryGrid);
      const points = Array.from({ length: cells }, (_, c) => grid.map((value) => ({ cell: c, value }))).flat();
      const records = await runPoints(points, Math.min(spec.theoryReplicates, plan.replicates), (f) => enableLimits.call(family.bounds, f));
      const prefix = `limit.${spec.metric}.`;
      try {
        predicted = Array.from({ length: cells }, (_, c) => {
          const pts = records
            .filter((r, i) => points[i].cell === c)
            .map((r) => {
              const values = objectiveColumn(r, spec.method, `${prefix}`, prefix);
              const present = values.filter((v): v is number => v !== null);
              return { value: points[r.cell].value, mean: mean(present), se: standardError(present), values };
            });
          return { ...predictedBest(pts, spec.goal, spec.bootstrap, plan.seed, c), replicates: Math.min(spec.theoryReplicates, plan.replicates) };
        });
      } catch (e) {
        // The method has no limit of this metric: the theory says nothing here.
        if (!(e instanceof ConfigError)) throw e;
        predicted = null;
      }
    }
    const report = plan.cells.map((pc, c): TuneCellReport => {
      const config = family.parse(pc.familyConfig);
      const estimate = estimates[c];
      return {
        point: pc.cell.point,
        estimate,
        atLow: estimate.points[0],
        theoryValues: family.tuning?.theoryValues(config, spec.param, spec.method) ?? [],
        predicted: predicted === null ? null : predicted[c],
      };
    });
    return { cells: report, seconds: (performance.now() - started) / 1000, evaluations };
  } finally {
    await executor.close();
  }
}
