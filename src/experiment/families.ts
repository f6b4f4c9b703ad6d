/** Model families by name: a run config's "family" is looked up here. */
import { mixtureFamily } from "./mixtureFamily.js";
import type { Family } from "./types.js";

export const families: Readonly<Record<string, Family<unknown>>> = {
  mixture: mixtureFamily as Family<unknown>,
};
