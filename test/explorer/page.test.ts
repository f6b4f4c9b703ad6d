/**
 * The built explorer page (`npm run explore`'s static files) in headless Chromium (the harness of
 * test/browser/chromium.ts): the default page's timings (first full eps curve, and with
 * EXPLORER_TIMING=1 all 200 replicates per point); changing s, the eps grid and eps redraws the
 * curves with the numbers of the library's runSweep in the same browser for the config "copy as
 * config" gives, bit for bit, and those of `advtransfer sweep` in Node up to the last bits of Math
 * (Node 20's V8 rounds Math.exp, Math.log, ... differently from Chromium's); an invalid value shows the CLI's one-line message beside its control and
 * leaves no curve; the page's address (the permalink) reloads the same state and numbers; a
 * screenshot is not blank; the CLI's summary.json, loaded into the page, is drawn with its numbers.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inflateSync } from "node:zlib";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Server } from "node:http";
import { buildExplorer, serveStatic } from "../../scripts/explore.js";
import { ORIGIN, ROOT, type Session, chromiumAvailable, openPage } from "../browser/chromium.js";
import { compareJson } from "../crossRuntime.js";

const available = chromiumAvailable();
const CLI = join(ROOT, "dist/src/cli/main.js");
let session: Session;
let server: Server | undefined;
let PAGE: string;
let tmp: string;

beforeAll(async () => {
  if (!available) return;
  // The page as `npm run explore` builds and serves it (a static server on 127.0.0.1).
  const dir = join(ROOT, "dist/explorer");
  await buildExplorer(dir);
  const served = await serveStatic(dir, 0);
  server = served.server;
  PAGE = served.url;
  session = await openPage();
  tmp = mkdtempSync(join(tmpdir(), "advtransfer-explorer-"));
}, 60_000);
afterAll(async () => {
  await session?.close();
  server?.close();
  if (tmp !== undefined) rmSync(tmp, { recursive: true, force: true });
});

interface Row {
  cell: number;
  point: Record<string, unknown>;
  method: string;
  metric: string;
  replicates: number;
  n: number;
  mean: number;
  se: number | null;
}

async function attr(page: Page, selector: string, name: string): Promise<string | null> {
  return page.$eval(selector, (e, n) => e.getAttribute(n), name);
}

/** Waits until the eps view has finished a run other than the one of `previousHash`, with R replicates per point. */
async function waitDone(page: Page, R: number, previousHash: string | null, timeout = 60_000): Promise<void> {
  // Page-side code as strings: the test's TypeScript has no DOM types.
  await page.waitForFunction(
    `(() => { const v = document.getElementById("view-eps"); return v !== null && v.dataset.status === "done" && v.dataset.replicates === ${JSON.stringify(String(R))} && v.dataset.configHash !== ${JSON.stringify(previousHash)} && v.querySelector(".figure svg") !== null; })()`,
    undefined,
    // Polled every 200 ms, not at every animation frame: per-frame polling keeps the page's thread
    // and the compositor busy, CPU the two workers then lack (the page records its own timings).
    { timeout, polling: 200 },
  ).catch(async (e: unknown) => {
    const d = await page.evaluate<unknown>(`(() => { const v = document.getElementById("view-eps"); return { ...v.dataset, rows: undefined, text: v.querySelector(".status")?.textContent }; })()`);
    const errors = await page.$$eval(".error", (es) => es.map((x) => x.textContent).filter((t) => t));
    throw new Error(`${e instanceof Error ? e.message : String(e)}; the eps view: ${JSON.stringify(d)}; errors: ${JSON.stringify(errors)}`);
  });
}

/** Types `value` into a control (as a visitor does: the input event, then the change event on leaving it). */
async function setControl(page: Page, id: string, value: string): Promise<void> {
  await page.fill(`#ctl-${id}`, value);
  await page.press(`#ctl-${id}`, "Tab");
}

async function rows(page: Page): Promise<Row[]> {
  return JSON.parse((await attr(page, "#view-eps", "data-rows")) ?? "[]") as Row[];
}

