import { describe, expect, it } from "vitest";
import { copyOf, floats, zeros } from "../../../src/core/linalg/mat.js";

describe("floats (typed arrays cut from shared slabs)", () => {
  it("behave as new Float64Array(n): zeroed, of length n, each its own region, whatever was written to earlier ones", () => {
    const made: Float64Array[] = [];
    // Enough arrays to fill several 8192-double slabs, of sizes that do not divide it.
    for (let i = 0; i < 200; i++) {
      const a = floats(1 + ((i * 37) % 700));
      expect(a.length).toBe(1 + ((i * 37) % 700));
      expect(a.every((x) => x === 0)).toBe(true);
      a.fill(i + 1);
      made.push(a);
    }
    made.forEach((a, i) => expect(a.every((x) => x === i + 1)).toBe(true));
    expect(floats(0).length).toBe(0);
  });

  it("give a large request its own buffer, and copyOf and zeros copy and zero as their names say", () => {
    const big = floats(5000);
    expect(big.byteOffset).toBe(0);
    expect(big.buffer.byteLength).toBe(5000 * 8);
    const src = Float64Array.from([1, -2, 3.5]);
    const c = copyOf(src);
    src[0] = 9;
    expect(Array.from(c)).toEqual([1, -2, 3.5]);
    const z = zeros(3, 4);
    expect(z.data.length).toBe(12);
    expect(z.data.every((x) => x === 0)).toBe(true);
  });
});
