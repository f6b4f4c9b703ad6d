/**
 * `npm run explore`: builds the explorer page (explorer/) into a folder of static files and serves
 * it on localhost. The folder is the whole page: index.html, explorer.css and explorer.js (the
 * library, vega and the Web Worker's code bundled in; no CDN, no server code, works offline and
 * from file://), so it can be published as it is.
 *
 * Usage: node dist/scripts/explore.js [--out DIR] [--port N] [--no-serve] [--screenshot FILE]
 *   --out DIR          where the page is written (default dist/explorer)
 *   --port N           first port to try on 127.0.0.1 (default 8040; the next free one is used)
 *   --no-serve         build only
 *   --screenshot FILE  build, load the default page in headless Chromium (/usr/bin/chromium or
 *                      $CHROMIUM), wait for the eps curve's last replicate and save a PNG
 */
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { type Server, createServer } from "node:http";
import { dirname, extname, join, normalize, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root: the nearest folder above this file whose package.json is advtransfer's. */
export function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, "package.json");
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, "utf8")) as { name?: string }).name === "advtransfer") return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error("explore: cannot find the advtransfer repository above this script");
    dir = up;
  }
}

/** What a build wrote. */
export interface ExplorerBuild {
  readonly dir: string;
  /** File name -> bytes. */
  readonly files: Readonly<Record<string, number>>;
  readonly seconds: number;
}

/**
 * Bundles the page into `outDir` (created if missing; only the page's three files are written).
 * The worker is bundled first and embedded in explorer.js as text, so the page starts its
 * workers from Blob URLs (which also works from file://).
 */
export async function buildExplorer(outDir: string): Promise<ExplorerBuild> {
  const t0 = performance.now();
  const { build } = await import("esbuild");
  const root = repoRoot();
  const common = { bundle: true, format: "iife", platform: "browser", target: "es2022", minify: true, write: false, logLevel: "silent", legalComments: "eof" } as const;
  const worker = await build({ ...common, entryPoints: [join(root, "explorer/src/worker.ts")] });
  const main = await build({
    ...common,
    entryPoints: [join(root, "explorer/src/main.ts")],
    define: { __EXPLORER_WORKER_SOURCE__: JSON.stringify(worker.outputFiles[0].text) },
  });
  const css = await build({ ...common, entryPoints: [join(root, "explorer/styles.css")], loader: { ".css": "css" } });
  mkdirSync(outDir, { recursive: true });
  const out: Record<string, string | Uint8Array> = {
    "index.html": readFileSync(join(root, "explorer/index.html")),
    "explorer.js": main.outputFiles[0].contents,
    "explorer.css": css.outputFiles[0].contents,
  };
  const files: Record<string, number> = {};
  for (const [name, content] of Object.entries(out)) {
    writeFileSync(join(outDir, name), content);
    files[name] = typeof content === "string" ? Buffer.byteLength(content) : content.byteLength;
  }
  return { dir: outDir, files, seconds: (performance.now() - t0) / 1000 };
}

const TYPES: Readonly<Record<string, string>> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".jsonl": "application/json",
  ".png": "image/png",
  ".svg": "image/svg+xml",
};

/**
 * Serves the files of `dir` on 127.0.0.1 (GET and HEAD; "/" is index.html; nothing outside `dir`),
 * on `port` or the next free one of the 20 after it (0: any free port).
 */
