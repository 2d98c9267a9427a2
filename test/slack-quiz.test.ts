/**
 * The Slack team quiz on the shared quiz engine, driven through `app.processEvent`: question
 * with one button per option, first click counts, "Next" for the starter only, reveal with the
 * cited passage (on "Next" and when the timer ends), leaderboard.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pino } from "pino";
import type { Receiver } from "@slack/bolt";
import { Assistant } from "../src/assistant.ts";
import { setLogger, logger } from "../src/logger.ts";
import { MemoryStore } from "../src/store/kv.ts";
import { loadBank } from "../src/quiz/bank.ts";
import { QuizEngine } from "../src/quiz/engine.ts";
import { createSlackApp, type SlackApp } from "../adapters/slack/app.ts";
import { testConfig } from "./helpers/assistant.ts";
import { FakeSlack, blockText, buttons, TEAM_ID, uniqueId } from "./helpers/fake-slack.ts";

const stub: Receiver = { init: () => {}, start: async () => undefined, stop: async () => undefined };
let fake: FakeSlack;
let assistant: Assistant;
const apps: SlackApp[] = [];

function seeded(seed: number): () => number {
  let s = seed;
  return () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
}

function build(openPeriodSeconds: number): SlackApp {
  const store = new MemoryStore();
  const config = testConfig();
  const slack = createSlackApp({
    token: "xoxb-test",
    receiver: stub,
    config: { ...config, SLACK_API_URL: fake.apiUrl },
    assistant,
    store,
    log: logger(),
    quiz: { engine: new QuizEngine({ bank: loadBank(), store, random: seeded(7) }), openPeriodSeconds },
  });
  apps.push(slack);
  return slack;
}

beforeAll(async () => {
  setLogger(pino({ level: "silent" }));
  fake = await new FakeSlack().start();
  assistant = await Assistant.create(testConfig());
});

afterAll(async () => {
  for (const a of apps) a.quiz?.stop();
  await fake?.close();
});

async function command(slack: SlackApp, channel: string, text: string, user = "U0TRAINER"): Promise<string> {
  const id = uniqueId("quiz");
  await slack.app.processEvent({
    body: { command: "/hotline-quiz", text, team_id: TEAM_ID, channel_id: channel, user_id: user, user_name: user === "U0TRAINER" ? "trainer" : "someone", response_url: fake.responseUrl(id), trigger_id: uniqueId("t."), api_app_id: "A0APP", token: "legacy" },
    ack: async () => undefined,
  });
  return id;
}

async function click(slack: SlackApp, channel: string, actionId: string, value: string, user: string, name: string): Promise<string> {
  const id = uniqueId("click");
  await slack.app.processEvent({
    body: {
      type: "block_actions", team: { id: TEAM_ID }, user: { id: user, name }, channel: { id: channel }, trigger_id: uniqueId("t."),
      container: { type: "message", message_ts: "1", channel_id: channel }, response_url: fake.responseUrl(id), api_app_id: "A0APP", token: "legacy",
      actions: [{ type: "button", action_id: actionId, value, block_id: "b", action_ts: "1" }],
    },
    ack: async () => undefined,
  });
  return id;
}

const reply = (id: string) => fake.responses.find((r) => r.id === id)?.body;

describe("Slack quiz", () => {
  it("runs a quiz: options as buttons, first click counts, Next for the starter, reveal with citation, leaderboard", async () => {
    const slack = build(0);
    const channel = "C0QUIZ001";
    await command(slack, channel, "2");
    const [first] = fake.posts((a) => a.channel === channel);
    const opts = buttons(first!.args.blocks).filter((b) => b.action_id.startsWith("hotline_quiz_answer_"));
    expect(opts.length).toBeGreaterThanOrEqual(2);
    expect(blockText(first!.args.blocks)).toContain("Question 1/2");
    expect(blockText(first!.args.blocks)).toContain("started a quiz with 2 questions");
    const [sessionId] = opts[0]!.value.split("|");
    const q = (await slack.quiz!.engine.current(sessionId!))!;

    const a1 = await click(slack, channel, `hotline_quiz_answer_${q.correct}`, opts[q.correct]!.value, "U0ALICE", "alice");
    expect(reply(a1)?.text).toMatch(/Your answer [A-J] is recorded/);
    const a2 = await click(slack, channel, "hotline_quiz_answer_0", opts[(q.correct + 1) % opts.length]!.value, "U0ALICE", "alice");
    expect(reply(a2)?.text).toBe("Only your first answer counts.");

    const next = buttons(first!.args.blocks).find((b) => b.action_id === "hotline_quiz_next")!;
    const denied = await click(slack, channel, "hotline_quiz_next", next.value, "U0ALICE", "alice");
    expect(reply(denied)?.text).toContain("Only the person who started the quiz");
    await click(slack, channel, "hotline_quiz_next", next.value, "U0TRAINER", "trainer");

    const [reveal] = fake.successful("chat.update", (a) => a.channel === channel);
    expect(reveal!.args.ts).toBe(first!.response!.ts); // the question message becomes the reveal
    const revealed = blockText(reveal!.args.blocks);
    expect(revealed).toContain(`Answer: ${String.fromCharCode(65 + q.correct)})`);
    expect(revealed).toMatch(/\*\[1\]\* .+ \(\d{4}\) · /); // cited document, year, locator
    expect(revealed).toContain("1 answered, 1 correct.");
    expect(buttons(reveal!.args.blocks)).toHaveLength(0);

    const second = fake.posts((a) => a.channel === channel)[1]!;
    expect(blockText(second.args.blocks)).toContain("Question 2/2");
    const next2 = buttons(second.args.blocks).find((b) => b.action_id === "hotline_quiz_next")!;
    await click(slack, channel, "hotline_quiz_next", next2.value, "U0TRAINER", "trainer");
    const board = fake.posts((a) => a.channel === channel)[2]!;
    expect(blockText(board.args.blocks)).toContain("Quiz finished");
    expect(blockText(board.args.blocks)).toContain("1. alice: 1/1 correct");

    const lb = await command(slack, channel, "leaderboard");
    expect(blockText(reply(lb)?.blocks)).toContain("alice");

    const csv = await command(slack, channel, "csv");
    expect(reply(csv)?.text).toContain("rank,name,answered,correct,questions,time_seconds");
    expect(reply(csv)?.text).toMatch(/\n1,alice,1,1,/);
  });

  it("reveals and moves on when the question's timer ends", async () => {
    const slack = build(1);
    const channel = "C0QUIZ002";
    await command(slack, channel, "2");
    await fake.waitFor(() => fake.successful("chat.update", (a) => a.channel === channel).length > 0, 20_000, "reveal after the timer");
    await fake.waitFor(() => fake.posts((a) => a.channel === channel && blockText(a.blocks).includes("Question 2/2")).length > 0, 20_000, "second question");
    await slack.deps.queue.drain();
  });

  it("refuses a second quiz in the same channel, explains usage, stops on request", async () => {
    const slack = build(0);
    const channel = "C0QUIZ003";
    await command(slack, channel, "3");
    const again = await command(slack, channel, "");
    expect(reply(again)?.text).toContain("already running");
    const help = await command(slack, channel, "help");
    expect(reply(help)?.text).toContain("/hotline-quiz leaderboard");
    const bad = await command(slack, channel, "nonsense-topic");
    expect(reply(bad)?.text).toContain("Unknown topic");
    const notOwner = await command(slack, channel, "stop", "U0OTHER");
    expect(reply(notOwner)?.text).toContain("Only the person who started the quiz");
    await command(slack, channel, "stop");
    expect(blockText(fake.posts((a) => a.channel === channel).at(-1)!.args.blocks)).toContain("Quiz stopped");
  });

  it("starts a Russian quiz with `ru`", async () => {
    const slack = build(0);
    const channel = "C0QUIZ004";
    await command(slack, channel, "ru 1");
    const [q] = fake.posts((a) => a.channel === channel);
    expect(blockText(q!.args.blocks)).toMatch(/[а-яА-Я]/);
    await command(slack, channel, "stop");
  });
});
