#!/usr/bin/env node
// The `hotline` command. Runs the compiled CLI (dist/src/cli/main.js); compiles first only when
// a source file changed since the last build (`npm run hotline:dev` runs the sources through tsx).
import { existsSync } from "node:fs";
import { build } from "./build-if-stale.js";

const entry = new URL("../dist/src/cli/main.js", import.meta.url);
if (build() !== 0) {
  process.stderr.write("hotline: the TypeScript build failed (see above)\n");
  if (!existsSync(entry)) process.exit(1);
}
const { runCli } = await import(entry.href);
const code = await runCli(process.argv);
if (code !== 0) process.exit(code);
