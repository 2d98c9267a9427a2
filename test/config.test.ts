import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../src/config.ts";

describe("configuration", () => {
  it("works with no variables at all (console chat)", () => {
    const c = loadConfig({});
    expect(c.telegramEnabled).toBe(false);
    expect(c.slackEnabled).toBe(false);
    expect(c.EMBEDDINGS).toBe("hashing");
    expect(c.dataDir).toMatch(/\.data$/);
  });

  it("names every bad variable", () => {
    try {
      loadConfig({ TELEGRAM_BOT_TOKEN: "nope", SLACK_PORT: "99999", REDIS_URL: "http://x", LOG_LEVEL: "loud" });
      throw new Error("should have failed");
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const message = (err as Error).message;
      for (const name of ["TELEGRAM_BOT_TOKEN", "SLACK_PORT", "REDIS_URL", "LOG_LEVEL"]) expect(message).toContain(name);
      expect(message).toContain(".env.example");
    }
  });

  it("requires the webhook secret with a webhook URL and a signing secret for Slack HTTP mode", () => {
    expect(() =>
      loadConfig({ TELEGRAM_BOT_TOKEN: "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ", TELEGRAM_WEBHOOK_URL: "https://bot.example.org/tg" }),
    ).toThrow(/TELEGRAM_WEBHOOK_SECRET is required/);
    expect(() => loadConfig({ SLACK_BOT_TOKEN: "xoxb-1" })).toThrow(/SLACK_SIGNING_SECRET is required/);
    expect(loadConfig({ SLACK_BOT_TOKEN: "xoxb-1", SLACK_APP_TOKEN: "xapp-1" }).slackEnabled).toBe(true);
  });

  it("treats empty strings as unset", () => {
    expect(loadConfig({ TELEGRAM_BOT_TOKEN: "", REDIS_URL: " " }).telegramEnabled).toBe(false);
  });
});

describe(".env file", () => {
  it("loads variables from a .env file without overriding the environment", async () => {
    const { loadDotEnv } = await import("../src/env-file.ts");
    const { mkdtempSync, writeFileSync } = await import("node:fs");
    const { join } = await import("node:path");
    const { tmpdir } = await import("node:os");
    const file = join(mkdtempSync(join(tmpdir(), "hotline-env-")), ".env");
    writeFileSync(file, "HOTLINE_TEST_A=from-file\nHOTLINE_TEST_B=from-file\n");
    process.env.HOTLINE_TEST_B = "from-env";
    expect(loadDotEnv(file)).toBe(true);
    expect(process.env.HOTLINE_TEST_A).toBe("from-file");
    expect(process.env.HOTLINE_TEST_B).toBe("from-env");
    expect(loadDotEnv(join(tmpdir(), "no-such-dir-xyz", ".env"))).toBe(false);
    delete process.env.HOTLINE_TEST_A;
    delete process.env.HOTLINE_TEST_B;
  });
});
