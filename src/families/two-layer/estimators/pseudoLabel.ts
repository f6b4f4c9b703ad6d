/**
 * Pseudo-labelling for the two-layer family (MODEL §3.3 carried over to §2.3): a teacher network
 * trained on the labelled source data labels each task's unlabelled samples with its own head,
 *   regression:      yhat = f_t(x)
 *   classification:  yhat = sign(f_t(x)), sign(0) = +1.
 */
import type { Activation } from "../activation.js";
import type { LabelKind } from "../scenario.js";
import { predict, type TwoLayerNet } from "./network.js";

/** Pseudo-labels of the rows of x (row-major, task indices `task`) by the teacher network. */
export function pseudoLabels(teacher: TwoLayerNet, activation: Activation, labels: LabelKind, x: Float64Array, task: Int32Array): Float64Array {
  const f = predict(teacher, activation, x, task);
  if (labels === "classification") for (let i = 0; i < f.length; i++) f[i] = f[i] >= 0 ? 1 : -1;
  return f;
}
