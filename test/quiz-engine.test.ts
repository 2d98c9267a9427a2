/** The quiz session engine: full flows with several participants, a fake clock and a shared store. */
import { beforeEach, describe, expect, it } from "vitest";
import { localeOf } from "../src/language/languages.ts";
import { MemoryStore } from "../src/store/kv.ts";
import { loadBank } from "../src/quiz/bank.ts";
import { QuizEngine, QuizError } from "../src/quiz/engine.ts";
import { formatLeaderboard, formatQuestion, formatReveal } from "../src/quiz/format.ts";
import { parseSession, resultsOf, resultsToCsv, serializeSession } from "../src/quiz/session.ts";

const bank = loadBank();
const IDS = ["tip14-cases-investigated-2013", "tip21-victims-identified-2020", "cable07-two-shelters"];
const trainer = { id: "tg:100", name: "Trainer Aigul" };
const asel = { id: "tg:201", name: "Asel" };
const bolat = { id: "tg:202", name: "Bolat" };
const dana = { id: "tg:203", name: "Dana" };
const en = localeOf("en");

let now: number;
let store: MemoryStore;
let seq: number;
const engineOn = (s: MemoryStore) =>
  new QuizEngine({ bank, store: s, clock: () => now, random: () => 0.42, newId: () => `quiz${++seq}` });

beforeEach(() => {
  now = Date.UTC(2025, 0, 15, 10, 0, 0);
  seq = 0;
  store = new MemoryStore(() => now);
});

async function startGroupQuiz(engine: QuizEngine) {
  return engine.start({ chatKey: "telegram:-1001", owner: trainer, locale: en, questionIds: IDS, openPeriodSeconds: 30, shuffleOptions: false });
}

