/**
 * The core's quiz runner (src/quiz/runner.ts) with a fake presenter that records what it was
 * asked to show: the first question with its intro, answers, the timer and "next" (each
 * question moved on from once), the end with the scores, stop, own pace, resume after a
 * restart, a first question that cannot be shown, /forget; and two instances on one Redis
 * (REDIS_TEST_URL) answering one quiz concurrently: no answer lost, no question moved twice.
 */
import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { localeOf } from "../src/language/languages.ts";
import { loadBank, QuizEngine, QuizRunner, parseQuizArgs, type QuizBank, type QuizPresenter, type QuizTimers } from "../src/quiz/index.ts";
import type { AskedQuestion, QuizResults } from "../src/quiz/session.ts";
import { MemoryStore, type KeyValueStore } from "../src/store/kv.ts";
import { RedisStore } from "../src/store/redis-store.ts";

const EN = localeOf("en");
let bank: QuizBank;
let ids: string[];
let now = 1_700_000_000_000;

beforeAll(() => {
  bank = loadBank();
  ids = bank.questions.slice(0, 3).map((q) => q.id);
});

type Event =
  | { kind: "question"; chatKey: string; index: number; intro?: unknown }
  | { kind: "move"; chatKey: string; index: number; why: string; answered?: number; ref?: unknown }
  | { kind: "end"; chatKey: string; why: string; results: QuizResults };

class FakePresenter implements QuizPresenter {
  readonly prefix = "test:";
  readonly events: Event[] = [];
  failNext = false;
  constructor(private readonly ownPace: (chatKey: string) => boolean = () => false) {}
  advancesOnAnswer(chatKey: string): boolean {
    return this.ownPace(chatKey);
  }
  async showQuestion(q: AskedQuestion, info: { chatKey: string; intro?: unknown }) {
    if (this.failNext) {
      this.failNext = false;
      throw new Error("platform refused");
    }
    this.events.push({ kind: "question", chatKey: info.chatKey, index: q.index, ...(info.intro !== undefined ? { intro: info.intro } : {}) });
    return { ref: `msg-${q.sessionId}-${q.index}` };
  }
  async showMoveOn(info: { chatKey: string; index: number; why: string; reveal?: { answered: number }; ref?: unknown }) {
    this.events.push({ kind: "move", chatKey: info.chatKey, index: info.index, why: info.why, ...(info.reveal ? { answered: info.reveal.answered } : {}), ...(info.ref !== undefined ? { ref: info.ref } : {}) });
  }
  async showEnd(results: QuizResults, info: { chatKey: string; why: string }) {
    this.events.push({ kind: "end", chatKey: info.chatKey, why: info.why, results });
  }
}

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
  async advance(ms: number): Promise<void> {
    now += ms;
    for (const [id, t] of [...this.pending].sort((a, b) => a[1].at - b[1].at)) {
      if (t.at > now) continue;
      this.pending.delete(id);
      await t.fn();
    }
  }
}

function setup(options: { store?: KeyValueStore; ownPace?: (chatKey: string) => boolean } = {}) {
  const store = options.store ?? new MemoryStore(() => now);
  const engine = new QuizEngine({ bank, store, clock: () => now });
  const presenter = new FakePresenter(options.ownPace);
  const timers = new ManualTimers();
  const runner = new QuizRunner({ engine, store, presenter, timers, clock: () => now });
  return { store, engine, presenter, timers, runner };
}

const person = (n: number) => ({ id: `u${n}`, name: `Person ${n}` });

