/**
 * Telegram quizzes: the real bot (grammY + runner) against the fake Bot API, with the quiz
 * engine on the session store. Native quiz polls, admins only in groups, answers by poll id
 * (first counts), the timer (injected timers and clock), /next, /leaderboard, /stopquiz, the CSV
 * export, a private quiz at one's own pace, and a restart mid-quiz on Redis (REDIS_TEST_URL).
 */
import { rmSync } from "node:fs";
import { pino } from "pino";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { testDataDir } from "./helpers/assistant.ts";
import { GRACE_MS, type QuizTimers } from "../adapters/telegram/features/quiz.ts";
import { createAssistant } from "../src/app.ts";
import type { Assistant } from "../src/assistant.ts";
import { loadConfig } from "../src/config.ts";
import { setLogger } from "../src/logger.ts";
import { loadBank, pollExplanation, QuizEngine, type QuizBank } from "../src/quiz/index.ts";
import { MemoryStore, type KeyValueStore } from "../src/store/kv.ts";
import { RedisStore } from "../src/store/redis-store.ts";
import { TelegramHarness, type SentPoll, type UploadedFile } from "./helpers/fake-telegram.ts";

const GROUP = -100500;
const TRAINER = 10;
const ASEL = 21;
const BOLAT = 22;
const DANA = 23;
const PERIOD_MS = 30_000 + GRACE_MS;

let dataDir: string;
let assistant: Assistant;
let bank: QuizBank;
let now: number;
let h: TelegramHarness | undefined;

/** Timers the test fires by moving the clock. */
class ManualTimers implements QuizTimers {
  private seq = 0;
  readonly pending = new Map<number, { fn: () => Promise<void>; at: number }>();
  set(fn: () => Promise<void>, ms: number): number {
    this.pending.set(++this.seq, { fn, at: now + ms });
    return this.seq;
  }
  clear(handle: unknown): void {
    this.pending.delete(handle as number);
  }
  /** Moves the clock by `ms` and runs the timers now due, waiting for their work. */
  async advance(ms: number): Promise<void> {
    now += ms;
    for (const [id, timer] of [...this.pending].sort((a, b) => a[1].at - b[1].at)) {
      if (timer.at > now) continue;
      this.pending.delete(id);
      await timer.fn();
    }
  }
}

function engineOn(store: KeyValueStore): QuizEngine {
  let seed = 7;
  const random = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
  return new QuizEngine({ bank, store, clock: () => now, random });
}

async function start(options: { store?: KeyValueStore; timers?: ManualTimers } = {}) {
  const store = options.store ?? new MemoryStore(() => now);
  const timers = options.timers ?? new ManualTimers();
  const harness = await TelegramHarness.start({ core: assistant, store, quiz: engineOn(store), bot: { quizTimers: timers, quizClock: () => now } });
  for (const [id, name] of [[TRAINER, "Trainer Aigul"], [ASEL, "Asel"], [BOLAT, "Bolat"], [DANA, "Dana"]] as const) harness.updates.names.set(id, name);
  harness.fake.setMember(GROUP, TRAINER, "administrator");
  return { harness, timers, store };
}

/** The bank question behind a poll (its text without the "1/3. " prefix). */
function bankQuestion(poll: SentPoll) {
  const text = poll.question.replace(/^\d+\/\d+\. /, "");
  const q = bank.questions.find((b) => b.question === text);
  if (!q) throw new Error(`no bank question for ${text}`);
  return q;
}

const correctOf = (poll: SentPoll) => (poll.payload.correct_option_ids as number[])[0]!;
const wrongOf = (poll: SentPoll) => (correctOf(poll) + 1) % poll.options.length;

beforeAll(async () => {
  setLogger(pino({ level: "silent" }));
  dataDir = testDataDir();
  assistant = await createAssistant(loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: "silent" }));
  bank = loadBank();
}, 60_000);

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
beforeEach(() => {
  now = Date.UTC(2025, 2, 10, 9, 0, 0);
});
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

