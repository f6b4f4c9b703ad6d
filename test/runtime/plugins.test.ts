import { mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { ConfigError } from "../../src/core/config/parse.js";
import { createDefaultRegistry } from "../../src/families/index.js";
import { loadPlugins, resolvePluginPath } from "../../src/runtime/plugins.js";

describe("plugin files", () => {
  const d = mkdtempSync(join(tmpdir(), "advtransfer-plugins-"));
  mkdirSync(join(d, "sub"));
  writeFileSync(join(d, "sub", "p.mjs"), 'export default (api) => api.registerPerTaskRule({ ...api.registry.family("mixture").extensions.perTaskRules.get("linf", "x"), name: "linf2" });\n');
  writeFileSync(join(d, "bad.mjs"), "export const x = 1;\n");

  it("resolve relative to the config's directory, absolute paths and file URLs as they are", () => {
    const abs = join(d, "sub", "p.mjs");
    expect(resolvePluginPath("sub/p.mjs", d, "plugins[0]")).toBe(abs);
    expect(resolvePluginPath(abs, "/elsewhere", "plugins[0]")).toBe(abs);
    expect(resolvePluginPath(pathToFileURL(abs).href, "/elsewhere", "plugins[0]")).toBe(abs);
    expect(() => resolvePluginPath("nope.mjs", d, "plugins[1]")).toThrow(/plugins\[1\] = "nope.mjs": no such plugin file/);
    expect(() => resolvePluginPath("sub", d, "plugins[0]")).toThrow(ConfigError);
  });

  it("register into the registry they are loaded into; a module without a default function is a ConfigError", async () => {
    const r = createDefaultRegistry();
    await loadPlugins([pathToFileURL(join(d, "sub", "p.mjs")).href], r);
    expect(r.family("mixture").extensions.perTaskRules.has("linf2")).toBe(true);
    expect(createDefaultRegistry().family("mixture").extensions.perTaskRules.has("linf2")).toBe(false);
    await expect(loadPlugins([pathToFileURL(join(d, "bad.mjs")).href], r)).rejects.toThrow(/default export must be a function/);
  });
});
