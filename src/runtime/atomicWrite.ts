/** Writing whole files so that a reader (or a killed writer) never leaves half a file behind. */
import { renameSync, writeFileSync } from "node:fs";

/** Writes text to `path` through a temporary file in the same directory and a rename. */
export function writeFileAtomic(path: string, text: string): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}
