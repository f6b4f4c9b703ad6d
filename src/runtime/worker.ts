/**
 * Worker-thread entry point of the replicate pool (piscina loads the compiled file,
 * dist/src/runtime/worker.js). A worker keeps one registry per plugin list: the built-in families
 * plus the task's plugins, loaded once, then runs tasks through a TaskRunner (which caches parsed
 * cell configs).
 */
import type { ReplicateResult } from "../experiment/family.js";
import { type ReplicateTask, TaskRunner } from "../experiment/task.js";
import { createDefaultRegistry } from "../families/index.js";
import { loadPlugins } from "./plugins.js";

const runners = new Map<string, Promise<TaskRunner>>();

function runnerFor(plugins: readonly string[]): Promise<TaskRunner> {
  const key = plugins.join("\u0000");
  let runner = runners.get(key);
  if (runner === undefined) {
    runner = (async () => {
      const registry = createDefaultRegistry();
      await loadPlugins(plugins, registry);
      return new TaskRunner(registry);
    })();
    runners.set(key, runner);
  }
  return runner;
}

/** Runs one task; piscina calls this with the task object posted by the pool. */
export default async function runTask(task: ReplicateTask): Promise<ReplicateResult[]> {
  return (await runnerFor(task.plugins)).run(task);
}
