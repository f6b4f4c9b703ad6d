/**
 * Runs the explorer's group tasks (methodCache.ts, GroupTask): replicates [from, to) of several
 * one-method mixture configs, each replicate's truth and data drawn once per scenario and sampler
 * and every config fitted and measured on them (runMixtureReplicates), so config i's results are
 * those of its own replicate task, bit for bit. Pure: no DOM (worker.ts runs it; the tests too).
 */
import { canonicalJson } from "../../src/core/config/canonicalJson.js";
import { replicateRng } from "../../src/core/random/rng.js";
import type { MethodOutcome, ReplicateResult } from "../../src/experiment/family.js";
import type { Registry } from "../../src/experiment/registry.js";
import { type MixtureConfig, runMixtureReplicates } from "../../src/families/mixture/family.js";
import { echoMixtureScenario } from "../../src/families/mixture/scenario.js";
import type { GroupTask } from "./methodCache.js";

export class GroupRunner {
  private readonly registry: Registry;
  private readonly parsed = new Map<string, MixtureConfig>();

  constructor(registry: Registry) {
    this.registry = registry;
  }

  private parse(raw: GroupTask["configs"][number]): MixtureConfig {
    const key = canonicalJson(raw);
    let c = this.parsed.get(key);
    if (c === undefined) {
      c = this.registry.family("mixture").parse(raw) as MixtureConfig;
      if (this.parsed.size >= 512) this.parsed.delete(this.parsed.keys().next().value as string);
      this.parsed.set(key, c);
    }
    return c;
  }

  /** The replicate results of every config of the group, in its order. */
  run(group: GroupTask): ReplicateResult[][] {
    if (group.family !== "mixture") throw new Error(`the explorer's group tasks run the mixture family only, not ${group.family}`);
    const configs = group.configs.map((raw) => this.parse(raw));
    // Configs with the same scenario and sampler share a replicate's truth and data.
    const parts = new Map<string, number[]>();
    configs.forEach((c, i) => {
      const key = canonicalJson({ scenario: echoMixtureScenario(c.scenario), sampler: c.sampler });
      const list = parts.get(key);
      if (list === undefined) parts.set(key, [i]);
      else list.push(i);
    });
    const out: ReplicateResult[][] = configs.map(() => []);
    for (let k = group.from; k < group.to; k++) {
      for (const idx of parts.values()) {
        const outcomes = runMixtureReplicates(
          idx.map((i) => configs[i]),
          replicateRng(group.seed, k),
        );
        idx.forEach((i, j) => {
          check(outcomes[j], k);
          out[i].push({ replicate: k, outcomes: outcomes[j] });
        });
      }
    }
    return out;
  }
}

/** As experiment/replicate.ts: a non-finite metric is a bug in the family. */
function check(outcomes: readonly MethodOutcome[], k: number): void {
  for (const o of outcomes) {
    for (const [name, value] of Object.entries(o.metrics)) {
      if (!Number.isFinite(value)) throw new Error(`internal error: replicate ${k}, method ${o.method}: metric ${name} = ${value}`);
    }
  }
}
