/**
 * The case relay when something is missing (issue 11, bad input): the shared store down
 * mid-case, no Slack instance delivering cases (Telegram on Redis alone), no Telegram instance
 * delivering staff replies, a full queue, and files staff share (never passed on, staff told).
 * Every time, the person or staff are told that nothing went; nothing is lost silently, and
 * after the store is back the case goes on, each message once, in order.
 */
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CASE_CLOSE_ACTION } from "../adapters/slack/features/cases.ts";
import { createBot, type HotlineBot } from "../adapters/telegram/bot.ts";
import type { BotDeps } from "../adapters/telegram/deps.ts";
import { caseRelays, RelayQueue, RelayUnavailableError } from "../src/conversation/relay.ts";
import { setLogger } from "../src/logger.ts";
import { FallbackStore } from "../src/store/fallback-store.ts";
import { type KeyValueStore, MemoryStore } from "../src/store/kv.ts";
import { loadContacts } from "../src/triage/contacts.ts";
import { type CaseWorld, caseInstances, closeCaseWorld, startCaseWorld, pressClose, staffSays, until } from "./helpers/cases.ts";
import { type FakeSlack, buttons } from "./helpers/fake-slack.ts";
import { BOT_ID, BOT_INFO, type FakeTelegram, TOKEN, Updates } from "./helpers/fake-telegram.ts";

const CHANNEL = "C0FAULTS1";
const plain = (html: string) => html.replace(/<[^>]+>/g, "");

/** A store that can be switched off, like Redis going away (every call fails). */
class SwitchableStore extends MemoryStore {
  down = false;
  private check(): void {
    if (this.down) throw new Error("connect ECONNREFUSED 127.0.0.1:6379");
  }
  override async get<T>(key: string) {
    this.check();
    return super.get<T>(key);
  }
  override async set<T>(key: string, value: T, ttl?: number) {
    this.check();
    return super.set(key, value, ttl);
  }
  override async setIfAbsent<T>(key: string, value: T, ttl?: number) {
    this.check();
    return super.setIfAbsent(key, value, ttl);
  }
  override async delete(key: string) {
    this.check();
    return super.delete(key);
  }
  override async deletePrefix(prefix: string) {
    this.check();
    return super.deletePrefix(prefix);
  }
  override async increment(key: string, by?: number, ttl?: number) {
    this.check();
    return super.increment(key, by, ttl);
  }
  override async update<T>(key: string, change: (c: T | undefined) => T | undefined, ttl?: number) {
    this.check();
    return super.update(key, change, ttl);
  }
  override async ping() {
    return !this.down;
  }
}

let tg: FakeTelegram;
let slackApi: FakeSlack;
let world: CaseWorld;
const logs: Array<Record<string, unknown>> = [];

beforeAll(async () => {
  setLogger(pino({ level: "info" }, { write: (line: string) => void logs.push(JSON.parse(line) as Record<string, unknown>) }));
  world = await startCaseWorld(CHANNEL);
  ({ tg, slackApi } = world);
}, 60_000);
afterAll(() => closeCaseWorld(world));

const toPerson = (chat: number) => tg.sentTo(chat).map((c) => plain(String(c.payload.text)));
const threadPosts = (ts: string) => slackApi.posts((a) => a.channel === CHANNEL && a.thread_ts === ts).map((c) => String(c.args.text));

/** Disclosure and consent; returns the case thread (waits for it when a Slack relay runs). */
async function consent(bot: HotlineBot, person: number, u = new Updates()): Promise<{ u: Updates; thread?: string; code?: string }> {
  await bot.handleUpdate(u.text(person, "My employer took my passport and does not pay me"));
  await bot.handleUpdate(u.callback(person, "ho:plain"));
  const told = toPerson(person).at(-1)!;
  const code = /\b[0-9A-Z]{2}-[0-9A-Z]{3}\b/.exec(told)?.[0];
  if (!code) return { u };
  const root = await until(() => slackApi.posts((a) => a.channel === CHANNEL && a.thread_ts === undefined && String(a.text).includes(code)).at(-1), "the case thread");
  return { u, thread: String(root.response!.ts), code };
}

