/**
 * Compiles src/ to dist/ before the tests when dist/ is missing or older than a source file:
 * worker threads (the replicate pool) and the CLI tests run the compiled JavaScript.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

export default function setup(): void {
  const stamp = join(root, "dist", "src", "runtime", "worker.js");
  const stale = !existsSync(stamp) || statSync(stamp).mtimeMs < newestMtime(join(root, "src"));
  if (stale) execFileSync(process.execPath, [join(root, "node_modules", "typescript", "bin", "tsc"), "-p", join(root, "tsconfig.build.json")], { stdio: "inherit" });
}
