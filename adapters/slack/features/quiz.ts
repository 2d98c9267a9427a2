/**
 * The team quiz (SLACK_QUIZ_COMMAND, default `/hotline-quiz`), on the shared quiz engine
 * (src/quiz/engine.ts): a question in the channel with one button per option; each person's
 * first click counts; when the timer ends or the starter presses "Next", the question message
 * is replaced by the answer with its cited passage and the next question follows; at the end,
 * the leaderboard. `/hotline-quiz leaderboard | stop | help`.
 *
 * Timers live in the instance that asked the question; state lives in the store (Redis with
 * REDIS_URL), so clicks reach the quiz from any instance, and running quizzes are re-armed on
 * start.
 */
import { KeyedLock } from "../../../src/index.ts";
import type { App, BlockButtonAction, webApi } from "@slack/bolt";
import { parseLocale, localeOf, type Locale } from "../../../src/index.ts";
import { isTopic, QuizError, type QuizEngine } from "../../../src/index.ts";
import { type AskedQuestion, type Reveal, resultsToCsv } from "../../../src/index.ts";
import { optionLetter } from "../../../src/index.ts";
import { TOPICS, type Topic } from "../../../src/index.ts";
import { ACTION } from "../actions.ts";
import { leaderboardView, parseValue, questionView, revealView } from "../blocks/quiz.ts";
import type { SlackDeps } from "../deps.ts";
import { toPlain } from "../mrkdwn.ts";
import { textsFor, type Texts } from "../texts.ts";
import { slackErrorCode, withRetry } from "../web-api.ts";

export interface SlackQuizOptions {
  engine: QuizEngine;
  /** Seconds each question stays open (default 30); 0 for "Next" only. */
  openPeriodSeconds?: number;
  /** Questions per quiz unless the command says otherwise (default 5). */
  count?: number;
}

interface Posted {
  channel: string;
  ts: string;
  locale: string;
}

const msgKey = (sessionId: string, index: number) => `slack:quiz:msg:${sessionId}:${index}`;
const TTL = 7 * 24 * 3600;

export class SlackQuiz {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly locks = new KeyedLock();
  readonly engine: QuizEngine;
  private readonly seconds: number;
  private readonly count: number;

  constructor(
    private readonly deps: SlackDeps,
    private readonly client: () => webApi.WebClient,
    options: SlackQuizOptions,
  ) {
    this.engine = options.engine;
    this.seconds = options.openPeriodSeconds ?? 30;
    this.count = options.count ?? 5;
  }

