/**
 * Webhook mode under the hardest faults, asserting what each person received:
 * - kill -9 of an instance (a child process, `npm start`'s wiring) while replies are on their way,
 *   with the memory store and with Redis: a stand-in for Telegram posts every update until it
 *   gets 200 (so the updates the dead instance never acknowledged are posted again to its
 *   replacement on the same port), and, as Telegram may, posts the acknowledged ones once more.
 *   Every person gets the safety reply, every update is answered, and no reply arrives twice.
 * - Redis stopped mid-run (a dedicated redis-server that the test kills while replies are in
 *   flight): the safety reply and the answers still go out, each once.
 * - The delivery journal (memory store): what a killed instance sent is not sent again by the next.
 *
 * The kill happens while the fake Bot API holds the replies unanswered (a hang), so no send
 * whose success the dead instance never learned is on the wire: such a send is the one thing
 * that can still reach a person twice (see README, "Delivery guarantees"), and the benchmark
 * (bench/delivery.ts) counts those.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Update } from "grammy/types";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DeliveryJournal } from "../adapters/telegram/journal.ts";
import { createAssistant } from "../src/app.ts";
import type { Assistant } from "../src/assistant.ts";
import { loadConfig } from "../src/config.ts";
import { projectPath } from "../src/paths.ts";
import { createStore } from "../src/store/create-store.ts";
import { MemoryStore } from "../src/store/kv.ts";
import { FakeTelegram, TOKEN, Updates, type ApiCall } from "./helpers/fake-telegram.ts";
import { deliverUntilOk, postUpdate, startWebhookBot, WEBHOOK_SECRET } from "./helpers/webhook.ts";
import { freePort, hasRedisServer, startRedisServer } from "./helpers/processes.ts";

const DISCLOSURE = "My employer took my passport and does not pay me";
const QUESTION = "How many victims were identified in 2020?";
const SAFETY = /116 16/;
const hasTsx = spawnSync(process.execPath, ["--import", "tsx", "-e", "0"]).status === 0;
const redisUrl = process.env.REDIS_TEST_URL;

/** One bot instance in webhook mode (bench/delivery-instance.ts), its sends tagged with the update id. */
async function spawnInstance(env: NodeJS.ProcessEnv): Promise<ChildProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", projectPath("bench", "delivery-instance.ts")], { env, stdio: ["ignore", "pipe", "inherit"], cwd: projectPath() });
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on("data", (d: Buffer) => {
      if (d.toString().includes("ready")) resolve();
    });
    child.once("exit", (code) => reject(new Error(`instance exited with ${code}`)));
  });
  child.removeAllListeners("exit");
  return child;
}

const tagOf = (c: ApiCall) => c.payload._bench as { u: number; n: number } | undefined;

/** Deliveries of each (update, reply number), from the fake's record. */
function deliveries(fake: FakeTelegram): Map<string, ApiCall[]> {
  const out = new Map<string, ApiCall[]>();
  for (const c of fake.calls) {
    const tag = c.method === "sendMessage" && !c.failed ? tagOf(c) : undefined;
    if (!tag) continue;
    const key = `${tag.u}:${tag.n}`;
    (out.get(key) ?? out.set(key, []).get(key)!).push(c);
  }
  return out;
}

