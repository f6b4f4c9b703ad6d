import { describe, expect, it } from "vitest";
import { ConfigError } from "../../src/core/config/parse.js";
import { NamedRegistry, Registry } from "../../src/experiment/registry.js";
import { pluginApi } from "../../src/experiment/plugin.js";
import { createDefaultRegistry } from "../../src/families/index.js";

describe("NamedRegistry", () => {
  it("registers, lists in order, refuses duplicates unless replaced, and names the known items on a bad lookup", () => {
    const r = new NamedRegistry<{ name: string; v: number }>("widget", [{ name: "a", v: 1 }]);
    r.register({ name: "b", v: 2 });
    expect(r.names()).toEqual(["a", "b"]);
    expect(() => r.register({ name: "a", v: 3 })).toThrow(/already registered/);
    r.register({ name: "a", v: 3 }, { replace: true });
    expect(r.get("a", "f").v).toBe(3);
    let caught: unknown;
    try {
      r.get("zz", "methods[0].estimator");
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    expect((caught as ConfigError).message).toBe('methods[0].estimator = "zz": must be one of "a", "b" (registered widgets)');
    expect(() => r.register({ name: "1bad", v: 0 })).toThrow(RangeError);
  });
});

describe("Registry and the plugin API", () => {
  it("holds the built-in families; registries are independent instances", () => {
    const a = createDefaultRegistry();
    const b = createDefaultRegistry();
    expect(a.families.names()).toEqual(["mixture", "two-layer", "regression"]);
    pluginApi(a).registerPerTaskRule({ ...a.family("mixture").extensions.perTaskRules.get("linf", "x"), name: "linf-copy" });
    expect(a.family("mixture").extensions.perTaskRules.has("linf-copy")).toBe(true);
    expect(b.family("mixture").extensions.perTaskRules.has("linf-copy")).toBe(false);
  });
  it("refuses an unknown family or extension kind with a RangeError (a programming error in a plugin)", () => {
    const r = new Registry([]);
    expect(() => r.registerEstimator("nope", { name: "e" } as never)).toThrow(RangeError);
    const d = createDefaultRegistry();
    expect(() => d.registerExtension("two-layer", "perTaskRules", { name: "x" })).toThrow(/no extension registry "perTaskRules"/);
  });
});
