/**
 * Slack threads carry context (issue 13): a follow-up in a thread, with or without a mention,
 * is read with the thread's previous question; the question text is kept for at most an hour,
 * only a hash for the thread's life; staff get passages, never a migrant card unless they ask.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pino } from "pino";
import { Assistant } from "../src/assistant.ts";
import { setLogger } from "../src/logger.ts";
import { MemoryStore } from "../src/store/kv.ts";
import { createTriage } from "../src/triage/index.ts";
import type { SlackApp } from "../adapters/slack/app.ts";
import { THREAD_KEYS } from "../adapters/slack/thread-context.ts";
import { testConfig } from "./helpers/assistant.ts";
import { FakeSlack, blockText, BOT_USER_ID } from "./helpers/fake-slack.ts";
import { eventEnvelope, processBody, testSlackApp } from "./helpers/slack-app.ts";

let fake: FakeSlack;
let slack: SlackApp;
let store: MemoryStore;
let now = Date.now();
const logLines: string[] = [];

beforeAll(async () => {
  setLogger(pino({ level: "debug" }, { write: (line: string) => void logLines.push(line) }));
  fake = await new FakeSlack().start();
  const config = testConfig({ CASE_ID_SECRET: "case-id-secret-for-tests" });
  const assistant = await Assistant.create(config, { triage: createTriage() });
  store = new MemoryStore(() => now);
  slack = testSlackApp({ api: fake, config, assistant, store });
}, 60_000);

afterAll(async () => {
  await fake?.close();
});

async function deliver(event: Record<string, unknown>): Promise<void> {
  await processBody(slack, eventEnvelope(event));
}

const mention = (channel: string, ts: string, text: string, extra: Record<string, unknown> = {}) => ({
  type: "app_mention",
  user: "U0SECRET9",
  channel,
  ts,
  text: `<@${BOT_USER_ID}> ${text}`,
  ...extra,
});
const threadMessage = (channel: string, ts: string, threadTs: string, text: string) => ({
  type: "message",
  channel_type: "channel",
  user: "U0SECRET9",
  channel,
  ts,
  thread_ts: threadTs,
  text,
});
const lastReply = (channel: string) => blockText(fake.posts((a) => a.channel === channel).at(-1)!.args.blocks);

describe("Slack thread context", () => {
  it("answers both parts of a two-part question from adjacent passages: 88 and the 17 Uzbekistani nationals", async () => {
    await deliver(mention("C0T00001", "1700001000.000100", "How many victims did the government identify in 2020 and how many were foreigners?"));
    const shown = lastReply("C0T00001");
    expect(shown).toContain("88 trafficking victims");
    expect(shown).toContain("17 Uzbekistani nationals");
    expect(shown).toContain("In 2020 (TIP 2021 report)");
  });

  it("reads a follow-up without a mention with the thread's previous question (TIP 2021, not 2014)", async () => {
    await deliver(threadMessage("C0T00001", "1700001000.000200", "1700001000.000100", "and how many of them were men?"));
    const posts = fake.posts((a) => a.channel === "C0T00001");
    expect(posts).toHaveLength(2);
    expect(posts[1]!.args.thread_ts).toBe("1700001000.000100");
    const shown = blockText(posts[1]!.args.blocks);
    // Read alone, the reports "do not say" (or an older report answers); with the thread's question, TIP 2021 on 2020.
    expect(shown).not.toContain("do not say");
    expect(shown).toContain("all women and girls");
    expect(shown).toContain("TIP 2021");
    expect(shown).not.toContain("TIP 2014");
  });

  it("reads a follow-up with a mention in the thread the same way", async () => {
    await deliver(mention("C0T00002", "1700002000.000100", "How many calls did the trafficking hotline receive in 2020?"));
    await deliver(mention("C0T00002", "1700002000.000200", "and in 2019?", { thread_ts: "1700002000.000100" }));
    expect(lastReply("C0T00002")).toContain("1,834 calls");
  });

  it("does not answer thread messages in threads the bot has not answered in", async () => {
    await deliver(threadMessage("C0T00003", "1700003000.000200", "1700003000.000100", "how many victims in 2020?"));
    expect(fake.posts((a) => a.channel === "C0T00003")).toHaveLength(0);
  });

  it("keeps the question text an hour at most, then only a hash; a case description never", async () => {
    await deliver(mention("C0T00004", "1700004000.000100", "How many victims were identified in 2013?"));
    expect(await store.get(THREAD_KEYS.text("C0T00004", "1700004000.000100"))).toBe("How many victims were identified in 2013?");
    const record = await store.get<{ hash: string }>(THREAD_KEYS.thread("C0T00004", "1700004000.000100"));
    expect(record?.hash).toMatch(/^[0-9a-f]{16}$/);
    expect(JSON.stringify(record)).not.toContain("victims");
    now += 61 * 60 * 1000;
    expect(await store.get(THREAD_KEYS.text("C0T00004", "1700004000.000100"))).toBeUndefined();
    expect(await store.get(THREAD_KEYS.thread("C0T00004", "1700004000.000100"))).toBeDefined();
    // After the hour the follow-up is read alone (no 2013 context), but still answered in the thread.
    await deliver(threadMessage("C0T00004", "1700004000.000300", "1700004000.000100", "How many calls did the trafficking hotline receive in 2020?"));
    expect(lastReply("C0T00004")).toContain("1,341");

    await deliver(mention("C0T00005", "1700005000.000100", "My employer took my passport and does not pay me"));
    expect(await store.get(THREAD_KEYS.text("C0T00005", "1700005000.000100"))).toBeUndefined();
  });

  it("gives staff the passages, not the migrants' card, unless they ask for the card", async () => {
    await deliver({ type: "message", channel_type: "im", channel: "D0T00006", ts: "1700006000.000100", text: "Which NGOs run shelters?", user: "U0SECRET9" });
    const shown = lastReply("D0T00006");
    expect(shown).toMatch(/shelter/i);
    expect(shown).toMatch(/\*\[1\]\* (Trafficking in Persons|Human Trafficking|Kazakhstan submissions|An analysis)/);
    await deliver({ type: "message", channel_type: "im", channel: "D0T00006", ts: "1700006000.000200", text: "show the card: the boss keeps my passport", user: "U0SECRET9" });
    expect(lastReply("D0T00006")).toContain("116 16");
  });

  it("never logs the question text", () => {
    const all = logLines.join("\n");
    expect(all).not.toContain("how many of them were men");
    expect(all).not.toContain("U0SECRET9");
  });
});