describe("case relay faults", () => {
  it("the shared store down mid-case: the person and staff are told nothing went; after it is back the case goes on, each message once", async () => {
    const redis = new SwitchableStore();
    const store = new FallbackStore(redis);
    const { bot, slack } = caseInstances(world, store);
    const { u, thread, code } = await consent(bot, 701);
    await bot.handleUpdate(u.text(701, "message before the outage"));
    await until(() => threadPosts(thread!).includes(`*${code}:* message before the outage`), "the first message in the thread");
    // The outage starts after that delivery is complete (cursor moved): one that starts between
    // the post and the cursor is the at-least-once case, delivered again after the outage.
    const relays = caseRelays(store);
    for (let i = 0; i < 500 && ((await relays.toStaff.pending()) > 0 || (await relays.toPerson.pending()) > 0); i++) await new Promise((r) => setTimeout(r, 10));

    redis.down = true;
    await bot.handleUpdate(u.text(701, "message during the outage"));
    const during = toPerson(701).join("\n");
    expect(during).toContain("this message did not reach them"); // told, and still answered (triage first)
    await bot.handleUpdate(u.text(701, "/stop"));
    expect(toPerson(701).at(-1)).toContain("did not reach them");
    await staffSays(world, slack, thread!, "reply during the outage");
    await until(() => threadPosts(thread!).some((t) => t.includes("Not sent: the bot cannot reach its shared store")), "the note in the thread");
    expect(toPerson(701).some((t) => t.includes("reply during the outage"))).toBe(false);
    expect(threadPosts(thread!).some((t) => t.includes("message during the outage"))).toBe(false);

    redis.down = false;
    await bot.handleUpdate(u.text(701, "message after the outage"));
    await staffSays(world, slack, thread!, "reply after the outage");
    await until(() => threadPosts(thread!).includes(`*${code}:* message after the outage`), "the message after the outage in the thread");
    await until(() => toPerson(701).some((t) => t.includes("reply after the outage")), "the reply after the outage at the person");
    await new Promise((r) => setTimeout(r, 100)); // a duplicate would arrive now
    expect(threadPosts(thread!).filter((t) => t.startsWith(`*${code}:*`)), threadPosts(thread!).join("\n")).toEqual([`*${code}:* message before the outage`, `*${code}:* message after the outage`]);
    expect(toPerson(701).filter((t) => t.includes("reply after the outage"))).toHaveLength(1);
  });

  it("Telegram on the shared store with no Slack instance: the person is told nobody can be reached, staff-less cases are not queued", async () => {
    const store = new MemoryStore();
    const { bot } = caseInstances(world, store, { slackRelay: false });
    logs.length = 0;
    const { code } = await consent(bot, 702);
    expect(code).toBeUndefined();
    expect(toPerson(702).at(-1)).toContain("No NGO worker can be reached through this chat right now");
    expect(toPerson(702).at(-1)).toContain("116 16");
    const failed = logs.find((l) => l.event === "handoff_failed");
    expect(failed?.reason).toBe("no_slack_instance");
    expect(String(failed?.msg)).toContain("SLACK_BOT_TOKEN");
    expect(await store.keys("tg:case:case-")).toEqual([]);
    expect(await store.get("relay:case:staff:seq")).toBeUndefined();
  });

  it("no Telegram instance delivering staff replies: the thread says nothing was sent", async () => {
    const store = new MemoryStore();
    const { bot, slack } = caseInstances(world, store, { telegramRelay: false });
    const { thread, code } = await consent(bot, 703);
    await staffSays(world, slack, thread!, "can you hear me?");
    await until(() => threadPosts(thread!).some((t) => t.includes(`Not sent to ${code}: no Telegram instance`)), "the note in the thread");
    expect(await store.get("relay:case:person:seq")).toBeUndefined();
  });

  it("a full queue refuses more (bounded), and the sender is told", async () => {
    const queue = new RelayQueue<{ n: number }>(new MemoryStore(), "bounded", { maxPending: 2 });
    await queue.push({ n: 1 });
    await queue.push({ n: 2 });
    await expect(queue.push({ n: 3 })).rejects.toBeInstanceOf(RelayUnavailableError);
    await queue.drain(async () => "done");
    await expect(queue.push({ n: 4 })).resolves.toBe(3);

    // A Slack instance is alive but delivers nothing (stuck): the queue fills up to its bound,
    // then the person is told their message did not go.
    const store = new MemoryStore();
    const { bot } = caseInstances(world, store, { slackRelay: false, relay: { maxPending: 2 } });
    await store.set("relay:case:staff:alive", "stuck-instance", 60);
    const u = new Updates();
    await bot.handleUpdate(u.text(704, "My employer took my passport and does not pay me"));
    await bot.handleUpdate(u.callback(704, "ho:plain"));
    expect(toPerson(704).at(-1)).toContain("reads this chat"); // queued: the open item
    await bot.handleUpdate(u.text(704, "first while Slack is stuck"));
    expect(toPerson(704).at(-1)).toContain("reads this chat"); // queued too: nothing said
    await bot.handleUpdate(u.text(704, "second while Slack is stuck"));
    expect(toPerson(704).at(-1)).toContain("could not pass your message");
    expect(await store.get<number>("relay:case:staff:seq")).toBe(2);
  });

  it("files staff share are not passed on: text goes with a note, a file alone gets a note", async () => {
    const store = new MemoryStore();
    const { bot, slack } = caseInstances(world, store);
    const { thread, code } = await consent(bot, 705);
    const file = { id: "F0DOC1", name: "shelter-address.pdf", mimetype: "application/pdf" };
    await staffSays(world, slack, thread!, "", { subtype: "file_share", files: [file] });
    await until(() => threadPosts(thread!).some((t) => t.includes(`Not sent: files are not passed on to ${code}`)), "the files-only note");
    await staffSays(world, slack, thread!, "here is the address in words: Abay street 1", { subtype: "file_share", files: [file] });
    await until(() => toPerson(705).some((t) => t.includes("Abay street 1")), "the text at the person");
    await until(() => threadPosts(thread!).some((t) => t.includes("the attached file does not")), "the note about the file");
    expect(tg.calls.some((c) => c.method === "sendDocument" && String(c.payload.chat_id) === "705")).toBe(false);
  });

  it("the Close button while the store is down: a note, the case stays open", async () => {
    const redis = new SwitchableStore();
    const store = new FallbackStore(redis);
    const { bot, slack } = caseInstances(world, store);
    const { thread } = await consent(bot, 706);
    const root = slackApi.posts((a) => a.channel === CHANNEL && a.thread_ts === undefined).at(-1)!;
    const caseId = buttons(root.args.blocks).find((b) => b.action_id === CASE_CLOSE_ACTION)!.value;
    redis.down = true;
    await pressClose(world, slack, caseId, thread!);
    await until(() => threadPosts(thread!).some((t) => t.includes("Not sent: the bot cannot reach its shared store")), "the note in the thread");
    redis.down = false;
    expect(await store.get(`tg:case:${caseId}`)).toBeDefined();
  });
});