describe("Telegram quiz in a group", () => {
  it("runs a full quiz: admin start, native quiz polls, answers, timer, /next, leaderboard, CSV", async () => {
    const { harness, timers } = await start();
    h = harness;
    const { fake, updates: u } = harness;

    await harness.deliver(u.text(TRAINER, "/quiz figures 3", { chatId: GROUP }));
    expect(fake.lastGetUpdates?.allowed_updates).toContain("poll_answer");
    expect(harness.texts(GROUP)[0]).toContain("Quiz on “Figures by year”: 3 questions");
    expect(harness.texts(GROUP)[0]).toContain("Each question is open for 30 s");

    const [p1] = fake.pollsIn(GROUP);
    expect(p1).toBeDefined();
    const q1 = bankQuestion(p1!);
    expect(q1.topic).toBe("figures");
    expect(p1!.question).toBe(`1/3. ${q1.question}`);
    expect(p1!.payload).toMatchObject({ type: "quiz", is_anonymous: false, open_period: 30, explanation: pollExplanation(q1) });
    expect(p1!.payload.explanation).toContain("📖");
    expect(p1!.options.slice().sort()).toEqual(q1.options.map(String).sort());
    expect(p1!.options[correctOf(p1!)]).toBe(String(q1.options[q1.correct]));
    expect(timers.pending.size).toBe(1);

    // Several people answer; only each person's first answer counts.
    await harness.deliver(u.pollAnswer(ASEL, p1!.pollId, [correctOf(p1!)]));
    now += 4000;
    await harness.deliver(u.pollAnswer(BOLAT, p1!.pollId, [wrongOf(p1!)]), u.pollAnswer(DANA, p1!.pollId, [correctOf(p1!)]));
    await harness.deliver(u.pollAnswer(BOLAT, p1!.pollId, [correctOf(p1!)])); // a second answer: ignored
    expect(fake.pollsIn(GROUP)).toHaveLength(1); // no moving on before the timer in a group

    // The timer ends the question: reveal with counts, then question 2.
    await timers.advance(PERIOD_MS - 4000);
    const reveal = harness.texts(GROUP).at(-1)!;
    expect(reveal).toContain(`Answer: ${String.fromCharCode(65 + correctOf(p1!))}) ${p1!.options[correctOf(p1!)]}`);
    expect(reveal).toContain("Answers: 3, correct: 2.");
    const p2 = fake.pollsIn(GROUP)[1]!;
    expect(p2.question).toMatch(/^2\/3\. /);
    expect(p2.payload.open_period).toBe(30);

    // A late answer to question 1 is not counted; Asel answers question 2.
    now += 5000;
    await harness.deliver(u.pollAnswer(DANA, p1!.pollId, [correctOf(p1!)]), u.pollAnswer(ASEL, p2.pollId, [correctOf(p2)]));

    // A non-admin cannot move on; the trainer can, before the timer (the poll is closed in Telegram).
    await harness.deliver(u.text(BOLAT, "/next", { chatId: GROUP }));
    expect(harness.texts(GROUP).at(-1)).toBe("Only the group's admins can start, move on, stop or export a quiz.");
    expect(fake.pollsIn(GROUP)).toHaveLength(2);
    await harness.deliver(u.text(TRAINER, "/next", { chatId: GROUP }));
    expect(fake.callsOf("stopPoll").map((c) => c.payload.message_id)).toEqual([p2.messageId]);
    expect(harness.texts(GROUP).at(-1)).toContain("Answers: 1, correct: 1.");
    const p3 = fake.pollsIn(GROUP)[2]!;
    expect(p3.question).toMatch(/^3\/3\. /);
    expect(timers.pending.size).toBe(1); // question 2's timer was replaced by question 3's

    // Anyone can see the leaderboard.
    await harness.deliver(u.text(DANA, "/leaderboard", { chatId: GROUP }));
    const board = harness.texts(GROUP).at(-1)!;
    expect(board.split("\n")).toEqual(["Leaderboard (3/3 questions)", "1. Asel: 2/2 correct, 5 s", "2. Dana: 1/1 correct, 4 s", "3. Bolat: 0/1 correct, 4 s"]);

    // The last timer finishes the quiz with the leaderboard.
    now += 1000;
    await harness.deliver(u.pollAnswer(BOLAT, p3.pollId, [correctOf(p3)]));
    await timers.advance(PERIOD_MS);
    const end = harness.texts(GROUP).at(-1)!;
    expect(end).toContain("🏁 Quiz finished.");
    expect(end).toContain("Leaderboard (3/3 questions)\n1. Asel: 2/2 correct, 5 s\n2. Dana: 1/1 correct, 4 s\n3. Bolat: 1/2 correct, 5 s");
    expect(end).toContain("/quizresults");
    expect(harness.texts(GROUP).at(-2)).toContain("Answers: 1, correct: 1.");
    expect(fake.pollsIn(GROUP)).toHaveLength(3);
    expect(timers.pending.size).toBe(0);

    // The CSV export: display names and counts, never ids; admins only.
    await harness.deliver(u.text(ASEL, "/quizresults", { chatId: GROUP }));
    expect(fake.callsOf("sendDocument")).toHaveLength(0);
    await harness.deliver(u.text(TRAINER, "/quizresults", { chatId: GROUP }));
    const [doc] = fake.callsOf("sendDocument");
    const file = doc!.payload.document as UploadedFile;
    expect(doc!.payload.chat_id).toBe(String(GROUP));
    expect(doc!.payload.caption).toBe("Quiz results (display names only).");
    expect(file.filename).toMatch(/^quiz-results-2025-03-10-q[0-9a-f]+\.csv$/);
    expect(file.content.split("\r\n")).toEqual([
      "rank,name,answered,correct,questions,time_seconds",
      "1,Asel,2,2,3,5.0",
      "2,Dana,1,1,3,4.0",
      "3,Bolat,2,1,3,5.0",
      "",
    ]);
    expect(file.content).not.toMatch(/\b2[123]\b,|\b10\b/);
  });

  it("refuses a non-admin and names the topics for an unknown one", async () => {
    const { harness } = await start();
    h = harness;
    const { fake, updates: u } = harness;
    await harness.deliver(u.text(ASEL, "/quiz", { chatId: GROUP }));
    expect(harness.texts(GROUP)).toEqual(["Only the group's admins can start, move on, stop or export a quiz."]);
    expect(fake.callsOf("getChatMember")[0]!.payload).toMatchObject({ chat_id: GROUP, user_id: ASEL });
    expect(fake.polls).toHaveLength(0);

    fake.setMember(GROUP, ASEL, "creator");
    await harness.deliver(u.text(ASEL, "/quiz slavery 5", { chatId: GROUP }));
    expect(harness.texts(GROUP).at(-1)).toContain("Unknown topic. Topics: at-risk, recruitment, penalties");
    expect(fake.polls).toHaveLength(0);

    await harness.deliver(u.text(ASEL, "/leaderboard", { chatId: GROUP }));
    expect(harness.texts(GROUP).at(-1)).toBe("There is no quiz running here.");
  });

  it("/stopquiz ends the quiz with the scores, closes the poll and stops the timer", async () => {
    const { harness, timers } = await start();
    h = harness;
    const { fake, updates: u } = harness;
    await harness.deliver(u.text(TRAINER, "/quiz 5 45s", { chatId: GROUP }));
    expect(harness.texts(GROUP)[0]).toContain("Quiz: 5 questions");
    const p1 = fake.pollsIn(GROUP)[0]!;
    expect(p1.payload.open_period).toBe(45);

    await harness.deliver(u.text(TRAINER, "/quiz", { chatId: GROUP }));
    expect(harness.texts(GROUP).at(-1)).toBe("A quiz is already running here. End it first with /stopquiz.");

    now += 3000;
    await harness.deliver(u.pollAnswer(DANA, p1.pollId, [correctOf(p1)]));
    await harness.deliver(u.text(ASEL, "/stopquiz", { chatId: GROUP }));
    expect(harness.texts(GROUP).at(-1)).toBe("Only the group's admins can start, move on, stop or export a quiz.");
    await harness.deliver(u.text(TRAINER, "/stopquiz", { chatId: GROUP }));
    expect(harness.texts(GROUP).at(-1)).toBe(
      "⏹ Quiz stopped.\n\nLeaderboard (1/5 questions)\n1. Dana: 1/1 correct, 3 s\n\nTrainer: /quizresults sends the results as a CSV file.",
    );
    expect(fake.callsOf("stopPoll").map((c) => c.payload.message_id)).toEqual([p1.messageId]);
    expect(timers.pending.size).toBe(0);

    // Nothing moves after the stop; answers no longer count; /leaderboard shows the last quiz.
    await harness.deliver(u.pollAnswer(ASEL, p1.pollId, [correctOf(p1)]));
    await timers.advance(60_000);
    expect(fake.pollsIn(GROUP)).toHaveLength(1);
    await harness.deliver(u.text(BOLAT, "/leaderboard", { chatId: GROUP }));
    expect(harness.texts(GROUP).at(-1)).toBe("Leaderboard (1/5 questions)\n1. Dana: 1/1 correct, 3 s");
  });
});

