/**
 * Vitest global setup: builds the search index (and the YAML cache) once for the whole run, in
 * a temporary data folder; `testConfig()` copies it into each test's fresh data folder instead
 * of every test file rebuilding it.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { createAssistant } from "../src/app.ts";
import { loadConfig } from "../src/config.ts";

declare module "vitest" {
  export interface ProvidedContext {
    prebuiltDataDir: string;
  }
}

export default async function setup(project: TestProject): Promise<() => void> {
  const dataDir = mkdtempSync(join(tmpdir(), "hotline-test-index-"));
  await createAssistant(loadConfig({ LOG_LEVEL: "silent", DATA_DIR: dataDir }));
  project.provide("prebuiltDataDir", dataDir);
  return () => rmSync(dataDir, { recursive: true, force: true });
}
