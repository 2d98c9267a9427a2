/**
 * The Slack adapter end to end over HTTP: signed requests to the running receiver on
 * 127.0.0.1, Web API calls and response URLs answered by a fake Slack on 127.0.0.1.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pino } from "pino";
import { Assistant, type TriageEngine } from "../src/assistant.ts";
import type { Config } from "../src/config.ts";
import { setLogger } from "../src/logger.ts";
import { MemoryStore } from "../src/store/kv.ts";
import type { TriageResult } from "../src/triage/types.ts";
import { startSlack, type SlackRunner } from "../adapters/slack/start.ts";
import { feedbackCounts } from "../adapters/slack/features/feedback.ts";
import { testConfig } from "./helpers/assistant.ts";
import {
  FakeSlack,
  blockText,
  buttonPayload,
  buttons,
  commandPayload,
  dmEvent,
  eventPayload,
  mentionEvent,
  postSigned,
  uniqueId,
} from "./helpers/fake-slack.ts";

const SECRET = "test-signing-secret-0123456789";

/** Stand-in triage (the real engine is wired in src/app.ts by its owner): "passport" is a case. */
const fakeTriage: TriageEngine = {
  assess(text, locale): TriageResult {
    const loc = locale ?? { lang: "en", script: "latin" };
    if (!/passport/i.test(text)) return { level: "none", indicators: [], rules: [], locale: loc, contacts: [], reply: null };
    return {
      level: "trafficking",
      indicators: ["retention_of_documents", "deception"],
      rules: ["test"],
      locale: loc,
      contacts: [{ id: "hotline", name: "National trafficking hotline", phone: "116 16", purpose: "Help for people affected by trafficking", source: "test", checked: "2025-01-01" }],
      reply: "Call 116 16.",
    };
  },
};

let fake: FakeSlack;
let runner: SlackRunner;
let config: Config;
let store: MemoryStore;
let eventsUrl: string;

beforeAll(async () => {
  setLogger(pino({ level: "silent" }));
  fake = await new FakeSlack().start();
  config = testConfig({
    SLACK_BOT_TOKEN: "xoxb-test-token",
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: fake.apiUrl,
    SLACK_STAFF_CHANNEL: "C0ALERTS",
    CASE_ID_SECRET: "case-id-secret-for-tests",
  });
  const assistant = await Assistant.create(config, { triage: fakeTriage });
  store = new MemoryStore();
  runner = await startSlack({
    config,
    assistant,
    store,
    port: 0,
    retry: { retries: 3, baseMs: 10 },
    retryConfig: { retries: 3, minTimeout: 10, maxTimeout: 50 },
  });
  eventsUrl = `http://127.0.0.1:${runner.port}/slack/events`;
});

afterAll(async () => {
  await runner?.stop();
  await fake?.close();
});

const sign = { secret: SECRET };

