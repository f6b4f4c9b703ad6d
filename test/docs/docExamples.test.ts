/**
 * Doc tests: every `@example` in the doc comments of the pure layers (src/ without runtime/ and
 * cli/) runs against the library entry, and against the exports of its own module for names the
 * entry does not export and for the name it documents, and each line of the form `expression // expected` checks
 * that the expression equals the expected JavaScript value (numbers to 1e-12 relative, typed
 * arrays as arrays, objects key by key). Lines without a trailing `// expected` run as
 * statements. The functions of the notebook API must all have an example.
 */
import { readFileSync, readdirSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import * as lib from "../../src/index.js";

const SRC = resolve(__dirname, "../../src");

/** Modules whose every exported function is part of the notebook API and needs an example. */
const NOTEBOOK_API = [
  "index.ts",
  "experiment/run.ts",
  "experiment/pairedEffects.ts",
  "experiment/claims.ts",
  "core/stats.ts",
  "report/figure.ts",
  "report/sweepOutputs.ts",
];

export interface DocExample {
  readonly file: string;
  readonly line: number;
  /** The exported name the comment documents. */
  readonly name: string;
  readonly code: string[];
}

/** The doc comments of a source text with the name each documents and its @example code. */
export function docComments(text: string, file: string): { name: string; line: number; examples: string[][] }[] {
  const out: { name: string; line: number; examples: string[][] }[] = [];
  const re = /\/\*\*([\s\S]*?)\*\/\s*(?:export\s+)?(?:async\s+)?(?:function\s+([A-Za-z_$][\w$]*)|(?:const|let|class)\s+([A-Za-z_$][\w$]*)|(?:static\s+)?(?:async\s+)?([A-Za-z_$][\w$]*)\s*[(<])/g;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const name = m[2] ?? m[3] ?? m[4];
    const line = text.slice(0, m.index + m[0].length).split("\n").length;
    const lines = m[1].split("\n").map((l) => l.replace(/^\s*\* ?/, ""));
    const examples: string[][] = [];
    let current: string[] | null = null;
    for (const l of lines) {
      const tag = /^@(\w+)\s?(.*)$/.exec(l.trim());
      if (tag !== null) {
        current = null;
        if (tag[1] === "example") {
          current = tag[2].trim() === "" ? [] : [tag[2]];
          examples.push(current);
        }
      } else if (current !== null && l.trim() !== "") {
        current.push(l);
      }
    }
    out.push({ name, line, examples });
  }
  void file;
  return out;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : []));
}

const pureFiles = sourceFiles(SRC).filter((f) => !/^(runtime|cli)\//.test(relative(SRC, f)));
const examples: DocExample[] = pureFiles.flatMap((f) =>
  docComments(readFileSync(f, "utf8"), f).flatMap((c) => c.examples.map((code) => ({ file: relative(SRC, f), line: c.line, name: c.name, code }))),
);

/** Numbers to 1e-12 relative, typed arrays as arrays, NaN never equal. */
function close(actual: unknown, expected: unknown, path = "value"): string | null {
  if (ArrayBuffer.isView(actual) && !(actual instanceof DataView)) actual = Array.from(actual as unknown as ArrayLike<number>);
  if (ArrayBuffer.isView(expected) && !(expected instanceof DataView)) expected = Array.from(expected as unknown as ArrayLike<number>);
  if (typeof expected === "number") {
    if (typeof actual !== "number" || !(Math.abs(actual - expected) <= 1e-12 * Math.max(1, Math.abs(expected)))) return `${path}: ${String(actual)} is not ${expected}`;
    return null;
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length) return `${path}: ${JSON.stringify(actual)} is not ${JSON.stringify(expected)}`;
    for (let i = 0; i < expected.length; i++) {
      const e = close(actual[i], expected[i], `${path}[${i}]`);
      if (e !== null) return e;
    }
    return null;
  }
  if (expected !== null && typeof expected === "object") {
    if (actual === null || typeof actual !== "object") return `${path}: ${JSON.stringify(actual)} is not an object`;
    const keys = Object.keys(expected);
    const extra = Object.keys(actual).filter((k) => !keys.includes(k) && (actual as Record<string, unknown>)[k] !== undefined);
    if (extra.length > 0) return `${path}: unexpected keys ${extra.join(", ")}`;
    for (const k of keys) {
      const e = close((actual as Record<string, unknown>)[k], (expected as Record<string, unknown>)[k], `${path}.${k}`);
      if (e !== null) return e;
    }
    return null;
  }
  return Object.is(actual, expected) ? null : `${path}: ${JSON.stringify(actual)} is not ${JSON.stringify(expected)}`;
}

