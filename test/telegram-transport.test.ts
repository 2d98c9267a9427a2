/**
 * Telegram adapter, transport: webhook secret verification, auto-retry on 429 and 5xx, errors
 * that never stop the bot, the rate-limit notice, and a graceful stop that finishes in-flight
 * updates.
 */
import { rmSync } from "node:fs";
import { pino } from "pino";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { createBot } from "../adapters/telegram/bot.ts";
import type { BotCore } from "../adapters/telegram/context.ts";
import { startWebhook, type WebhookServer } from "../adapters/telegram/webhook.ts";
import { createAssistant } from "../src/app.ts";
import type { Assistant } from "../src/assistant.ts";
import { loadConfig } from "../src/config.ts";
import { setLogger } from "../src/logger.ts";
import { MemoryStore } from "../src/store/kv.ts";
import { loadContacts } from "../src/triage/contacts.ts";
import { testDataDir } from "./helpers/assistant.ts";
import { BOT_INFO, FakeTelegram, TOKEN, TelegramHarness, Updates } from "./helpers/fake-telegram.ts";

let dataDir: string;
let assistant: Assistant;
let h: TelegramHarness | undefined;

beforeAll(async () => {
  setLogger(pino({ level: "silent" }));
  dataDir = testDataDir();
  assistant = await createAssistant(loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: "silent" }));
}, 60_000);

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

describe("Telegram webhook", () => {
  let fake: FakeTelegram;
  let webhook: WebhookServer;
  const secret = "s3cret_for-tests";

  async function post(body: unknown, headers: Record<string, string>): Promise<number> {
    const res = await fetch(`http://127.0.0.1:${webhook.port}/`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });
    await res.text();
    return res.status;
  }

  it("rejects a wrong or missing secret with 401 and ignores the update; handles the right one once", async () => {
    fake = await FakeTelegram.start();
    const store = new MemoryStore();
    const bot = createBot({ core: assistant, store, caseSecret: "test-case-secret-0123456789", contacts: loadContacts() }, { token: TOKEN, apiRoot: fake.apiRoot, botInfo: BOT_INFO });
    webhook = await startWebhook(bot, { secret, port: 0, host: "127.0.0.1", url: "https://example.org/telegram", store });
    expect(fake.callsOf("setWebhook")[0]?.payload).toMatchObject({ url: "https://example.org/telegram", secret_token: secret });

    const u = new Updates();
    const update = u.text(301, "/help");
    expect(await post(update, {})).toBe(401);
    expect(await post(update, { "X-Telegram-Bot-Api-Secret-Token": "wrong" })).toBe(401);
    expect(await post(update, { "X-Telegram-Bot-Api-Secret-Token": `${secret}x` })).toBe(401);
    expect(fake.sentTo(301)).toHaveLength(0);

    expect(await post(update, { "X-Telegram-Bot-Api-Secret-Token": secret })).toBe(200);
    expect(fake.sentTo(301)).toHaveLength(1);
    // Telegram retrying the same update (another instance, a timeout) does not answer twice.
    expect(await post(update, { "X-Telegram-Bot-Api-Secret-Token": secret })).toBe(200);
    expect(fake.sentTo(301)).toHaveLength(1);

    await webhook.stop();
    await fake.close();
  });
});

/**
 * Runs `work` with fake setTimeout/clearTimeout, moving the clock on while it waits, so the
 * auto-retry pauses (1 s after a 429 with retry_after 1, 3 s after a 500) take no real time.
 * setImmediate stays real: the fake Bot API's sockets still get their turns.
 */
async function withFastRetryWaits(work: () => Promise<void>): Promise<void> {
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
  try {
    let done = false;
    const running = work().finally(() => {
      done = true;
    });
    while (!done) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      await vi.advanceTimersByTimeAsync(50);
    }
    await running;
  } finally {
    vi.useRealTimers();
  }
}

