/**
 * Executing the Jupyter notebooks of notebooks/ headless on the Deno kernel (the `deno`
 * devDependency), through Debian's jupyter-nbconvert and nbclient. A kernelspec pointing at this
 * checkout's deno is written to a temporary JUPYTER_PATH, so nothing depends on which kernels the
 * machine has registered. `npm run notebooks` re-executes every notebook in place (commit the
 * outputs); the test suite executes them into a temporary directory and compares.
 * Usage: node dist/scripts/notebooks.js [notebook.ipynb ...]
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root (this file is scripts/notebooks.ts, or dist/scripts/notebooks.js). */
export const ROOT = (() => {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, "package.json"))) dir = dirname(dir);
  return dir;
})();

/** The notebooks users read, in order. */
export function notebookFiles(): string[] {
  const dir = join(ROOT, "notebooks");
  return readdirSync(dir)
    .filter((f) => f.endsWith(".ipynb"))
    .sort()
    .map((f) => join(dir, f));
}

/** Where jupyter is (Debian's jupyter-nbconvert), or null. */
export function jupyterCommand(): string | null {
  const r = spawnSync("jupyter", ["nbconvert", "--version"], { encoding: "utf8" });
  return r.status === 0 ? "jupyter" : null;
}

/** A JUPYTER_PATH holding kernels/deno/kernel.json that starts this checkout's deno. */
export function denoKernelPath(): string {
  const dir = mkdtempSync(join(tmpdir(), "advtransfer-jupyter-"));
  mkdirSync(join(dir, "kernels", "deno"), { recursive: true });
  const deno = join(ROOT, "node_modules", ".bin", "deno");
  const spec = { argv: [deno, "jupyter", "--kernel", "--conn", "{connection_file}"], display_name: "Deno", language: "typescript" };
  writeFileSync(join(dir, "kernels", "deno", "kernel.json"), JSON.stringify(spec, null, 1));
  return dir;
}

/**
 * Executes `notebook` with nbconvert into `outDir` (or in place when outDir is null) and returns
 * the executed notebook's path. A cell error fails the execution (nbconvert's default).
 */
export function executeNotebook(notebook: string, outDir: string | null, timeoutSeconds = 300): string {
  const { args, options } = nbconvert(notebook, outDir, timeoutSeconds);
  const res = spawnSync("jupyter", args, { ...options, encoding: "utf8" });
  if (res.status !== 0) throw new Error(`jupyter nbconvert --execute ${basename(notebook)} failed (exit ${res.status}):\n${res.stderr.slice(-4000)}`);
  return outDir === null ? notebook : join(outDir, basename(notebook));
}

/** executeNotebook without blocking, so several notebooks (each its own kernel) run at once. */
export function executeNotebookAsync(notebook: string, outDir: string, timeoutSeconds = 300): Promise<string> {
  const { args, options } = nbconvert(notebook, outDir, timeoutSeconds);
  return new Promise((resolvePromise, reject) => {
    const child = spawn("jupyter", args, { ...options, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => {
      if (code === 0) resolvePromise(join(outDir, basename(notebook)));
      else reject(new Error(`jupyter nbconvert --execute ${basename(notebook)} failed (exit ${code}):\n${stderr.slice(-4000)}`));
    });
  });
}

/**
 * nbclient waits 4 s by default for a cell's outputs after the kernel's reply and then drops them
 * silently; on a loaded machine a cell lost its tables that way. Wait up to 60 s, and fail the
 * execution instead of dropping outputs.
 */
const IOPUB = ["--ExecutePreprocessor.iopub_timeout=60", "--ExecutePreprocessor.raise_on_iopub_timeout=True"];

function nbconvert(notebook: string, outDir: string | null, timeoutSeconds: number): { args: string[]; options: { cwd: string; env: NodeJS.ProcessEnv } } {
  const args = ["nbconvert", "--to", "notebook", "--execute", `--ExecutePreprocessor.timeout=${timeoutSeconds}`, "--ExecutePreprocessor.kernel_name=deno", ...IOPUB];
  if (outDir === null) args.push("--inplace");
  else args.push("--output-dir", outDir);
  args.push(notebook);
  return { args, options: { cwd: dirname(notebook), env: { ...process.env, JUPYTER_PATH: denoKernelPath(), NO_COLOR: "1" } } };
}

/**
 * A notebook's outputs without what changes from run to run or machine to machine: execution
 * counts and metadata go; a figure (an output whose metadata holds `advtransfer.vegaLite`) is
 * its Vega-Lite spec, data included, and its title line, not the PNG or SVG bytes (the PNG depends on
 * the machine's fonts and librsvg, and it is SVG where rsvg-convert is missing).
 */
export function outputsOf(file: string): unknown[][] {
  const nb = JSON.parse(readFileSync(file, "utf8")) as { cells: { cell_type: string; outputs?: Record<string, unknown>[] }[] };
  return nb.cells
    .filter((c) => c.cell_type === "code")
    .map((c) =>
      (c.outputs ?? []).map((o) => {
        const { execution_count: _count, metadata, transient: _transient, ...rest } = o;
        const figure = (metadata as { advtransfer?: { vegaLite?: unknown } } | undefined)?.advtransfer?.vegaLite;
        if (figure === undefined) return rest;
        const data = rest.data as Record<string, unknown>;
        return { output_type: rest.output_type, figure, title: data["text/plain"], image: "image/png" in data || "image/svg+xml" in data };
      }),
    );
}

const isMain = process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  if (jupyterCommand() === null) {
    console.error("jupyter nbconvert is missing: apt-get install jupyter-nbconvert python3-nbclient python3-ipykernel");
    process.exit(2);
  }
  const files = process.argv.length > 2 ? process.argv.slice(2).map((f) => resolve(f)) : notebookFiles();
  for (const f of files) {
    const t0 = performance.now();
    executeNotebook(f, null);
    console.log(`${basename(f)}: executed in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
}
