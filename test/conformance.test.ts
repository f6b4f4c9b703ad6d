/**
 * The conformance suite, in the manner of scikit-learn's check_estimator: every registered family,
 * every estimator of every family (the built-in ones and the example plugin's), and every per-task
 * rule of the mixture family go through the same checks:
 * - the small config parses, and its echo parses back to the same config (parameter round trip);
 * - determinism: the same seed gives the same outcomes, replicate by replicate, whatever range runs;
 * - outcomes: one per method, in order; metrics finite; a failure has ok = false and a reason;
 * - tags honoured: an attack the estimator's tags do not list, or pseudo-labelling when the tags
 *   say it has none, is refused by the parser;
 * - no worker dependence: in this thread and on 2 worker threads the records are identical.
 */
import { pathToFileURL } from "node:url";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { isConfigError } from "../src/core/config/parse.js";
import { isBoundMetric } from "../src/experiment/boundChecks.js";
import { executePlan } from "../src/experiment/engine.js";
import { InProcessExecutor } from "../src/experiment/executor.js";
import type { Estimator } from "../src/experiment/estimator.js";
import type { Family, JsonObject } from "../src/experiment/family.js";
import { runReplicateRange } from "../src/experiment/replicate.js";
import type { Registry } from "../src/experiment/registry.js";
import { planSweepConfig } from "../src/experiment/run.js";
import { createDefaultRegistry } from "../src/families/index.js";
import type { PerTaskRule } from "../src/families/mixture/estimators/perTaskRule.js";
import { PoolExecutor } from "../src/runtime/pool.js";
import { loadPlugins } from "../src/runtime/plugins.js";

const PLUGIN = pathToFileURL(join(__dirname, "../examples/plugins/noiseThreshold.mjs")).href;
const registry: Registry = createDefaultRegistry();
await loadPlugins([PLUGIN], registry);
const pool = new PoolExecutor(2);
afterAll(() => pool.close());

const families = registry.families.values();

/** A family config of the family's small config with the given methods. */
function withMethods(family: Family, methods: JsonObject[]): JsonObject {
  return { ...family.smallConfig(), methods };
}

/** Runs replicates [from, to) of a raw family config. */
function replicates(family: Family, raw: JsonObject, seed: number, from: number, to: number) {
  return runReplicateRange(family, family.parse(raw), seed, { from, to });
}

/** The checks every (family, method list) goes through. */
function checkRuns(family: Family, raw: JsonObject): void {
  const config = family.parse(raw);
  // Round trip: the echo parses back to the same checked config.
  const echo = family.echo(config);
  expect(family.parse(JSON.parse(JSON.stringify(echo)))).toEqual(config);
  expect(family.echo(family.parse(echo))).toEqual(echo);
  const labels = family.methodLabels(config);
  const all = replicates(family, raw, 5, 0, 3);
  // Determinism, and replicate k does not depend on the range it is run in.
  expect(replicates(family, raw, 5, 0, 3)).toEqual(all);
  expect(replicates(family, raw, 5, 2, 3)).toEqual(all.slice(2));
  for (const r of all) {
    expect(r.outcomes.map((o) => o.method)).toEqual(labels);
    for (const o of r.outcomes) {
      for (const v of Object.values(o.metrics)) expect(Number.isFinite(v)).toBe(true);
      for (const name of Object.keys(o.metrics)) if (!isBoundMetric(name)) expect(family.metrics.names, `metric ${name} is not declared in metrics.names`).toContain(name);
      if (!o.ok) expect(typeof o.reason).toBe("string");
    }
  }
}

describe.each(families.map((f) => [f.name, f] as const))("family %s", (_name, family) => {
  it("has a complete contract (description, metrics, demo, small config)", () => {
    expect(family.description.length).toBeGreaterThan(10);
    expect(family.metrics.table.length).toBeGreaterThan(0);
    expect(family.demo().family).toBe(family.name);
    expect(() => family.parse(family.smallConfig())).not.toThrow();
  });

  it("round-trips, is deterministic and reports finite metrics on its small config", () => {
    checkRuns(family, family.smallConfig());
  });

  it("gives identical records in this thread and on 2 worker threads", async () => {
    const raw = { family: family.name, replicates: 6, seed: 3, plugins: [PLUGIN], ...family.smallConfig() };
    const { plan, configHash } = planSweepConfig(raw, registry, [PLUGIN]);
    const run = (executor: InProcessExecutor | PoolExecutor) => executePlan({ plan, configHash, code: "conformance", executor, chunkSize: 2 });
    expect(JSON.stringify(await run(pool))).toBe(JSON.stringify(await run(new InProcessExecutor(registry))));
  });

  const estimators = family.estimators.values() as Estimator[];
  it("has at least one estimator", () => expect(estimators.length).toBeGreaterThan(0));

  describe.each(estimators.map((e) => [e.name, e] as const))("estimator %s", (_e, estimator) => {
    it("declares examples, each of which round-trips, runs deterministically and reports finite metrics", () => {
      expect(estimator.examples.length).toBeGreaterThan(0);
      const methods = estimator.examples.map((ex, i) => ({ label: `m${i}`, estimator: estimator.name, ...ex }));
      checkRuns(family, withMethods(family, methods));
    });

    it("honours its tags: attacks it does not list and pseudo-labelling it does not support are refused", () => {
      const example = estimator.examples[0];
      const refused = (extra: JsonObject): boolean => {
        try {
          family.parse(withMethods(family, [{ label: "x", estimator: estimator.name, ...example, ...extra }]));
          return false;
        } catch (e) {
          return isConfigError(e);
        }
      };
      const tags = estimator.tags(family.parse(withMethods(family, [{ label: "x", estimator: estimator.name, ...example }])).methods[0].params);
      for (const attack of ["l2", "linf"]) {
        if (!tags.attacks.includes(attack)) expect(refused({ attack, eps: 0.1 })).toBe(true);
      }
      if (!tags.pseudoLabelling) expect(refused({ ssl: { m: 10 } })).toBe(true);
    });
  });
});

describe("per-task rules of the mixture family", () => {
  const mixture = registry.family("mixture");
  const rules = mixture.extensions.perTaskRules.values() as PerTaskRule[];

  it.each(rules.map((r) => [r.name, r] as const))("rule %s: examples round-trip and run; the direction leaves v untouched and is null or finite", (_n, rule) => {
    const methods = rule.examples.map((ex, i) => ({ label: `r${i}`, ...(rule.attack === null ? { rule: rule.name } : { attack: rule.attack }), ...ex }));
    checkRuns(mixture, withMethods(mixture, methods));
    checkRuns(mixture, withMethods(mixture, methods.map((m) => ({ ...m, label: `${m.label}-ssl`, ssl: { m: 20 } }))));
    const config = mixture.parse(withMethods(mixture, [methods[0]]));
    const params = (config.methods[0].params as { rule: { params: unknown } }).rule.params;
    const v = Float64Array.from({ length: 40 }, (_, j) => Math.sin(j + 1));
    const copy = Float64Array.from(v);
    const dir = rule.direction(v, params);
    expect(v).toEqual(copy);
    if (dir !== null) {
      expect(dir).toHaveLength(40);
      for (const x of dir) expect(Number.isFinite(x)).toBe(true);
    }
  });
});
