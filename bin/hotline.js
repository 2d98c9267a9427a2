#!/usr/bin/env node
// The `hotline` command. Runs the TypeScript CLI (src/cli/main.ts) through tsx: no build step.
import { register } from "tsx/esm/api";

register();
const { runCli } = await import("../src/cli/main.ts");
await runCli(process.argv);
