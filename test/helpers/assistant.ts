/** Builds the real assistant for tests, with its index in a fresh temporary data folder. */
import { cpSync, existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inject } from "vitest";
import { loadConfig, type Config } from "../../src/config.ts";
import { createAssistant } from "../../src/app.ts";
import type { Assistant } from "../../src/assistant.ts";

/** A fresh data folder; with `index` (the default) it starts with the index built once by test/global-setup.ts. */
export function testDataDir(options: { index?: boolean } = {}): string {
  const dataDir = mkdtempSync(join(tmpdir(), "hotline-test-"));
  const prebuilt = options.index === false ? undefined : inject("prebuiltDataDir");
  if (prebuilt) {
    for (const part of ["index", "yaml-cache"]) {
      if (existsSync(join(prebuilt, part))) cpSync(join(prebuilt, part), join(dataDir, part), { recursive: true });
    }
  }
  return dataDir;
}

export function testConfig(overrides: Record<string, string> = {}, options: { index?: boolean } = {}): Config {
  return loadConfig({ LOG_LEVEL: "silent", DATA_DIR: testDataDir(options), ...overrides });
}

let shared: Promise<Assistant> | undefined;
/** One assistant per test worker (files in a worker share modules: vitest `isolate: false`); tests must not change it. */
export function testAssistant(): Promise<Assistant> {
  shared ??= createAssistant(testConfig());
  return shared;
}
