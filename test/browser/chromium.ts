/**
 * Headless Chromium for the tests: Debian's `chromium` (/usr/bin/chromium, or $CHROMIUM) driven by
 * playwright-core, which downloads nothing. Pages are served from a fake origin by request
 * interception (no server, no network): http://advtransfer.test/<path> is <repo>/<path>.
 */
import { existsSync, readFileSync } from "node:fs";
import { extname, join, normalize, resolve } from "node:path";
import { type Browser, type Page, chromium } from "playwright-core";

export const ROOT = resolve(__dirname, "../..");
export const ORIGIN = "http://advtransfer.test";
export const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";

/** Whether the browser tests can run here; in CI (CI set) they must. */
export function chromiumAvailable(): boolean {
  if (existsSync(CHROMIUM)) return true;
  if (process.env.CI) throw new Error(`${CHROMIUM} is missing: .ci/run installs Debian's chromium`);
  return false;
}

const TYPES: Record<string, string> = { ".js": "text/javascript", ".mjs": "text/javascript", ".html": "text/html", ".json": "application/json", ".svg": "image/svg+xml" };

export interface Session {
  readonly browser: Browser;
  readonly page: Page;
  close(): Promise<void>;
}

/**
 * Starts Chromium (headless, no sandbox, no GPU, background networking off; playwright gives each
 * launch a fresh temporary profile) on a page of the fake origin.
 */
export async function openPage(html = "<!doctype html><title>advtransfer</title>"): Promise<Session> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"],
  });
  const page = await browser.newPage();
  await page.route("**/*", async (route) => {
    const url = new URL(route.request().url());
    if (url.origin !== ORIGIN) return route.abort();
    if (url.pathname === "/") return route.fulfill({ status: 200, contentType: "text/html", body: html });
    const file = normalize(join(ROOT, decodeURIComponent(url.pathname)));
    if (!file.startsWith(ROOT) || !existsSync(file)) return route.fulfill({ status: 404, body: "not found" });
    return route.fulfill({ status: 200, contentType: TYPES[extname(file)] ?? "application/octet-stream", body: readFileSync(file) });
  });
  await page.goto(`${ORIGIN}/`);
  return {
    browser,
    page,
    close: async () => {
      await browser.close();
    },
  };
}
