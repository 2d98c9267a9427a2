/** Builds the real assistant for tests, with its index in a fresh temporary data folder. */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig, type Config } from "../../src/config.ts";
import { createAssistant } from "../../src/app.ts";
import type { Assistant } from "../../src/assistant.ts";

export function testConfig(overrides: Record<string, string> = {}): Config {
  const dataDir = mkdtempSync(join(tmpdir(), "hotline-test-"));
  return loadConfig({ LOG_LEVEL: "silent", DATA_DIR: dataDir, ...overrides });
}

let shared: Promise<Assistant> | undefined;
/** One assistant per test file (module state is per file in vitest). */
export function testAssistant(): Promise<Assistant> {
  shared ??= createAssistant(testConfig());
  return shared;
}
