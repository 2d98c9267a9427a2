/**
 * Fault injection, Telegram webhook mode: the fake Bot API answers the safety send or the
 * answer with 400, 429 with a long retry_after, 500 ×N, a hang, or is not there at all. Each
 * test acts as Telegram (redelivers until 200) and asserts what the person received: the
 * safety reply and the answer, each exactly once.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createAssistant } from "../src/app.ts";
import type { Assistant } from "../src/assistant.ts";
import { loadConfig } from "../src/config.ts";
import { setLogger } from "../src/logger.ts";
import { MemoryStore } from "../src/store/kv.ts";
import { FakeTelegram, Updates } from "./helpers/fake-telegram.ts";
import { deliverUntilOk, postUpdate, startWebhookBot, type WebhookBot } from "./helpers/webhook.ts";

const DISCLOSURE = "My employer took my passport and does not pay me";
const SAFETY = /116 16/;
const QUESTION = "How many victims were identified in 2020?";

let dataDir: string;
let assistant: Assistant;
let fake: FakeTelegram;
let wb: WebhookBot | undefined;
const updates = new Updates();
const lines: Array<Record<string, unknown>> = [];

beforeAll(async () => {
  // Keep the log lines to check that failures are logged with the update id.
  setLogger(pino({ level: "info" }, { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) }));
  dataDir = mkdtempSync(join(tmpdir(), "faults-tg-"));
  assistant = await createAssistant(loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: "silent" }));
  fake = await FakeTelegram.start();
}, 60_000);

afterEach(async () => {
  await wb?.stop();
  wb = undefined;
  fake.reset();
  lines.length = 0;
});

afterAll(async () => {
  await fake.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const texts = (chat: number) => fake.deliveredTo(chat).map((c) => String(c.payload.text));
const safetyCount = (chat: number) => texts(chat).filter((t) => SAFETY.test(t) && /Thank you for telling me/.test(t)).length;

async function start(): Promise<WebhookBot> {
  wb = await startWebhookBot({ core: assistant, store: new MemoryStore(), apiRoot: fake.apiRoot });
  return wb;
}

describe("webhook: failed sends make Telegram deliver again, and the person gets each reply once", () => {
  it("a 400 on the safety reply: the same words go out as plain text", async () => {
    const bot = await start();
    fake.fail("sendMessage", 400, { ok: false, error_code: 400, description: "Bad Request: message to be replied not found" });
    const u = updates.text(9101, DISCLOSURE);
    expect(await bot.post(u)).toBe(200);
    const sent = fake.sentTo(9101);
    expect(sent[0]!.payload.parse_mode).toBe("HTML"); // refused
    expect(sent[1]!.payload.parse_mode).toBeUndefined(); // plain-text fallback
    expect(String(sent[1]!.payload.text)).toMatch(SAFETY);
    expect(String(sent[1]!.payload.text)).not.toMatch(/<\/?b>/);
    expect(sent.length).toBe(2); // refused + fallback; the card comes on the "What can I do?" button
    expect(lines.some((l) => l.event === "telegram_safety_send_failed" && l.level === 50)).toBe(true);
  });

  it("a 429 with retry_after 90 on the safety reply: 500, then the redelivery sends it once", async () => {
    const bot = await start();
    fake.fail("sendMessage", 429, { ok: false, error_code: 429, description: "Too Many Requests: retry after 90", parameters: { retry_after: 90 } });
    const u = updates.text(9102, DISCLOSURE);
    const started = Date.now();
    const statuses = await deliverUntilOk(bot.post, u);
    expect(statuses).toEqual([500, 200]);
    expect(Date.now() - started).toBeLessThan(5000); // never waits the 90 s in the request
    expect(safetyCount(9102)).toBe(1);
    expect(texts(9102)).toHaveLength(1); // the one short safety reply (the card is on a button)
    const error = lines.find((l) => l.event === "telegram_api_error");
    expect(error).toMatchObject({ level: 50, update_id: u.update_id, code: 429 });
  });

  it("500 ×10 on the answer: bounded retries, 500, then the redelivery answers once", async () => {
    const bot = await start();
    const u = updates.text(9103, QUESTION);
    fake.fail("sendMessage", 500, { ok: false, error_code: 500, description: "Internal Server Error" }, 10);
    const statuses = await deliverUntilOk(bot.post, u, 20, 20);
    expect(statuses[0]).toBe(500);
    expect(statuses.at(-1)).toBe(200);
    expect(fake.deliveredTo(9103)).toHaveLength(1); // the answer once
    expect(String(fake.deliveredTo(9103)[0]!.payload.text)).toContain("[1]");
  });

  it("a hung Bot API call is cut off, and the redelivery is handled", async () => {
    const bot = await start();
    fake.hang("sendMessage", 3); // every attempt of the first delivery hangs
    const u = updates.text(9104, QUESTION);
    const started = Date.now();
    const statuses = await deliverUntilOk(bot.post, u);
    expect(statuses).toEqual([500, 200]);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(fake.deliveredTo(9104)).toHaveLength(1);
  });

  it("connection refused: 500, and another instance on the same store handles the redelivery", async () => {
    const store = new MemoryStore();
    const dead = await startWebhookBot({ core: assistant, store, apiRoot: "http://127.0.0.1:9" });
    const u = updates.text(9105, DISCLOSURE);
    expect(await dead.post(u)).toBe(500);
    await dead.stop();
    wb = await startWebhookBot({ core: assistant, store, apiRoot: fake.apiRoot });
    expect(await wb.post(u)).toBe(200);
    expect(safetyCount(9105)).toBe(1);
    expect(fake.sentTo(9105)).toHaveLength(1);
    expect(await wb.post(u)).toBe(200); // a later duplicate is acknowledged, not answered again
    expect(fake.sentTo(9105)).toHaveLength(1);
  });

  it("a redelivery while the first delivery is still being handled gets 503, not 200", async () => {
    const bot = await start();
    fake.hang("sendMessage", 1);
    const u = updates.text(9106, QUESTION);
    const first = bot.post(u);
    await fake.waitFor(() => fake.sentTo(9106).length === 1, 2000);
    expect(await bot.post(u)).toBe(503);
    expect(await first).toBe(200); // the hung attempt timed out, the retry went through
    expect(fake.deliveredTo(9106)).toHaveLength(1);
  });

  it("a 10 MB body gets 413, a malformed one 400", async () => {
    const bot = await start();
    expect(await postUpdate(bot.url, `{"update_id":1,"x":"${"a".repeat(10 * 1024 * 1024)}"}`)).toBe(413);
    expect(await postUpdate(bot.url, "{not json")).toBe(400);
  });
});