describe("Slack over HTTP", () => {
  it("answers a mention in the thread with Block Kit and citations", async () => {
    const ts = "1700000001.000100";
    const res = await postSigned(eventsUrl, eventPayload(mentionEvent({ channel: "C0CHAN01", ts, text: "How many victims were identified in 2020?" })), sign);
    expect(res.status).toBe(200);
    const [post] = await fake.waitFor(() => { const p = fake.posts((a) => a.thread_ts === ts); return p.length ? p : undefined; });
    expect(post!.args.channel).toBe("C0CHAN01");
    const text = blockText(post!.args.blocks);
    expect(text).toContain("What the reports say");
    expect(text).toMatch(/\*\[1\]\* Trafficking in Persons Report \d{4}/);
    expect(text).toMatch(/TIP \d{4}/);
    expect(text).toMatch(/^>/m); // the quoted passage
    const ids = buttons(post!.args.blocks).map((b) => b.action_id);
    expect(ids).toContain("hotline_show_passage_1");
    expect(ids).toEqual(expect.arrayContaining(["hotline_feedback_up", "hotline_feedback_down"]));
    // "eyes" while working, removed afterwards
    await fake.waitFor(() => fake.successful("reactions.remove", (a) => a.timestamp === ts).length > 0);
    expect(fake.successful("reactions.add", (a) => a.timestamp === ts && a.name === "eyes")).toHaveLength(1);
  });

  it("answers a direct message in the conversation", async () => {
    const ts = "1700000002.000100";
    const res = await postSigned(eventsUrl, eventPayload(dmEvent({ channel: "D0DM0001", ts, text: "What did the 2007 cable say about shelters?" })), sign);
    expect(res.status).toBe(200);
    const [post] = await fake.waitFor(() => { const p = fake.posts((a) => a.channel === "D0DM0001"); return p.length ? p : undefined; });
    expect(post!.args.thread_ts).toBeUndefined();
    expect(blockText(post!.args.blocks)).toContain("Cable 07ASTANA614");
  });

  it("replies in an existing thread when mentioned inside it", async () => {
    const res = await postSigned(
      eventsUrl,
      eventPayload(mentionEvent({ channel: "C0CHAN01", ts: "1700000003.000200", thread_ts: "1700000003.000100", text: "penalties for trafficking" })),
      sign,
    );
    expect(res.status).toBe(200);
    const [post] = await fake.waitFor(() => { const p = fake.posts((a) => a.thread_ts === "1700000003.000100"); return p.length ? p : undefined; });
    expect(blockText(post!.args.blocks)).toContain("[1]");
  });

  it("triages a case: indicators, contacts, privacy reminder, case id, staff alert without the text", async () => {
    const ts = "1700000004.000100";
    const text = "A worker says her employer took her passport and she was promised another job";
    await postSigned(eventsUrl, eventPayload(mentionEvent({ channel: "C0CHAN02", ts, text })), sign);
    const [post] = await fake.waitFor(() => { const p = fake.posts((a) => a.thread_ts === ts); return p.length ? p : undefined; });
    const reply = blockText(post!.args.blocks);
    expect(reply).toContain("possible trafficking case");
    expect(reply).toContain("Retention of identity documents");
    expect(reply).toContain("Deception");
    expect(reply).toContain("National trafficking hotline — *116 16*");
    expect(reply).toContain("don't paste names");
    const caseId = /Case id: `(case-[0-9a-f]{16})`/.exec(reply)?.[1];
    expect(caseId).toBeDefined();
    const [alert] = await fake.waitFor(() => { const p = fake.posts((a) => a.channel === "C0ALERTS"); return p.length ? p : undefined; });
    const alertText = `${String(alert!.args.text)}\n${blockText(alert!.args.blocks)}`;
    expect(alertText).toContain(caseId!);
    expect(alertText).toContain("<#C0CHAN02>");
    expect(alertText).toContain("Retention of identity documents");
    expect(alertText).not.toContain("passport");
    expect(alertText).not.toContain("employer");
  });

  it("rejects a bad signature with 401 and answers nothing", async () => {
    const before = fake.calls.length;
    const payload = eventPayload(mentionEvent({ channel: "C0CHAN03", ts: "1700000005.000100", text: "penalties" }));
    const res = await postSigned(eventsUrl, payload, { secret: SECRET, wrongSecret: "not-the-secret" });
    expect(res.status).toBe(401);
    expect(fake.posts((a) => a.channel === "C0CHAN03")).toHaveLength(0);
    expect(fake.calls.slice(before).filter((c) => c.method === "chat.postMessage")).toHaveLength(0);
  });

  it("rejects a request signed more than five minutes ago with 401", async () => {
    const payload = eventPayload(mentionEvent({ channel: "C0CHAN03", ts: "1700000006.000100", text: "penalties" }));
    const res = await postSigned(eventsUrl, payload, { secret: SECRET, timestamp: Math.floor(Date.now() / 1000) - 6 * 60 });
    expect(res.status).toBe(401);
  });

  it("answers a retried event (x-slack-retry-num) and a duplicate event id only once", async () => {
    const ts = "1700000007.000100";
    const eventId = uniqueId("EvRetry");
    const payload = eventPayload(mentionEvent({ channel: "C0CHAN04", ts, text: "help and shelters for victims" }), eventId);
    const claims: boolean[] = [];
    const setIfAbsent = store.setIfAbsent.bind(store);
    store.setIfAbsent = async (key, value, ttl) => {
      const won = await setIfAbsent(key, value, ttl);
      if (key === `slack:event:${eventId}`) claims.push(won);
      return won;
    };
    try {
      expect((await postSigned(eventsUrl, payload, sign)).status).toBe(200);
      expect((await postSigned(eventsUrl, payload, { ...sign, retryNum: 1 })).status).toBe(200);
      expect((await postSigned(eventsUrl, payload, { ...sign, retryNum: 2 })).status).toBe(200);
      await fake.waitFor(() => claims.length === 3 && fake.posts((a) => a.thread_ts === ts).length > 0);
      await runner.deps.queue.drain();
      expect(claims).toEqual([true, false, false]);
      expect(fake.posts((a) => a.thread_ts === ts)).toHaveLength(1);
    } finally {
      store.setIfAbsent = setIfAbsent;
    }
  });

  it("retries Web API calls that are rate limited (HTTP 429 and ok:false ratelimited)", async () => {
    const ts = "1700000008.000100";
    fake.failNext("chat.postMessage", { kind: "http429", retryAfter: 0 }, { kind: "error", error: "ratelimited" });
    await postSigned(eventsUrl, eventPayload(mentionEvent({ channel: "C0CHAN05", ts, text: "How many victims were identified in 2020?" })), sign);
    const [post] = await fake.waitFor(() => { const p = fake.posts((a) => a.thread_ts === ts); return p.length ? p : undefined; });
    expect(blockText(post!.args.blocks)).toContain("[1]");
    const attempts = fake.calls.filter((c) => c.method === "chat.postMessage" && c.args.thread_ts === ts);
    expect(attempts.map((c) => c.ok)).toEqual([false, false, true]);
  });

  it("answers the slash command privately with a Share button, then shares it in the channel", async () => {
    const id = uniqueId("cmd");
    const res = await postSigned(eventsUrl, commandPayload({ command: "/hotline-ask", text: "How many victims were identified in 2020?", responseUrl: fake.responseUrl(id) }), sign);
    expect(res.status).toBe(200);
    const reply = await fake.waitFor(() => fake.responses.find((r) => r.id === id));
    expect(reply.body.response_type).toBe("ephemeral");
    expect(blockText(reply.body.blocks)).toContain("*Question:* How many victims were identified in 2020?");
    expect(blockText(reply.body.blocks)).toMatch(/\*\[1\]\* /);
    const share = buttons(reply.body.blocks).find((b) => b.action_id === "hotline_share");
    expect(share?.text).toBe("Share in channel");

    const shareId = uniqueId("share");
    const click = await postSigned(eventsUrl, buttonPayload({ actionId: "hotline_share", value: share!.value, responseUrl: fake.responseUrl(shareId), ephemeral: true }), sign);
    expect(click.status).toBe(200);
    const shared = await fake.waitFor(() => fake.responses.find((r) => r.id === shareId && r.body.response_type === "in_channel"));
    expect(blockText(shared.body.blocks)).toContain("Shared by <@U0STAFF1>");
    expect(blockText(shared.body.blocks)).toMatch(/\*\[1\]\* /);
    await fake.waitFor(() => fake.responses.find((r) => r.id === shareId && r.body.delete_original === true));
  });

  it("explains usage on `/hotline-ask help`", async () => {
    const id = uniqueId("help");
    await postSigned(eventsUrl, commandPayload({ command: "/hotline-ask", text: "help", responseUrl: fake.responseUrl(id) }), sign);
    const reply = await fake.waitFor(() => fake.responses.find((r) => r.id === id));
    expect(reply.body.response_type).toBe("ephemeral");
    const text = blockText(reply.body.blocks);
    expect(text).toContain("/hotline-ask your question");
    expect(text).toContain("Share in channel");
  });

  it("escapes & < > from the question in the reply", async () => {
    const id = uniqueId("esc");
    // Slack sends slash command text with &, < and > already escaped.
    await postSigned(eventsUrl, commandPayload({ command: "/hotline-ask", text: "victims &lt;18 &amp; shelters &gt; 2020", responseUrl: fake.responseUrl(id) }), sign);
    const reply = await fake.waitFor(() => fake.responses.find((r) => r.id === id));
    const text = blockText(reply.body.blocks);
    expect(text).toContain("victims &lt;18 &amp; shelters &gt; 2020");
    expect(text).not.toContain("<18");
  });

  it("gives no Share button for a case description in the slash command", async () => {
    const id = uniqueId("case");
    await postSigned(eventsUrl, commandPayload({ command: "/hotline-ask", text: "they took my passport", responseUrl: fake.responseUrl(id) }), sign);
    const reply = await fake.waitFor(() => fake.responses.find((r) => r.id === id));
    expect(blockText(reply.body.blocks)).toContain("Retention of identity documents");
    expect(buttons(reply.body.blocks).find((b) => b.action_id === "hotline_share")).toBeUndefined();
  });

  it("shows the full passage and counts feedback per passage id, once per person and answer", async () => {
    const ts = "1700000009.000100";
    await postSigned(eventsUrl, eventPayload(mentionEvent({ channel: "C0CHAN06", ts, text: "How many victims were identified in 2020?" })), sign);
    const [post] = await fake.waitFor(() => { const p = fake.posts((a) => a.thread_ts === ts); return p.length ? p : undefined; });
    const all = buttons(post!.args.blocks);
    const show = all.find((b) => b.action_id === "hotline_show_passage_1")!;
    const passage = runner.deps.assistant.passage(show.value)!;

    const showId = uniqueId("show");
    await postSigned(eventsUrl, buttonPayload({ actionId: show.action_id, value: show.value, responseUrl: fake.responseUrl(showId) }), sign);
    const full = await fake.waitFor(() => fake.responses.find((r) => r.id === showId));
    expect(full.body.response_type).toBe("ephemeral");
    const shown = blockText(full.body.blocks);
    expect(shown).toContain(passage.text.slice(0, 60).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;"));
    expect(shown).toContain(show.value);

    const up = all.find((b) => b.action_id === "hotline_feedback_up")!;
    const ids = up.value.split(" ");
    const before = await feedbackCounts(store, ids[0]!);
    const upId = uniqueId("up");
    await postSigned(eventsUrl, buttonPayload({ actionId: up.action_id, value: up.value, responseUrl: fake.responseUrl(upId), messageTs: String(post!.args.ts ?? ts) }), sign);
    const thanks = await fake.waitFor(() => fake.responses.find((r) => r.id === upId));
    expect(thanks.body.text).toContain("Thanks");
    const after = await feedbackCounts(store, ids[0]!);
    expect(after).toEqual({ up: before.up + 1, down: before.down });

    const againId = uniqueId("again");
    await postSigned(eventsUrl, buttonPayload({ actionId: "hotline_feedback_down", value: up.value, responseUrl: fake.responseUrl(againId), messageTs: String(post!.args.ts ?? ts) }), sign);
    const again = await fake.waitFor(() => fake.responses.find((r) => r.id === againId));
    expect(again.body.text).toContain("already");
    expect(await feedbackCounts(store, ids[0]!)).toEqual(after);
  });

  it("answers the health check", async () => {
    const res = await fetch(`http://127.0.0.1:${runner.port}/healthz`);
    expect(res.status).toBe(200);
  });
});
