/**
 * The browser bundle (dist/browser/advtransfer.js, esbuild, `npm run build:browser`) in headless
 * Chromium: a page imports it, runs the cross-runtime probe (a seeded sweep with a baseline, a
 * bound-checked run, a two-layer run, a figure spec) and renders a figure to SVG; the numbers
 * agree with Node's for the same seed (test/crossRuntime.ts says how exactly), and the bundle uses
 * no Node API.
 */
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as lib from "../../dist/src/index.js";
import { agreementProblems, compareJson, describeAgreement, mathDifferences } from "../crossRuntime.js";
// @ts-expect-error: a plain .mjs fixture without types
import { probe } from "../fixtures/crossRuntimeProbe.mjs";
import { ORIGIN, ROOT, type Session, chromiumAvailable, openPage } from "./chromium.js";

const available = chromiumAvailable();
let session: Session;

beforeAll(async () => {
  if (available) session = await openPage();
}, 60_000);
afterAll(async () => {
  await session?.close();
});

describe.skipIf(!available)("the browser bundle in headless Chromium", () => {
  it("holds no Node API: no node: import, no require, no process or Buffer", () => {
    const dir = join(ROOT, "dist/browser");
    const files = [join(dir, "advtransfer.js"), ...readdirSync(join(dir, "chunks")).map((f) => join(dir, "chunks", f))];
    for (const f of files) {
      const text = readFileSync(f, "utf8");
      expect(text, f).not.toMatch(/from\s*["']node:|import\(\s*["']node:|\brequire\(\s*["'](?:fs|path|os|worker_threads|child_process)["']/);
      expect(text, f).not.toMatch(/\bprocess\.(?:env|argv|exit|stdout)|\bBuffer\.from\(/);
    }
  });

  it("runs the probe with the numbers of Node for the same seed", async () => {
    const theirs = JSON.parse(await session.page.evaluate<string>(`import("${ORIGIN}/test/browser/page.mjs").then((m) => m.probeInPage())`));
    const ours = JSON.parse(JSON.stringify(await probe(lib)));
    const { math: mo, ...ro } = ours;
    const { math: mt, ...rt } = theirs;
    console.log(describeAgreement(`Chromium ${session.browser.version()}`, compareJson(ro, rt), mathDifferences(mo, mt)));
    expect(agreementProblems(ours, theirs)).toEqual([]);
    expect(theirs.configHash).toBe(ours.configHash);
  });

  it("renders a sweep's figure to SVG in the page (vega loaded on demand) and reports bad input as a ConfigError", async () => {
    const res = await session.page.evaluate<{ svg: string; error: string }>(`import("${ORIGIN}/test/browser/page.mjs").then((m) => m.figureAndError())`);
    expect(res.svg.startsWith("<svg")).toBe(true);
    expect(res.svg).toContain("sinTheta");
    expect(res.error).toMatch(/^ConfigError: scenario\.r = 30: must be an integer in \[1, s = 20\]/);
  });
});
