import { describe, expect, it } from "vitest";
import { ConfigError, formatValue, parseArray, parseBoolean, parseChoice, parseInteger, parseNumber, parseObject, parseString, rejectUnknownKeys, requireInteger, requireNumber } from "../../../src/core/config/parse.js";
import { configErrorOf } from "../../errors.js";

const error = configErrorOf;

describe("the parse primitives (one line: field, value, allowed range)", () => {
  it("parseNumber: finite numbers in the range, open or closed ends, named in the message", () => {
    expect(parseNumber("x", 0.5, { min: 0, max: 1 })).toBe(0.5);
    expect(error(() => parseNumber("x", 0, { min: 0, minOpen: true })).message).toBe("x = 0: must be a number > 0");
    expect(error(() => parseNumber("x", 2, { min: 0, max: 1, maxOpen: true })).message).toBe("x = 2: must be a number in [0, 1)");
    expect(error(() => parseNumber("x", Number.NaN)).message).toBe("x = NaN: must be a finite number");
    expect(error(() => parseNumber("x", "3")).message).toBe('x = "3": must be a finite number');
    expect(error(() => parseNumber("x", undefined)).message).toBe("x = (missing): must be a finite number");
  });
  it("parseInteger, parseChoice, parseString, parseBoolean, parseArray, parseObject", () => {
    expect(parseInteger("n", 3, 1, 5)).toBe(3);
    expect(error(() => parseInteger("n", 2.5, 1, 5)).message).toBe("n = 2.5: must be an integer in [1, 5]");
    expect(parseChoice("c", "a", ["a", "b"] as const)).toBe("a");
    expect(error(() => parseChoice("c", "z", ["a", "b"] as const)).message).toBe('c = "z": must be one of "a", "b"');
    expect(error(() => parseString("s", "")).field).toBe("s");
    expect(error(() => parseBoolean("b", 1)).message).toBe("b = 1: must be true or false");
    expect(error(() => parseArray("a", [], 1)).message).toBe("a = []: must be an array of at least 1 element(s)");
    expect(error(() => parseObject("o", [1])).message).toBe("o = [1]: must be an object");
  });
  it("parseObject refuses reserved keys (prototype pollution) and null values, naming the path", () => {
    expect(error(() => parseObject("scenario", JSON.parse('{"__proto__": {"sigma": 3}}'))).message).toBe('scenario.__proto__ = {"sigma":3}: "__proto__" is a reserved name, not a config key');
    expect(error(() => parseObject("config", { constructor: 1 })).field).toBe("constructor");
    expect(error(() => parseObject("scenario", { diversity: null })).message).toBe("scenario.diversity = null: null is not a value: omit the key to use its default");
    expect(parseObject("x", { a: 0, b: false, c: "" })).toEqual({ a: 0, b: false, c: "" });
  });

  it("rejectUnknownKeys names the dotted path and the allowed keys", () => {
    expect(error(() => rejectUnknownKeys("scenario", { dd: 1 }, ["d"])).message).toBe("scenario.dd = 1: unknown key; allowed keys: d");
    expect(error(() => rejectUnknownKeys("", { x: 1 }, ["y"])).field).toBe("x");
  });
  it("formatValue shortens long values", () => {
    expect(formatValue("a")).toBe('"a"');
    expect(formatValue({ a: "x".repeat(80) }).length).toBe(60);
  });
  it("require* check function arguments with a RangeError (a programming error), same message", () => {
    expect(requireInteger("r", 2, 1)).toBe(2);
    expect(() => requireNumber("sigma", 0, { min: 0, minOpen: true })).toThrow(RangeError);
    expect(() => requireNumber("sigma", 0, { min: 0, minOpen: true })).toThrow("sigma = 0: must be a number > 0");
    let caught: unknown;
    try {
      requireInteger("r", 0, 1);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(RangeError);
    expect(caught).not.toBeInstanceOf(ConfigError);
  });
});