  register(app: App): void {
    const { deps } = this;
    app.command(deps.config.SLACK_QUIZ_COMMAND, async ({ command, ack, respond, client }) => {
      await ack();
      const words = toPlain(command.text).toLowerCase().split(/\s+/).filter(Boolean);
      const locale = words.map((w) => parseLocale(w)).find((l) => l !== undefined) ?? localeOf("en");
      const tx = textsFor(deps.assistant, locale);
      const chatKey = `slack:${command.team_id}:${command.channel_id}`;
      try {
        if (words.includes("help")) {
          await respond({ response_type: "ephemeral", text: this.help(tx) });
        } else if (words.includes("csv") || words.includes("export")) {
          // Results per participant (display names only) as CSV, for the trainer's records.
          const id = await this.engine.lastSession(chatKey);
          if (!id) throw new QuizError("not_found");
          const csv = resultsToCsv(await this.engine.results(id));
          await respond({ response_type: "ephemeral", text: `${tx.t("slack.quiz.csv")}\n\`\`\`\n${csv}\n\`\`\`` });
        } else if (words.includes("leaderboard") || words.includes("results")) {
          const id = await this.engine.lastSession(chatKey);
          if (!id) throw new QuizError("not_found");
          await respond({ response_type: "ephemeral", ...leaderboardView(await this.engine.results(id), tx) });
        } else if (words.includes("stop")) {
          const id = await this.engine.activeSession(chatKey);
          if (!id) throw new QuizError("not_found");
          if (!(await this.engine.isOwner(id, command.user_id))) {
            await respond({ response_type: "ephemeral", text: tx.t("slack.quiz.only_owner") });
            return;
          }
          await this.locked(id, () => this.end(id, "stop"));
        } else {
          const topic = words.find((w): w is Topic => isTopic(w));
          const n = words.map(Number).find((x) => Number.isInteger(x) && x > 0);
          if (words.some((w) => !isTopic(w) && !parseLocale(w) && !/^\d+$/.test(w) && w !== "start")) {
            throw new QuizError("unknown_topic");
          }
          const started = await this.engine.start({
            chatKey,
            owner: { id: command.user_id, name: command.user_name },
            locale,
            topic,
            count: n ?? this.count,
            ...(this.seconds > 0 ? { openPeriodSeconds: this.seconds } : {}),
          });
          try {
            await this.ask(client, command.channel_id, started.question, locale, tx.t("slack.quiz.started", { user: `<@${command.user_id}>`, count: started.question.total }));
          } catch (err) {
            await this.engine.stop(started.sessionId);
            if (slackErrorCode(err) === "not_in_channel" || slackErrorCode(err) === "channel_not_found") {
              await respond({ response_type: "ephemeral", text: tx.t("slack.quiz.not_in_channel") });
              return;
            }
            throw err;
          }
          deps.log.info({ event: "slack_quiz_started", topic: topic ?? "any", questions: started.question.total }, "quiz started");
        }
      } catch (err) {
        if (err instanceof QuizError) {
          await respond({ response_type: "ephemeral", text: tx.t(`quiz.errors.${err.code}`, { topics: TOPICS.join(", ") }) });
          return;
        }
        deps.log.error({ event: "slack_error", feature: "quiz_command", code: slackErrorCode(err), err: (err as Error).name }, "quiz command failed");
        await respond({ response_type: "ephemeral", text: tx.t("slack.error") }).catch(() => undefined);
      }
    });

    app.action<BlockButtonAction>(new RegExp(`^${ACTION.quizAnswer}_\\d+$`), async ({ ack, action, body, respond }) => {
      await ack();
      const v = parseValue(action.value);
      if (!v) return;
      const tx = await this.textsOf(v.sessionId, v.index);
      try {
        const who = { id: body.user.id, name: body.user.name ?? body.user.username ?? "?" };
        const outcome = await this.engine.answer(v.sessionId, v.index, who, v.option);
        const text = outcome.accepted ? tx.t("slack.quiz.recorded", { letter: optionLetter(v.option) }) : tx.t(`quiz.rejected.${outcome.reason}`);
        await respond({ response_type: "ephemeral", replace_original: false, text });
      } catch (err) {
        deps.log.error({ event: "slack_error", feature: "quiz_answer", code: slackErrorCode(err), err: (err as Error).name }, "quiz answer failed");
      }
    });

    app.action<BlockButtonAction>(ACTION.quizNext, async ({ ack, action, body, respond, client }) => {
      await ack();
      const v = parseValue(action.value);
      if (!v) return;
      try {
        if (!(await this.engine.isOwner(v.sessionId, body.user.id))) {
          const tx = await this.textsOf(v.sessionId, v.index);
          await respond({ response_type: "ephemeral", replace_original: false, text: tx.t("slack.quiz.only_owner") });
          return;
        }
        await this.advance(v.sessionId, v.index, client);
      } catch (err) {
        deps.log.error({ event: "slack_error", feature: "quiz_next", code: slackErrorCode(err), err: (err as Error).name }, "quiz next failed");
      }
    });
  }

  /** Re-arms the timers of quizzes that were running when the app stopped. */
  async resume(): Promise<void> {
    for (const id of await this.engine.runningSessions()) {
      const q = await this.engine.current(id);
      if (q?.closesAt !== undefined) this.schedule(q);
    }
  }

  /** Clears the timers (shutdown); quizzes stay in the store. */
  stop(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }

  /** Moves on from question `index` if it is still the open one (timer or "Next"). */
  async advance(sessionId: string, index: number, client: webApi.WebClient = this.client()): Promise<void> {
    await this.locked(sessionId, async () => {
      const state = await this.engine.get(sessionId);
      if (!state || state.status !== "running" || state.current !== index) return;
      this.clear(sessionId);
      const result = await this.engine.next(sessionId);
      const posted = await this.deps.store.get<Posted>(msgKey(sessionId, index));
      if (!posted) return;
      const locale = parseLocale(posted.locale) ?? localeOf("en");
      if (result.reveal) await this.reveal(client, posted, result.reveal, locale);
      if (result.question) await this.ask(client, posted.channel, result.question, locale);
      else if (result.finished) {
        const tx = textsFor(this.deps.assistant, locale);
        await this.post(client, posted.channel, leaderboardView(result.finished, tx, tx.t("slack.quiz.finished")));
      }
    });
  }

