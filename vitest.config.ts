import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/global-setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    // Test files in one worker share the module cache (the source tree and LangChain are imported
    // once per worker instead of once per file: npm test ≈ 30 s instead of ≈ 45 s). Every file
    // builds its own bots, stores and data folders, so nothing leaks that a test relies on.
    isolate: false,
    maxWorkers: 2,
    env: { LOG_LEVEL: "silent" },
  },
});
