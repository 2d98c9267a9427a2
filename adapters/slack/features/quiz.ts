/**
 * The team quiz (SLACK_QUIZ_COMMAND, default `/hotline-quiz`), on the core's quiz runner
 * (src/quiz/runner.ts: state, scoring, timers, moving on, resume, locking across instances);
 * this file is its Slack presenter and the command and buttons: a question in the channel with
 * one button per option; each person's first click counts; when the timer ends or the starter
 * presses "Next", the question message is replaced by the answer with its cited passage and the
 * next question follows; at the end, the leaderboard. `/hotline-quiz leaderboard | stop | help`.
 *
 * State lives in the store (Redis with REDIS_URL), so clicks reach the quiz from any instance,
 * and running quizzes are re-armed on start.
 */
import type { App, BlockButtonAction, webApi } from "@slack/bolt";
import { localeOf, parseLocale } from "../../../src/index.ts";
import { isTopic, parseQuizArgs, QuizError, QuizRunner, type QuizEngine } from "../../../src/index.ts";
import { resultsToCsv, type AskedQuestion, type EndInfo, type MoveOnInfo, type QuizPresenter, type QuizResults, type ShowQuestionInfo, type Shown } from "../../../src/index.ts";
import { optionLetter } from "../../../src/index.ts";
import { TOPICS } from "../../../src/index.ts";
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

/** Where a question was posted, to replace it by its reveal. */
interface Posted {
  channel: string;
  ts: string;
}

const channelOf = (chatKey: string) => chatKey.split(":")[2]!;

/** How a quiz looks in a Slack channel. */
class SlackQuizPresenter implements QuizPresenter {
  readonly prefix = "slack:";

  constructor(
    private readonly deps: SlackDeps,
    private readonly client: () => webApi.WebClient,
  ) {}

  advancesOnAnswer(): boolean {
    return false; // a team quiz: the timer or the starter's "Next"
  }

  async showQuestion(q: AskedQuestion, info: ShowQuestionInfo): Promise<Shown> {
    const tx = textsFor(this.deps.assistant, info.locale);
    const view = questionView(q, tx);
    const starter = (info.intro as { user?: string } | undefined)?.user;
    const intro = starter ? tx.t("slack.quiz.started", { user: starter, count: q.total }) : undefined;
    const blocks = intro ? [{ type: "context" as const, elements: [{ type: "mrkdwn" as const, text: intro }] }, ...view.blocks] : view.blocks;
    const channel = channelOf(info.chatKey);
    const res = await withRetry("chat.postMessage", () => this.client().chat.postMessage({ channel, text: view.text, blocks }), this.deps.log, this.deps.retry);
    return { ref: { channel, ts: String(res.ts) } satisfies Posted };
  }

  /** The question message is replaced by the answer and its cited passage. */
  async showMoveOn(info: MoveOnInfo): Promise<void> {
    const posted = info.ref as Posted | undefined;
    if (!info.reveal || !posted?.ts) return;
    const tx = textsFor(this.deps.assistant, info.locale);
    const passage = this.deps.assistant.passage(info.reveal.citation.passage);
    const view = revealView(info.reveal, tx, passage ? this.deps.assistant.citation(passage, 1) : undefined);
    await withRetry("chat.update", () => this.client().chat.update({ channel: posted.channel, ts: posted.ts, text: view.text, blocks: view.blocks }), this.deps.log, this.deps.retry);
  }

  async showEnd(results: QuizResults, info: EndInfo): Promise<void> {
    const tx = textsFor(this.deps.assistant, info.locale);
    const view = leaderboardView(results, tx, tx.t(info.why === "stop" ? "slack.quiz.stopped" : "slack.quiz.finished"));
    await withRetry("chat.postMessage", () => this.client().chat.postMessage({ channel: channelOf(info.chatKey), text: view.text, blocks: view.blocks as never }), this.deps.log, this.deps.retry);
  }
}

export class SlackQuiz {
  readonly runner: QuizRunner;
  readonly engine: QuizEngine;
  private readonly seconds: number;
  private readonly count: number;

