/**
 * Fault injection, the store: Redis stopped mid-run and absent at start (the safety reply and
 * the answer still go out; one clear error naming REDIS_URL; the health check says so); two
 * instances on one Redis with one chat's updates alternating (order kept, one answer each);
 * /forget removes every key about the person (listed before and after).
 * Runs its own throw-away redis-server on a free port (skipped when there is none).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp, createAssistant, StartupError } from "../src/app.ts";
import type { Assistant } from "../src/assistant.ts";
import { loadConfig } from "../src/config.ts";
import { setLogger } from "../src/logger.ts";
import { createStore } from "../src/store/create-store.ts";
import { FallbackStore } from "../src/store/fallback-store.ts";
import { QuizEngine, loadBank } from "../src/quiz/index.ts";
import { FakeTelegram, TelegramHarness, Updates } from "./helpers/fake-telegram.ts";
import { startWebhookBot } from "./helpers/webhook.ts";
import { freePort, hasRedisServer, startRedisServer } from "./helpers/processes.ts";

const DISCLOSURE = "My employer took my passport and does not pay me";

let dataDir: string;
let assistant: Assistant;
const lines: Array<Record<string, unknown>> = [];

beforeAll(async () => {
  setLogger(pino({ level: "info" }, { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) }));
  dataDir = mkdtempSync(join(tmpdir(), "faults-redis-"));
  assistant = await createAssistant(loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: "silent" }));
}, 60_000);

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe.skipIf(!hasRedisServer)("Redis faults", () => {
  it("Redis stopped mid-run: the safety reply and answers still go out, with one error naming REDIS_URL", async () => {
    const port = await freePort();
    const redis = await startRedisServer(port);
    const store = createStore({ REDIS_URL: `redis://127.0.0.1:${port}` }, `t${Date.now()}:`, { commandTimeoutMs: 300, connectTimeoutMs: 500 });
    const h = await TelegramHarness.start({ core: assistant, store });
    try {
      await h.deliver(h.updates.text(5101, DISCLOSURE));
      expect(h.texts(5101)).toHaveLength(1); // the one short safety reply (the card is on a button)
      redis.kill("SIGKILL");
      await new Promise((r) => setTimeout(r, 200));
      lines.length = 0;
      const started = Date.now();
      await h.deliver(h.updates.text(5102, DISCLOSURE), h.updates.text(5103, "How many victims were identified in 2020?"));
      expect(Date.now() - started).toBeLessThan(5000);
      expect(h.texts(5102)[0]).toMatch(/116 16/);
      expect(h.texts(5102)).toHaveLength(1);
      expect(h.texts(5103)).toHaveLength(1);
      const errors = lines.filter((l) => l.event === "store_unavailable");
      expect(errors).toHaveLength(1);
      expect(String(errors[0]!.msg)).toContain("REDIS_URL");
      expect(lines.some((l) => typeof l.msg === "string" && /at .*\.js:\d+/.test(l.msg))).toBe(false); // no stack traces
      expect(await (store as FallbackStore).ping()).toBe(false);
    } finally {
      await h.stop();
      redis.kill("SIGKILL");
      await store.close().catch(() => undefined);
    }
  });

  it("Redis absent at start: start-up says so; without CASE_ID_SECRET it stops and names it; with it, safety replies go out", async () => {
    const port = await freePort(); // nothing listens there
    const env = { DATA_DIR: dataDir, LOG_LEVEL: "silent", REDIS_URL: `redis://127.0.0.1:${port}` };
    await expect(createApp(loadConfig(env), { redisWaitMs: 300 })).rejects.toThrow(StartupError);
    await expect(createApp(loadConfig(env), { redisWaitMs: 300 })).rejects.toThrow(/CASE_ID_SECRET/);
    lines.length = 0;
    const app = await createApp(loadConfig({ ...env, CASE_ID_SECRET: "a-shared-secret-of-enough-length" }), { redisWaitMs: 300 });
    try {
      expect(lines.some((l) => l.event === "redis_unreachable_at_start" && /REDIS_URL/.test(String(l.msg)))).toBe(true);
      expect((await app.health()).ok).toBe(false);
      const h = await TelegramHarness.start({ core: app.assistant, store: app.store });
      try {
        await h.deliver(h.updates.text(5201, DISCLOSURE));
        expect(h.texts(5201)[0]).toMatch(/116 16/);
        expect(h.texts(5201)).toHaveLength(1);
      } finally {
        await h.stop();
      }
    } finally {
      await app.close();
    }
  });

  it("two instances on one Redis share the case-id secret; one chat's updates alternating between them are answered once each, one at a time", async () => {
    const port = await freePort();
    const redis = await startRedisServer(port);
    const env = { DATA_DIR: mkdtempSync(join(tmpdir(), "a-")), LOG_LEVEL: "silent", REDIS_URL: `redis://127.0.0.1:${port}` };
    const appA = await createApp(loadConfig(env));
    const appB = await createApp(loadConfig({ ...env, DATA_DIR: mkdtempSync(join(tmpdir(), "b-")) }));
    const fake = await FakeTelegram.start();
    try {
      expect(appA.caseIds.source).toBe("redis");
      expect(appA.caseIds.caseIdFor("telegram", 1)).toBe(appB.caseIds.caseIdFor("telegram", 1));
      const a = await startWebhookBot({ core: assistant, store: appA.store, apiRoot: fake.apiRoot, bot: { delivery: { chatLocks: true } } });
      const b = await startWebhookBot({ core: assistant, store: appB.store, apiRoot: fake.apiRoot, bot: { delivery: { chatLocks: true } } });
      const u = new Updates();
      const questions = ["How many victims were identified in 2020?", "What did the 2007 cable say about shelters?", "Who runs the hotline?", "How many calls did the hotline receive in 2020?"];
      const batch = Array.from({ length: 8 }, (_, i) => u.text(5301, questions[i % questions.length]!));
      // Telegram may post the next update before the previous one is answered.
      const statuses = await Promise.all(batch.map((up, i) => new Promise<void>((r) => setTimeout(r, i * 15)).then(() => (i % 2 ? b : a).post(up))));
      expect(statuses.every((s) => s === 200)).toBe(true);
      const sent = fake.deliveredTo(5301);
      expect(sent).toHaveLength(8); // exactly one answer each
      await a.stop();
      await b.stop();
    } finally {
      await fake.close();
      await appA.close();
      await appB.close();
      redis.kill("SIGKILL");
    }
  });

  it("/forget deletes every key about the person, bypasses the rate limiter, and removes their quiz name", async () => {
    const port = await freePort();
    const redis = await startRedisServer(port);
    const store = createStore({ REDIS_URL: `redis://127.0.0.1:${port}` }, "hotline:");
    const quiz = new QuizEngine({ bank: loadBank(), store });
    const h = await TelegramHarness.start({ core: assistant, store, quiz, staffChatId: "-100999", bot: { rateLimit: { limit: 3, windowMs: 60_000 } } });
    try {
      const me = 5401;
      h.updates.names.set(me, "Aigerim");
      await h.deliver(h.updates.callback(me, "lang:ru"));
      await h.deliver(h.updates.text(me, DISCLOSURE));
      await h.deliver(h.updates.callback(me, "ho:plain")); // consent: a case routed to staff
      // A quiz in a group, answered by the person, and one in their private chat.
      h.fake.setMember(-100600, 77, "administrator");
      await h.deliver(h.updates.text(77, "/quiz figures 2", { chatId: -100600 }));
      const poll = h.fake.pollsIn(-100600)[0]!;
      await h.deliver(h.updates.pollAnswer(me, poll.pollId, [0]));
      await h.deliver(h.updates.text(me, "/quiz figures 2"));
      for (let i = 0; i < 5; i++) await h.deliver(h.updates.text(me, "How many victims were identified in 2020?")); // over the limit

      const before = await store.keys("");
      const about = (keys: string[]) => keys.filter((k) => k.includes(String(me)) || k.includes("case-"));
      expect(about(before).length).toBeGreaterThan(1);
      const sessions = async () => JSON.stringify(await Promise.all((await store.keys("quiz:session:")).map((k) => store.get(k))));
      expect(await sessions()).toContain("Aigerim");

      await h.deliver(h.updates.text(me, "/forget"));
      expect(h.texts(me).at(-1)).toMatch(/удалил/);
      const after = await store.keys("");
      expect(about(after)).toEqual([]);
      expect(await sessions()).not.toContain("Aigerim");
      expect(after.filter((k) => k.startsWith("quiz:chat:telegram:5401") || k.startsWith("quiz:last:telegram:5401"))).toEqual([]);
    } finally {
      await h.stop();
      await store.deletePrefix("");
      await store.close();
      redis.kill("SIGKILL");
    }
  });
});
