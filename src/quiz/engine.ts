/**
 * The quiz session engine, shared by the console, Telegram and Slack adapters. It knows
 * nothing about any platform: a quiz lives in a chat identified by an opaque `chatKey`,
 * participants are `{id, name}`, and the platform's handle for a question (a Telegram poll id)
 * can be attached so that answers arriving without a chat still find their quiz.
 *
 * Every change is saved through the store (memory or Redis), so a restart loses nothing;
 * each change is one atomic `store.update` (WATCH/MULTI on Redis), so concurrent answers on
 * several instances are all kept (no last-write-wins). The engine sets deadlines but runs no
 * timers: the quiz runner (runner.ts) calls `advance()` at `closesAt` (and after a restart, for
 * each id from `runningSessions()`); adapters use the runner with their presenter.
 *
 * Keys (all under `quiz:`): `session:<id>` state, `chat:<chatKey>` running quiz, `last:<chatKey>`
 * latest quiz, `poll:<pollId>` → session and question, `running` ids of running quizzes; the runner
 * (runner.ts) keeps `shown:<id>:<index>`. `forget` removes the poll and shown records of deleted quizzes.
 */
import { KeyedLock } from "../store/keyed-lock.ts";
import { randomBytes } from "node:crypto";
import type { Locale } from "../language/languages.ts";
import type { KeyValueStore } from "../store/kv.ts";
import { localize, shuffle, type QuizBank } from "./bank.ts";
import {
  askedQuestion,
  closeRound,
  newSession,
  openRound,
  parseSession,
  participantKey,
  recordAnswer,
  resultsOf,
  revealOf,
  type AnswerOutcome,
  type AskedQuestion,
  type Participant,
  type QuizResults,
  type QuizSessionState,
  type Reveal,
} from "./session.ts";
import { TOPICS, type LocalizedQuestion, type Topic } from "./types.ts";

/** The part of the project's key-value store the engine needs. */
export type QuizStateStore = Pick<KeyValueStore, "get" | "set" | "delete" | "update" | "keys">;

export type QuizErrorCode = "unknown_topic" | "no_questions" | "already_running" | "not_found";

/** An expected refusal; adapters show `prompts().t(locale, "quiz.errors." + code)`. */
export class QuizError extends Error {
  override name = "QuizError";
  constructor(
    readonly code: QuizErrorCode,
    message: string = code,
  ) {
    super(message);
  }
}

export interface QuizEngineOptions {
  bank: QuizBank;
  store: QuizStateStore;
  /** Milliseconds since epoch; inject a fake in tests. */
  clock?: () => number;
  /** Random numbers in [0, 1) for question choice and option order. */
  random?: () => number;
  newId?: () => string;
  /** How long a quiz and its results are kept after the last change (default 7 days). */
  ttlSeconds?: number;
  defaultCount?: number;
  maxCount?: number;
}

export interface StartQuizInput {
  /** Where the quiz runs, e.g. `telegram:-100123`, `slack:T1:C2`, `console`. One quiz per chat. */
  chatKey: string;
  /** Who started it (the trainer). Only a hash of `owner.id` is kept. */
  owner: Participant;
  locale: Locale;
  topic?: Topic | undefined;
  /** Number of questions (default 10, at most `maxCount`; fewer if the topic has fewer). */
  count?: number | undefined;
  /** Seconds each question stays open; omit for a quiz at one's own pace (no deadline). */
  openPeriodSeconds?: number | undefined;
  /** Shuffle each question's options (default true). */
  shuffleOptions?: boolean;
  /** Ask exactly these bank questions, in this order (tests, replays). */
  questionIds?: string[];
}

export interface QuizStarted {
  sessionId: string;
  question: AskedQuestion;
}

export type NextResult =
  /** The question that closed (if one was open), and the next one now open. */
  | { reveal?: Reveal; question: AskedQuestion; finished?: undefined }
  /** The last question closed; the quiz is finished. */
  | { reveal?: Reveal; question?: undefined; finished: QuizResults };

const PREFIX = "quiz:";
const keys = {
  session: (id: string) => `${PREFIX}session:${id}`,
  /** The runner's record of a shown question (runner.ts). */
  shown: (id: string, index: number) => `${PREFIX}shown:${id}:${index}`,
  chat: (chatKey: string) => `${PREFIX}chat:${chatKey}`,
  last: (chatKey: string) => `${PREFIX}last:${chatKey}`,
  poll: (pollId: string) => `${PREFIX}poll:${pollId}`,
  running: `${PREFIX}running`,
};