let assistant: Assistant;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "faults-wh-kill-"));
  assistant = await createAssistant(loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: "silent" }));
}, 60_000);

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe.skipIf(!hasTsx)("webhook mode: kill -9 of an instance mid-run", () => {
  const run = async (store: "memory" | "redis") => {
    const fake = await FakeTelegram.start();
    const port = await freePort();
    const url = `http://127.0.0.1:${port}/`;
    const instanceDir = mkdtempSync(join(tmpdir(), "wh-kill-"));
    const env = {
      ...process.env,
      TELEGRAM_BOT_TOKEN: TOKEN,
      TELEGRAM_API_ROOT: fake.apiRoot,
      TELEGRAM_WEBHOOK_URL: "https://hotline.example.invalid/telegram",
      TELEGRAM_WEBHOOK_SECRET: WEBHOOK_SECRET,
      TELEGRAM_WEBHOOK_PORT: String(port),
      DATA_DIR: instanceDir,
      LOG_LEVEL: "silent",
      HOTLINE_LEASE_SECONDS: "2",
      DELIVERY_TRACE: "1",
      ...(store === "redis" ? { REDIS_URL: redisUrl!, CASE_ID_SECRET: "kill-test-case-id-secret-0123456789" } : {}),
    };
    Updates.startAt(Date.now() * 100 + 7); // fresh update ids (done marks of earlier runs stay on Redis for 2 h)
    const u = new Updates();
    const base = 20_000_000 + (Math.floor(Date.now() / 1000) % 100_000) * 100; // fresh chats on a shared Redis
    const people = Array.from({ length: 10 }, (_, i) => base + i);
    // Each person writes twice; half of them disclose first, the other half second.
    const first = people.map((chat, i) => u.text(chat, i % 2 ? QUESTION : DISCLOSURE));
    const second = people.map((chat, i) => u.text(chat, i % 2 ? DISCLOSURE : QUESTION));
    const disclosures = [...first.filter((_, i) => i % 2 === 0), ...second.filter((_, i) => i % 2 === 1)];
    const post = (up: Update) => postUpdate(url, up);
    let child = await spawnInstance(env);
    try {
      // The first messages are answered and acknowledged.
      const statuses = await Promise.all(first.map((up) => deliverUntilOk(post, up, 100, 50)));
      expect(statuses.every((s) => s.at(-1) === 200)).toBe(true);

      // The second ones reach the instance, whose replies then hang at the Bot API; kill -9.
      fake.hang("sendMessage", 1000);
      const hungBefore = fake.callsOf("sendMessage").filter((c) => c.failed).length;
      const redelivered = second.map((up) => deliverUntilOk(post, up, 600, 50)); // Telegram: until 200
      await fake.waitFor(() => fake.callsOf("sendMessage").filter((c) => c.failed).length - hungBefore >= second.length, 20_000);
      child.kill("SIGKILL");
      fake.clearFaults();
      child = await spawnInstance(env); // the replacement, on the same port
      const after = await Promise.all(redelivered);
      expect(after.every((s) => s.at(-1) === 200)).toBe(true);
      // Telegram may post an acknowledged update again (a 200 it did not see): answered once only.
      for (const up of first) expect(await post(up)).toBe(200);

      const sent = deliveries(fake);
      const doubled = [...sent].filter(([, calls]) => calls.length > 1).map(([key]) => key);
      expect(doubled).toEqual([]); // no reply reached anyone twice
      for (const up of [...first, ...second]) {
        expect(sent.has(`${up.update_id}:0`), `update ${up.update_id} answered`).toBe(true);
      }
      for (const up of disclosures) expect(String(sent.get(`${up.update_id}:0`)![0]!.payload.text)).toMatch(SAFETY);
      for (const chat of people) expect(fake.deliveredTo(chat).length).toBeGreaterThanOrEqual(2);
    } finally {
      child.kill("SIGKILL");
      await fake.close();
      rmSync(instanceDir, { recursive: true, force: true });
    }
  };

  it("with the memory store (done marks and sent records in the DATA_DIR journal)", () => run("memory"), 90_000);
  it.skipIf(!redisUrl)("with Redis", () => run("redis"), 90_000);
});