describe("Telegram staff chat: files and outages", () => {
  it("a staff reply while the shared store is down gets a note; nothing reaches the person", async () => {
    const STAFF = "-100889";
    const redis = new SwitchableStore();
    const store = new FallbackStore(redis);
    const deps: BotDeps = { core: world.assistant, store, caseSecret: "test-case-secret-0123456789", contacts: loadContacts(), staffChatId: STAFF };
    const bot = createBot(deps, { token: TOKEN, apiRoot: tg.apiRoot, botInfo: BOT_INFO });
    const u = new Updates();
    await bot.handleUpdate(u.text(708, "My employer took my passport and does not pay me"));
    await bot.handleUpdate(u.callback(708, "ho:plain"));
    const alert = tg.sentTo(STAFF).map((c) => plain(String(c.payload.text))).at(-1)!;
    const before = toPerson(708).length;
    redis.down = true;
    const reply = { message_id: 1, date: 0, chat: { id: Number(STAFF), type: "supergroup" }, from: { id: BOT_ID, is_bot: true, first_name: "Hotline" }, text: alert };
    await bot.handleUpdate(u.message(9003, { text: "are you safe?", reply_to_message: reply }, { chatId: Number(STAFF) }));
    expect(tg.sentTo(STAFF).map((c) => plain(String(c.payload.text))).at(-1)).toContain("Not sent: the bot cannot reach its shared store");
    expect(toPerson(708)).toHaveLength(before);
    // The person writing meanwhile is answered (triage first) and told it did not reach staff.
    await bot.handleUpdate(u.text(708, "hello, anyone?"));
    expect(toPerson(708).join("\n")).toContain("did not reach them");
    redis.down = false;
  });


  it("a staff reply with a photo and a caption: the caption goes, staff are told the file did not", async () => {
    const STAFF = "-100888";
    const store: KeyValueStore = new MemoryStore();
    const deps: BotDeps = { core: world.assistant, store, caseSecret: "test-case-secret-0123456789", contacts: loadContacts(), staffChatId: STAFF };
    const bot = createBot(deps, { token: TOKEN, apiRoot: tg.apiRoot, botInfo: BOT_INFO });
    const u = new Updates();
    await bot.handleUpdate(u.text(707, "My employer took my passport and does not pay me"));
    await bot.handleUpdate(u.callback(707, "ho:plain"));
    const alert = tg.sentTo(STAFF).map((c) => plain(String(c.payload.text))).at(-1)!;
    const reply = { message_id: 1, date: 0, chat: { id: Number(STAFF), type: "supergroup" }, from: { id: BOT_ID, is_bot: true, first_name: "Hotline" }, text: alert };
    const photo = [{ file_id: "p", file_unique_id: "p", width: 1, height: 1 }];
    await bot.handleUpdate(u.message(9002, { photo, caption: "the shelter is on Abay street", reply_to_message: reply }, { chatId: Number(STAFF) }));
    expect(toPerson(707).at(-1)).toContain("the shelter is on Abay street");
    expect(tg.sentTo(STAFF).map((c) => plain(String(c.payload.text))).at(-1)).toContain("the file was not passed on");
    await bot.handleUpdate(u.message(9002, { photo, reply_to_message: reply }, { chatId: Number(STAFF) }));
    expect(tg.sentTo(STAFF).map((c) => plain(String(c.payload.text))).at(-1)).toContain("files are never passed on");
    expect(tg.calls.some((c) => c.method === "sendPhoto")).toBe(false);
  });
});
