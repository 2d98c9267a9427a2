/**
 * The two-way handoff on Telegram (issue 11 item 3): three messages each way, close by the
 * person, close by staff, /forget mid-case, a staff reply to a closed case, a photo relayed as
 * a notice; and two instances sharing Redis, with the person's and staff's messages handled by
 * different instances (each relayed exactly once, in order).
 */
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBot } from "../adapters/telegram/bot.ts";
import type { BotDeps } from "../adapters/telegram/deps.ts";
import type { Assistant } from "../src/assistant.ts";
import { setLogger } from "../src/logger.ts";
import { type KeyValueStore, MemoryStore } from "../src/store/kv.ts";
import { RedisStore } from "../src/store/redis-store.ts";
import { loadContacts } from "../src/triage/contacts.ts";
import { testAssistant } from "./helpers/assistant.ts";
import { BOT_ID, BOT_INFO, FakeTelegram, TOKEN, Updates } from "./helpers/fake-telegram.ts";

const STAFF = "-100777";
let assistant: Assistant;
let fake: FakeTelegram;
const plain = (html: string) => html.replace(/<[^>]+>/g, "");

beforeAll(async () => {
  setLogger(pino({ level: "silent" }));
  assistant = await testAssistant();
  fake = await FakeTelegram.start();
}, 60_000);
afterAll(async () => fake.close());

function instance(store: KeyValueStore) {
  const deps: BotDeps = { core: assistant, store, caseSecret: "test-case-secret-0123456789", contacts: loadContacts(), staffChatId: STAFF };
  return createBot(deps, { token: TOKEN, apiRoot: fake.apiRoot, botInfo: BOT_INFO });
}

const texts = (chat: number | string) => fake.sentTo(chat).map((c) => plain(String(c.payload.text)));

/** Message ids the fake has handed out before this run (it counts on across resets). */
let idBase = 1000;
async function run(stores: [KeyValueStore, KeyValueStore], person: number) {
  idBase += fake.calls.filter((c) => c.method === "sendMessage").length;
  fake.reset();
  const [a, b] = [instance(stores[0]), instance(stores[1])];
  const u = new Updates();
  const staffReply = (text: string, to: number) =>
    u.message(9001, { text, reply_to_message: { message_id: to, date: 0, chat: { id: Number(STAFF), type: "supergroup" }, from: { id: BOT_ID, is_bot: true, first_name: "Hotline" }, text: "…" } }, { chatId: Number(STAFF) });
  // Message ids the fake gave to messages sent to the staff chat, in order.
  const staffIds = () => {
    const ids: number[] = [];
    let next = idBase;
    for (const c of fake.calls) if (c.method === "sendMessage") { if (String(c.payload.chat_id) === STAFF) ids.push(next); next++; }
    return ids;
  };
  await a.handleUpdate(u.text(person, "My employer took my passport and does not pay me"));
  await a.handleUpdate(u.callback(person, "ho:plain"));
  const alert = texts(STAFF)[0]!;
  const code = /\b[0-9A-Z]{2}-[0-9A-Z]{3}\b/.exec(alert)![0];
  expect(alert).not.toContain(String(person));
  expect(texts(person).at(-1)).toContain(code);

  for (let i = 1; i <= 3; i++) {
    await a.handleUpdate(u.text(person, `person message ${i}`)); // instance A
    await b.handleUpdate(staffReply(`staff message ${i}`, staffIds().at(-1)!)); // instance B
  }
  const toStaff = texts(STAFF).filter((t) => t.includes("person message"));
  expect(toStaff.map((t) => t.split("\n").at(-1))).toEqual(["person message 1", "person message 2", "person message 3"]);
  const toPerson = texts(person).filter((t) => t.includes("staff message"));
  expect(toPerson.map((t) => t.split("\n").at(-1))).toEqual(["staff message 1", "staff message 2", "staff message 3"]);
  // The bot did not answer the person's messages itself during the case.
  expect(texts(person).some((t) => t.includes("[1]"))).toBe(false);
  return { a, b, u, staffReply, staffIds, code };
}

describe("Telegram case relay", () => {
  it("relays three messages each way; the person closes it; a late staff reply gets a note", async () => {
    const store = new MemoryStore();
    const { a, b, u, staffReply, staffIds, code } = await run([store, store], 501);
    // A photo during the case reaches staff as a notice.
    await a.handleUpdate(u.message(501, { photo: [{ file_id: "p", file_unique_id: "p", width: 1, height: 1 }] }));
    expect(texts(STAFF).at(-1)).toContain("[photo]");
    // An emergency during the case still gets its numbers at once, and is relayed too.
    await a.handleUpdate(u.text(501, "they locked us in the basement"));
    expect(texts(501).at(-1)).toContain("112");
    expect(texts(STAFF).at(-1)).toContain("basement");

    await a.handleUpdate(u.text(501, "/stop"));
    expect(texts(501).at(-1)).toContain("no longer reads this chat");
    expect(texts(STAFF).at(-1)).toContain("the person closed this case");
    const before = texts(501).length;
    await b.handleUpdate(staffReply("are you there?", staffIds()[0]!));
    expect(texts(STAFF).at(-1)).toContain(`Case ${code}`);
    expect(texts(STAFF).at(-1)).toContain("is closed");
    expect(texts(501)).toHaveLength(before);
  });

  it("staff close the case from the staff chat; /forget closes it mid-case", async () => {
    const store = new MemoryStore();
    const { a, b, u, staffReply, staffIds } = await run([store, store], 502);
    await b.handleUpdate(staffReply("/close", staffIds().at(-1)!));
    expect(texts(502).at(-1)).toContain("closed this conversation");
    await a.handleUpdate(u.text(502, "hello?"));
    expect(texts(STAFF).at(-1)).not.toContain("hello?");

    const second = await run([store, store], 503);
    await second.a.handleUpdate(second.u.text(503, "/forget"));
    expect(texts(STAFF).at(-1)).toContain("the person closed this case");
    await second.a.handleUpdate(second.u.text(503, "one more"));
    expect(texts(STAFF).some((t) => t.includes("one more"))).toBe(false);
  });

  const redisUrl = process.env.REDIS_TEST_URL;
  it.skipIf(!redisUrl)("works across two instances sharing Redis", async () => {
    const prefix = `test:case:${Date.now()}:`;
    const s1 = new RedisStore(redisUrl!, prefix);
    const s2 = new RedisStore(redisUrl!, prefix);
    try {
      await run([s1, s2], 504);
    } finally {
      await s1.deletePrefix("");
      await s1.close();
      await s2.close();
    }
  });
});
