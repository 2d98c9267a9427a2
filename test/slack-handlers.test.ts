/**
 * Slack listeners driven through `app.processEvent` (no HTTP receiver), with the real triage
 * engine; Web API calls and response URLs go to the fake Slack on 127.0.0.1.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pino } from "pino";
import { Assistant } from "../src/assistant.ts";
import { setLogger } from "../src/logger.ts";
import { MemoryStore } from "../src/store/kv.ts";
import { createTriage } from "../src/triage/index.ts";
import type { SlackApp } from "../adapters/slack/app.ts";
import { feedbackCounts } from "../adapters/slack/features/feedback.ts";
import { testConfig } from "./helpers/assistant.ts";
import { FakeSlack, blockText, buttons, TEAM_ID, BOT_USER_ID, uniqueId } from "./helpers/fake-slack.ts";
import { eventEnvelope as envelope, processBody, testSlackApp } from "./helpers/slack-app.ts";

let fake: FakeSlack;
let slack: SlackApp;
let store: MemoryStore;
const logLines: string[] = [];

beforeAll(async () => {
  // Capture log output to check that no message text or user id is ever logged.
  setLogger(pino({ level: "debug" }, { write: (line: string) => void logLines.push(line) }));
  fake = await new FakeSlack().start();
  const config = testConfig({ SLACK_STAFF_CHANNEL: "C0ALERTS", CASE_ID_SECRET: "case-id-secret-for-tests" });
  const assistant = await Assistant.create(config, { triage: createTriage() });
  store = new MemoryStore();
  slack = testSlackApp({ api: fake, config, assistant, store });
});

afterAll(async () => {
  await fake?.close();
});

async function deliver(body: Record<string, unknown>, retryNum?: number): Promise<{ acks: unknown[] }> {
  return { acks: await processBody(slack, body, retryNum) };
}

function mention(channel: string, ts: string, text: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { type: "app_mention", user: "U0SECRET9", channel, ts, text: `<@${BOT_USER_ID}> ${text}`, ...extra };
}

describe("Slack listeners", () => {
  it("acks the event before answering, then answers in the thread", async () => {
    const { acks } = await deliver(envelope(mention("C0H00001", "1700000100.000100", "How many victims were identified in 2020?")));
    expect(acks).toHaveLength(1);
    const posts = fake.posts((a) => a.channel === "C0H00001");
    expect(posts).toHaveLength(1);
    expect(posts[0]!.args.thread_ts).toBe("1700000100.000100");
    expect(blockText(posts[0]!.args.blocks)).toMatch(/\*\[1\]\* Trafficking in Persons Report/);
  });

  it("triages with the real engine: indicators, contacts, privacy reminder and a staff alert", async () => {
    const text = "My employer took my passport and does not pay me, I cannot leave the house";
    await deliver(envelope(mention("C0H00002", "1700000200.000100", text)));
    const [reply] = fake.posts((a) => a.channel === "C0H00002");
    const shown = blockText(reply!.args.blocks);
    expect(shown).toContain("possible trafficking case");
    expect(shown).toContain("Retention of identity documents");
    expect(shown).toContain("Withholding of wages");
    expect(shown).toContain("National trafficking hotline — *116 16*");
    expect(shown).toContain("don't paste names");
    const caseId = /`(case-[0-9a-f]{16})`/.exec(shown)?.[1];
    const [alert] = fake.posts((a) => a.channel === "C0ALERTS" && blockText(a.blocks).includes("<#C0H00002>"));
    expect(alert).toBeDefined();
    expect(blockText(alert!.args.blocks)).toContain(caseId!);
    expect(blockText(alert!.args.blocks)).not.toContain("passport");
  });

  it("gives the same case id to every message of one thread, another to another thread", async () => {
    const idOf = (channel: string) => /`(case-[0-9a-f]{16})`/.exec(blockText(fake.posts((a) => a.channel === channel).at(-1)!.args.blocks))?.[1];
    await deliver(envelope(mention("C0H00003", "1700000300.000200", "they took her passport", { thread_ts: "1700000300.000100" })));
    const first = idOf("C0H00003");
    await deliver(envelope(mention("C0H00003", "1700000300.000300", "and they do not pay her salary", { thread_ts: "1700000300.000100" })));
    expect(idOf("C0H00003")).toBe(first);
    await deliver(envelope(mention("C0H00003", "1700000301.000100", "they took his passport")));
    expect(idOf("C0H00003")).not.toBe(first);
  });

  it("replies in Russian texts to a Russian case description", async () => {
    await deliver(envelope(mention("C0H00004", "1700000400.000100", "У неё забрали паспорт и не платят зарплату")));
    const shown = blockText(fake.posts((a) => a.channel === "C0H00004")[0]!.args.blocks);
    expect(shown).toContain("Удержание документов, удостоверяющих личность");
    expect(shown).toContain("Номер случая");
  });

  it("drops a delivery whose event id was already handled (Slack retry)", async () => {
    const body = envelope(mention("C0H00005", "1700000500.000100", "penalties for trafficking"), "EvSameId001");
    await deliver(body);
    const retry = await deliver(body, 1);
    expect(retry.acks).toHaveLength(1); // still acknowledged, so Slack stops retrying
    expect(fake.posts((a) => a.channel === "C0H00005")).toHaveLength(1);
  });

  it("answers one message once even when it arrives under two event ids", async () => {
    const event = mention("C0H00006", "1700000600.000100", "penalties for trafficking");
    await deliver(envelope(event, "EvFirst0001"));
    await deliver(envelope(event, "EvSecond001"));
    expect(fake.posts((a) => a.channel === "C0H00006")).toHaveLength(1);
  });

  it("ignores bot messages, edits and channel messages that are not DMs", async () => {
    await deliver(envelope({ type: "message", channel_type: "im", channel: "D0H00007", ts: "1700000700.000100", text: "hi", bot_id: "B0OTHER" }));
    await deliver(envelope({ type: "message", channel_type: "im", subtype: "message_changed", channel: "D0H00007", ts: "1700000700.000200", message: { text: "x" } }));
    await deliver(envelope({ type: "message", channel_type: "channel", channel: "C0H00007", ts: "1700000700.000300", text: "penalties", user: "U0SECRET9" }));
    expect(fake.posts((a) => a.channel === "D0H00007" || a.channel === "C0H00007")).toHaveLength(0);
  });

  it("answers `help` in a direct message with usage", async () => {
    await deliver(envelope({ type: "message", channel_type: "im", channel: "D0H00008", ts: "1700000800.000100", text: "help", user: "U0SECRET9" }));
    expect(blockText(fake.posts((a) => a.channel === "D0H00008")[0]!.args.blocks)).toContain("/hotline-ask your question");
  });

  it("says politely what it covers when a question is off topic", async () => {
    await deliver(envelope({ type: "message", channel_type: "im", channel: "D0H00009", ts: "1700000900.000100", text: "what is the weather on Mars", user: "U0SECRET9" }));
    const shown = blockText(fake.posts((a) => a.channel === "D0H00009")[0]!.args.blocks);
    // A short reply of its own (off-topic, "what I am for", or what the reports cover), never a quote.
    expect(shown).toMatch(/I can only help with questions about work, migration, forced labour and trafficking|I am a hotline assistant, not a person|The reports I answer from do not say this/);
    expect(shown).not.toMatch(/\[1\]/);
  });

  it("keeps running when posting fails, and answers the next message", async () => {
    fake.failNext("chat.postMessage", { kind: "error", error: "channel_not_found" });
    await deliver(envelope(mention("C0H00010", "1700001000.000100", "penalties for trafficking")));
    expect(fake.posts((a) => a.channel === "C0H00010")).toHaveLength(0);
    await deliver(envelope(mention("C0H00010", "1700001000.000200", "penalties for trafficking")));
    expect(fake.posts((a) => a.channel === "C0H00010")).toHaveLength(1);
  });

  it("handles the slash command through respond() and counts 👎 per passage", async () => {
    const id = uniqueId("cmd");
    const acks: unknown[] = [];
    await slack.app.processEvent({
      body: {
        command: "/hotline-ask", text: "How many victims were identified in 2020?", team_id: TEAM_ID, channel_id: "C0H00011", user_id: "U0SECRET9",
        response_url: fake.responseUrl(id), trigger_id: "trig.1", api_app_id: "A0APP", token: "legacy",
      },
      ack: async (r?: unknown) => void acks.push(r ?? null),
    });
    expect(acks).toHaveLength(1);
    const reply = fake.responses.find((r) => r.id === id)!;
    expect(reply.body.response_type).toBe("ephemeral");
    const down = buttons(reply.body.blocks).find((b) => b.action_id === "hotline_feedback_down")!;
    const first = down.value.split(" ")[0]!;
    const before = await feedbackCounts(store, first);
    await slack.app.processEvent({
      body: {
        type: "block_actions", team: { id: TEAM_ID }, user: { id: "U0SECRET9" }, channel: { id: "C0H00011" }, trigger_id: "trig.2",
        container: { type: "message", message_ts: "1700001100.000100", is_ephemeral: true }, response_url: fake.responseUrl(`${id}-fb`),
        actions: [{ type: "button", action_id: down.action_id, value: down.value, block_id: "b", action_ts: "1" }], api_app_id: "A0APP", token: "legacy",
      },
      ack: async () => undefined,
    });
    expect(await feedbackCounts(store, first)).toEqual({ up: before.up, down: before.down + 1 });
  });

  it("never logs message text or user ids", () => {
    const all = logLines.join("\n");
    expect(all).toContain("slack_answer");
    for (const secret of ["passport", "паспорт", "U0SECRET9", "victims were identified", "weather on Mars"]) expect(all).not.toContain(secret);
  });
});