  private async end(sessionId: string, how: "stop"): Promise<void> {
    this.clear(sessionId);
    const state = await this.engine.get(sessionId);
    const posted = state ? await this.deps.store.get<Posted>(msgKey(sessionId, state.current)) : undefined;
    const { reveal, results } = how === "stop" ? await this.engine.stop(sessionId) : await this.engine.finish(sessionId);
    if (!posted) return;
    const locale = parseLocale(posted.locale) ?? localeOf("en");
    const tx = textsFor(this.deps.assistant, locale);
    if (reveal) await this.reveal(this.client(), posted, reveal, locale);
    await this.post(this.client(), posted.channel, leaderboardView(results, tx, tx.t("slack.quiz.stopped")));
  }

  private async ask(client: webApi.WebClient, channel: string, q: AskedQuestion, locale: Locale, intro?: string): Promise<void> {
    const tx = textsFor(this.deps.assistant, locale);
    const view = questionView(q, tx);
    const blocks = intro ? [{ type: "context" as const, elements: [{ type: "mrkdwn" as const, text: intro }] }, ...view.blocks] : view.blocks;
    const res = await withRetry("chat.postMessage", () => client.chat.postMessage({ channel, text: view.text, blocks }), this.deps.log, this.deps.retry);
    await this.deps.store.set<Posted>(msgKey(q.sessionId, q.index), { channel, ts: String(res.ts), locale: locale.lang }, TTL);
    if (q.closesAt !== undefined) this.schedule(q);
  }

  private async reveal(client: webApi.WebClient, posted: Posted, r: Reveal, locale: Locale): Promise<void> {
    const tx = textsFor(this.deps.assistant, locale);
    const passage = this.deps.assistant.passage(r.citation.passage);
    const view = revealView(r, tx, passage ? this.deps.assistant.citation(passage, 1) : undefined);
    await withRetry("chat.update", () => client.chat.update({ channel: posted.channel, ts: posted.ts, text: view.text, blocks: view.blocks }), this.deps.log, this.deps.retry);
  }

  private async post(client: webApi.WebClient, channel: string, view: { blocks: unknown[]; text: string }): Promise<void> {
    await withRetry("chat.postMessage", () => client.chat.postMessage({ channel, text: view.text, blocks: view.blocks as never }), this.deps.log, this.deps.retry);
  }

  private schedule(q: AskedQuestion): void {
    this.clear(q.sessionId);
    const wait = Math.max(0, (q.closesAt ?? Date.now()) - Date.now());
    const timer = setTimeout(() => {
      this.timers.delete(q.sessionId);
      void this.deps.queue.track(
        this.advance(q.sessionId, q.index).catch((err: unknown) =>
          this.deps.log.error({ event: "slack_error", feature: "quiz_timer", code: slackErrorCode(err), err: (err as Error).name }, "quiz timer failed"),
        ),
      );
    }, wait);
    timer.unref();
    this.timers.set(q.sessionId, timer);
  }

  private clear(sessionId: string): void {
    const t = this.timers.get(sessionId);
    if (t) clearTimeout(t);
    this.timers.delete(sessionId);
  }

  private async textsOf(sessionId: string, index: number): Promise<Texts> {
    const posted = await this.deps.store.get<Posted>(msgKey(sessionId, index));
    return textsFor(this.deps.assistant, parseLocale(posted?.locale) ?? localeOf("en"));
  }

  private help(tx: Texts): string {
    return tx.t("slack.quiz.help", { command: this.deps.config.SLACK_QUIZ_COMMAND, count: this.count, seconds: this.seconds, topics: TOPICS.map((t) => `\`${t}\``).join(", ") });
  }

  private locked<T>(key: string, work: () => Promise<T>): Promise<T> {
    return this.locks.run(key, work);
  }
}

