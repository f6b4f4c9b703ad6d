/** Shapes shared by the mixture estimators (MODEL §3). */
import type { MixtureData } from "../samplers.js";
import type { Rng } from "../../../core/random/rng.js";
import type { Attack } from "./perTask.js";
import type { ColumnScaling, Representation } from "./representation.js";

/** Semi-supervised options of a method (MODEL §3.3). */
export interface PseudoLabelOptions {
  /** Unlabelled samples per task used. */
  readonly m: number;
  /** The student's adversarial radius (same norm as the teacher's attack). */
  readonly eps: number;
  /** Rounds of pseudo-labelling; round k's student is round k+1's teacher. */
  readonly rounds: number;
  /** Weight lambda of the pseudo-labelled part: v' = (n v + lambda S) / (n + lambda m). */
  readonly weight: number;
}

/** A checked mixture method: what an estimator is asked to do. */
export interface MixtureMethod {
  /** Unique label in a run. */
  readonly label: string;
  /** Registry name of the representation estimator. */
  readonly estimator: string;
  /** Attack of the per-task step ("none" = standard training). */
  readonly attack: Attack;
  /** Radius of the per-task step (the teacher's radius with semi-supervision). */
  readonly eps: number;
  /** Column scaling of M (MODEL §3.2). */
  readonly columns: ColumnScaling;
  /** Semi-supervised options, or null for supervised training. */
  readonly ssl: PseudoLabelOptions | null;
}

/** What an estimator sees: the replicate's data and the scenario sizes it needs. */
export interface EstimatorInput {
  readonly data: MixtureData;
  /** Representation dimension. */
  readonly r: number;
  /** Labelled samples per source task. */
  readonly n: number;
}

/** A representation estimator: (data, options, rng) -> Representation. */
export type RepresentationEstimator = (input: EstimatorInput, method: MixtureMethod, rng: Rng) => Representation;
