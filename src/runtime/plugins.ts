/**
 * Loading plugin files (experiment/plugin.ts) in Node: paths are resolved (relative to the
 * config file that lists them, or to the working directory for --plugin), checked, imported and
 * applied to a registry. Workers load the same files by URL before their first task.
 */
import { existsSync, statSync } from "node:fs";
import { isAbsolute, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { ConfigError } from "../core/config/parse.js";
import { applyPlugin } from "../experiment/plugin.js";
import type { Registry } from "../experiment/registry.js";

/**
 * The absolute path of plugin `spec` (a path, absolute or relative to `baseDir`, or a file: URL).
 * @throws ConfigError on `field` when the file does not exist or is not a regular file.
 */
export function resolvePluginPath(spec: string, baseDir: string, field: string): string {
  const path = spec.startsWith("file:") ? fileURLToPath(spec) : isAbsolute(spec) ? spec : resolve(baseDir, spec);
  if (!existsSync(path)) throw new ConfigError(field, spec, `no such plugin file (${path})`);
  if (!statSync(path).isFile()) throw new ConfigError(field, spec, `is not a regular file (${path})`);
  return path;
}

/** File URLs of plugin paths, as workers import them. */
export function pluginUrls(paths: readonly string[]): string[] {
  return paths.map((p) => pathToFileURL(p).href);
}

/**
 * Imports the plugins (file URLs, in order) and applies each to `registry`. An import error or a
 * bad default export is a ConfigError naming the plugin (a user's file, not an internal error).
 */
export async function loadPlugins(urls: readonly string[], registry: Registry): Promise<void> {
  for (const [i, url] of urls.entries()) {
    let module: unknown;
    try {
      module = await import(url);
    } catch (e) {
      throw new ConfigError(`plugins[${i}]`, fileURLToPath(url), `cannot be imported (${e instanceof Error ? e.message.split("\n")[0] : String(e)})`);
    }
    try {
      await applyPlugin(module, registry, fileURLToPath(url));
    } catch (e) {
      throw new ConfigError(`plugins[${i}]`, fileURLToPath(url), e instanceof Error ? e.message : String(e));
    }
  }
}
