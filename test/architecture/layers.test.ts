/**
 * The layout of docs/ARCHITECTURE.md, checked on the import graph of src/: each layer imports
 * only from the layers above it, no generic file (core, experiment, report) imports a family, a
 * family imports no other family, and nothing outside runtime/ and cli/ uses Node-only APIs (so
 * the library runs in Deno, browsers and notebooks).
 */
import { readFileSync, readdirSync } from "node:fs";
import { builtinModules } from "node:module";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const SRC = resolve(__dirname, "../../src");

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : []));
}

/** Import specifiers of a file: static imports and re-exports, and dynamic import("..."). */
export function importsOf(text: string): string[] {
  const out: string[] = [];
  const re = /(?:^|[\s;])(?:import|export)\s[^;]*?\sfrom\s*["']([^"']+)["']|import\s*\(\s*["']([^"']+)["']\s*\)|^\s*import\s+["']([^"']+)["']/gm;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) out.push(m[1] ?? m[2] ?? m[3]);
  return out;
}

/** The layer of a file under src/: "core", "experiment", "family:<name>", "families", "report", "runtime", "cli" or "entry". */
function layerOf(file: string): string {
  const rel = relative(SRC, file).split("/");
  if (rel.length === 1) return "entry";
  if (rel[0] === "families") return rel.length === 2 ? "families" : `family:${rel[1]}`;
  return rel[0];
}

const ORDER = ["core", "experiment", "families", "report", "runtime", "cli"];

/** Whether a file of layer `from` may import a file of layer `to`. */
function allowed(from: string, to: string): boolean {
  if (from === to) return true;
  if (from.startsWith("family:")) return to === "core" || to === "experiment";
  if (to.startsWith("family:")) return from === "families" || from === "entry";
  if (from === "entry") return to !== "runtime" && to !== "cli";
  if (from === "report" && to === "families") return false;
  const a = ORDER.indexOf(from);
  const b = ORDER.indexOf(to);
  return b >= 0 && a >= 0 && b < a;
}

const files = sourceFiles(SRC);
const NODE_ONLY_LAYERS = new Set(["runtime", "cli"]);
const NODE_PACKAGES = new Set(["piscina", "cli-progress", "yargs", "yargs/helpers"]);

describe("the import graph of src/", () => {
  it("finds the files and their imports (the checks below have something to check)", () => {
    expect(files.length).toBeGreaterThan(60);
    const all = files.flatMap((f) => importsOf(readFileSync(f, "utf8")));
    expect(all.length).toBeGreaterThan(200);
    expect(importsOf('import { a } from "./x.js";\nexport * from "../y.js";\nconst m = await import("./z.js");')).toEqual(["./x.js", "../y.js", "./z.js"]);
  });

  it("follows the layer order; generic code (core, experiment, report) names no family; no family imports another", () => {
    const violations: string[] = [];
    for (const f of files) {
      const from = layerOf(f);
      for (const spec of importsOf(readFileSync(f, "utf8"))) {
        if (!spec.startsWith(".")) continue;
        const to = layerOf(resolve(dirname(f), spec));
        if (!allowed(from, to)) violations.push(`${relative(SRC, f)} (${from}) imports ${spec} (${to})`);
      }
    }
    expect(violations).toEqual([]);
  });

  it("uses Node-only APIs (node: modules, Node packages, process, Buffer) only in runtime/ and cli/", () => {
    const violations: string[] = [];
    const builtins = new Set(builtinModules);
    for (const f of files) {
      if (NODE_ONLY_LAYERS.has(layerOf(f))) continue;
      const text = readFileSync(f, "utf8");
      for (const spec of importsOf(text)) {
        if (spec.startsWith("node:") || builtins.has(spec) || NODE_PACKAGES.has(spec)) violations.push(`${relative(SRC, f)} imports ${spec}`);
      }
      const code = text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/\/\/.*$/gm, "");
      if (/\bprocess\s*\.|\bBuffer\b/.test(code)) violations.push(`${relative(SRC, f)} uses process or Buffer`);
    }
    expect(violations).toEqual([]);
  });
});
