/**
 * Plugins: ES modules that add families, estimators or other registered parts from outside the
 * package. A plugin's default export is a function that receives a PluginApi bound to the
 * registry being loaded; the CLI loads `--plugin FILE` and a config's `plugins` list in the main
 * thread and in every worker thread (runtime/plugins.ts), so all of them see the same registry.
 */
import type { Estimator } from "./estimator.js";
import type { Family } from "./family.js";
import type { Named, Registry } from "./registry.js";

/** What a plugin may register. */
export interface PluginApi {
  /** The registry being extended. */
  readonly registry: Registry;
  registerFamily(family: Family): void;
  /** Adds an estimator to a family's estimators. */
  registerEstimator(family: string, estimator: Estimator): void;
  /** Adds an item to a family's extension registry `kind` (e.g. "perTaskRules" of "mixture"). */
  registerExtension(family: string, kind: string, item: Named): void;
  /** Adds a per-task rule to the mixture family (MODEL §3.1; families/mixture/estimators/perTaskRule.ts). */
  registerPerTaskRule(rule: Named): void;
}

/** A plugin module's default export. */
export type Plugin = (api: PluginApi) => void | Promise<void>;

/** The plugin API bound to `registry`. */
export function pluginApi(registry: Registry): PluginApi {
  return {
    registry,
    registerFamily: (family) => registry.registerFamily(family),
    registerEstimator: (family, estimator) => registry.registerEstimator(family, estimator),
    registerExtension: (family, kind, item) => registry.registerExtension(family, kind, item),
    registerPerTaskRule: (rule) => registry.registerExtension("mixture", "perTaskRules", rule),
  };
}

/**
 * Applies a loaded plugin module to `registry`.
 * @throws RangeError when the module's default export is not a function.
 */
export async function applyPlugin(module: unknown, registry: Registry, name: string): Promise<void> {
  const plugin = (module as { default?: unknown } | null)?.default;
  if (typeof plugin !== "function") throw new RangeError(`plugin ${name}: its default export must be a function (api) => void that registers what it adds`);
  await (plugin as Plugin)(pluginApi(registry));
}
