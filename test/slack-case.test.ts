/**
 * The two-way handoff through Slack (issue 11 item 3): the person on Telegram (fake Bot API),
 * staff in a thread of SLACK_STAFF_CHANNEL (fake Slack Web API), the relay through the shared
 * store. A disclosure, consent, three messages each way, a photo as a notice, an emergency
 * mid-case, close by the person, close by staff (`close` and the button), /forget mid-case, a
 * reply to a closed case, Telegram and Slack errors while relaying; and two Telegram and two
 * Slack instances on Redis with the messages landing on different instances (each relayed
 * exactly once, in order).
 */
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SlackApp } from "../adapters/slack/app.ts";
import { CASE_CLOSE_ACTION } from "../adapters/slack/features/cases.ts";
import type { HotlineBot } from "../adapters/telegram/bot.ts";
import { setLogger } from "../src/logger.ts";
import { type KeyValueStore, MemoryStore } from "../src/store/kv.ts";
import { RedisStore } from "../src/store/redis-store.ts";
import { type CaseWorld, caseInstances, closeCaseWorld, startCaseWorld, pressClose as press, staffSays as says, until } from "./helpers/cases.ts";
import { type FakeSlack, blockText, buttons } from "./helpers/fake-slack.ts";
import { type FakeTelegram, Updates } from "./helpers/fake-telegram.ts";

const CHANNEL = "C0CASES1";
const plain = (html: string) => html.replace(/<[^>]+>/g, "");

let tg: FakeTelegram;
let slackApi: FakeSlack;
let world: CaseWorld;
const logLines: string[] = [];

beforeAll(async () => {
  setLogger(pino({ level: "info" }, { write: (line: string) => void logLines.push(line) }));
  world = await startCaseWorld(CHANNEL);
  ({ tg, slackApi } = world);
}, 60_000);
afterAll(() => closeCaseWorld(world));

/** One Telegram instance and one Slack instance on `store`, each with its relay running. */
const instances = (store: KeyValueStore): { bot: HotlineBot; slack: SlackApp } => caseInstances(world, store);
const staffSays = (slack: SlackApp, thread: string, text: string) => says(world, slack, thread, text);
const pressClose = (slack: SlackApp, caseId: string, thread: string) => press(world, slack, caseId, thread);

const toPerson = (chat: number) => tg.sentTo(chat).map((c) => plain(String(c.payload.text)));
const threadPosts = (ts: string) => slackApi.posts((a) => a.channel === CHANNEL && a.thread_ts === ts).map((c) => String(c.args.text));

/**
 * Disclosure, consent, the case thread, three messages each way (person's on `tgs` in turn,
 * staff's on `slacks` in turn). Returns the thread and the case.
 */
async function openCase(tgs: HotlineBot[], slacks: SlackApp[], person: number) {
  const u = new Updates();
  await tgs[0]!.handleUpdate(u.text(person, "My employer took my passport and does not pay me"));
  expect(toPerson(person).at(-1)).toContain("116 16");
  await tgs[0]!.handleUpdate(u.callback(person, "ho:plain"));
  const told = toPerson(person).at(-1)!;
  const code = /\b[0-9A-Z]{2}-[0-9A-Z]{3}\b/.exec(told)![0];
  expect(told).toMatch(/reads this chat/);
  const root = await until(() => slackApi.posts((a) => a.channel === CHANNEL && a.thread_ts === undefined && String(a.text).includes(code)).at(-1), "the case thread");
  const thread = String(root.response!.ts);
  const rootText = blockText(root.args.blocks);
  expect(rootText).toContain("retention of identity documents");
  expect(rootText).not.toContain(String(person));
  const caseId = buttons(root.args.blocks).find((b) => b.action_id === CASE_CLOSE_ACTION)!.value;
  expect(caseId).toMatch(/^case-[0-9a-f]{16}$/);

  for (let i = 1; i <= 3; i++) {
    await tgs[i % tgs.length]!.handleUpdate(u.text(person, `person message ${i}`));
    await staffSays(slacks[i % slacks.length]!, thread, `staff writes ${i}`);
  }
  await until(() => threadPosts(thread).filter((t) => t.includes("person message")).length >= 3, "three messages to staff");
  await until(() => toPerson(person).filter((t) => t.includes("staff writes")).length >= 3, "three messages to the person");
  await new Promise((r) => setTimeout(r, 100)); // a duplicate would arrive now
  expect(threadPosts(thread).filter((t) => t.includes("person message"))).toEqual([1, 2, 3].map((i) => `*${code}:* person message ${i}`));
  expect(toPerson(person).filter((t) => t.includes("staff writes")).map((t) => t.split("\n").at(-1))).toEqual(["staff writes 1", "staff writes 2", "staff writes 3"]);
  expect(toPerson(person).some((t) => t.includes("[1]"))).toBe(false); // the bot did not answer them itself
  // Delivered staff replies are marked in the thread.
  await until(() => slackApi.successful("reactions.add", (a) => a.name === "white_check_mark").length >= 3, "delivery marks");
  return { u, code, thread, caseId };
}

