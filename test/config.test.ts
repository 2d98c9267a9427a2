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
