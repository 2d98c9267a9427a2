/**
 * Quizzes for trainers, on Telegram's native quiz polls, driven by the platform-neutral engine
 * (src/quiz). State lives in the project's store (memory or Redis) through the engine, so a
 * restart loses no scores; `TelegramQuiz.resume()` re-arms the timers of running quizzes.
 *
 *   /quiz [topic] [n] [seconds]s  start (in a group: admins only; in private: at one's own pace)
 *   /next                          close the open question and ask the next (admins in groups)
 *   /leaderboard                   scores so far, or of the chat's last quiz (anyone)
 *   /stopquiz                      end now, with the leaderboard (admins in groups)
 *   /quizresults                   the results as a CSV file, display names only (admins in groups)
 *
 * Group questions are open for `open_period` seconds; the engine's deadline is a little later
 * (GRACE_MS) so that answers tapped just before Telegram closes the poll still count, and the
 * timer moves on at the engine's deadline. In a private chat there is no timer: the next question
 * comes as soon as the person answers. Answers arrive as `poll_answer` updates, which carry no
 * chat: the engine finds the quiz by poll id.
 *
 * Moving on is claimed in the store per question (`setIfAbsent`), so a timer and a /next, or two
 * instances behind one webhook, never skip a question twice.
 */
import { Composer, InputFile, type Api, type RawApi } from "grammy";
import type { PollAnswer, User } from "grammy/types";
import type { Locale } from "../../../src/index.ts";
import { logger, parseLocale } from "../../../src/index.ts";
import {
  QuizError,
  TOPICS,
  formatLeaderboard,
  formatReveal,
  isTopic,
  resultsToCsv,
  type AskedQuestion,
  type QuizEngine,
  type QuizResults,
  type Reveal,
  type Topic,
} from "../../../src/index.ts";
import type { KeyValueStore } from "../../../src/index.ts";
import type { BotCore, HotlineContext } from "../context.ts";
import { isGroup } from "../middleware/audience.ts";

/** Seconds a group question stays open unless the trainer says otherwise (`/quiz 10 45s`). */
export const DEFAULT_OPEN_PERIOD = 30;
/** Telegram's `open_period` range for the polls we send. */
export const MIN_OPEN_PERIOD = 5;
export const MAX_OPEN_PERIOD = 600;
/** Answers may arrive this long after Telegram closes a poll and still count. */
export const GRACE_MS = 2000;
/** How long a claim to move a question on is held (a crashed holder's claim lapses). */
const CLAIM_TTL_SECONDS = 60;
/** Poll message ids are kept as long as the engine keeps a quiz. */
const MESSAGE_TTL_SECONDS = 7 * 24 * 3600;

/** Timers, injectable so tests can run a quiz without waiting. */
export interface QuizTimers {
  set(fn: () => Promise<void>, ms: number): unknown;
  clear(handle: unknown): void;
}

