/**
 * Pseudo-labelling for the two-layer family (MODEL §3.3 carried over to §2.3): a teacher network
 * trained on the labelled source data labels each task's unlabelled samples with its own head,
 *   regression:      yhat = f_t(x)
 *   classification:  yhat = sign(f_t(x)), sign(0) = +1, kept only when the teacher's confidence
 *                    1 / (1 + exp(-|f_t(x)|)) is at least a threshold in [0.5, 1) (0.5 keeps all).
 * A regression pseudo-label is the teacher's own output: what that can and cannot add is stated in
 * docs/TWO_LAYER.md ("Semi-supervised training").
 */
import type { Activation } from "../activation.js";
import type { LabelKind, TwoLayerSample } from "../scenario.js";
import { predict, type TwoLayerNet } from "./network.js";
import type { LabelledRows } from "./trainingData.js";

/** Pseudo-labels of the rows of x (row-major, task indices `task`) by the teacher network. */
export function pseudoLabels(teacher: TwoLayerNet, activation: Activation, labels: LabelKind, x: Float64Array, task: Int32Array): Float64Array {
  const f = predict(teacher, activation, x, task);
  if (labels === "classification") for (let i = 0; i < f.length; i++) f[i] = f[i] >= 0 ? 1 : -1;
  return f;
}

/**
 * The pseudo-labelled rows a student trains on: the first m unlabelled samples of each task of
 * `unlabelled` (m <= its samples per task), labelled by the teacher; for classification with a
 * threshold > 0.5 only the samples with |f| >= logit(threshold) are kept. `threshold` is null
 * for regression.
 */
export function selectPseudoLabels(
  teacher: TwoLayerNet,
  activation: Activation,
  labels: LabelKind,
  unlabelled: TwoLayerSample,
  m: number,
  threshold: number | null,
): { rows: LabelledRows } {
  const { perTask, tasks, dim: d } = unlabelled;
  if (!(m >= 1 && m <= perTask)) throw new RangeError(`selectPseudoLabels: m = ${m} must be in [1, ${perTask}]`);
  const f = predict(teacher, activation, unlabelled.x, unlabelled.task);
  const margin = threshold === null || threshold <= 0.5 ? -Infinity : Math.log(threshold / (1 - threshold));
  const keep: number[] = [];
  for (let t = 0; t < tasks; t++) {
    for (let i = t * perTask; i < t * perTask + m; i++) if (labels === "regression" || Math.abs(f[i]) >= margin) keep.push(i);
  }
  const count = keep.length;
  const x = new Float64Array(count * d);
  const y = new Float64Array(count);
  const task = new Int32Array(count);
  keep.forEach((i, k) => {
    x.set(unlabelled.x.subarray(i * d, (i + 1) * d), k * d);
    y[k] = labels === "classification" ? (f[i] >= 0 ? 1 : -1) : f[i];
    task[k] = unlabelled.task[i];
  });
  return { rows: { count, dim: d, x, y, task } };
}