describe("quiz runner (fake presenter)", () => {
  it("shows the first question with its intro, moves on at the timer and on next once each, and ends with the scores", async () => {
    const { runner, presenter, timers, engine } = setup();
    const { sessionId, question } = await runner.start({ chatKey: "test:group", owner: person(0), locale: EN, questionIds: ids, openPeriodSeconds: 30, shuffleOptions: false, intro: { hello: 1 } });
    expect(presenter.events).toEqual([{ kind: "question", chatKey: "test:group", index: 0, intro: { hello: 1 } }]);

    expect((await runner.answer(sessionId, 0, person(1), question.correct)).accepted).toBe(true);
    expect((await runner.answer(sessionId, 0, person(2), (question.correct + 1) % question.options.length)).accepted).toBe(true);
    expect((await runner.answer(sessionId, 0, person(1), 0)).accepted).toBe(false); // the first answer counts

    await timers.advance(30_000);
    expect(presenter.events.slice(1)).toEqual([
      { kind: "move", chatKey: "test:group", index: 0, why: "timer", answered: 2, ref: `msg-${sessionId}-0` },
      { kind: "question", chatKey: "test:group", index: 1 },
    ]);
    // A late timer or a second "next" for question 0 changes nothing.
    await runner.advance(sessionId, 0, "next");
    expect(presenter.events).toHaveLength(3);

    expect(await runner.nextInChat("test:group")).toBe(true);
    expect(presenter.events.at(-2)).toMatchObject({ kind: "move", index: 1, why: "next" });
    expect(timers.pending.size).toBe(1); // only question 2's timer
    await timers.advance(30_000);
    const end = presenter.events.at(-1)!;
    expect(end).toMatchObject({ kind: "end", why: "timer" });
    const results = (end as { results: QuizResults }).results;
    expect(results.status).toBe("finished");
    expect(results.participants.find((p) => p.name === "Person 1")).toMatchObject({ correct: 1, answered: 1 });
    expect(results.participants.find((p) => p.name === "Person 2")).toMatchObject({ correct: 0, answered: 1 });
    expect(await engine.activeSession("test:group")).toBeUndefined();
    expect(await runner.nextInChat("test:group")).toBe(false);
  });

  it("own pace: the next question follows the answer; stop reveals nothing more and ends", async () => {
    const { runner, presenter, timers } = setup({ ownPace: () => true });
    const { sessionId, question } = await runner.start({ chatKey: "test:private", owner: person(5), locale: EN, questionIds: ids, shuffleOptions: false });
    await runner.answer(sessionId, 0, person(5), question.correct);
    expect(presenter.events.map((e) => `${e.kind}${"index" in e ? e.index : ""}`)).toEqual(["question0", "move0", "question1"]);
    expect(timers.pending.size).toBe(0); // no deadline at one's own pace
    const stopped = await runner.stopInChat("test:private");
    expect(stopped?.status).toBe("stopped");
    expect(presenter.events.slice(-2)).toMatchObject([{ kind: "move", index: 1, why: "stop", ref: `msg-${sessionId}-1` }, { kind: "end", why: "stop" }]);
    expect(await runner.stopInChat("test:private")).toBeUndefined();
  });

  it("a first question that cannot be shown stops the quiz, so trying again starts afresh", async () => {
    const { runner, presenter } = setup();
    presenter.failNext = true;
    await expect(runner.start({ chatKey: "test:g2", owner: person(0), locale: EN, questionIds: ids })).rejects.toThrow("platform refused");
    await runner.start({ chatKey: "test:g2", owner: person(0), locale: EN, questionIds: ids });
    expect(presenter.events).toEqual([{ kind: "question", chatKey: "test:g2", index: 0 }]);
  });

  it("after a restart: a shown question gets its timer again, one that never went out is shown, one whose time ran out moves on", async () => {
    const store = new MemoryStore(() => now);
    const first = setup({ store });
    await first.runner.start({ chatKey: "test:a", owner: person(0), locale: EN, questionIds: ids, openPeriodSeconds: 30 });
    const b = await first.engine.start({ chatKey: "test:b", owner: person(0), locale: EN, questionIds: ids, openPeriodSeconds: 30 }); // shown never
    await first.engine.start({ chatKey: "other:c", owner: person(0), locale: EN, questionIds: ids, openPeriodSeconds: 30 }); // another platform's
    await first.runner.dispose();

    const second = setup({ store });
    expect(await second.runner.resume()).toBe(2);
    expect(second.presenter.events).toEqual([{ kind: "question", chatKey: "test:b", index: 0 }]);
    expect(second.timers.pending.size).toBe(2);
    await second.timers.advance(30_000);
    expect(second.presenter.events.filter((e) => e.kind === "question" && e.index === 1).map((e) => e.chatKey).sort()).toEqual(["test:a", "test:b"]);

    // Down for longer than a question's time: it is moved on from, not shown late.
    const third = setup({ store });
    await second.runner.dispose();
    now += 120_000;
    await third.runner.resume();
    await third.timers.advance(0);
    expect((await third.engine.current(b.sessionId))?.index).toBe(2);
  });

  it("/forget deletes the person's own-chat quizzes with their shown and poll records", async () => {
    const { runner, store, engine } = setup();
    const { sessionId } = await runner.start({ chatKey: "test:me", owner: person(9), locale: EN, questionIds: ids });
    await engine.attachPoll(sessionId, 0, "poll-1");
    expect((await store.keys("quiz:")).some((k) => k.includes(sessionId) || k.includes("poll-1"))).toBe(true);
    await runner.forget("u9", ["test:me"]);
    const left = await store.keys("quiz:");
    expect(left.filter((k) => k.includes(sessionId) || k.includes("poll-1") || k.includes("test:me"))).toEqual([]);
  });

  it("parses [topic] [n] [45s] [language] in any order", () => {
    expect(parseQuizArgs("figures 5 kk")).toEqual({ topic: "figures", count: 5, locale: localeOf("kk") });
    expect(parseQuizArgs("45s 3")).toEqual({ seconds: 45, count: 3 });
    expect(parseQuizArgs("foo figures").topic).toBe("foo figures"); // not a topic: refused by the caller
  });
});

