import { thinQR, topLeftSingularVectors, topLeftSingularVectorsGram, jacobiSvd, extremeScale } from "../dist/src/core/linalg/decompositions.js";
import { times } from "../dist/src/core/linalg/mat.js";
import { symmetricEigen } from "../dist/src/core/linalg/small.js";
const n = 500, p = 20;
const a = { rows: n, cols: p, data: Float64Array.from({ length: n * p }, () => Math.random() - 0.5) };
const sel = { rows: p, cols: 4, data: Float64Array.from({ length: p * 4 }, () => Math.random()) };
const g = Array.from({ length: p }, (_, i) => Array.from({ length: p }, (_, j) => (i === j ? 5 : 0) + Math.sin(i + j)));
for (const [name, f] of [["top4 QR", () => topLeftSingularVectors(a, 4)], ["top4 Gram", () => topLeftSingularVectorsGram(a, 4)], ["times", () => times(a, sel)], ["extremeScale", () => extremeScale(a)], ["eig20", () => symmetricEigen(g)], ["qr 500x4", () => thinQR(times(a, sel), 0)]]) {
  for (let i = 0; i < 300; i++) f();
  const t0 = performance.now(); const N = 3000;
  for (let i = 0; i < N; i++) f();
  console.log(name, ((performance.now() - t0) / N * 1000).toFixed(1), "us");
}
