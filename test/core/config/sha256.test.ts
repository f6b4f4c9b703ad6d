import { createHash } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { configHash } from "../../../src/core/config/canonicalJson.js";
import { sha256Hex } from "../../../src/core/config/sha256.js";

describe("sha256Hex", () => {
  it("matches the FIPS 180-4 test vectors", () => {
    expect(sha256Hex("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    expect(sha256Hex("")).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    expect(sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")).toBe("248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  });
  it("equals node:crypto on random strings of every length around the block boundaries", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 200 }), (s) => {
        expect(sha256Hex(s)).toBe(createHash("sha256").update(s).digest("hex"));
      }),
    );
  });
  it("configHash ignores key order", () => {
    expect(configHash({ b: 1, a: [2, { d: 3, c: 4 }] })).toBe(configHash({ a: [2, { c: 4, d: 3 }], b: 1 }));
    expect(configHash({ a: 1 })).toHaveLength(16);
  });
});