const redisUrl = process.env.REDIS_TEST_URL;

describe.skipIf(!redisUrl)("quiz runner: two instances on one Redis", () => {
  it("answers arriving concurrently at both instances are all counted, and a question is moved on from once", async () => {
    const prefix = `qr${randomBytes(4).toString("hex")}:`;
    const stores = [new RedisStore(redisUrl!, prefix), new RedisStore(redisUrl!, prefix)];
    try {
      const [a, b] = stores.map((store) => setup({ store }));
      const { sessionId, question } = await a!.runner.start({ chatKey: "test:team", owner: person(0), locale: EN, questionIds: ids, openPeriodSeconds: 30, shuffleOptions: false });
      const people = Array.from({ length: 30 }, (_, i) => person(100 + i));
      const outcomes = await Promise.all(people.map((p, i) => (i % 2 ? b! : a!).runner.answer(sessionId, 0, p, i % 3 === 0 ? question.correct : (question.correct + 1) % question.options.length)));
      expect(outcomes.every((o) => o.accepted)).toBe(true);
      const state = await b!.engine.get(sessionId);
      expect(Object.keys(state!.rounds[0]!.answers)).toHaveLength(30);

      // The timer on one and "next" on the other at the same moment: one move, one next question.
      await Promise.all([a!.timers.advance(30_000), b!.runner.advance(sessionId, 0, "next")]);
      const moves = [...a!.presenter.events, ...b!.presenter.events].filter((e) => e.kind === "move");
      expect(moves).toHaveLength(1);
      expect(moves[0]).toMatchObject({ index: 0, answered: 30 });
      expect([...a!.presenter.events, ...b!.presenter.events].filter((e) => e.kind === "question" && e.index === 1)).toHaveLength(1);
      const results = await a!.engine.results(sessionId);
      expect(results.participants.filter((p) => p.answered === 1)).toHaveLength(30);
      expect(results.participants.filter((p) => p.correct === 1)).toHaveLength(10);
      await Promise.all([a!.runner.dispose(), b!.runner.dispose()]);
    } finally {
      await stores[0]!.deletePrefix("");
      await Promise.all(stores.map((s) => s.close()));
    }
  });
});
