/**
 * Worker-thread entry point of the replicate pool (piscina loads the compiled file,
 * dist/src/runtime/worker.js). Each task: look the family up, parse the cell's config
 * (cached: consecutive tasks usually share a cell), run replicates [from, to).
 */
import { canonicalJson } from "../core/config/canonicalJson.js";
import { runReplicateRange } from "../experiment/replicateRange.js";
import type { Family, ReplicateResult } from "../experiment/family.js";
import type { ReplicateTask } from "../experiment/task.js";

const modules = new Map<string, Promise<Record<string, unknown>>>();
const parsed = new Map<string, unknown>();
const PARSED_CACHE_SIZE = 16;

async function familyOf(task: ReplicateTask): Promise<Family<unknown>> {
  let mod = modules.get(task.family.module);
  if (mod === undefined) {
    mod = import(task.family.module) as Promise<Record<string, unknown>>;
    modules.set(task.family.module, mod);
  }
  const families = (await mod).families as Record<string, Family<unknown>> | undefined;
  const family = families?.[task.family.name];
  if (family === undefined) throw new Error(`module ${task.family.module} has no family "${task.family.name}" in its 'families' export`);
  return family;
}

/** Runs one task; piscina calls this with the task object posted by the pool. */
export default async function runTask(task: ReplicateTask): Promise<ReplicateResult[]> {
  const family = await familyOf(task);
  const key = `${task.family.module}\u0000${task.family.name}\u0000${canonicalJson(task.config)}`;
  let config = parsed.get(key);
  if (config === undefined) {
    config = family.parse(task.config);
    if (parsed.size >= PARSED_CACHE_SIZE) parsed.delete(parsed.keys().next().value as string);
    parsed.set(key, config);
  }
  return runReplicateRange(family, config, task.seed, { from: task.from, to: task.to });
}
