/**
 * The package as users get it. `npm pack` of the build (the suite builds first; pack's own
 * `prepare` build is skipped here, --ignore-scripts) installed into an empty project: the README's
 * library example under Node and Deno, the CLI with a worker thread, the browser bundle by its
 * export. Installing from a git URL (npm clones, installs the dev dependencies and runs `prepare`,
 * which builds) is the slow variant: ADVTRANSFER_GIT_INSTALL=1 runs it (a few minutes).
 */
import { execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";

const ROOT = resolve(__dirname, "../..");
const NPM = process.platform === "win32" ? "npm.cmd" : "npm";
const DENO = join(ROOT, "node_modules", "deno", "bin.cjs");
const nodeOutput = () => spawnSync(process.execPath, ["examples/library.mjs"], { cwd: ROOT, encoding: "utf8" }).stdout;

/** An empty ESM project with `spec` installed (offline where npm's cache allows). */
function projectWith(spec: string): string {
  const dir = mkdtempSync(join(tmpdir(), "advtransfer-install-"));
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "user-project", private: true, type: "module" }));
  execFileSync(NPM, ["install", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error", spec], { cwd: dir, stdio: "pipe" });
  copyFileSync(join(ROOT, "examples", "library.mjs"), join(dir, "library.mjs"));
  return dir;
}

function checkProject(dir: string): void {
  const node = spawnSync(process.execPath, ["library.mjs"], { cwd: dir, encoding: "utf8" });
  expect(node.stderr).toBe("");
  expect(node.stdout).toBe(nodeOutput());
  const deno = spawnSync(process.execPath, [DENO, "run", "library.mjs"], { cwd: dir, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
  expect(deno.stderr).toBe("");
  expect(deno.stdout).toBe(nodeOutput());
}

describe("npm pack", () => {
  let tarball: string;
  let listing: string[];
  beforeAll(() => {
    if (!existsSync(join(ROOT, "dist/browser/advtransfer.js"))) throw new Error("dist/browser is missing: npm run build");
    const dest = mkdtempSync(join(tmpdir(), "advtransfer-pack-"));
    const out = JSON.parse(execFileSync(NPM, ["pack", "--ignore-scripts", "--json", "--pack-destination", dest], { cwd: ROOT, encoding: "utf8" }));
    tarball = join(dest, out[0].filename);
    listing = out[0].files.map((f: { path: string }) => f.path);
  }, 120_000);

  it("holds the compiled library, its types, the CLI and the browser bundle, and nothing else", () => {
    for (const f of ["package.json", "README.md", "dist/src/index.js", "dist/src/index.d.ts", "dist/src/cli/main.js", "dist/src/runtime/worker.js", "dist/browser/advtransfer.js"]) expect(listing).toContain(f);
    expect(listing.some((f) => f.startsWith("dist/browser/chunks/renderSvg-"))).toBe(true);
    expect(listing.filter((f) => !/^(dist\/src\/|dist\/browser\/|package\.json$|README\.md$|LICENSE)/.test(f))).toEqual([]);
    expect(listing.filter((f) => f.endsWith(".map") || f.includes("/test/") || f.startsWith("src/"))).toEqual([]);
  });

  it("installs into an empty project: the README example under Node and Deno, the CLI with a worker, the bundle by its export", () => {
    const dir = projectWith(tarball);
    checkProject(dir);
    const cli = spawnSync(process.execPath, ["node_modules/.bin/advtransfer", "run", "--replicates", "4", "--workers", "1", "--progress", "off", "--json"], { cwd: dir, encoding: "utf8" });
    expect(cli.status, cli.stderr).toBe(0);
    expect(JSON.parse(cli.stdout).summary.length).toBeGreaterThan(0);
    const bad = spawnSync(process.execPath, ["node_modules/.bin/advtransfer", "run", "--scenario.r", "30"], { cwd: dir, encoding: "utf8" });
    expect([bad.status, bad.stderr.trim()]).toEqual([2, "advtransfer: invalid config: scenario.r = 30: must be an integer in [1, s = 20]"]);
    const bundle = spawnSync(process.execPath, ["--input-type=module", "-e", 'import { run } from "advtransfer/browser"; console.log((await run({ replicates: 3, seed: 7 })).summary.length)'], { cwd: dir, encoding: "utf8" });
    expect(bundle.status, bundle.stderr).toBe(0);
    expect(Number(bundle.stdout)).toBeGreaterThan(0);
    expect(readdirSync(join(dir, "node_modules", "advtransfer", "dist"))).toEqual(["browser", "src"]);
  }, 180_000);
});

describe.skipIf(!process.env.ADVTRANSFER_GIT_INSTALL)("npm install <git URL>", () => {
  it("clones, builds through prepare and installs a working package", () => {
    const url = `git+file://${ROOT}`;
    const dir = projectWith(url);
    expect(readdirSync(join(dir, "node_modules", "advtransfer", "dist"))).toEqual(["browser", "src"]);
    checkProject(dir);
  }, 600_000);
});
