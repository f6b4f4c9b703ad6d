/**
 * A fingerprint of the program that computes results: SHA-256 (first 16 hex digits) over the
 * compiled JavaScript of core/, experiment/ and families/, file by file in sorted order, followed
 * by the contents of the plugin files in use. Every line of a results file carries it, so a sweep
 * never resumes, and shards never merge, across builds (or plugin versions) that could compute
 * different numbers (a changed sampler, estimator or metric). The report, runtime and cli layers
 * are left out: they do not change the numbers.
 */
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { compiledModuleUrl } from "./pool.js";

/** Folders of dist/src whose code determines the numbers of a replicate. */
export const COMPUTING_LAYERS = ["core", "experiment", "families"] as const;

function jsFiles(dir: string): string[] {
  let out: string[] = [];
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out = out.concat(jsFiles(p));
    else if (e.name.endsWith(".js")) out.push(p);
  }
  return out;
}

let cached: string | null = null;

function compiledCodeHash(): string {
  if (cached !== null) return cached;
  const srcRoot = dirname(dirname(fileURLToPath(compiledModuleUrl("families/index.js"))));
  const files = COMPUTING_LAYERS.flatMap((layer) => jsFiles(join(srcRoot, layer))).sort();
  const hash = createHash("sha256");
  for (const f of files) {
    hash.update(relative(srcRoot, f));
    hash.update("\u0000");
    hash.update(readFileSync(f));
    hash.update("\u0000");
  }
  cached = hash.digest("hex");
  return cached;
}

/**
 * The fingerprint of the compiled code under dist/src (hashed once per process) and of the plugin
 * files (absolute paths, in order): without plugins it is the code's alone.
 */
export function codeFingerprint(pluginPaths: readonly string[] = []): string {
  const code = compiledCodeHash();
  if (pluginPaths.length === 0) return code.slice(0, 16);
  const hash = createHash("sha256");
  hash.update(code);
  for (const p of pluginPaths) {
    hash.update("\u0000plugin\u0000");
    hash.update(readFileSync(p));
  }
  return hash.digest("hex").slice(0, 16);
}
