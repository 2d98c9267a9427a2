#!/usr/bin/env node
// Compiles the TypeScript into dist/ only when a source file changed since the last build.
// `node bin/build-if-stale.js` (npm start, the hotline bin) or `--force` (npm run build, prepare).
// A checkout without src/ (an installed package with dist/ only) is never rebuilt.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, rmdirSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const stamp = join(root, "dist", ".build-stamp");
const lock = join(root, "dist", ".build-lock");
const SOURCE_DIRS = ["src", "adapters", "bench"];
const SOURCE_FILES = ["tsconfig.json", "tsconfig.build.json", "package.json"];

function newestSource() {
  let newest = 0;
  const visit = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) visit(path);
      else if (entry.name.endsWith(".ts")) newest = Math.max(newest, statSync(path).mtimeMs);
    }
  };
  for (const d of SOURCE_DIRS) if (existsSync(join(root, d))) visit(join(root, d));
  for (const f of SOURCE_FILES) if (existsSync(join(root, f))) newest = Math.max(newest, statSync(join(root, f)).mtimeMs);
  return newest;
}

/** True when dist/ is older than a source file (or missing). */
export function isStale() {
  if (!existsSync(join(root, "src"))) return false;
  if (!existsSync(stamp)) return true;
  return newestSource() > statSync(stamp).mtimeMs;
}

const sleep = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/** Runs tsc (incremental) when needed; several processes at once build only once. Returns tsc's status. */
export function build({ force = false } = {}) {
  if (!force && !isStale()) return 0;
  mkdirSync(join(root, "dist"), { recursive: true });
  const started = Date.now();
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // Another process is building: wait for it, then use its result (a lock older than 2 min is stale).
      if (Date.now() - started > 120_000) break;
      sleep(100);
      if (!existsSync(lock)) return force ? build({ force: false }) : isStale() ? build() : 0;
    }
  }
  try {
    const began = Date.now();
    const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
    process.stderr.write("hotline: compiling TypeScript to dist/ (sources changed) ...\n");
    const r = spawnSync(process.execPath, [tsc, "-p", join(root, "tsconfig.build.json")], { stdio: ["ignore", "inherit", "inherit"] });
    if (r.status === 0) {
      // The stamp carries the time the build began: a file saved during the build counts as newer.
      writeFileSync(stamp, `${new Date(began).toISOString()}\n`);
      utimesSync(stamp, began / 1000, began / 1000);
      process.stderr.write(`hotline: compiled in ${((Date.now() - began) / 1000).toFixed(1)} s\n`);
    }
    return r.status ?? 1;
  } finally {
    try {
      rmdirSync(lock);
    } catch {}
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const status = build({ force: process.argv.includes("--force") });
  process.exit(status);
}
