/**
 * The quiz runner: everything about running a quiz that is not about a platform, on top of the
 * session engine (engine.ts). It starts a quiz and shows its first question, records answers,
 * moves on (when a question's time ends, on "next", or at once after the answer in a quiz at
 * one's own pace), stops, re-arms timers and shows again a question that never went out after a
 * restart, and forgets a person's quiz data. Telegram, Slack and the console each give it a
 * small `QuizPresenter` that shows a question, the move on from one, and the end.
 *
 * Locking: one operation at a time per quiz in this process, and moving on is one atomic
 * update in the store (`engine.advance(sessionId, index)`: WATCH/MULTI on Redis), so a timer
 * and a "next", or two instances on one Redis, never move the same question on twice; answers
 * are atomic updates too, so none is lost when instances answer concurrently.
 *
 * Keys (besides the engine's): `quiz:shown:<session>:<index>` what the presenter returned for a
 * shown question (a message id, a channel and timestamp; no text, no user ids).
 */
import { parseLocale, type Locale } from "../language/languages.ts";
import { logger } from "../logger.ts";
import type { KeyValueStore } from "../store/kv.ts";
import { QuizError, shownQuestionKey as shownKey, type NextResult, type QuizEngine, type StartQuizInput, type QuizStarted } from "./engine.ts";
import type { AnswerOutcome, AskedQuestion, Participant, QuizResults, Reveal } from "./session.ts";

/** Timers, injectable so tests can run a quiz without waiting. */
export interface QuizTimers {
  set(fn: () => Promise<void>, ms: number): unknown;
  clear(handle: unknown): void;
}

