/**
 * Closed forms and bounds of the mixture family (MODEL §4-§6), derived in docs/THEORY.md.
 */
export * from "./columnNorms.js";
export * from "./endToEnd.js";
export * from "./linfRadius.js";
export * from "./pseudoLabel.js";
export * from "./sinThetaBounds.js";
export * from "./targetExcess.js";
