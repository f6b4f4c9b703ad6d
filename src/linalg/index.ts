export * from "./mat.js";
export * from "./decompositions.js";
