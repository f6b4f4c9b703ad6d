/** Model families by name: a run config's "family" is looked up here. */
import { mixtureFamily } from "./mixture/family.js";
import { twoLayerFamily } from "./two-layer/family.js";
import type { Family } from "../experiment/family.js";

export const families: Readonly<Record<string, Family<unknown>>> = {
  mixture: mixtureFamily as Family<unknown>,
  "two-layer": twoLayerFamily as Family<unknown>,
};