describe("Telegram quiz in a private chat", () => {
  it("goes at the person's own pace: no timer, the next question follows each answer", async () => {
    const { harness, timers } = await start();
    h = harness;
    const { fake, updates: u } = harness;
    const me = 31;
    u.names.set(me, "Madina");
    await harness.deliver(u.text(me, "/quiz recruitment 2", { lang: "ru" }));
    expect(harness.texts(me)[0]).toContain("Викторина «Уловки вербовщиков»: 2 вопроса");
    expect(harness.texts(me)[0]).toContain("Отвечайте в своём темпе");
    expect(fake.callsOf("getChatMember")).toHaveLength(0);
    const p1 = fake.pollsIn(me)[0]!;
    expect(p1.payload).toMatchObject({ type: "quiz", is_anonymous: false });
    expect(p1.payload.open_period).toBeUndefined();
    expect(timers.pending.size).toBe(0);

    await harness.deliver(u.pollAnswer(me, p1.pollId, [correctOf(p1)]));
    const p2 = fake.pollsIn(me)[1]!;
    expect(p2.question).toMatch(/^2\/2\. /);
    await harness.deliver(u.pollAnswer(me, p2.pollId, [wrongOf(p2)]));
    expect(harness.texts(me).at(-1)).toBe("Викторина окончена. Правильных ответов: 1 из 2.");
    expect(fake.pollsIn(me)).toHaveLength(2);

    // /next skips a question (closing its poll); /stopquiz ends early.
    await harness.deliver(u.text(me, "/quiz 3", { lang: "ru" }));
    const p3 = fake.pollsIn(me)[2]!;
    await harness.deliver(u.text(me, "/next", { lang: "ru" }));
    expect(fake.callsOf("stopPoll").map((c) => c.payload.message_id)).toEqual([p3.messageId]);
    expect(fake.pollsIn(me)).toHaveLength(4);
    await harness.deliver(u.text(me, "/stopquiz", { lang: "ru" }));
    expect(harness.texts(me).at(-1)).toBe("Викторина остановлена после 2 вопросов. Правильных ответов: 0.");
  });
});

