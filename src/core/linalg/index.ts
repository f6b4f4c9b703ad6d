export * from "./mat.js";
export * from "./decompositions.js";
export * from "./normal.js";
export * from "./quadrature.js";
