/**
 * Quizzes for trainers, on Telegram's native quiz polls. The quiz itself (state, scoring,
 * timers, moving on, resume, locking across instances) is the core's runner (src/quiz/runner.ts);
 * this file is its Telegram presenter and the commands:
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
 * chat: the runner finds the quiz by poll id.
 */
import { Composer, InputFile, type Api, type RawApi } from "grammy";
import type { PollAnswer, User } from "grammy/types";
import type { Locale } from "../../../src/index.ts";
import { logger } from "../../../src/index.ts";
import {
  QuizRunner,
  TOPICS,
  formatLeaderboard,
  formatReveal,
  isTopic,
  parseQuizArgs,
  realTimers,
  resultsToCsv,
  QuizError,
  type AskedQuestion,
  type EndInfo,
  type MoveOnInfo,
  type QuizEngine,
  type QuizPresenter,
  type QuizResults,
  type QuizTimers,
  type Reveal,
  type ShowQuestionInfo,
  type Shown,
  type Topic,
} from "../../../src/index.ts";
import type { KeyValueStore } from "../../../src/index.ts";
import type { BotCore, HotlineContext } from "../context.ts";
import { isGroup } from "../middleware/audience.ts";

export { parseQuizArgs, realTimers, type QuizTimers };

/** Seconds a group question stays open unless the trainer says otherwise (`/quiz 10 45s`). */
export const DEFAULT_OPEN_PERIOD = 30;
/** Telegram's `open_period` range for the polls we send. */
export const MIN_OPEN_PERIOD = 5;
export const MAX_OPEN_PERIOD = 600;
/** Answers may arrive this long after Telegram closes a poll and still count. */
export const GRACE_MS = 2000;

export interface TelegramQuizOptions {
  engine: QuizEngine;
  store: KeyValueStore;
  core: Pick<BotCore, "t">;
  timers?: QuizTimers;
  /** The engine's clock (ms since epoch), for the time left on a question. */
  clock?: () => number;
}

const chatKeyOf = (chatId: number) => `telegram:${chatId}`;
const chatIdOf = (chatKey: string) => Number(chatKey.slice("telegram:".length));
const isGroupChat = (chatId: number) => chatId < 0;

/** What the first question is shown with. */
interface Intro {
  topic?: string;
  /** Seconds each poll is open (groups); undefined at one's own pace. */
  period?: number;
}

/** A person as the quiz knows them: the user id (only hashed by the engine) and a display name. */
export function participantOf(user: User): { id: string; name: string } {
  return { id: String(user.id), name: [user.first_name, user.last_name].filter(Boolean).join(" ").trim() || user.username || "?" };
}

export function clampOpenPeriod(seconds: number): number {
  return Math.min(MAX_OPEN_PERIOD, Math.max(MIN_OPEN_PERIOD, Math.round(seconds)));
}

/** How a quiz looks on Telegram: polls, reveals in groups, the leaderboard at the end. */
class TelegramQuizPresenter implements QuizPresenter {
  readonly prefix = "telegram:";
  // A poll needs MIN_OPEN_PERIOD seconds (one less is rounded up); with the grace on top.
  readonly minOpenMs = (MIN_OPEN_PERIOD - 1) * 1000 + GRACE_MS;

  constructor(
    private readonly api: Api<RawApi>,
    private readonly core: Pick<BotCore, "t">,
    private readonly clock: () => number,
  ) {}

  advancesOnAnswer(chatKey: string): boolean {
    return !isGroupChat(chatIdOf(chatKey));
  }

  /** The intro with the first question, then the question as a native quiz poll. */
  async showQuestion(q: AskedQuestion, info: ShowQuestionInfo): Promise<Shown> {
    const chatId = chatIdOf(info.chatKey);
    const intro = info.intro as Intro | undefined;
    if (intro) {
      const t = (key: string, vars?: Record<string, string | number>) => this.core.t(info.locale, key, vars);
      const head = intro.topic ? t("quiz.intro_topic", { topic: t(`quiz.topics.${intro.topic}`), count: q.total }) : t("quiz.intro", { count: q.total });
      const how = intro.period !== undefined ? t("telegram.quiz.how_group", { seconds: intro.period }) : t("telegram.quiz.how_private");
      await this.say(chatId, `${head}\n\n${how}`);
    }
    const numbered = `${q.index + 1}/${q.total}. ${q.text}`;
    const openPeriod = q.closesAt !== undefined ? clampOpenPeriod((q.closesAt - GRACE_MS - this.clock()) / 1000) : undefined;
    const message = await this.api.sendPoll(chatId, numbered.length <= 300 ? numbered : q.text, q.options, {
      type: "quiz",
      is_anonymous: false,
      correct_option_ids: [q.correct],
      explanation: q.explanation,
      ...(openPeriod !== undefined ? { open_period: openPeriod } : {}),
    });
    return { ref: message.message_id, pollId: message.poll.id };
  }

  /** Closes a poll still open in Telegram (moved on early, or stopped); the reveal in groups. */
  async showMoveOn(info: MoveOnInfo): Promise<void> {
    const chatId = chatIdOf(info.chatKey);
    if ((info.why === "next" || info.why === "stop") && typeof info.ref === "number") {
      await this.api.stopPoll(chatId, info.ref).catch(() => undefined); // already closed
    }
    if (info.reveal && info.why !== "stop" && isGroupChat(chatId)) await this.say(chatId, this.revealText(info.reveal, info.locale));
  }

