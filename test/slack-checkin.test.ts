/**
 * The model's check-in on Slack (issue 10's note, issue 11): the question comes with Yes / No
 * buttons like Telegram's, answered through the same core path (`Assistant.confirmCheck`):
 * Yes posts the fixed rules' route in the thread (level, indicators, contacts, case id), No a
 * note that the rules' level stands. An ephemeral answer's buttons answer ephemerally.
 */
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SlackApp } from "../adapters/slack/app.ts";
import type { Assistant } from "../src/assistant.ts";
import { localeOf } from "../src/language/languages.ts";
import { setLogger } from "../src/logger.ts";
import { MemoryStore } from "../src/store/kv.ts";
import { testAssistant, testConfig } from "./helpers/assistant.ts";
import { BOT_USER_ID, FakeSlack, blockText, buttons } from "./helpers/fake-slack.ts";
import { blockAction, eventEnvelope, processBody, testSlackApp } from "./helpers/slack-app.ts";

const TEXT = "we are 6 people, no food";
let fake: FakeSlack;
let slack: SlackApp;
let assistant: Assistant;
const logLines: string[] = [];

beforeAll(async () => {
  setLogger(pino({ level: "info" }, { write: (line: string) => void logLines.push(line) }));
  fake = await new FakeSlack().start();
  assistant = await testAssistant();
  const config = testConfig({ SLACK_STAFF_CHANNEL: "C0CKALERT", CASE_ID_SECRET: "case-id-secret-for-tests" });
  slack = testSlackApp({ api: fake, config, assistant, store: new MemoryStore() });
}, 60_000);
afterAll(async () => fake?.close());

async function mentionAndReply(channel: string, ts: string, text: string) {
  await processBody(slack, eventEnvelope({ type: "app_mention", user: "U0CHECK1", channel, ts, text: `<@${BOT_USER_ID}> ${text}` }));
  return fake.posts((a) => a.channel === channel && a.thread_ts === ts).at(-1)!;
}

describe("Slack check-in buttons", () => {
  it("shows the model's question with Yes / No; Yes posts the fixed route in the thread", async () => {
    const check = assistant.understand(TEXT, { locale: localeOf("en") }).triage.check;
    expect(check).toBeDefined();
    const reply = await mentionAndReply("C0CK00001", "1700100000.000100", TEXT);
    expect(blockText(reply.args.blocks)).toContain(`The model suggests asking: “${check!.text}”`);
    const pair = buttons(reply.args.blocks).filter((b) => b.action_id.startsWith("hotline_checkin_"));
    expect(pair.map((b) => [b.action_id, b.value])).toEqual([
      ["hotline_checkin_yes", `${check!.question}|en`],
      ["hotline_checkin_no", `${check!.question}|en`],
    ]);
    const replyTs = String(reply.response!.ts);
    await processBody(slack, { ...blockAction({ actionId: "hotline_checkin_yes", value: pair[0]!.value, channel: "C0CK00001", messageTs: replyTs, responseUrl: fake.responseUrl("ck1") }), message: { ts: replyTs, thread_ts: "1700100000.000100", type: "message", text: "" } });
    const routed = fake.posts((a) => a.channel === "C0CK00001" && a.thread_ts === "1700100000.000100").at(-1)!;
    const shown = blockText(routed.args.blocks);
    const expected = assistant.confirmCheck(check!.question, localeOf("en"))!;
    expect(shown).toContain(`Answered yes to “${check!.text}”`);
    expect(shown).toMatch(/116 16|112/);
    expect(shown).toMatch(/Case id: `case-[0-9a-f]{16}`/);
    expect(expected.level).not.toBe("none");
  });

  it("No notes that the rules' level stands, and nothing else", async () => {
    const reply = await mentionAndReply("C0CK00002", "1700100100.000100", TEXT);
    const no = buttons(reply.args.blocks).find((b) => b.action_id === "hotline_checkin_no")!;
    const replyTs = String(reply.response!.ts);
    await processBody(slack, { ...blockAction({ actionId: no.action_id, value: no.value, channel: "C0CK00002", messageTs: replyTs, responseUrl: fake.responseUrl("ck2") }), message: { ts: replyTs, thread_ts: "1700100100.000100", type: "message", text: "" } });
    const last = fake.posts((a) => a.channel === "C0CK00002" && a.thread_ts === "1700100100.000100").at(-1)!;
    expect(String(last.args.text)).toContain("Noted: answered no");
    expect(blockText(last.args.blocks)).not.toMatch(/116 16/);
  });

  it("an ephemeral answer's button answers only to the person who clicked; an unknown question gets a note", async () => {
    const value = `${assistant.understand(TEXT, { locale: localeOf("en") }).triage.check!.question}|en`;
    const body = blockAction({ actionId: "hotline_checkin_yes", value, channel: "C0CK00003", messageTs: "1700100200.000100", responseUrl: fake.responseUrl("ck3") });
    (body.container as Record<string, unknown>).is_ephemeral = true;
    await processBody(slack, body);
    const answer = fake.responses.find((r) => r.id === "ck3")!;
    expect(answer.body.response_type).toBe("ephemeral");
    expect(blockText(answer.body.blocks)).toMatch(/116 16|112/);
    await processBody(slack, blockAction({ actionId: "hotline_checkin_yes", value: "no_such_question|en", channel: "C0CK00004", messageTs: "1700100300.000100", responseUrl: fake.responseUrl("ck4") }));
    expect(String(fake.posts((a) => a.channel === "C0CK00004").at(-1)!.args.text)).toContain("no longer in the check list");
  });

  it("never logs the message text or the user id", () => {
    const all = logLines.join("\n");
    expect(all).toContain("slack_checkin");
    for (const secret of ["6 people", "no food", "U0CHECK1"]) expect(all).not.toContain(secret);
  });
});
