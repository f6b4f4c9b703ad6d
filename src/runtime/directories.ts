/** Creating output directories without Node's recursive mkdir, which loops forever on some file systems (/proc). */
import { mkdirSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";

/**
 * Makes sure `path` is a directory, creating it and missing parents one level at a time.
 * @throws Node's file-system error (EEXIST when a component is a file, ENOENT, EACCES, EROFS, ...),
 * which the CLI prints in one line.
 */
export function ensureDirectory(path: string): void {
  const target = resolve(path);
  const missing: string[] = [];
  let p = target;
  for (;;) {
    let isDir: boolean | null = null;
    try {
      isDir = statSync(p).isDirectory();
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
    }
    if (isDir === true) break;
    if (isDir === false) {
      const err = new Error(`ENOTDIR: not a directory, mkdir '${target}' (${p} is a file)`) as NodeJS.ErrnoException;
      err.code = "ENOTDIR";
      err.syscall = "mkdir";
      err.path = p;
      throw err;
    }
    missing.push(p);
    const parent = dirname(p);
    if (parent === p) break;
    p = parent;
  }
  for (const dir of missing.reverse()) mkdirSync(dir);
}