/** The example as the body of an async function: `expr // expected` lines become checks. */
export function exampleBody(code: readonly string[]): { body: string; checks: number } {
  let checks = 0;
  const lines = code.map((l) => {
    const at = l.lastIndexOf(" // ");
    if (at < 0) return l;
    const expr = l.slice(0, at).trim().replace(/;$/, "");
    const expected = l.slice(at + 4).trim();
    checks++;
    return `__check(${JSON.stringify(l.trim())}, (${expr}), (${expected}));`;
  });
  return { body: lines.join("\n"), checks };
}

const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (...args: string[]) => (...a: unknown[]) => Promise<void>;
const names = Object.keys(lib).filter((k) => /^[A-Za-z_$][\w$]*$/.test(k));

describe("doc comments' @example code", () => {
  it("finds the examples (the checks below have something to check)", () => {
    expect(examples.length).toBeGreaterThan(40);
    expect(exampleBody(["mean([1, 3]) // 2"])).toEqual({ body: '__check("mean([1, 3]) // 2", (mean([1, 3])), (2));', checks: 1 });
    expect(close([1, { a: 2 }], [1, { a: 2 + 1e-15 }])).toBeNull();
    expect(close(Float64Array.of(0.6, 0.8), [0.6, 0.8])).toBeNull();
    expect(close({ a: 1, b: 2 }, { a: 1 })).toMatch(/unexpected keys b/);
    expect(close(0.1 + 0.2, 0.31)).toMatch(/is not/);
    expect(close(Number.NaN, Number.NaN)).toMatch(/is not/);
  });

  it.each(examples.map((e) => [`${e.file}:${e.line} ${e.name}`, e] as const))("%s", async (_label, example) => {
    const { body, checks } = exampleBody(example.code);
    expect(checks, "an example states at least one `expression // expected` result").toBeGreaterThan(0);
    const failures: string[] = [];
    const check = (text: string, actual: unknown, expected: unknown) => {
      const e = close(actual, expected);
      if (e !== null) failures.push(`${text}: ${e}`);
    };
    const own = (await import(join(SRC, example.file))) as Record<string, unknown>;
    // The documented name is its own module's (the entry may export another function of that name).
    const scope = { ...own, ...lib, [example.name]: own[example.name] ?? (lib as Record<string, unknown>)[example.name] } as Record<string, unknown>;
    const scopeNames = [...new Set([...names, ...Object.keys(own).filter((k) => /^[A-Za-z_$][\w$]*$/.test(k))])];
    let fn: (...a: unknown[]) => Promise<void>;
    try {
      fn = new AsyncFunction("__lib", "__check", `const { ${scopeNames.join(", ")} } = __lib;\n{\n${body}\n}`);
    } catch (err) {
      throw new Error(`${example.file}:${example.line}: the example is not JavaScript (${(err as Error).message}):\n${example.code.join("\n")}`);
    }
    await fn(scope, check);
    expect(failures).toEqual([]);
  });

  it("every exported function of the notebook API has an example", () => {
    const missing: string[] = [];
    for (const rel of NOTEBOOK_API) {
      const text = readFileSync(join(SRC, rel), "utf8");
      const documented = new Map(docComments(text, rel).map((c) => [c.name, c.examples.length]));
      for (const m of text.matchAll(/^export (?:async )?function ([A-Za-z_$][\w$]*)/gm)) {
        if (!(documented.get(m[1]) ?? 0)) missing.push(`${rel}: ${m[1]}`);
      }
    }
    expect(missing).toEqual([]);
  });
});
