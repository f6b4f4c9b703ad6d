/**
 * The explorer's Web Worker: runs replicate tasks (plain JSON, experiment/task.ts) with a
 * TaskRunner over the library's default registry, the same code `advtransfer sweep` runs in its
 * worker threads. Answers {id, results} or {id, error}.
 */
import { TaskRunner } from "../../src/experiment/task.js";
import { createDefaultRegistry } from "../../src/families/index.js";
import type { ReplicateTask } from "../../src/experiment/task.js";
import type { WorkerReply } from "./workerPool.js";

interface WorkerScope {
  onmessage: ((e: MessageEvent<{ id: number; task: ReplicateTask }>) => void) | null;
  postMessage(message: WorkerReply): void;
}

const scope = self as unknown as WorkerScope;
const runner = new TaskRunner(createDefaultRegistry());

scope.onmessage = (e) => {
  const { id, task } = e.data;
  try {
    if (task.plugins.length > 0) throw new Error("the explorer loads no plugins");
    const t0 = performance.now();
    const results = runner.run(task);
    scope.postMessage({ id, results, ms: performance.now() - t0 });
  } catch (err) {
    const error = err instanceof Error ? { name: err.name, message: err.message } : { name: "Error", message: String(err) };
    scope.postMessage({ id, error });
  }
};