describe("Telegram API failures", () => {
  it("retries after a 429 with retry_after, then succeeds", async () => {
    h = await TelegramHarness.start({ core: assistant });
    h.fake.fail("sendMessage", 429, { ok: false, error_code: 429, description: "Too Many Requests: retry after 1", parameters: { retry_after: 1 } });
    const started = Date.now();
    await withFastRetryWaits(() => h!.deliver(h!.updates.text(302, "/help")));
    expect(Date.now() - started).toBeLessThan(1000); // the 1 s wait passed on the fake clock
    const attempts = h.fake.sentTo(302);
    expect(attempts).toHaveLength(2);
    expect(attempts[0]!.payload.text).toBe(attempts[1]!.payload.text);
  });

  it("retries after a 500, then succeeds", async () => {
    h = await TelegramHarness.start({ core: assistant });
    h.fake.fail("sendMessage", 500, { ok: false, error_code: 500, description: "Internal Server Error" });
    await withFastRetryWaits(() => h!.deliver(h!.updates.text(303, "/hotline")));
    expect(h.fake.sentTo(303)).toHaveLength(2);
    expect(String(h.fake.sentTo(303)[1]!.payload.text)).toContain("116 16");
  }, 20_000);

  it("logs an update that keeps failing and goes on with the next ones", async () => {
    h = await TelegramHarness.start({ core: assistant, bot: { maxRetryAttempts: 0 } });
    h.fake.fail("sendMessage", 400, { ok: false, error_code: 400, description: "Bad Request: chat not found" }, 1);
    await h.deliver(h.updates.text(304, "/help"));
    await h.deliver(h.updates.text(304, "/hotline"));
    const texts = h.texts(304);
    // The /hotline reply goes out although /help failed. Polling tries the failed /help again
    // after 1 s, and the /hotline delivery also takes about 1 s (the fake's long poll), so that
    // retry may land before or after it: both orders are right.
    expect(texts.length).toBeGreaterThanOrEqual(2);
    expect(texts.filter((t) => t.startsWith("<b>Where to get help</b>"))).toHaveLength(1);
    expect(texts.find((t) => t.startsWith("<b>Where to get help</b>"))).toContain("116 16");
  });

  it("falls back to plain text if Telegram rejects the markup", async () => {
    h = await TelegramHarness.start({ core: assistant });
    h.fake.fail("sendMessage", 400, { ok: false, error_code: 400, description: "Bad Request: can't parse entities: Unsupported start tag" });
    await h.deliver(h.updates.text(305, "/hotline"));
    const [rejected, plain] = h.fake.sentTo(305);
    expect(rejected!.payload.parse_mode).toBe("HTML");
    expect(plain!.payload.parse_mode).toBeUndefined();
    expect(String(plain!.payload.text)).not.toContain("<b>");
  });
});

describe("Telegram rate limit and shutdown", () => {
  it("tells a person who writes too fast once, but still sends the safety reply to a disclosure", async () => {
    h = await TelegramHarness.start({ core: assistant, bot: { rateLimit: { limit: 2, windowMs: 60_000 } } });
    const u = h.updates;
    await h.deliver(u.text(306, "/help"), u.text(306, "/help"), u.text(306, "/help"), u.text(306, "/help"), u.text(306, "They took my passport and I cannot leave"));
    const texts = h.texts(306);
    expect(texts).toHaveLength(4);
    expect(texts[2]).toContain("very fast");
    expect(texts[3]).toContain("116 16");
    expect(texts[3]).toContain("Thank you for telling me");
  });

  it("stops taking updates and finishes those in flight", async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const slow = new Proxy(assistant, {
      get(target, prop, receiver) {
        if (prop === "ask") return async (...args: Parameters<Assistant["ask"]>) => (await gate, target.ask(...args));
        const v = Reflect.get(target, prop, receiver);
        return typeof v === "function" ? v.bind(target) : v;
      },
    }) as unknown as BotCore;
    const harness = await TelegramHarness.start({ core: slow });
    harness.fake.push(harness.updates.text(307, "How many victims were identified in 2020?"));
    await harness.fake.waitFor(() => harness.fake.callsOf("sendChatAction").length === 1);
    const stopping = harness.stop();
    release();
    await stopping;
    expect(harness.texts(307)).toHaveLength(1);
    expect(harness.texts(307)[0]).toContain("[1]");
  });
});
