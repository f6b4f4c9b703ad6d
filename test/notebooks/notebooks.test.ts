/**
 * The notebooks of notebooks/ run headless on the Deno kernel (Debian's jupyter-nbconvert and
 * nbclient; scripts/notebooks.ts), every cell without error, and their committed outputs are those
 * of the current code: every output of every code cell (tables, printed lines, and of each figure its
 * Vega-Lite spec with the data, see outputsOf) equals the fresh run's, execution counts aside. `npm run notebooks` re-executes them
 * in place. A probe notebook runs the cross-runtime probe in the kernel and its numbers are
 * compared with Node's (through a file: see the probe notebook's comment).
 */
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join, resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import * as lib from "../../dist/src/index.js";
import { executeNotebookAsync, jupyterCommand, notebookFiles, outputsOf } from "../../scripts/notebooks.js";
import { agreementProblems, compareJson, describeAgreement, mathDifferences } from "../crossRuntime.js";
// @ts-expect-error: a plain .mjs fixture without types
import { probe } from "../fixtures/crossRuntimeProbe.mjs";

const available = jupyterCommand() !== null;
if (!available && process.env.CI) throw new Error("jupyter nbconvert is missing: .ci/run installs jupyter-nbconvert, python3-nbclient and python3-ipykernel");

const committed = notebookFiles();
const PROBE = resolve(__dirname, "probe.ipynb");
const executed = new Map<string, string>();
let probeOut = "";

beforeAll(async () => {
  if (!available) return;
  const out = mkdtempSync(join(tmpdir(), "advtransfer-notebooks-"));
  // The probe notebook writes its JSON here (the kernels inherit the environment of nbconvert).
  probeOut = join(out, "probe.json");
  process.env.ADVTRANSFER_PROBE_OUT = probeOut;
  const files = await Promise.all([...committed, PROBE].map((f) => executeNotebookAsync(f, out)));
  files.forEach((f) => executed.set(basename(f), f));
}, 600_000);

describe.skipIf(!available)("the notebooks", () => {
  it("are there: the three claims, bring your own estimator and the prior work's regression, committed with their outputs", () => {
    expect(committed.map((f) => basename(f))).toEqual(["01-three-claims.ipynb", "02-bring-your-own-estimator.ipynb", "03-prior-work-regression.ipynb"]);
    for (const f of committed) {
      const outputs = outputsOf(f).flat();
      expect(outputs.some((o) => (o as { image?: boolean }).image === true), `${basename(f)} shows a figure`).toBe(true);
      expect(outputs.some((o) => (o as { output_type: string }).output_type === "error"), `${basename(f)} has no error output`).toBe(false);
    }
  });

  it.each(committed.map((f) => [basename(f)]))("%s: the committed outputs are those of the current code", (name) => {
    const fresh = outputsOf(executed.get(name)!);
    const saved = outputsOf(join(resolve(__dirname, "../../notebooks"), name));
    expect(fresh.length).toBe(saved.length);
    fresh.forEach((cell, i) => expect(cell, `${name}, code cell ${i + 1} (run npm run notebooks and commit)`).toEqual(saved[i]));
  });

  it("compute in the Deno kernel the numbers Node computes (as test/crossRuntime.ts says how exactly)", async () => {
    const nb = JSON.parse(readFileSync(executed.get("probe.ipynb")!, "utf8"));
    expect(existsSync(probeOut), `the probe notebook wrote no ${probeOut}; its outputs: ${JSON.stringify(nb.cells[0].outputs).slice(0, 2000)}`).toBe(true);
    const theirs = JSON.parse(readFileSync(probeOut, "utf8"));
    const ours = JSON.parse(JSON.stringify(await probe(lib)));
    const { math: mo, ...ro } = ours;
    const { math: mt, ...rt } = theirs;
    console.log(describeAgreement("the notebook's Deno kernel", compareJson(ro, rt), mathDifferences(mo, mt)));
    expect(agreementProblems(ours, theirs)).toEqual([]);
  });
});
