/**
 * Fault injection, Slack: an `ok:false internal_error` on the reply or the staff alert is
 * retried (neither is lost), and a hung `reactions.add` does not hold the answer.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pino } from "pino";
import { Assistant } from "../src/assistant.ts";
import { setLogger } from "../src/logger.ts";
import { MemoryStore } from "../src/store/kv.ts";
import { startSlack, type SlackRunner } from "../adapters/slack/start.ts";
import { testConfig } from "./helpers/assistant.ts";
import { FakeSlack, eventPayload, mentionEvent, postSigned } from "./helpers/fake-slack.ts";
import type { TriageEngine } from "../src/assistant.ts";
import type { TriageResult } from "../src/triage/types.ts";

const SECRET = "test-signing-secret-0123456789";
/** Stand-in triage: "passport" is a case. */
const fakeTriage: TriageEngine = {
  assess(text, locale): TriageResult {
    const loc = locale ?? { lang: "en", script: "latin" };
    if (!/passport/i.test(text)) return { level: "none", indicators: [], rules: [], locale: loc, contacts: [], reply: null };
    const contacts = [{ id: "hotline", name: "National trafficking hotline", phone: "116 16", purpose: "Help", source: "test", checked: "2025-01-01" }];
    return { level: "trafficking", indicators: ["retention_of_documents"], rules: ["test"], locale: loc, contacts, reply: "Call 116 16." };
  },
};
let fake: FakeSlack;
let runner: SlackRunner;
let eventsUrl: string;

beforeAll(async () => {
  setLogger(pino({ level: "silent" }));
  fake = await new FakeSlack().start();
  const config = testConfig({ SLACK_BOT_TOKEN: "xoxb-test-token", SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: fake.apiUrl, SLACK_STAFF_CHANNEL: "C0ALERTS", CASE_ID_SECRET: "case-id-secret-for-tests" });
  const assistant = await Assistant.create(config, { triage: fakeTriage });
  runner = await startSlack({ config, assistant, store: new MemoryStore(), port: 0, quiz: false, retry: { retries: 3, baseMs: 10, timeoutMs: 500 }, retryConfig: { retries: 0 } });
  eventsUrl = `http://127.0.0.1:${runner.port}/slack/events`;
});

afterAll(async () => {
  await runner?.stop();
  await fake?.close();
});

describe("Slack faults", () => {
  it("ok:false internal_error on the reply and on the staff alert: both still arrive", async () => {
    fake.failNext("chat.postMessage", { kind: "error", error: "internal_error" }, { kind: "error", error: "internal_error" });
    const ts = "1700000901.000100";
    await postSigned(eventsUrl, eventPayload(mentionEvent({ channel: "C0CHAN09", ts, text: "They took my passport at the border" })), { secret: SECRET });
    await fake.waitFor(() => (fake.posts((a) => a.channel === "C0ALERTS").length ? true : undefined), 5000);
    expect(fake.posts((a) => a.thread_ts === ts)).toHaveLength(1);
    expect(fake.posts((a) => a.channel === "C0ALERTS")).toHaveLength(1);
  });

  it("a hung reactions.add does not hold the answer", async () => {
    fake.failNext("reactions.add", { kind: "hang" });
    const ts = "1700000902.000100";
    const started = Date.now();
    await postSigned(eventsUrl, eventPayload(mentionEvent({ channel: "C0CHAN09", ts, text: "How many victims were identified in 2020?" })), { secret: SECRET });
    await fake.waitFor(() => (fake.posts((a) => a.thread_ts === ts).length ? true : undefined), 5000);
    expect(Date.now() - started).toBeLessThan(4000);
  });
});
