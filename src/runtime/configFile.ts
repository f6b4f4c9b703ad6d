/** Reading JSON config files: a missing or unreadable file, bad JSON or a non-object is a ConfigError on --config. */
import { readFileSync, statSync } from "node:fs";
import { ConfigError } from "../core/config/parse.js";

/** Reads and JSON-parses a config file. */
export function readConfigFile(path: string, field = "--config"): Record<string, unknown> {
  let text: string;
  try {
    // A FIFO or a device would block the read (or never end): only regular files are configs.
    if (!statSync(path).isFile()) throw new ConfigError(field, path, "is not a regular file");
    text = readFileSync(path, "utf8");
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    throw new ConfigError(field, path, `cannot read the file (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(field, path, `is not valid JSON (${(err as Error).message})`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new ConfigError(field, path, "must hold a JSON object");
  }
  return value as Record<string, unknown>;
}
