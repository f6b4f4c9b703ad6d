/**
 * JSON values and their canonical text. Sweeps hash and compare configs through this text, so two
 * configs that differ only in key order are the same config.
 */

import { sha256Hex } from "./sha256.js";

/** A JSON value as parsed by JSON.parse. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/**
 * Canonical JSON: object keys sorted by UTF-16 code units, no whitespace, numbers in JavaScript's
 * shortest round-trip form. Arrays keep their order. Throws on values JSON cannot represent
 * (non-finite numbers, undefined inside arrays, functions), because a silently dropped field
 * would make two different configs hash alike.
 */
export function canonicalJson(value: unknown): string {
  if (value === null) return "null";
  switch (typeof value) {
    case "boolean":
      return value ? "true" : "false";
    case "number":
      if (!Number.isFinite(value)) throw new TypeError(`canonicalJson: non-finite number ${value}`);
      return JSON.stringify(value);
    case "string":
      return JSON.stringify(value);
    case "object": {
      if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v)).join(",")}]`;
      const obj = value as Record<string, unknown>;
      const keys = Object.keys(obj)
        .filter((k) => obj[k] !== undefined)
        .sort();
      return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(",")}}`;
    }
    default:
      throw new TypeError(`canonicalJson: cannot represent a value of type ${typeof value}`);
  }
}

/**
 * The hash of a JSON value that identifies a sweep: the first 16 hex digits of the SHA-256 of its
 * canonical JSON, so key order does not matter.
 * @example configHash({ b: 1, a: 2 }) === configHash({ a: 2, b: 1 }) // true
 */
export function configHash(value: unknown): string {
  return sha256Hex(canonicalJson(value)).slice(0, 16);
}