  constructor(
    private readonly deps: SlackDeps,
    client: () => webApi.WebClient,
    options: SlackQuizOptions,
  ) {
    this.engine = options.engine;
    this.runner = new QuizRunner({ engine: options.engine, store: deps.store, presenter: new SlackQuizPresenter(deps, client) });
    this.seconds = options.openPeriodSeconds ?? 30;
    this.count = options.count ?? 5;
  }

  register(app: App): void {
    const { deps } = this;
    app.command(deps.config.SLACK_QUIZ_COMMAND, async ({ command, ack, respond }) => {
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
          await this.runner.stop(id);
        } else {
          const args = parseQuizArgs(words.filter((w) => w !== "start").join(" "));
          if (args.topic !== undefined && !isTopic(args.topic)) throw new QuizError("unknown_topic");
          const seconds = args.seconds ?? this.seconds;
          try {
            const started = await this.runner.start({
              chatKey,
              owner: { id: command.user_id, name: command.user_name },
              locale,
              topic: args.topic as (typeof TOPICS)[number] | undefined,
              count: args.count ?? this.count,
              ...(seconds > 0 ? { openPeriodSeconds: seconds } : {}),
              intro: { user: `<@${command.user_id}>` },
            });
            deps.log.info({ event: "slack_quiz_started", topic: args.topic ?? "any", questions: started.question.total }, "quiz started");
          } catch (err) {
            if (slackErrorCode(err) === "not_in_channel" || slackErrorCode(err) === "channel_not_found") {
              await respond({ response_type: "ephemeral", text: tx.t("slack.quiz.not_in_channel") });
              return;
            }
            throw err;
          }
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
      const tx = await this.textsOf(v.sessionId);
      try {
        const who = { id: body.user.id, name: body.user.name ?? body.user.username ?? "?" };
        const outcome = await this.runner.answer(v.sessionId, v.index, who, v.option);
        const text = outcome.accepted ? tx.t("slack.quiz.recorded", { letter: optionLetter(v.option) }) : tx.t(`quiz.rejected.${outcome.reason}`);
        await respond({ response_type: "ephemeral", replace_original: false, text });
      } catch (err) {
        deps.log.error({ event: "slack_error", feature: "quiz_answer", code: slackErrorCode(err), err: (err as Error).name }, "quiz answer failed");
      }
    });

    app.action<BlockButtonAction>(ACTION.quizNext, async ({ ack, action, body, respond }) => {
      await ack();
      const v = parseValue(action.value);
      if (!v) return;
      try {
        if (!(await this.engine.isOwner(v.sessionId, body.user.id))) {
          const tx = await this.textsOf(v.sessionId);
          await respond({ response_type: "ephemeral", replace_original: false, text: tx.t("slack.quiz.only_owner") });
          return;
        }
        await this.advance(v.sessionId, v.index);
      } catch (err) {
        deps.log.error({ event: "slack_error", feature: "quiz_next", code: slackErrorCode(err), err: (err as Error).name }, "quiz next failed");
      }
    });
  }

  /** Re-arms the timers of quizzes that were running when the app stopped. */
  async resume(): Promise<void> {
    await this.runner.resume();
  }

  /** Clears the timers and waits for quiz work in progress (shutdown); quizzes stay in the store. */
  stop(): Promise<void> {
    return this.runner.dispose();
  }

  /** Moves on from question `index` if it is still the open one (timer or "Next"). */
  async advance(sessionId: string, index: number): Promise<void> {
    await this.runner.advance(sessionId, index, "next");
  }

  /** The texts in the quiz's language. */
  private async textsOf(sessionId: string): Promise<Texts> {
    const state = await this.engine.get(sessionId);
    return textsFor(this.deps.assistant, state?.locale ?? localeOf("en"));
  }

  private help(tx: Texts): string {
    return tx.t("slack.quiz.help", { command: this.deps.config.SLACK_QUIZ_COMMAND, count: this.count, seconds: this.seconds, topics: TOPICS.map((t) => `\`${t}\``).join(", ") });
  }
}