describe("the delivery journal (memory store)", () => {
  it("a restarted instance does not send again what the killed one sent, and answers what it did not", async () => {
    const fake = await FakeTelegram.start();
    const dir = mkdtempSync(join(tmpdir(), "journal-"));
    const file = join(dir, "telegram-delivery.jsonl");
    const u = new Updates();
    try {
      const a = await startWebhookBot({ core: assistant, store: new MemoryStore(), apiRoot: fake.apiRoot, bot: { delivery: { journal: new DeliveryJournal(file) } } });
      const answered = u.text(6101, DISCLOSURE);
      expect(await a.post(answered)).toBe(200);
      expect(fake.deliveredTo(6101)).toHaveLength(1);
      // The killed instance had sent the first reply of this update, then died before marking it done.
      const halfDone = u.text(6102, QUESTION);
      new DeliveryJournal(file).recordSent(halfDone.update_id, 0, { message_id: 1, date: 1 });
      await a.stop();

      // The replacement: a new memory store (the old one died with its process), the same journal file.
      const b = await startWebhookBot({ core: assistant, store: new MemoryStore(), apiRoot: fake.apiRoot, bot: { delivery: { journal: new DeliveryJournal(file) } } });
      expect(await b.post(answered)).toBe(200);
      expect(await b.post(halfDone)).toBe(200);
      const fresh = u.text(6103, DISCLOSURE);
      expect(await b.post(fresh)).toBe(200);
      await b.stop();
      expect(fake.deliveredTo(6101)).toHaveLength(1); // not answered again
      expect(fake.deliveredTo(6102)).toHaveLength(0); // its one reply had gone out already
      expect(String(fake.deliveredTo(6103)[0]?.payload.text)).toMatch(SAFETY);

      // Without the journal, a new memory store alone would answer the first update again.
      const c = await startWebhookBot({ core: assistant, store: new MemoryStore(), apiRoot: fake.apiRoot });
      expect(await c.post(answered)).toBe(200);
      await c.stop();
      expect(fake.deliveredTo(6101)).toHaveLength(2);
    } finally {
      await fake.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe.skipIf(!hasRedisServer)("webhook mode: Redis stopped mid-run", () => {
  it("replies in flight when Redis dies still go out, each once; the safety reply reaches every person who disclosed", async () => {
    const redisPort = await freePort();
    const redis = await startRedisServer(redisPort);
    const store = createStore({ REDIS_URL: `redis://127.0.0.1:${redisPort}` }, `wh${Date.now()}:`, { commandTimeoutMs: 300, connectTimeoutMs: 500 });
    const fake = await FakeTelegram.start();
    const wb = await startWebhookBot({ core: assistant, store, apiRoot: fake.apiRoot, bot: { delivery: { chatLocks: true } } });
    const u = new Updates();
    const people = Array.from({ length: 12 }, (_, i) => 6200 + i);
    const text = (i: number) => (i % 2 ? QUESTION : DISCLOSURE);
    try {
      // Half are answered with Redis up.
      const early = people.slice(0, 6).map((chat, i) => u.text(chat, text(i)));
      for (const s of await Promise.all(early.map((up) => deliverUntilOk(wb.post, up)))) expect(s.at(-1)).toBe(200);
      // The others' replies hang at the Bot API; Redis dies meanwhile; the bot's timeout and
      // Telegram's redelivery then carry them through on the memory fallback.
      fake.hang("sendMessage", 6);
      const late = people.slice(6).map((chat, i) => u.text(chat, text(i)));
      const pending = late.map((up) => deliverUntilOk(wb.post, up, 100, 50));
      await fake.waitFor(() => fake.callsOf("sendMessage").filter((c) => c.failed).length >= 6, 10_000);
      redis.kill("SIGKILL");
      for (const s of await Promise.all(pending)) expect(s.at(-1)).toBe(200);
      // And a first message from two more people after Redis is gone.
      const afterwards = [u.text(6300, DISCLOSURE), u.text(6301, QUESTION)];
      for (const s of await Promise.all(afterwards.map((up) => deliverUntilOk(wb.post, up)))) expect(s.at(-1)).toBe(200);

      for (const chat of [...people, 6300, 6301]) expect(fake.deliveredTo(chat), `chat ${chat}`).toHaveLength(1); // the first reply, once
      for (const [i, chat] of people.entries()) if (i % 2 === 0) expect(String(fake.deliveredTo(chat)[0]!.payload.text)).toMatch(SAFETY);
      expect(String(fake.deliveredTo(6300)[0]!.payload.text)).toMatch(SAFETY);
    } finally {
      await wb.stop();
      await fake.close();
      redis.kill("SIGKILL");
      await store.close().catch(() => undefined);
    }
  }, 60_000);
});
