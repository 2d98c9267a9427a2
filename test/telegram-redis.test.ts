/**
 * Telegram sessions on Redis: two bot instances share a person's language choice, the rate
 * limiter counts on Redis, and /forget removes the keys. Skipped unless REDIS_TEST_URL is set
 * (CI starts a redis-server and sets it).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAssistant } from "../src/app.ts";
import type { Assistant } from "../src/assistant.ts";
import { loadConfig } from "../src/config.ts";
import { setLogger } from "../src/logger.ts";
import { RedisStore } from "../src/store/redis-store.ts";
import { TelegramHarness } from "./helpers/fake-telegram.ts";

const url = process.env.REDIS_TEST_URL;

describe.skipIf(!url)("Telegram sessions on Redis", () => {
  let dataDir: string;
  let assistant: Assistant;
  let store: RedisStore;
  const prefix = `hotline-test-${process.pid}-${Date.now()}:`;

  beforeAll(async () => {
    setLogger(pino({ level: "silent" }));
    dataDir = mkdtempSync(join(tmpdir(), "tg-redis-"));
    assistant = await createAssistant(loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: "silent" }));
    store = new RedisStore(url!, prefix);
  }, 60_000);

  afterAll(async () => {
    await store.deletePrefix("");
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("shares the language choice between instances and /forget deletes it", async () => {
    const a = await TelegramHarness.start({ core: assistant, store, bot: { redis: store.redis } });
    const b = await TelegramHarness.start({ core: assistant, store, bot: { redis: store.redis } });
    try {
      await a.deliver(a.updates.callback(401, "lang:ky"));
      expect(await store.get("tg:u:401:session")).toEqual({ locale: "ky" });

      await b.deliver(b.updates.text(401, "/help"));
      expect(b.texts(401).at(-1)).toContain("/hotline — жардам телефондору");

      await b.deliver(b.updates.text(401, "/forget"));
      expect(b.texts(401).at(-1)).toContain("өчүрдүм");
      expect(await store.get("tg:u:401:session")).toBeUndefined();
      expect(await store.redis.keys(`${prefix}tg:u:401:*`)).toEqual([]);

      await a.deliver(a.updates.text(401, "/help"));
      expect(a.texts(401).at(-1)).toContain("/hotline — phone numbers");
    } finally {
      await a.stop();
      await b.stop();
    }
  });
});