export async function serveStatic(dir: string, port = 8040): Promise<{ server: Server; url: string }> {
  const base = resolve(dir);
  const server = createServer((req, res) => {
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { allow: "GET, HEAD" }).end();
      return;
    }
    let path: string;
    try {
      path = decodeURIComponent(new URL(req.url ?? "/", "http://localhost").pathname);
    } catch {
      res.writeHead(400).end();
      return;
    }
    const file = normalize(join(base, path.endsWith("/") ? `${path}index.html` : path));
    const inside = relative(base, file);
    if (inside.startsWith("..") || inside.split(sep).includes("..") || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found");
      return;
    }
    const body = readFileSync(file);
    res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream", "content-length": body.byteLength, "cache-control": "no-cache" });
    res.end(req.method === "HEAD" ? undefined : body);
  });
  const tries = port === 0 ? 1 : 20;
  for (let i = 0; i < tries; i++) {
    const p = port === 0 ? 0 : port + i;
    const ok = await new Promise<boolean>((done, fail) => {
      const onError = (e: NodeJS.ErrnoException) => {
        server.off("listening", onListening);
        if (e.code === "EADDRINUSE" && i < tries - 1) done(false);
        else fail(e);
      };
      const onListening = () => {
        server.off("error", onError);
        done(true);
      };
      server.once("error", onError);
      server.once("listening", onListening);
      server.listen(p, "127.0.0.1");
    });
    if (ok) {
      const address = server.address();
      const actual = typeof address === "object" && address !== null ? address.port : p;
      return { server, url: `http://127.0.0.1:${actual}/` };
    }
  }
  throw new Error(`explore: no free port in ${port}..${port + tries - 1}`);
}

/** The Chromium the screenshot and the tests drive: $CHROMIUM or Debian's /usr/bin/chromium. */
export const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";

/** Launch options of headless Chromium: no sandbox, no GPU, no background networking, a fresh profile. */
export const CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"];

/** Loads `url` in headless Chromium, waits until the eps view has all its replicates, and saves a PNG. */
export async function screenshot(url: string, file: string): Promise<{ seconds: number }> {
  if (!existsSync(CHROMIUM)) throw new Error(`explore: ${CHROMIUM} not found (apt-get install chromium, or set CHROMIUM)`);
  const { chromium } = await import("playwright-core");
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage({ viewport: { width: 1360, height: 900 }, deviceScaleFactor: 1 });
    const t0 = performance.now();
    await page.goto(url);
    await page.waitForSelector('#view-eps[data-status="done"]', { timeout: 300_000 });
    await page.waitForTimeout(300);
    await page.screenshot({ path: file, fullPage: false });
    return { seconds: (performance.now() - t0) / 1000 };
  } finally {
    await browser.close();
  }
}

async function main(argv: readonly string[]): Promise<void> {
  const arg = (name: string) => {
    const i = argv.indexOf(name);
    if (i < 0) return undefined;
    const v = argv[i + 1];
    if (v === undefined || v.startsWith("--")) throw new Error(`explore: ${name} needs a value`);
    return v;
  };
  const known = ["--out", "--port", "--no-serve", "--screenshot"];
  for (const a of argv) if (a.startsWith("--") && !known.includes(a)) throw new Error(`explore: unknown option ${a}; options: ${known.join(", ")}`);
  const outDir = resolve(arg("--out") ?? join(repoRoot(), "dist/explorer"));
  const portText = arg("--port") ?? "8040";
  if (!/^\d+$/.test(portText) || Number(portText) > 65535) throw new Error(`explore: --port ${portText}: must be an integer in [0, 65535]`);
  const built = await buildExplorer(outDir);
  const sizes = Object.entries(built.files).map(([f, b]) => `${f} ${(b / 1024).toFixed(0)} KiB`).join(", ");
  console.log(`advtransfer explorer: built ${outDir} in ${built.seconds.toFixed(1)} s (${sizes})`);
  const shot = arg("--screenshot");
  if (argv.includes("--no-serve") && shot === undefined) return;
  const { server, url } = await serveStatic(outDir, shot === undefined ? Number(portText) : 0);
  if (shot !== undefined) {
    try {
      const { seconds } = await screenshot(url, resolve(shot));
      console.log(`advtransfer explorer: wrote ${resolve(shot)} (${seconds.toFixed(1)} s to the last replicate)`);
    } finally {
      server.close();
    }
    return;
  }
  console.log(`advtransfer explorer: ${url}  (Ctrl-C stops)`);
  process.on("SIGINT", () => {
    server.close();
    process.exit(0);
  });
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : String(e));
    process.exit(1);
  });
}