export const realTimers: QuizTimers = {
  set: (fn, ms) => setTimeout(() => void fn(), Math.max(0, ms)).unref(),
  clear: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export interface TelegramQuizOptions {
  engine: QuizEngine;
  store: KeyValueStore;
  core: Pick<BotCore, "t">;
  timers?: QuizTimers;
  /** The engine's clock (ms since epoch), for the time left on a question. */
  clock?: () => number;
}

type Why = "timer" | "next" | "answered";

const chatKeyOf = (chatId: number) => `telegram:${chatId}`;
const chatIdOf = (chatKey: string) => (chatKey.startsWith("telegram:") ? Number(chatKey.slice("telegram:".length)) : undefined);
const isGroupChat = (chatId: number) => chatId < 0;
const messageKey = (sessionId: string, index: number) => `tg:quiz:msg:${sessionId}:${index}`;
const claimKey = (sessionId: string, index: number) => `tg:quiz:next:${sessionId}:${index}`;

/** A person as the quiz knows them: the user id (only hashed by the engine) and a display name. */
export function participantOf(user: User): { id: string; name: string } {
  return { id: String(user.id), name: [user.first_name, user.last_name].filter(Boolean).join(" ").trim() || user.username || "?" };
}

/** `/quiz [topic] [n] [seconds]s`, in any order. */
/** `/quiz [topic] [n] [45s] [ru]`: the language argument overrides the trainer's language. */
export function parseQuizArgs(text: string): { topic?: string; count?: number; seconds?: number; locale?: Locale } {
  const out: { topic?: string; count?: number; seconds?: number; locale?: Locale } = {};
  for (const word of text.trim().split(/\s+/).filter(Boolean)) {
    const seconds = /^(\d{1,4})s(ec)?$/i.exec(word);
    const locale = parseLocale(word);
    if (seconds) out.seconds = Number(seconds[1]);
    else if (/^\d{1,3}$/.test(word)) out.count = Number(word);
    else if (locale) out.locale = locale;
    else out.topic = word.toLowerCase();
  }
  return out;
}

export function clampOpenPeriod(seconds: number): number {
  return Math.min(MAX_OPEN_PERIOD, Math.max(MIN_OPEN_PERIOD, Math.round(seconds)));
}

export class TelegramQuiz {
  private readonly engine: QuizEngine;
  private readonly store: KeyValueStore;
  private readonly core: Pick<BotCore, "t">;
  private readonly timers: QuizTimers;
  private readonly clock: () => number;
  private readonly armed = new Map<string, { index: number; handle: unknown }>();
  private readonly serials = new Map<string, Promise<unknown>>();
  private readonly inFlight = new Set<Promise<unknown>>();
  private disposed = false;

  constructor(
    private readonly api: Api<RawApi>,
    options: TelegramQuizOptions,
  ) {
    this.engine = options.engine;
    this.store = options.store;
    this.core = options.core;
    this.timers = options.timers ?? realTimers;
    this.clock = options.clock ?? Date.now;
  }

  /** Starts a quiz in the chat of `ctx` (permission already checked). */
  async start(ctx: HotlineContext, args: string): Promise<void> {
    const chatId = ctx.chat!.id;
    const group = isGroup(ctx);
    const { topic, count, seconds, locale: asked } = parseQuizArgs(args);
    // The quiz runs in the language asked for, else the trainer's (chosen or their app's).
    const locale = asked ?? ctx.locale;
    const t = (key: string, vars?: Record<string, string | number>) => this.core.t(locale, key, vars);
    if (topic !== undefined && !isTopic(topic)) {
      await this.say(chatId, t("quiz.errors.unknown_topic", { topics: TOPICS.join(", ") }));
      return;
    }
    const period = group ? clampOpenPeriod(seconds ?? DEFAULT_OPEN_PERIOD) : undefined;
    let started;
    try {
      started = await this.engine.start({
        chatKey: chatKeyOf(chatId),
        owner: participantOf(ctx.from!),
        locale,
        topic: topic as Topic | undefined,
        count,
        // The engine's deadline includes the grace; Telegram's timer shows `period`.
        openPeriodSeconds: period === undefined ? undefined : period + GRACE_MS / 1000,
      });
    } catch (err) {
      if (err instanceof QuizError) {
        await this.say(chatId, t(`quiz.errors.${err.code}`, { topics: TOPICS.join(", ") }));
        return;
      }
      throw err;
    }
    const total = started.question.total;
    const intro = topic
      ? t("quiz.intro_topic", { topic: t(`quiz.topics.${topic}`), count: total })
      : t("quiz.intro", { count: total });
    const how = period !== undefined ? t("telegram.quiz.how_group", { seconds: period }) : t("telegram.quiz.how_private");
    logger().info({ event: "quiz_started", session: started.sessionId, group, topic, total, period }, "quiz started");
    await this.serial(started.sessionId, async () => {
      await this.say(chatId, `${intro}\n\n${how}`);
      await this.ask(chatId, started.question);
    });
  }

  /** A `poll_answer`: scored by the engine; in a private quiz the next question follows at once. */
  async answer(pollAnswer: PollAnswer): Promise<void> {
    if (!pollAnswer.user) return; // anonymous voter: our polls are not anonymous
    const outcome = await this.engine.answerPoll(pollAnswer.poll_id, participantOf(pollAnswer.user), pollAnswer.option_ids);
    if (!outcome.accepted) {
      logger().debug({ event: "quiz_answer_rejected", reason: outcome.reason }, "quiz answer not counted");
      return;
    }
    const ref = await this.engine.sessionForPoll(pollAnswer.poll_id);
    const state = ref && (await this.engine.get(ref.sessionId));
    const chatId = state && chatIdOf(state.chatKey);
    if (ref && chatId !== undefined && !isGroupChat(chatId)) await this.advance(ref.sessionId, ref.index, "answered");
  }

  /** `/next` in a chat. */
  async next(chatId: number, locale: Locale): Promise<void> {
    const sessionId = await this.engine.activeSession(chatKeyOf(chatId));
    const current = sessionId && (await this.engine.current(sessionId));
    if (!sessionId || !current) {
      await this.say(chatId, this.core.t(locale, "quiz.errors.not_found"));
      return;
    }
    await this.advance(sessionId, current.index, "next");
  }

  /** `/stopquiz` in a chat. */
  async stop(chatId: number, locale: Locale): Promise<void> {
    const sessionId = await this.engine.activeSession(chatKeyOf(chatId));
    if (!sessionId) {
      await this.say(chatId, this.core.t(locale, "quiz.errors.not_found"));
      return;
    }
    await this.serial(sessionId, async () => {
      const state = await this.engine.get(sessionId);
      if (state?.status !== "running") return;
      this.disarm(sessionId);
      const { reveal, results } = await this.engine.stop(sessionId);
      await this.closePoll(chatId, sessionId, state.current);
      logger().info({ event: "quiz_stopped", session: sessionId, asked: results.asked }, "quiz stopped");
      await this.announceEnd(chatId, state.locale, results, reveal);
    });
  }

  /** `/leaderboard`: the running quiz, else the chat's last one. */
  async leaderboard(chatId: number, locale: Locale): Promise<void> {
    const results = await this.latestResults(chatId);
    if (!results) {
      await this.say(chatId, this.core.t(locale, "quiz.errors.not_found"));
      return;
    }
    await this.say(chatId, formatLeaderboard(results, locale));
  }

  /** `/quizresults`: the running or last quiz's results as a CSV document. */
  async sendResults(chatId: number, locale: Locale): Promise<void> {
    const results = await this.latestResults(chatId);
    if (!results) {
      await this.say(chatId, this.core.t(locale, "quiz.errors.not_found"));
      return;
    }
    const day = new Date(results.startedAt).toISOString().slice(0, 10);
    const file = new InputFile(Buffer.from(resultsToCsv(results), "utf8"), `quiz-results-${day}-${results.sessionId}.csv`);
    await this.api.sendDocument(chatId, file, { caption: this.core.t(locale, "telegram.quiz.results_caption") });
  }

  private async latestResults(chatId: number): Promise<QuizResults | undefined> {
    const key = chatKeyOf(chatId);
    const sessionId = (await this.engine.activeSession(key)) ?? (await this.engine.lastSession(key));
    if (!sessionId) return undefined;
    return this.engine.results(sessionId).catch((err: unknown) => {
      if (err instanceof QuizError) return undefined; // expired
      throw err;
    });
  }

  /**
   * After a restart: re-arm the timers of running Telegram quizzes, and ask again a question
   * whose poll never went out. A question whose deadline passed while down moves on at once.
   */
  async resume(): Promise<number> {
    let n = 0;
    for (const sessionId of await this.engine.runningSessions()) {
      const state = await this.engine.get(sessionId);
      const chatId = state && chatIdOf(state.chatKey);
      const question = chatId !== undefined ? await this.engine.current(sessionId) : undefined;
      if (!state || chatId === undefined || !question) continue;
      n++;
      if (state.rounds[question.index]?.pollId === undefined) await this.serial(sessionId, () => this.ask(chatId, question));
      else this.arm(question);
    }
    if (n > 0) logger().info({ event: "quiz_resumed", sessions: n }, "running quizzes resumed");
    return n;
  }

  /** Stops the timers and waits for quiz work in progress (shutdown). */
  async dispose(): Promise<void> {
    this.disposed = true;
    for (const sessionId of [...this.armed.keys()]) this.disarm(sessionId);
    await Promise.allSettled([...this.inFlight]);
  }

  /** Closes question `index` and asks the next one, or ends the quiz after the last. */
  private async advance(sessionId: string, index: number, why: Why): Promise<void> {
    await this.serial(sessionId, async () => {
      const state = await this.engine.get(sessionId);
      const chatId = state && chatIdOf(state.chatKey);
      if (!state || chatId === undefined || state.status !== "running" || state.current !== index) return;
      if (!(await this.store.setIfAbsent(claimKey(sessionId, index), this.clock(), CLAIM_TTL_SECONDS))) return;
      this.disarm(sessionId);
      const result = await this.engine.next(sessionId);
      if (why === "next") await this.closePoll(chatId, sessionId, index);
      if (result.question) {
        if (result.reveal && isGroupChat(chatId)) await this.say(chatId, this.revealText(result.reveal, state.locale));
        await this.ask(chatId, result.question);
      } else if (result.finished.status === "finished") {
        logger().info({ event: "quiz_finished", session: sessionId, participants: result.finished.participants.length }, "quiz finished");
        await this.announceEnd(chatId, state.locale, result.finished, result.reveal);
      }
    });
  }

  /** Sends a question as a native quiz poll and remembers its poll id (answers come by poll id). */
  private async ask(chatId: number, q: AskedQuestion): Promise<void> {
    const numbered = `${q.index + 1}/${q.total}. ${q.text}`;
    let openPeriod: number | undefined;
    if (q.closesAt !== undefined) {
      const left = (q.closesAt - GRACE_MS - this.clock()) / 1000;
      if (left < MIN_OPEN_PERIOD - 1) {
        // Restarted after this question's time ran out: it was never seen, so move on.
        this.arm(q, 0);
        return;
      }
      openPeriod = clampOpenPeriod(left);
    }
    const message = await this.api.sendPoll(chatId, numbered.length <= 300 ? numbered : q.text, q.options, {
      type: "quiz",
      is_anonymous: false,
      correct_option_ids: [q.correct],
      explanation: q.explanation,
      ...(openPeriod !== undefined ? { open_period: openPeriod } : {}),
    });
    await this.engine.attachPoll(q.sessionId, q.index, message.poll.id);
    await this.store.set(messageKey(q.sessionId, q.index), message.message_id, MESSAGE_TTL_SECONDS);
    this.arm(q);
  }

  /** Closes a poll still open in Telegram (moved on early, or stopped). */
  private async closePoll(chatId: number, sessionId: string, index: number): Promise<void> {
    const messageId = await this.store.get<number>(messageKey(sessionId, index));
    if (messageId !== undefined) await this.api.stopPoll(chatId, messageId).catch(() => undefined); // already closed
  }

  private async announceEnd(chatId: number, locale: Locale, results: QuizResults, reveal?: Reveal): Promise<void> {
    const t = (key: string, vars?: Record<string, string | number>) => this.core.t(locale, key, vars);
    const stopped = results.status === "stopped";
    if (isGroupChat(chatId)) {
      if (reveal && !stopped) await this.say(chatId, this.revealText(reveal, locale));
      const head = t(stopped ? "telegram.quiz.stopped" : "telegram.quiz.finished");
      await this.say(chatId, [head, formatLeaderboard(results, locale), t("telegram.quiz.results_hint")].join("\n\n"));
    } else {
      const correct = results.participants[0]?.correct ?? 0;
      await this.say(chatId, stopped ? t("quiz.stopped", { asked: results.asked, correct }) : t("quiz.finished", { correct, total: results.total }));
    }
  }

  private revealText(reveal: Reveal, locale: Locale): string {
    return `${formatReveal(reveal, locale)}\n${this.core.t(locale, "telegram.quiz.reveal_counts", { answered: reveal.answered, correct: reveal.answeredCorrectly })}`;
  }

  private say(chatId: number, text: string): Promise<unknown> {
    return this.api.sendMessage(chatId, text, { link_preview_options: { is_disabled: true } });
  }

  /** Schedules the move to the next question at the question's deadline (or after `ms`). */
  private arm(q: AskedQuestion, ms?: number): void {
    if (this.disposed || (q.closesAt === undefined && ms === undefined)) return;
    this.disarm(q.sessionId);
    const delay = ms ?? Math.max(0, q.closesAt! - this.clock());
    const handle = this.timers.set(() => {
      if (this.armed.get(q.sessionId)?.handle === handle) this.armed.delete(q.sessionId);
      return this.track(this.advance(q.sessionId, q.index, "timer")).catch((err: unknown) => {
        logger().error({ event: "quiz_timer_failed", err: (err as Error).message }, "could not move the quiz on");
      });
    }, delay);
    this.armed.set(q.sessionId, { index: q.index, handle });
  }

  private disarm(sessionId: string): void {
    const armed = this.armed.get(sessionId);
    if (armed) this.timers.clear(armed.handle);
    this.armed.delete(sessionId);
  }

  private track<T>(work: Promise<T>): Promise<T> {
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work)).catch(() => undefined);
    return work;
  }

  /** One quiz operation at a time per session in this process (a /next racing a timer). */
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

