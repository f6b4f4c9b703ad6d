/**
 * Training sets of the two-layer family with per-sample weights c_i, so that the objective
 * sum_i c_i l_i is the average over tasks of each task's average loss (MODEL §3.6), with
 * pseudo-labelled samples (MODEL §3.3) weighted lambda relative to labelled ones:
 *   c_i = 1 / (T (n_t + lambda m_t))        for a labelled sample of task t,
 *   c_i = lambda / (T (n_t + lambda m_t))   for a pseudo-labelled one,
 * where T counts the tasks with at least one sample. The sets carry the feature-major copy of the
 * inputs that the clean passes read (kernels.ts).
 */
import { featureMajor, type TrainingData } from "./kernels.js";

/** Samples of several tasks: row-major inputs, labels and task indices. */
export interface LabelledRows {
  readonly count: number;
  readonly dim: number;
  readonly x: Float64Array;
  readonly y: Float64Array;
  readonly task: Int32Array;
}

function taskCounts(task: Int32Array, into: Map<number, number>, weight: number): void {
  for (let i = 0; i < task.length; i++) into.set(task[i], (into.get(task[i]) ?? 0) + weight);
}

/** The labelled samples with weights 1 / (T n_t). */
export function labelledTrainingData(rows: LabelledRows): TrainingData {
  return pooledTrainingData(rows, null, 1);
}

/**
 * Labelled rows followed by pseudo-labelled rows (their y are the pseudo-labels), with the weights
 * above. `pseudo` may be null (labelled only). Requires lambda > 0 and equal dims.
 */
export function pooledTrainingData(labelled: LabelledRows, pseudo: LabelledRows | null, lambda: number): TrainingData {
  if (!(lambda > 0)) throw new RangeError(`pooledTrainingData: lambda = ${lambda}: must be > 0`);
  const d = labelled.dim;
  if (pseudo !== null && pseudo.dim !== d) throw new RangeError(`pooledTrainingData: dims ${d} and ${pseudo.dim} differ`);
  const nl = labelled.count;
  const np = pseudo?.count ?? 0;
  const count = nl + np;
  const x = new Float64Array(count * d);
  const y = new Float64Array(count);
  const task = new Int32Array(count);
  x.set(labelled.x.subarray(0, nl * d));
  y.set(labelled.y.subarray(0, nl));
  task.set(labelled.task.subarray(0, nl));
  const mass = new Map<number, number>();
  taskCounts(labelled.task.subarray(0, nl), mass, 1);
  if (pseudo !== null) {
    x.set(pseudo.x.subarray(0, np * d), nl * d);
    y.set(pseudo.y.subarray(0, np), nl);
    task.set(pseudo.task.subarray(0, np), nl);
    taskCounts(pseudo.task.subarray(0, np), mass, lambda);
  }
  const tasks = mass.size;
  const weight = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const base = 1 / (tasks * (mass.get(task[i]) as number));
    weight[i] = i < nl ? base : lambda * base;
  }
  return { count, dim: d, x, xT: featureMajor(x, count, d), y, task, weight };
}
