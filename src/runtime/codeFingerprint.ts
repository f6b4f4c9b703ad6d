/**
 * A fingerprint of the program that computes results: SHA-256 (first 16 hex digits) over the
 * compiled JavaScript of the layers from linalg to experiment, file by file in sorted order. Every
 * line of a results file carries it, so a sweep never resumes, and shards never merge, across
 * builds that could compute different numbers (a changed sampler, estimator or metric). The report
 * and cli layers are left out: they do not change the numbers.
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

/** The fingerprint of the compiled code under dist/src (computed once per process). */
export function codeFingerprint(): string {
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
  cached = hash.digest("hex").slice(0, 16);
  return cached;
}