describe("quiz engine", () => {
  it("starts a quiz with the first question open and a deadline", async () => {
    const engine = engineOn(store);
    const { sessionId, question } = await startGroupQuiz(engine);
    expect(sessionId).toBe("quiz1");
    expect(question).toMatchObject({
      sessionId: "quiz1",
      index: 0,
      total: 3,
      text: "How many trafficking cases did police in Kazakhstan investigate in 2013?",
      options: ["89", "56", "138", "43"],
      correct: 2,
      openedAt: now,
      closesAt: now + 30_000,
      openPeriodSeconds: 30,
    });
    expect(question.explanation).toBe(
      "Police investigated 138 trafficking cases in 2013, compared with 89 in 2012.\n📖 TIP 2014 — Prosecution, para 2 (part 1/6)",
    );
    expect(await engine.activeSession("telegram:-1001")).toBe("quiz1");
    expect(await engine.runningSessions()).toEqual(["quiz1"]);
    expect(await engine.isOwner("quiz1", trainer.id)).toBe(true);
    expect(await engine.isOwner("quiz1", asel.id)).toBe(false);
  });

  it("runs a whole group quiz: poll answers from several people, first answer counts, next, leaderboard, CSV", async () => {
    const engine = engineOn(store);
    const { sessionId } = await startGroupQuiz(engine);
    await engine.attachPoll(sessionId, 0, "poll-A");
    expect(await engine.sessionForPoll("poll-A")).toEqual({ sessionId, index: 0 });

    now += 4_000;
    expect(await engine.answerPoll("poll-A", asel, [2])).toEqual({ accepted: true, index: 0, correct: true, correctOption: 2, answeredCount: 1 });
    now += 2_000;
    expect(await engine.answerPoll("poll-A", bolat, [0])).toMatchObject({ accepted: true, correct: false, answeredCount: 2 });
    expect(await engine.answerPoll("poll-A", asel, [0])).toEqual({ accepted: false, reason: "duplicate", index: 0 });
    expect(await engine.answerPoll("poll-unknown", dana, [2])).toEqual({ accepted: false, reason: "no_quiz" });
    expect(await engine.answer(sessionId, 0, dana, 9)).toEqual({ accepted: false, reason: "invalid_option", index: 0 });

    now += 24_000; // the timer fires at closesAt: the adapter calls next()
    const step1 = await engine.next(sessionId);
    expect(step1.reveal).toMatchObject({ index: 0, correctOption: 2, correctText: "138", answered: 2, answeredCorrectly: 1 });
    expect(step1.question).toMatchObject({ index: 1, text: "How many trafficking victims did the government of Kazakhstan identify in 2020?" });
    expect(await engine.answerPoll("poll-A", dana, [2])).toEqual({ accepted: false, reason: "closed", index: 0 });

    await engine.attachPoll(sessionId, 1, "poll-B");
    now += 3_000;
    await engine.answerPoll("poll-B", bolat, [1]); // 88: correct
    now += 1_000;
    await engine.answerPoll("poll-B", asel, [1]);
    await engine.answerPoll("poll-B", dana, [0]);
    const step2 = await engine.next(sessionId); // trainer's /next before the timer
    expect(step2.reveal).toMatchObject({ index: 1, correctText: "88", answered: 3, answeredCorrectly: 2 });

    await engine.attachPoll(sessionId, 2, "poll-C");
    now += 5_000;
    await engine.answerPoll("poll-C", asel, [1]);
    now += 31_000;
    expect(await engine.answerPoll("poll-C", bolat, [1])).toEqual({ accepted: false, reason: "late", index: 2 });

    const done = await engine.next(sessionId);
    expect(done.question).toBeUndefined();
    expect(done.reveal).toMatchObject({ index: 2, correctText: "Two, in Almaty and Shymkent", answered: 1 });
    expect(done.finished).toMatchObject({ sessionId, status: "finished", asked: 3, total: 3 });
    expect(done.finished!.participants).toEqual([
      { rank: 1, name: "Asel", answered: 3, correct: 3, timeMs: 4_000 + 4_000 + 5_000 },
      { rank: 2, name: "Bolat", answered: 2, correct: 1, timeMs: 6_000 + 3_000 },
      { rank: 3, name: "Dana", answered: 1, correct: 0, timeMs: 4_000 },
    ]);
    expect(await engine.activeSession("telegram:-1001")).toBeUndefined();
    expect(await engine.lastSession("telegram:-1001")).toBe(sessionId);
    expect(await engine.runningSessions()).toEqual([]);

    expect(resultsToCsv(await engine.results(sessionId))).toBe(
      "rank,name,answered,correct,questions,time_seconds\r\n1,Asel,3,3,3,13.0\r\n2,Bolat,2,1,3,9.0\r\n3,Dana,1,0,3,4.0\r\n",
    );
    expect(formatLeaderboard(await engine.results(sessionId), en)).toBe(
      "Leaderboard (3/3 questions)\n1. Asel: 3/3 correct, 13 s\n2. Bolat: 1/2 correct, 9 s\n3. Dana: 0/1 correct, 4 s",
    );
  });

  it("stores no platform user ids, only display names", async () => {
    const engine = engineOn(store);
    const { sessionId } = await startGroupQuiz(engine);
    await engine.answer(sessionId, 0, asel, 2);
    const json = serializeSession((await engine.get(sessionId))!);
    expect(json).toContain("Asel");
    expect(json).not.toContain("tg:201");
    expect(json).not.toContain("tg:100");
  });

  it("allows one running quiz per chat, and refuses unknown topics", async () => {
    const engine = engineOn(store);
    await startGroupQuiz(engine);
    await expect(startGroupQuiz(engine)).rejects.toMatchObject({ code: "already_running" });
    await expect(engine.start({ chatKey: "slack:T1:C1", owner: trainer, locale: en, topic: "cooking" as never })).rejects.toBeInstanceOf(QuizError);
    const other = await engine.start({ chatKey: "slack:T1:C1", owner: trainer, locale: en, topic: "ngos", count: 4 });
    const state = (await engine.get(other.sessionId))!;
    expect(state.questions).toHaveLength(4);
    expect(state.questions.every((q) => q.topic === "ngos")).toBe(true);
    expect(state.openPeriodSeconds).toBeUndefined();
    expect(other.question.closesAt).toBeUndefined();
  });

  it("shuffles options but keeps the right answer right", async () => {
    const engine = new QuizEngine({ bank, store, clock: () => now, random: () => 0.9 });
    const { question } = await engine.start({ chatKey: "c", owner: trainer, locale: en, questionIds: IDS });
    expect(question.options[question.correct]).toBe("138");
    expect([...question.options].sort()).toEqual(["138", "43", "56", "89"]);
  });

  it("stops a quiz mid-way with the scores so far", async () => {
    const engine = engineOn(store);
    const { sessionId } = await startGroupQuiz(engine);
    now += 1_000;
    await engine.answer(sessionId, 0, bolat, 2);
    const { reveal, results } = await engine.stop(sessionId);
    expect(reveal).toMatchObject({ index: 0, correctText: "138" });
    expect(results).toMatchObject({ status: "stopped", asked: 1, total: 3 });
    expect(results.participants).toEqual([{ rank: 1, name: "Bolat", answered: 1, correct: 1, timeMs: 1_000 }]);
    expect(await engine.answer(sessionId, 0, asel, 2)).toMatchObject({ accepted: false, reason: "no_quiz" });
    expect((await engine.next(sessionId)).finished?.status).toBe("stopped");
    await startGroupQuiz(engine); // the chat is free again
  });

  it("survives a restart: a new engine on the same store continues with the scores", async () => {
    const before = engineOn(store);
    const { sessionId } = await startGroupQuiz(before);
    await before.attachPoll(sessionId, 0, "poll-A");
    now += 2_000;
    await before.answerPoll("poll-A", asel, [2]);

    const after = engineOn(store); // the process restarted; Redis kept the state
    expect(await after.runningSessions()).toEqual([sessionId]);
    expect(await after.current(sessionId)).toMatchObject({ index: 0, closesAt: Date.UTC(2025, 0, 15, 10, 0, 30) });
    expect(await after.answerPoll("poll-A", asel, [0])).toMatchObject({ accepted: false, reason: "duplicate" });
    now += 1_000;
    await after.answerPoll("poll-A", bolat, [2]);
    expect((await after.leaderboard(sessionId)).map((r) => [r.name, r.correct, r.timeMs])).toEqual([
      ["Asel", 1, 2_000],
      ["Bolat", 1, 3_000],
    ]);
  });

  it("serialises to JSON and back without losing anything", async () => {
    const engine = engineOn(store);
    const { sessionId } = await startGroupQuiz(engine);
    await engine.answer(sessionId, 0, asel, 2);
    await engine.next(sessionId);
    const state = (await engine.get(sessionId))!;
    const restored = parseSession(serializeSession(state));
    expect(restored).toEqual(state);
    expect(resultsOf(restored)).toEqual(await engine.results(sessionId));
    expect(() => parseSession('{"v":1,"id":"x"}')).toThrow(/Not a quiz session/);
  });

  it("ranks ties together and keeps CSV safe for spreadsheets", async () => {
    const engine = engineOn(store);
    const { sessionId } = await startGroupQuiz(engine);
    now += 1_000;
    await engine.answer(sessionId, 0, { id: "1", name: "=HYPERLINK(\"x\")" }, 2);
    await engine.answer(sessionId, 0, { id: "2", name: "Zhan, Jr." }, 2);
    const results = await engine.results(sessionId);
    expect(results.participants.map((p) => p.rank)).toEqual([1, 1]);
    expect(resultsToCsv(results)).toBe(
      "rank,name,answered,correct,questions,time_seconds\r\n1,\"'=HYPERLINK(\"\"x\"\")\",1,1,1,1.0\r\n1,\"Zhan, Jr.\",1,1,1,1.0\r\n",
    );
  });

  it("serialises concurrent answers to the same question", async () => {
    const engine = engineOn(store);
    const { sessionId } = await startGroupQuiz(engine);
    const people = Array.from({ length: 25 }, (_, i) => ({ id: `u${i}`, name: `P${i}` }));
    const outcomes = await Promise.all(people.map((p, i) => engine.answer(sessionId, 0, p, i % 4)));
    expect(outcomes.every((o) => o.accepted)).toBe(true);
    expect((await engine.results(sessionId)).participants).toHaveLength(25);
  });

  it("renders question, reveal and leaderboard in the participant's language", async () => {
    const engine = engineOn(store);
    const ru = localeOf("ru");
    const { sessionId, question } = await engine.start({ chatKey: "x", owner: trainer, locale: ru, questionIds: IDS, shuffleOptions: false });
    expect(formatQuestion(question, ru)).toBe(
      "Вопрос 1/3\nСколько дел о торговле людьми расследовала полиция Казахстана в 2013 году?\n  A) 89\n  B) 56\n  C) 138\n  D) 43",
    );
    const { reveal } = await engine.finish(sessionId);
    expect(formatReveal(reveal!, ru)).toMatch(/^Ответ: C\) 138\nВ 2013 году полиция расследовала 138/);
    expect(formatLeaderboard(await engine.results(sessionId), ru)).toBe("Таблица лидеров (вопросов: 1 из 3)\nОтветов пока нет.");
    const step = await engine.start({ chatKey: "y", owner: trainer, locale: ru, questionIds: ["tip21-victims-identified-2020"] });
    expect(step.question.text).toBe("Сколько жертв торговли людьми выявило правительство Казахстана в 2020 году?");
  });
});