/** The store key of a shown question's record, kept by the quiz runner and deleted by `forget`. */
export const shownQuestionKey = keys.shown;

export function isTopic(value: unknown): value is Topic {
  return typeof value === "string" && (TOPICS as readonly string[]).includes(value);
}

export class QuizEngine {
  private readonly bank: QuizBank;
  private readonly store: QuizStateStore;
  private readonly clock: () => number;
  private readonly random: () => number;
  private readonly newId: () => string;
  private readonly ttl: number;
  private readonly defaultCount: number;
  private readonly maxCount: number;
  private readonly locks = new KeyedLock();

  constructor(options: QuizEngineOptions) {
    this.bank = options.bank;
    this.store = options.store;
    this.clock = options.clock ?? Date.now;
    this.random = options.random ?? Math.random;
    this.newId = options.newId ?? (() => `q${randomBytes(6).toString("hex")}`);
    this.ttl = options.ttlSeconds ?? 7 * 24 * 3600;
    this.defaultCount = options.defaultCount ?? 10;
    this.maxCount = options.maxCount ?? 50;
  }

  /** Starts a quiz in a chat and opens its first question. Throws QuizError. */
  async start(input: StartQuizInput): Promise<QuizStarted> {
    if (input.topic !== undefined && !isTopic(input.topic)) throw new QuizError("unknown_topic", `Unknown topic: ${String(input.topic)}`);
    const questions = this.pick(input);
    if (questions.length === 0) throw new QuizError("no_questions", `No questions${input.topic ? ` for topic ${input.topic}` : ""}`);
    return this.locked(`chat:${input.chatKey}`, async () => {
      const running = await this.store.get<string>(keys.chat(input.chatKey));
      if (running && (await this.load(running))?.status === "running") {
        throw new QuizError("already_running", "A quiz is already running in this chat");
      }
      const state = newSession({
        id: this.newId(),
        chatKey: input.chatKey,
        owner: input.owner,
        locale: input.locale,
        topic: input.topic,
        openPeriodSeconds: input.openPeriodSeconds,
        questions,
        now: this.clock(),
      });
      await this.save(state);
      // Compare-and-set: another instance may have started a quiz in this chat meanwhile.
      let won = false;
      await this.store.update<string>(
        keys.chat(input.chatKey),
        (current) => {
          won = (current ?? undefined) === (running ?? undefined);
          return won ? state.id : undefined;
        },
        this.ttl,
      );
      if (!won) {
        await this.store.delete(keys.session(state.id));
        throw new QuizError("already_running", "A quiz is already running in this chat");
      }
      await this.store.set(keys.last(input.chatKey), state.id, this.ttl);
      await this.store.update<string[]>(keys.running, (ids) => [...(ids ?? []).filter((id) => id !== state.id), state.id]);
      return { sessionId: state.id, question: askedQuestion(state) };
    });
  }

  private pick(input: StartQuizInput): LocalizedQuestion[] {
    const count = Math.max(1, Math.min(input.count ?? this.defaultCount, this.maxCount));
    const chosen = input.questionIds
      ? input.questionIds.map((id) => {
          const q = this.bank.get(id);
          if (!q) throw new QuizError("no_questions", `No question with id ${id}`);
          return q;
        })
      : this.bank.select({ topic: input.topic, count, random: this.random, lang: input.locale.lang });
    return chosen.map((q) => {
      const local = localize(q, input.locale.lang);
      if (input.shuffleOptions === false) return local;
      const order = shuffle(local.options.map((_, i) => i), this.random);
      return { ...local, options: order.map((i) => local.options[i]!), correct: order.indexOf(local.correct) };
    });
  }

  /** The session's full state (for export and tests), or undefined when unknown or expired. */
  async get(sessionId: string): Promise<QuizSessionState | undefined> {
    return this.load(sessionId);
  }

  /** The running quiz in a chat. */
  async activeSession(chatKey: string): Promise<string | undefined> {
    const id = await this.store.get<string>(keys.chat(chatKey));
    return id && (await this.load(id))?.status === "running" ? id : undefined;
  }

  /** The chat's latest quiz, running or ended (for `/leaderboard` and `/quizresults` after the end). */
  async lastSession(chatKey: string): Promise<string | undefined> {
    return this.store.get<string>(keys.last(chatKey));
  }

