/**
 * A unit of work: replicates [from, to) of one cell. Tasks are plain JSON (the family's raw
 * config, the seed, the plugin modules to load), so they cross thread boundaries intact; a
 * TaskRunner runs them against a Registry, in this thread or in a worker.
 */
import { canonicalJson, type JsonValue } from "../core/config/canonicalJson.js";
import { runReplicateRange } from "./replicate.js";
import type { ReplicateResult } from "./family.js";
import type { Registry } from "./registry.js";

export interface ReplicateTask {
  /** The family's registered name. */
  readonly family: string;
  /** Plugin module URLs a worker must load before the family is looked up (in this order). */
  readonly plugins: readonly string[];
  /** Raw family config, as the family's parse expects it. */
  readonly config: JsonValue;
  readonly seed: number | string;
  readonly cell: number;
  readonly from: number;
  readonly to: number;
}

/** Runs tasks against a registry, caching the parsed configs of recent cells. */
export class TaskRunner {
  private readonly registry: Registry;
  private readonly parsed = new Map<string, unknown>();
  private static readonly CACHE_SIZE = 16;

  constructor(registry: Registry) {
    this.registry = registry;
  }

  /** Replicates task.from .. task.to - 1 (a non-finite metric throws: a bug in the family). */
  run(task: ReplicateTask): ReplicateResult[] {
    const family = this.registry.family(task.family);
    const key = `${task.family}\u0000${canonicalJson(task.config)}`;
    let config = this.parsed.get(key);
    if (config === undefined) {
      config = family.parse(task.config);
      if (this.parsed.size >= TaskRunner.CACHE_SIZE) this.parsed.delete(this.parsed.keys().next().value as string);
      this.parsed.set(key, config);
    }
    return runReplicateRange(family, config, task.seed, { from: task.from, to: task.to });
  }
}