  async showEnd(results: QuizResults, info: EndInfo): Promise<void> {
    const chatId = chatIdOf(info.chatKey);
    const t = (key: string, vars?: Record<string, string | number>) => this.core.t(info.locale, key, vars);
    const stopped = results.status === "stopped";
    if (isGroupChat(chatId)) {
      const head = t(stopped ? "telegram.quiz.stopped" : "telegram.quiz.finished");
      await this.say(chatId, [head, formatLeaderboard(results, info.locale), t("telegram.quiz.results_hint")].join("\n\n"));
    } else {
      const correct = results.participants[0]?.correct ?? 0;
      await this.say(chatId, stopped ? t("quiz.stopped", { asked: results.asked, correct }) : t("quiz.finished", { correct, total: results.total }));
    }
  }

  private revealText(reveal: Reveal, locale: Locale): string {
    return `${formatReveal(reveal, locale)}\n${this.core.t(locale, "telegram.quiz.reveal_counts", { answered: reveal.answered, correct: reveal.answeredCorrectly })}`;
  }

  say(chatId: number, text: string): Promise<unknown> {
    return this.api.sendMessage(chatId, text, { link_preview_options: { is_disabled: true } });
  }
}

/** The Telegram commands on the core's quiz runner. */
export class TelegramQuiz {
  readonly runner: QuizRunner;
  private readonly presenter: TelegramQuizPresenter;
  private readonly core: Pick<BotCore, "t">;

  constructor(
    private readonly api: Api<RawApi>,
    options: TelegramQuizOptions,
  ) {
    this.core = options.core;
    const clock = options.clock ?? Date.now;
    this.presenter = new TelegramQuizPresenter(api, options.core, clock);
    this.runner = new QuizRunner({ engine: options.engine, store: options.store, presenter: this.presenter, timers: options.timers ?? realTimers, clock });
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
    try {
      const started = await this.runner.start({
        chatKey: chatKeyOf(chatId),
        owner: participantOf(ctx.from!),
        locale,
        topic: topic as Topic | undefined,
        count,
        // The engine's deadline includes the grace; Telegram's timer shows `period`.
        openPeriodSeconds: period === undefined ? undefined : period + GRACE_MS / 1000,
        intro: { ...(topic ? { topic } : {}), ...(period !== undefined ? { period } : {}) } satisfies Intro,
      });
      logger().info({ event: "quiz_started", session: started.sessionId, group, topic, total: started.question.total, period }, "quiz started");
    } catch (err) {
      if (err instanceof QuizError) {
        await this.say(chatId, t(`quiz.errors.${err.code}`, { topics: TOPICS.join(", ") }));
        return;
      }
      throw err;
    }
  }

  /** A `poll_answer`: scored; in a private quiz the next question follows at once. */
  async answer(pollAnswer: PollAnswer): Promise<void> {
    if (!pollAnswer.user) return; // anonymous voter: our polls are not anonymous
    const outcome = await this.runner.answerPoll(pollAnswer.poll_id, participantOf(pollAnswer.user), pollAnswer.option_ids);
    if (!outcome.accepted) logger().debug({ event: "quiz_answer_rejected", reason: outcome.reason }, "quiz answer not counted");
  }

  /** `/next` in a chat. */
  async next(chatId: number, locale: Locale): Promise<void> {
    if (!(await this.runner.nextInChat(chatKeyOf(chatId)))) await this.say(chatId, this.core.t(locale, "quiz.errors.not_found"));
  }

  /** `/stopquiz` in a chat. */
  async stop(chatId: number, locale: Locale): Promise<void> {
    if (!(await this.runner.engine.activeSession(chatKeyOf(chatId)))) {
      await this.say(chatId, this.core.t(locale, "quiz.errors.not_found"));
      return;
    }
    await this.runner.stopInChat(chatKeyOf(chatId));
  }

  /** `/leaderboard`: the running quiz, else the chat's last one. */
  async leaderboard(chatId: number, locale: Locale): Promise<void> {
    const results = await this.runner.latestResults(chatKeyOf(chatId));
    await this.say(chatId, results ? formatLeaderboard(results, locale) : this.core.t(locale, "quiz.errors.not_found"));
  }

  /** `/quizresults`: the running or last quiz's results as a CSV document. */
  async sendResults(chatId: number, locale: Locale): Promise<void> {
    const results = await this.runner.latestResults(chatKeyOf(chatId));
    if (!results) {
      await this.say(chatId, this.core.t(locale, "quiz.errors.not_found"));
      return;
    }
    const day = new Date(results.startedAt).toISOString().slice(0, 10);
    const file = new InputFile(Buffer.from(resultsToCsv(results), "utf8"), `quiz-results-${day}-${results.sessionId}.csv`);
    await this.api.sendDocument(chatId, file, { caption: this.core.t(locale, "telegram.quiz.results_caption") });
  }

  /** /forget: see QuizRunner.forget. */
  forget(userId: string, ownChats: readonly string[]): Promise<number> {
    return this.runner.forget(userId, ownChats);
  }

  /** After a restart: timers re-armed, a question that never went out asked again. */
  resume(): Promise<number> {
    return this.runner.resume();
  }

  /** Stops the timers and waits for quiz work in progress (shutdown). */
  dispose(): Promise<void> {
    return this.runner.dispose();
  }

  private say(chatId: number, text: string): Promise<unknown> {
    return this.presenter.say(chatId, text);
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