const redisUrl = process.env.REDIS_TEST_URL;

describe.skipIf(!redisUrl)("Telegram quiz on Redis", () => {
  const prefix = `hotline-test-quiz-${process.pid}-${Date.now()}:`;
  const stores: RedisStore[] = [];
  afterAll(async () => {
    await stores[0]?.deletePrefix("");
    for (const s of stores) await s.close();
  });

  it("keeps a running quiz's scores across a restart and re-arms its timer", async () => {
    const storeA = new RedisStore(redisUrl!, prefix);
    stores.push(storeA);
    const a = await start({ store: storeA });
    h = a.harness;
    await a.harness.deliver(a.harness.updates.text(TRAINER, "/quiz 3", { chatId: GROUP }));
    const p1 = a.harness.fake.pollsIn(GROUP)[0]!;
    now += 2000;
    await a.harness.deliver(a.harness.updates.pollAnswer(ASEL, p1.pollId, [correctOf(p1)]));
    expect(a.timers.pending.size).toBe(1);
    await a.harness.stop(); // the instance goes away mid-question
    h = undefined;
    expect(a.timers.pending.size).toBe(0);

    // A new instance on the same Redis: the quiz and its scores are there, the timer is re-armed.
    const storeB = new RedisStore(redisUrl!, prefix);
    stores.push(storeB);
    const b = await start({ store: storeB });
    h = b.harness;
    expect(b.timers.pending.size).toBe(1);
    now += 1000;
    await b.harness.deliver(b.harness.updates.pollAnswer(BOLAT, p1.pollId, [wrongOf(p1)]));
    await b.harness.deliver(b.harness.updates.text(DANA, "/leaderboard", { chatId: GROUP }));
    expect(b.harness.texts(GROUP).at(-1)).toBe("Leaderboard (1/3 questions)\n1. Asel: 1/1 correct, 2 s\n2. Bolat: 0/1 correct, 3 s");

    await b.timers.advance(PERIOD_MS);
    expect(b.harness.texts(GROUP).at(-1)).toContain("Answers: 2, correct: 1.");
    const p2 = b.harness.fake.pollsIn(GROUP)[0]!;
    expect(p2.question).toMatch(/^2\/3\. /);
    await b.harness.deliver(b.harness.updates.text(TRAINER, "/stopquiz", { chatId: GROUP }));
    expect(b.harness.texts(GROUP).at(-1)).toContain("Leaderboard (2/3 questions)\n1. Asel: 1/1 correct, 2 s\n2. Bolat: 0/1 correct, 3 s");
    expect(await storeB.redis.keys(`${prefix}quiz:chat:*`)).toEqual([]);
  });
});