/** True for the group's creator and admins; in a private chat, the person. */
async function mayRun(ctx: HotlineContext): Promise<boolean> {
  if (!isGroup(ctx)) return true;
  const member = await ctx.getChatMember(ctx.from!.id);
  return member.status === "creator" || member.status === "administrator";
}

export function quizFeature(quiz: TelegramQuiz | undefined): Composer<HotlineContext> {
  const composer = new Composer<HotlineContext>();
  if (!quiz) return composer;

  const adminsOnly = async (ctx: HotlineContext, work: () => Promise<void>) => {
    if (await mayRun(ctx)) await work();
    else await ctx.reply(ctx.t("telegram.quiz.admins_only"));
  };

  composer.command("quiz", (ctx) => adminsOnly(ctx, () => quiz.start(ctx, ctx.match)));
  composer.command("next", (ctx) => adminsOnly(ctx, () => quiz.next(ctx.chat.id, ctx.locale)));
  composer.command("stopquiz", (ctx) => adminsOnly(ctx, () => quiz.stop(ctx.chat.id, ctx.locale)));
  composer.command("quizresults", (ctx) => adminsOnly(ctx, () => quiz.sendResults(ctx.chat.id, ctx.locale)));
  composer.command("leaderboard", (ctx) => quiz.leaderboard(ctx.chat.id, ctx.locale));
  composer.on("poll_answer", (ctx) => quiz.answer(ctx.pollAnswer));
  return composer;
}