/** The sweep config the "Copy as config" dialog shows. */
async function copiedConfig(page: Page): Promise<Record<string, unknown>> {
  await page.click("#copy-config");
  const text = await page.inputValue("#config-json");
  await page.click("#config-close");
  return JSON.parse(text) as Record<string, unknown>;
}

/** `advtransfer sweep --config FILE` in Node: the summary rows, or the one-line error. */
function cliSweep(config: object, name: string): { rows: Row[] } | { error: string } {
  const file = join(tmp, `${name}.json`);
  writeFileSync(file, JSON.stringify(config));
  const out = join(tmp, name);
  const res = spawnSync(process.execPath, [CLI, "sweep", "--config", file, "--out", out, "--workers", "2"], { encoding: "utf8" });
  if (res.status !== 0) return { error: res.stderr.trim() };
  return { rows: (JSON.parse(readFileSync(join(out, "summary.json"), "utf8")) as { rows: Row[] }).rows };
}

/** Pixels (RGBA) of an 8-bit RGB or RGBA, non-interlaced PNG (what Chromium's screenshots are). */
function decodePng(png: Buffer): { width: number; height: number; rgba: Uint8Array } {
  let pos = 8;
  let width = 0;
  let height = 0;
  let colorType = 0;
  const idat: Buffer[] = [];
  while (pos < png.length) {
    const len = png.readUInt32BE(pos);
    const type = png.toString("latin1", pos + 4, pos + 8);
    const data = png.subarray(pos + 8, pos + 8 + len);
    if (type === "IHDR") {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      if (data[8] !== 8 || data[12] !== 0) throw new Error("decodePng: only 8-bit, non-interlaced PNGs");
      colorType = data[9];
    } else if (type === "IDAT") idat.push(data);
    pos += 12 + len;
  }
  const bpp = colorType === 6 ? 4 : colorType === 2 ? 3 : 0;
  if (bpp === 0) throw new Error(`decodePng: colour type ${colorType}`);
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * bpp;
  const px = new Uint8Array(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let x = 0; x < stride; x++) {
      const a = x >= bpp ? px[y * stride + x - bpp] : 0;
      const b = y > 0 ? px[(y - 1) * stride + x] : 0;
      const c = x >= bpp && y > 0 ? px[(y - 1) * stride + x - bpp] : 0;
      const p = a + b - c;
      const pa = Math.abs(p - a);
      const pb = Math.abs(p - b);
      const pc = Math.abs(p - c);
      const predictor = [0, a, b, (a + b) >> 1, pa <= pb && pa <= pc ? a : pb <= pc ? b : c][filter];
      px[y * stride + x] = (line[x] + predictor) & 255;
    }
  }
  const rgba = new Uint8Array(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    rgba.set(px.subarray(i * bpp, i * bpp + 3), i * 4);
    rgba[i * 4 + 3] = bpp === 4 ? px[i * 4 + 3] : 255;
  }
  return { width, height, rgba };
}