export const realTimers: QuizTimers = {
  set: (fn, ms) => setTimeout(() => void fn(), Math.max(0, ms)).unref(),
  clear: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** Why a question closed: its time ended, "next", the person answered (own pace), or the quiz was stopped. */
export type MoveReason = "timer" | "next" | "answered" | "stop";

export interface ShowQuestionInfo {
  chatKey: string;
  locale: Locale;
  /** For the first question only: what the adapter passed to `start` as `intro`. */
  intro?: unknown;
}

/** What the presenter keeps of a shown question (JSON), and the platform's poll id if answers come by it. */
export interface Shown {
  ref?: unknown;
  pollId?: string;
}

export interface MoveOnInfo {
  chatKey: string;
  locale: Locale;
  /** The question that closed. */
  index: number;
  reveal?: Reveal;
  /** What `showQuestion` returned as `ref` for it (undefined when unknown). */
  ref?: unknown;
  why: MoveReason;
}

export interface EndInfo {
  chatKey: string;
  locale: Locale;
  why: MoveReason;
}

/** How a platform shows a quiz. Every method may throw; the runner logs timer failures. */
export interface QuizPresenter {
  /** The chats it serves: chat keys starting with this (e.g. "telegram:"). */
  readonly prefix: string;
  /**
   * A question with less time left than this (after a restart) is not shown but moved on
   * from at once (e.g. Telegram's shortest poll). Default 0.
   */
  readonly minOpenMs?: number;
  /** True when the next question follows as soon as an answer is recorded (own pace). */
  advancesOnAnswer(chatKey: string): boolean;
  showQuestion(q: AskedQuestion, info: ShowQuestionInfo): Promise<Shown | undefined>;
  /** Question `index` closed (its reveal, if it was open), before the next question or the end. */
  showMoveOn(info: MoveOnInfo): Promise<void>;
  showEnd(results: QuizResults, info: EndInfo): Promise<void>;
}

export interface QuizRunnerOptions {
  engine: QuizEngine;
  /** For the runner's own keys (`quiz:shown:`); the engine's store in the app. */
  store: Pick<KeyValueStore, "get" | "set" | "delete" | "keys">;
  presenter: QuizPresenter;
  timers?: QuizTimers;
  /** The engine's clock (ms since epoch). */
  clock?: () => number;
  /** How long a shown-question record is kept (default 7 days, like the engine's quizzes). */
  ttlSeconds?: number;
}

export interface RunnerStartInput extends StartQuizInput {
  /** Passed to the presenter with the first question (an intro line, the shown period...). */
  intro?: unknown;
}

export class QuizRunner {
  readonly engine: QuizEngine;
  private readonly store: QuizRunnerOptions["store"];
  private readonly presenter: QuizPresenter;
  private readonly timers: QuizTimers;
  private readonly clock: () => number;
  private readonly ttl: number;
  private readonly armed = new Map<string, unknown>();
  private readonly serials = new Map<string, Promise<unknown>>();
  private readonly inFlight = new Set<Promise<unknown>>();
  private disposed = false;

  constructor(options: QuizRunnerOptions) {
    this.engine = options.engine;
    this.store = options.store;
    this.presenter = options.presenter;
    this.timers = options.timers ?? realTimers;
    this.clock = options.clock ?? Date.now;
    this.ttl = options.ttlSeconds ?? 7 * 24 * 3600;
  }

  /**
   * Starts a quiz and shows its first question. Throws QuizError (unknown topic, no questions,
   * already running); when the first question cannot be shown, the quiz is stopped and the
   * error thrown, so that trying again starts afresh.
   */
  async start(input: RunnerStartInput): Promise<QuizStarted> {
    const { intro, ...start } = input;
    const started = await this.engine.start(start);
    await this.serial(started.sessionId, async () => {
      try {
        await this.show(started.question, { chatKey: input.chatKey, locale: input.locale, ...(intro !== undefined ? { intro } : {}) });
      } catch (err) {
        this.disarm(started.sessionId);
        await this.engine.stop(started.sessionId).catch(() => undefined);
        throw err;
      }
    });
    return started;
  }

  /** Records an answer (each person's first counts); in a quiz at one's own pace, moves on. */
  async answer(sessionId: string, index: number, who: Participant, option: number): Promise<AnswerOutcome> {
    const outcome = await this.engine.answer(sessionId, index, who, option);
    if (outcome.accepted) {
      const state = await this.engine.get(sessionId);
      if (state && this.presenter.advancesOnAnswer(state.chatKey)) await this.advance(sessionId, index, "answered");
    }
    return outcome;
  }

  /** An answer by poll id (Telegram `poll_answer`). */
  async answerPoll(pollId: string, who: Participant, optionIds: readonly number[]): Promise<AnswerOutcome> {
    const ref = await this.engine.sessionForPoll(pollId);
    if (!ref) return { accepted: false, reason: "no_quiz" };
    const option = optionIds[0];
    if (option === undefined) return { accepted: false, reason: "invalid_option", index: ref.index }; // a retracted vote
    return this.answer(ref.sessionId, ref.index, who, option);
  }

  /** "Next" in a chat: closes the open question and shows the next. False when no quiz runs there. */
  async nextInChat(chatKey: string): Promise<boolean> {
    const sessionId = await this.engine.activeSession(chatKey);
    const current = sessionId && (await this.engine.current(sessionId));
    if (!sessionId || !current) return false;
    await this.advance(sessionId, current.index, "next");
    return true;
  }

  /**
   * Closes question `index` and shows the next one, or the end after the last; nothing when
   * the quiz has moved past `index` already (here or on another instance).
   */
  async advance(sessionId: string, index: number, why: Exclude<MoveReason, "stop">): Promise<void> {
    await this.serial(sessionId, async () => {
      const result = await this.engine.advance(sessionId, index);
      if (!result) return;
      this.disarm(sessionId);
      const state = await this.engine.get(sessionId);
      if (!state) return;
      await this.presentMove(sessionId, state.chatKey, state.locale, index, result, why);
    });
  }

  /** Stops the quiz running in a chat (its open question revealed); undefined when none runs. */
  async stopInChat(chatKey: string): Promise<QuizResults | undefined> {
    const sessionId = await this.engine.activeSession(chatKey);
    return sessionId ? this.stop(sessionId) : undefined;
  }

  /** Stops a quiz; undefined when it was not running. */
  async stop(sessionId: string): Promise<QuizResults | undefined> {
    return this.serial(sessionId, async () => {
      const state = await this.engine.get(sessionId);
      if (state?.status !== "running") return undefined;
      this.disarm(sessionId);
      const { reveal, results } = await this.engine.stop(sessionId);
      await this.presentMove(sessionId, state.chatKey, state.locale, state.current, { ...(reveal ? { reveal } : {}), finished: results }, "stop");
      return results;
    });
  }

  /** The running quiz's results in a chat, else its last quiz's; undefined when none (or expired). */
  async latestResults(chatKey: string): Promise<QuizResults | undefined> {
    const sessionId = (await this.engine.activeSession(chatKey)) ?? (await this.engine.lastSession(chatKey));
    if (!sessionId) return undefined;
    return this.engine.results(sessionId).catch((err: unknown) => {
      if (err instanceof QuizError) return undefined;
      throw err;
    });
  }

  /**
   * After a restart: re-arms the timers of this presenter's running quizzes and shows again a
   * question that never went out. One whose time ran out meanwhile moves on at once.
   */
  async resume(): Promise<number> {
    let n = 0;
    for (const sessionId of await this.engine.runningSessions()) {
      const state = await this.engine.get(sessionId);
      if (!state?.chatKey.startsWith(this.presenter.prefix)) continue;
      const question = await this.engine.current(sessionId);
      if (!question) continue;
      n++;
      // A question with a poll id was shown (also by versions before the runner kept `quiz:shown:`).
      const shown = (await this.store.get<unknown>(shownKey(sessionId, question.index))) !== undefined || state.rounds[question.index]?.pollId !== undefined;
      if (!shown) {
        await this.serial(sessionId, () => this.show(question, { chatKey: state.chatKey, locale: state.locale }));
      } else this.arm(question);
    }
    if (n > 0) logger().info({ event: "quiz_resumed", sessions: n, platform: this.presenter.prefix.replace(/:$/, "") }, "running quizzes resumed");
    return n;
  }

  /**
   * /forget: the person's answers and name leave every quiz; the quizzes of `ownChats` (their
   * private chat) are deleted, with their shown-question and poll records. Returns how many
   * quizzes changed.
   */
  async forget(userId: string, ownChats: readonly string[] = []): Promise<number> {
    return this.engine.forget(userId, ownChats); // the engine also deletes the `quiz:shown:` records of deleted quizzes
  }

  /** Stops the timers and waits for quiz work in progress (shutdown); quizzes stay in the store. */
  async dispose(): Promise<void> {
    this.disposed = true;
    for (const sessionId of [...this.armed.keys()]) this.disarm(sessionId);
    await Promise.allSettled([...this.inFlight]);
  }

  private async presentMove(sessionId: string, chatKey: string, locale: Locale, index: number, result: NextResult, why: MoveReason): Promise<void> {
    const ref = await this.store.get<unknown>(shownKey(sessionId, index));
    await this.presenter.showMoveOn({ chatKey, locale, index, ...(result.reveal ? { reveal: result.reveal } : {}), ...(ref !== undefined ? { ref } : {}), why });
    if (result.question) await this.show(result.question, { chatKey, locale });
    else {
      if (why === "stop") logger().info({ event: "quiz_stopped", session: sessionId, asked: result.finished.asked }, "quiz stopped");
      else logger().info({ event: "quiz_finished", session: result.finished.sessionId, participants: result.finished.participants.length }, "quiz finished");
      await this.presenter.showEnd(result.finished, { chatKey, locale, why });
    }
  }

  /** Shows a question, keeps what the presenter returned, and arms its timer. */
  private async show(q: AskedQuestion, info: ShowQuestionInfo): Promise<void> {
    if (q.closesAt !== undefined && q.closesAt - this.clock() < (this.presenter.minOpenMs ?? 0)) {
      // Restarted after this question's time ran out: it was never seen, so move on.
      this.arm(q, 0);
      return;
    }
    const shown = await this.presenter.showQuestion(q, info);
    if (shown?.pollId !== undefined) await this.engine.attachPoll(q.sessionId, q.index, shown.pollId);
    await this.store.set(shownKey(q.sessionId, q.index), shown?.ref ?? true, this.ttl);
    this.arm(q);
  }

  /** Schedules the move on from question `q` at its deadline (or after `ms`). */
  private arm(q: AskedQuestion, ms?: number): void {
    if (this.disposed || (q.closesAt === undefined && ms === undefined)) return;
    this.disarm(q.sessionId);
    const delay = ms ?? Math.max(0, q.closesAt! - this.clock());
    const handle = this.timers.set(() => {
      if (this.armed.get(q.sessionId) === handle) this.armed.delete(q.sessionId);
      return this.track(this.advance(q.sessionId, q.index, "timer")).catch((err: unknown) => {
        logger().error({ event: "quiz_timer_failed", err: (err as Error).message }, "could not move the quiz on");
      });
    }, delay);
    this.armed.set(q.sessionId, handle);
  }

  private disarm(sessionId: string): void {
    const handle = this.armed.get(sessionId);
    if (handle !== undefined) this.timers.clear(handle);
    this.armed.delete(sessionId);
  }

  private track<T>(work: Promise<T>): Promise<T> {
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work)).catch(() => undefined);
    return work;
  }

  /** One quiz operation at a time per session in this process (a "next" racing a timer). */
  private serial<T>(sessionId: string, work: () => Promise<T>): Promise<T> {
    const previous = this.serials.get(sessionId) ?? Promise.resolve();
    const run = previous.then(work, work);
    const tail = run.catch(() => undefined);
    this.serials.set(sessionId, tail);
    void tail.then(() => {
      if (this.serials.get(sessionId) === tail) this.serials.delete(sessionId);
    });
    return this.track(run);
  }
}

export interface QuizArgs {
  topic?: string;
  count?: number;
  seconds?: number;
  locale?: Locale;
}

/**
 * `[topic] [n] [45s] [ru]` in any order: a number of questions, seconds per question, a
 * language (overriding the trainer's), and a topic (any other word; several other words make
 * an unknown topic, so the caller refuses it).
 */
export function parseQuizArgs(text: string): QuizArgs {
  const out: QuizArgs = {};
  const others: string[] = [];
  for (const word of text.trim().split(/\s+/).filter(Boolean)) {
    const seconds = /^(\d{1,4})s(ec)?$/i.exec(word);
    const locale = parseLocale(word);
    if (seconds) out.seconds = Number(seconds[1]);
    else if (/^\d{1,3}$/.test(word)) out.count = Number(word);
    else if (locale) out.locale = locale;
    else others.push(word.toLowerCase());
  }
  if (others.length > 0) out.topic = others.join(" ");
  return out;
}