describe("Slack case thread", () => {
  it("relays both ways; media as a notice; an emergency still gets its numbers; the person closes; a late reply gets a note", async () => {
    const PERSON = 60_139_271; // distinctive, so the log check cannot match a timestamp
    const store = new MemoryStore();
    const { bot, slack } = instances(store);
    const { u, code, thread } = await openCase([bot], [slack], PERSON);

    await bot.handleUpdate(u.message(PERSON, { photo: [{ file_id: "p", file_unique_id: "p", width: 1, height: 1 }] }));
    await until(() => threadPosts(thread).some((t) => t === `*${code}:* _[photo]_`), "the photo notice");
    await bot.handleUpdate(u.message(PERSON, { sticker: { file_id: "s", file_unique_id: "s", width: 1, height: 1, is_animated: false, is_video: false, type: "regular" } }));
    await until(() => threadPosts(thread).some((t) => t === `*${code}:* _[sticker]_`), "the sticker notice");

    await bot.handleUpdate(u.text(PERSON, "they locked us in the basement"));
    expect(toPerson(PERSON).at(-1)).toContain("112");
    await until(() => threadPosts(thread).some((t) => t.includes("locked us in the basement")), "the emergency relayed");

    await bot.handleUpdate(u.text(PERSON, "/stop"));
    expect(toPerson(PERSON).at(-1)).toContain("no longer reads this chat");
    await until(() => threadPosts(thread).some((t) => t.includes("the person closed the conversation")), "the close note");

    const before = toPerson(PERSON).length;
    await staffSays(slack, thread, "are you there?");
    await until(() => threadPosts(thread).some((t) => t.includes(`Case ${code} is closed`) && t.includes("Nothing was sent")), "the closed-case note");
    expect(toPerson(PERSON)).toHaveLength(before);
    // After the case, the bot answers the person again.
    await bot.handleUpdate(u.text(PERSON, "hello"));
    expect(threadPosts(thread).some((t) => t.includes("hello"))).toBe(false);

    // Privacy: relayed text never reaches the logs, nor the person's id.
    const logs = logLines.join("\n");
    expect(logs).not.toContain("person message");
    expect(logs).not.toContain("staff writes");
    expect(logs).not.toMatch(new RegExp(`\\b${PERSON}\\b`)); // as a whole number, not digits inside a timestamp
  });

  it("staff close with `close` and with the button; /forget closes mid-case", async () => {
    const store = new MemoryStore();
    const { bot, slack } = instances(store);
    const first = await openCase([bot], [slack], 602);
    await staffSays(slack, first.thread, "close");
    await until(() => toPerson(602).some((t) => t.includes("closed this conversation")), "the person told");
    expect(threadPosts(first.thread).some((t) => t.includes(`Case ${first.code} closed by <@U0STAFF1>`))).toBe(true);
    await bot.handleUpdate(first.u.text(602, "hello?"));
    await new Promise((r) => setTimeout(r, 100));
    expect(threadPosts(first.thread).some((t) => t.includes("hello?"))).toBe(false);

    const second = await openCase([bot], [slack], 603);
    await pressClose(slack, second.caseId, second.thread);
    await until(() => toPerson(603).some((t) => t.includes("closed this conversation")), "the person told (button)");
    expect(threadPosts(second.thread).some((t) => t.includes(`Case ${second.code} closed by <@U0STAFF2>`))).toBe(true);

    const third = await openCase([bot], [slack], 604);
    await bot.handleUpdate(third.u.text(604, "/forget"));
    await until(() => threadPosts(third.thread).some((t) => t.includes("deleted their data")), "the /forget note");
    await bot.handleUpdate(third.u.text(604, "one more"));
    await staffSays(slack, third.thread, "still there?");
    await until(() => threadPosts(third.thread).some((t) => t.includes("is closed")), "the closed-case note");
    expect(threadPosts(third.thread).some((t) => t.includes("one more"))).toBe(false);
    expect(toPerson(604).some((t) => t.includes("still there?"))).toBe(false);
  });

  it("reports relay errors: Telegram refusing in the thread, Slack failing to the person", async () => {
    const store = new MemoryStore();
    const { bot, slack } = instances(store);
    const { u, thread } = await openCase([bot], [slack], 605);
    // The person blocked the bot: Telegram refuses the reply.
    tg.fail("sendMessage", 403, { ok: false, error_code: 403, description: "Forbidden: bot was blocked by the user" });
    await staffSays(slack, thread, "can you call us?");
    await until(() => threadPosts(thread).some((t) => t.includes("Could not deliver this reply") && t.includes("blocked")), "the Telegram error in the thread");
    // A passing Telegram fault (500) is retried and then delivered, once.
    tg.fail("sendMessage", 500, { ok: false, error_code: 500, description: "Internal Server Error" }, 3);
    await staffSays(slack, thread, "second try");
    await until(() => toPerson(605).some((t) => t.includes("second try")), "delivery after a passing fault");
    expect(toPerson(605).filter((t) => t.includes("second try"))).toHaveLength(1);
    // Slack cannot take the person's message: retried, then the person is told.
    slackApi.failNext("chat.postMessage", { kind: "error", error: "internal_error" }, { kind: "error", error: "channel_not_found" });
    await bot.handleUpdate(u.text(605, "are you reading this?"));
    await until(() => toPerson(605).some((t) => t.includes("could not pass your message")), "the person told of the Slack error");
    // A Slack rate limit is waited out and the message goes through, once.
    slackApi.failNext("chat.postMessage", { kind: "error", error: "ratelimited" });
    await bot.handleUpdate(u.text(605, "after the limit"));
    await until(() => threadPosts(thread).some((t) => t.includes("after the limit")), "delivery after a rate limit");
    expect(threadPosts(thread).filter((t) => t.includes("after the limit"))).toHaveLength(1);
  });

  const redisUrl = process.env.REDIS_TEST_URL;
  it.skipIf(!redisUrl)("two Telegram and two Slack instances on Redis: every message relayed once, in order", async () => {
    const prefix = `test:slack-case:${Date.now()}:`;
    const stores = [new RedisStore(redisUrl!, prefix), new RedisStore(redisUrl!, prefix)];
    try {
      const [one, two] = [instances(stores[0]!), instances(stores[1]!)];
      const { u, thread, code } = await openCase([one.bot, two.bot], [one.slack, two.slack], 606);
      await two.bot.handleUpdate(u.text(606, "/stop"));
      await until(() => threadPosts(thread).some((t) => t.includes("the person closed the conversation")), "the close note");
      await new Promise((r) => setTimeout(r, 150));
      expect(threadPosts(thread).filter((t) => t.startsWith(`*${code}:*`))).toHaveLength(3);
      expect(threadPosts(thread).filter((t) => t.includes("closed the conversation"))).toHaveLength(1);
    } finally {
      await stores[0]!.deletePrefix("");
      await Promise.all(stores.map((s) => s.close()));
    }
  });
});