describe.skipIf(!available)("the explorer page in headless Chromium", () => {
  it("draws the default eps curve (13 radii x 5 methods): time to the first full curve and to 200 replicates", async () => {
    const page = await session.browser.newPage({ viewport: { width: 1360, height: 900 } });
    // Everything is bundled: the page asks nothing of any other origin (no CDN; works offline).
    const elsewhere: string[] = [];
    page.on("request", (r) => {
      const url = r.url();
      if (!url.startsWith(PAGE) && !url.startsWith("blob:") && !url.startsWith("data:")) elsewhere.push(url);
    });
    try {
      const t0 = Date.now();
      await page.goto(PAGE);
      // data-cells follows at the next draw.
      await page.waitForFunction(`document.getElementById("view-eps")?.dataset.firstFullMs !== undefined && document.getElementById("view-eps")?.dataset.cells === "13"`, undefined, { timeout: 60_000, polling: 200 });
      const firstMs = Number(await attr(page, "#view-eps", "data-first-full-ms"));
      const cells = await attr(page, "#view-eps", "data-cells");
      const stats = await page.evaluate<{ workers: number; msPerMethodReplicate: number | null }>("window.explorerStats()");
      expect(cells).toBe("13");
      expect(elsewhere).toEqual([]);
      const first = await rows(page);
      expect(new Set(first.map((r) => r.method))).toEqual(new Set(["standard", "linf", "l2", "ssl", "ssl+linf"]));
      let line = `explorer timing (Chromium ${session.browser.version()}, ${stats.workers} workers): first full eps curve (13 radii x 5 methods) ${(firstMs / 1000).toFixed(2)} s after start (${((Date.now() - t0) / 1000).toFixed(1)} s with the page load)`;
      if (process.env.EXPLORER_TIMING === "1") {
        await waitDone(page, 200, null, 600_000);
        line += `; 200 replicates per point ${(Number(await attr(page, "#view-eps", "data-done-ms")) / 1000).toFixed(1)} s (${await attr(page, "#view-eps", "data-renders")} redraws taking ${(Number(await attr(page, "#view-eps", "data-render-ms")) / 1000).toFixed(1)} s of the page's thread)`;
      }
      const after = await page.evaluate<{ msPerMethodReplicate: number | null }>("window.explorerStats()");
      console.log(`${line}; ${after.msPerMethodReplicate?.toFixed(2)} ms of worker time per method replicate`);
    } finally {
      await page.close();
    }
  }, 660_000);

  it("redraws after s, the eps grid and eps change with the library's numbers for the copied config (runSweep in the browser bit for bit, `advtransfer sweep` in Node to the last bits); an invalid value shows the CLI's line and no curve; the permalink reloads the state; a CLI summary loads", async () => {
    const page = await session.browser.newPage({ viewport: { width: 1360, height: 900 } });
    try {
      await page.goto(`${PAGE}#d=100&s=10&T=10&n=30&m=200&R=16&seed=7&grid=0,0.1,0.2,0.3&eps=0.1`);
      await waitDone(page, 16, null);
      const before = await attr(page, "#view-eps", "data-config-hash");
      await setControl(page, "scenario-s", "20");
      await setControl(page, "epsGrid", "0, 0.05, 0.2, 0.3");
      await setControl(page, "eps", "0.2");
      await waitDone(page, 16, before);
      const plotted = await rows(page);
      expect(plotted.length).toBe(4 * 5 * 2);
      expect(await page.textContent("#view-eps .verdict")).toMatch(/^At eps = 0\.2 \(16 replicates\)/);

      // The copied config is the sweep the page drew (checked against the controls by hand), and
      // the CLI runs it to the page's numbers.
      const config = await copiedConfig(page);
      expect(config).toMatchObject({
        family: "mixture",
        replicates: 16,
        seed: 7,
        sampler: "exact",
        scenario: { d: 100, s: 20, r: 4, T: 10, n: 30, m: 200, n0: 20, sigma: 1, snr: 1.5, target: "random" },
        methods: [{ label: "standard" }, { label: "linf", attack: "linf" }, { label: "l2", attack: "l2" }, { label: "ssl", ssl: {} }, { label: "ssl+linf", attack: "linf", ssl: {} }],
        sweep: [{ values: [0, 0.05, 0.2, 0.3], name: "eps" }],
      });
      const pick = (r: Row) => ({ cell: r.cell, method: r.method, metric: r.metric, replicates: r.replicates, n: r.n, mean: r.mean, se: r.se });
      const key = (r: { cell: number; method: string; metric: string }) => `${r.cell} ${r.method} ${r.metric}`;
      const sort = <T extends { cell: number; method: string; metric: string }>(a: T[]) => [...a].sort((x, y) => key(x).localeCompare(key(y)));
      const got = sort(plotted.map(pick));
      const curves = (all: Row[]) => sort(all.filter((r) => r.metric === "sinTheta" || r.metric === "targetExcess").map(pick));

      // The library's own runSweep in the same browser (the bundle, one thread, in one go): the
      // page's workers, method cache and replicate stages give its numbers bit for bit (toEqual
      // compares numbers with Object.is).
      // (A string, so that vitest leaves the page's dynamic import alone.)
      const library = JSON.parse(
        await session.page.evaluate<string>(`import("${ORIGIN}/dist/browser/advtransfer.js").then(async (lib) => JSON.stringify((await lib.runSweep(${JSON.stringify(config)})).rows))`),
      ) as Row[];
      expect(got).toEqual(curves(library));

      // `advtransfer sweep` in Node on the copied config: the same cells, methods, replicate and
      // sample counts; the numbers bit for bit where Node's Math functions round as Chromium's,
      // and otherwise within the last bits (README, "The same numbers everywhere, up to the last
      // bits of Math"; the same 1e-10 relative bound the bundle's test uses).
      const cli = cliSweep(config, "good");
      if ("error" in cli) throw new Error(cli.error);
      const node = curves(cli.rows);
      const agreement = compareJson(node, got);
      console.log(
        `explorer page (Chromium ${session.browser.version()}) vs advtransfer sweep (Node ${process.versions.node}): ${agreement.differing} of ${agreement.numbers} numbers differ, by at most ${agreement.maxUlps} ulp (${agreement.maxRelative.toExponential(2)} relative); vs the library in the same browser: all bit for bit equal`,
      );
      expect(agreement.structural).toEqual([]);
      expect(agreement.maxRelative).toBeLessThan(1e-10);

      // The permalink: a new page at this address shows the same controls and the same numbers.
      const permalink = page.url();
      // s = 20 is the default: the address leaves it out.
      expect(permalink).toMatch(/#d=100&.*eps=0\.2/);
      const again = await session.browser.newPage({ viewport: { width: 1360, height: 900 } });
      try {
        await again.goto(permalink);
        await waitDone(again, 16, null);
        for (const [id, value] of [["scenario-s", "20"], ["epsGrid", "0, 0.05, 0.2, 0.3"], ["eps", "0.2"], ["scenario-d", "100"], ["seed", "7"]]) {
          expect(await again.inputValue(`#ctl-${id}`), id).toBe(value);
        }
        expect(await rows(again)).toEqual(plotted);
      } finally {
        await again.close();
      }

      // An invalid value: the CLI's one-line message beside the control, nothing computed, no curve.
      await setControl(page, "scenario-s", "600");
      await page.waitForFunction(`document.getElementById("view-eps")?.dataset.status === "invalid"`);
      const shown = (await page.textContent("#error-scenario-s"))?.trim() ?? "";
      const bad = cliSweep({ ...config, scenario: { ...(config.scenario as object), s: 600 } }, "bad");
      expect("error" in bad).toBe(true);
      const cliLine = (bad as { error: string }).error;
      expect(cliLine.split("\n")).toHaveLength(1);
      expect(cliLine).toBe(`advtransfer: ${shown}`);
      expect(shown).toMatch(/scenario\.s = 600/);
      expect(await rows(page)).toEqual([]);
      expect(await page.$$("#view-eps .figure svg")).toHaveLength(0);
      expect(await attr(page, "#view-eps", "data-status")).toBe("invalid");

      // Back to a valid value: the curve returns (from the cache), and a screenshot is not blank.
      await setControl(page, "scenario-s", "20");
      await waitDone(page, 16, null);
      const png = await page.screenshot();
      const { width, height, rgba } = decodePng(png);
      expect(width).toBe(1360);
      const colours = new Map<number, number>();
      for (let i = 0; i < width * height; i++) {
        const c = (rgba[4 * i] << 16) | (rgba[4 * i + 1] << 8) | rgba[4 * i + 2];
        colours.set(c, (colours.get(c) ?? 0) + 1);
      }
      const background = Math.max(...colours.values());
      // Text, axes and five coloured curves: many colours, and a good part of the page not background.
      expect(colours.size).toBeGreaterThan(100);
      expect(1 - background / (width * height)).toBeGreaterThan(0.05);

      // The CLI sweep's summary.json, loaded into the page, is drawn with its own numbers.
      await page.setInputFiles("#load-file", join(tmp, "good", "summary.json"));
      await page.waitForFunction(`document.getElementById("view-loaded")?.dataset.status === "done" && document.querySelector("#view-loaded .figure svg") !== null`);
      const loadedRows = JSON.parse((await attr(page, "#view-loaded", "data-rows")) ?? "[]") as Row[];
      expect(sort(loadedRows.map(pick))).toEqual(node);
    } finally {
      await page.close();
    }
  }, 120_000);
});