  /** Ids of quizzes still running, e.g. to re-arm timers after a restart (expired ones left out). */
  async runningSessions(): Promise<string[]> {
    const ids = (await this.store.get<string[]>(keys.running)) ?? [];
    const states = await Promise.all(ids.map((id) => this.load(id)));
    return ids.filter((_, i) => states[i]?.status === "running");
  }

  /** The question now open (or last shown, once ended). */
  async current(sessionId: string): Promise<AskedQuestion | undefined> {
    const state = await this.load(sessionId);
    return state && state.rounds[state.current] ? askedQuestion(state) : undefined;
  }

  /** True when `userId` started this quiz. */
  async isOwner(sessionId: string, userId: string): Promise<boolean> {
    const state = await this.load(sessionId);
    return state !== undefined && state.ownerKey === participantKey(sessionId, userId);
  }

  /** Remembers the platform's id for question `index` (a Telegram poll id) so `answerPoll` can find it. */
  async attachPoll(sessionId: string, index: number, pollId: string): Promise<void> {
    await this.update(sessionId, (state) => {
      const round = state.rounds[index];
      if (!round) throw new QuizError("not_found", `Question ${index} of ${sessionId} has not been asked`);
      round.pollId = pollId;
    });
    await this.store.set(keys.poll(pollId), { sessionId, index }, this.ttl);
  }

  /** The quiz and question a poll belongs to. */
  async sessionForPoll(pollId: string): Promise<{ sessionId: string; index: number } | undefined> {
    return this.store.get<{ sessionId: string; index: number }>(keys.poll(pollId));
  }

  /** Records an answer to question `index`; each participant's first answer counts. */
  async answer(sessionId: string, index: number, who: Participant, option: number): Promise<AnswerOutcome> {
    const outcome = await this.update(sessionId, (state) => recordAnswer(state, index, who, option, this.clock()));
    return outcome ?? { accepted: false, reason: "no_quiz", index };
  }

  /** An answer from a poll (Telegram `poll_answer`: poll id, user, chosen option ids). */
  async answerPoll(pollId: string, who: Participant, optionIds: readonly number[]): Promise<AnswerOutcome> {
    const ref = await this.sessionForPoll(pollId);
    if (!ref) return { accepted: false, reason: "no_quiz" };
    const option = optionIds[0];
    if (option === undefined) return { accepted: false, reason: "invalid_option", index: ref.index }; // a retracted vote
    return this.answer(ref.sessionId, ref.index, who, option);
  }

  /** Closes the open question (when its timer ends) without moving on; undefined if none was open. */
  async close(sessionId: string): Promise<Reveal | undefined> {
    return this.update(sessionId, (state) => (state.status === "running" && closeRound(state, this.clock()) ? revealOf(state) : undefined));
  }

  /**
   * Closes the open question (if any) and opens the next one, or finishes the quiz after the
   * last. Call it when the timer ends or the trainer says "next".
   */
  async next(sessionId: string): Promise<NextResult> {
    const result = await this.move(sessionId);
    if (!result) throw new QuizError("not_found", `No quiz ${sessionId}`);
    return result;
  }

  /**
   * Like `next`, but only from question `index`: in one atomic update, undefined when the quiz
   * is no longer running or has already moved past `index` (a timer racing a "next", or two
   * instances), so each question is moved on from exactly once.
   */
  async advance(sessionId: string, index: number): Promise<NextResult | undefined> {
    return this.move(sessionId, index);
  }

  /** One atomic move on; with `from`, only while question `from` is the open one. */
  private async move(sessionId: string, from?: number): Promise<NextResult | undefined> {
    const result = await this.update(sessionId, (state): NextResult | undefined => {
      if (state.status !== "running") return from === undefined ? { finished: resultsOf(state) } : undefined;
      if (from !== undefined && state.current !== from) return undefined;
      const now = this.clock();
      const reveal = closeRound(state, now) ? revealOf(state) : undefined;
      const nextIndex = state.current + 1;
      if (nextIndex >= state.questions.length) {
        end(state, "finished", now);
        return { ...(reveal ? { reveal } : {}), finished: resultsOf(state) };
      }
      openRound(state, nextIndex, now);
      return { ...(reveal ? { reveal } : {}), question: askedQuestion(state) };
    });
    if (result?.finished) await this.release(sessionId);
    return result;
  }

  /** Ends the quiz now as finished: the open question is revealed and scored. */
  async finish(sessionId: string): Promise<{ reveal?: Reveal; results: QuizResults }> {
    return this.end(sessionId, "finished");
  }

