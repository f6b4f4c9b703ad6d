/**
 * The explorer's Web Worker: runs replicate tasks (plain JSON, experiment/task.ts) with a
 * TaskRunner over the library's default registry, the same code `advtransfer sweep` runs in its
 * worker threads, and group tasks (groupRunner.ts: several one-method configs on one draw of each
 * replicate's truth and data). Answers {id, results}, {id, groups} or {id, error}.
 */
import { TaskRunner } from "../../src/experiment/task.js";
import type { ReplicateTask } from "../../src/experiment/task.js";
import { createDefaultRegistry } from "../../src/families/index.js";
import { GroupRunner } from "./groupRunner.js";
import type { WorkerReply, WorkerRequest } from "./workerPool.js";

interface WorkerScope {
  onmessage: ((e: MessageEvent<WorkerRequest>) => void) | null;
  postMessage(message: WorkerReply): void;
}

const scope = self as unknown as WorkerScope;
const registry = createDefaultRegistry();
const runner = new TaskRunner(registry);
const groups = new GroupRunner(registry);

scope.onmessage = (e) => {
  const { id } = e.data;
  try {
    const t0 = performance.now();
    if ("group" in e.data) {
      const results = groups.run(e.data.group);
      scope.postMessage({ id, groups: results, ms: performance.now() - t0 });
      return;
    }
    const task: ReplicateTask = e.data.task;
    if (task.plugins.length > 0) throw new Error("the explorer loads no plugins");
    const results = runner.run(task);
    scope.postMessage({ id, results, ms: performance.now() - t0 });
  } catch (err) {
    const error = err instanceof Error ? { name: err.name, message: err.message } : { name: "Error", message: String(err) };
    scope.postMessage({ id, error });
  }
};