  /** Stops the quiz (`/stopquiz`): same as finish, but recorded as stopped. */
  async stop(sessionId: string): Promise<{ reveal?: Reveal; results: QuizResults }> {
    return this.end(sessionId, "stopped");
  }

  private async end(sessionId: string, status: "finished" | "stopped"): Promise<{ reveal?: Reveal; results: QuizResults }> {
    const out = await this.update(sessionId, (state) => {
      if (state.status !== "running") return { results: resultsOf(state) };
      const now = this.clock();
      const reveal = closeRound(state, now) ? revealOf(state) : undefined;
      end(state, status, now);
      return { ...(reveal ? { reveal } : {}), results: resultsOf(state) };
    });
    if (!out) throw new QuizError("not_found", `No quiz ${sessionId}`);
    await this.release(sessionId);
    return out;
  }

  /** Scores so far (display names, counts, time), ranked. */
  async results(sessionId: string): Promise<QuizResults> {
    const state = await this.load(sessionId);
    if (!state) throw new QuizError("not_found", `No quiz ${sessionId}`);
    return resultsOf(state);
  }

  /** The ranked participants; same as `results(...).participants`. */
  async leaderboard(sessionId: string): Promise<QuizResults["participants"]> {
    return (await this.results(sessionId)).participants;
  }

  private async release(sessionId: string): Promise<void> {
    const state = await this.load(sessionId);
    if (state && (await this.store.get<string>(keys.chat(state.chatKey))) === sessionId) await this.store.delete(keys.chat(state.chatKey));
    await this.store.update<string[]>(keys.running, (ids) => (ids?.includes(sessionId) ? ids.filter((id) => id !== sessionId) : undefined));
  }

  /**
   * /forget: the person's answers and display name leave every quiz, and the quizzes of
   * `ownChats` (their private chat) are deleted outright. Returns how many quizzes changed.
   */
  async forget(userId: string, ownChats: readonly string[] = []): Promise<number> {
    let changed = 0;
    for (const key of await this.store.keys(keys.session(""))) {
      const sessionId = key.slice(keys.session("").length);
      const state = await this.load(sessionId).catch(() => undefined);
      if (!state) continue;
      if (ownChats.includes(state.chatKey)) {
        await this.release(sessionId);
        await this.store.delete(key);
        // Its poll ids and the runner's shown-question records go with it.
        for (const [index, round] of state.rounds.entries()) {
          if (round.pollId) await this.store.delete(keys.poll(round.pollId));
          await this.store.delete(keys.shown(sessionId, index));
        }
        changed++;
        continue;
      }
      const who = participantKey(sessionId, userId);
      const result = await this.update(sessionId, (s) => {
        let touched = false;
        if (s.participants[who]) {
          delete s.participants[who];
          touched = true;
        }
        for (const round of s.rounds) {
          if (round.answers[who]) {
            delete round.answers[who];
            touched = true;
          }
        }
        if (s.ownerKey === who && s.ownerName !== "") {
          s.ownerName = "";
          touched = true;
        }
        return touched;
      });
      if (result) changed++;
    }
    for (const chatKey of ownChats) {
      await this.store.delete(keys.chat(chatKey));
      await this.store.delete(keys.last(chatKey));
    }
    return changed;
  }

  private async load(sessionId: string): Promise<QuizSessionState | undefined> {
    const raw = await this.store.get<unknown>(keys.session(sessionId));
    return raw === undefined ? undefined : parseSession(raw);
  }

  private async save(state: QuizSessionState): Promise<void> {
    await this.store.set(keys.session(state.id), state, this.ttl);
  }

  /**
   * Load, change, save as one atomic store update (retried on a conflict with another
   * instance, so `change` may run more than once on fresh state); undefined when the session
   * is unknown. Calls on one session are also serialised in this process.
   */
  private async update<T>(sessionId: string, change: (state: QuizSessionState) => T): Promise<T | undefined> {
    return this.locked(`session:${sessionId}`, async () => {
      let result: T | undefined;
      await this.store.update<unknown>(
        keys.session(sessionId),
        (raw) => {
          result = undefined;
          if (raw === undefined) return undefined;
          const state = parseSession(raw);
          const before = JSON.stringify(state);
          result = change(state);
          return JSON.stringify(state) !== before ? state : undefined;
        },
        this.ttl,
      );
      return result;
    });
  }

  private locked<T>(key: string, work: () => Promise<T>): Promise<T> {
    return this.locks.run(key, work);
  }
}

function end(state: QuizSessionState, status: "finished" | "stopped", now: number): void {
  state.status = status;
  state.endedAt = now;
}
