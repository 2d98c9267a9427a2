/**
 * The console quiz (`/quiz [topic] [n]` in the console chat): one person at their own pace,
 * answers typed as a letter or as (part of) the option text. The quiz runs on the core's quiz
 * runner (src/quiz/runner.ts), like the Telegram and Slack quizzes, with an in-memory store;
 * this file is its console presenter and the reading of answers.
 */
import type { Locale } from "../../src/index.ts";
import { prompts, type Prompts } from "../../src/index.ts";
import { MemoryStore } from "../../src/index.ts";
import { loadBank, type QuizBank } from "../../src/index.ts";
import { isTopic, QuizEngine, QuizError, QuizRunner, type QuizErrorCode, type QuizPresenter } from "../../src/index.ts";
import { formatLeaderboard, formatQuestion, formatReveal, topicLabel } from "../../src/index.ts";
import { matchOption } from "../../src/index.ts";
import type { AskedQuestion, QuizResults } from "../../src/index.ts";
import { optionLetter } from "../../src/index.ts";
import { TOPICS } from "../../src/index.ts";

export interface ConsoleQuizIO {
  /** Shows the prompt and returns the next line typed, or null at end of input. */
  ask(prompt: string): Promise<string | null>;
  print(text: string): void;
}

export interface ConsoleQuizOptions {
  topic?: string;
  count?: number;
  locale: Locale;
  /** Injected in tests; by default the bank in knowledge/quiz/ and a fresh in-memory engine. */
  bank?: QuizBank;
  engine?: QuizEngine;
  random?: () => number;
  prompts?: Prompts;
}

export interface ConsoleQuizResult {
  status: "finished" | "stopped" | "error";
  /** Set when the quiz could not start (unknown topic, no questions). */
  error?: QuizErrorCode;
  asked: number;
  answered: number;
  correct: number;
  total: number;
  results?: QuizResults;
}

const STOP_WORDS = new Set(["/stop", "/stopquiz", "/quit", "/exit"]);
const CHAT_KEY = "console";
const ME = { id: "console", name: "You" };

export async function runConsoleQuiz(io: ConsoleQuizIO, options: ConsoleQuizOptions): Promise<ConsoleQuizResult> {
  const p = options.prompts ?? prompts();
  const { locale } = options;
  const t = (key: string, vars?: Record<string, string | number>) => p.t(locale, key, vars);
  const failed = (error: QuizErrorCode): ConsoleQuizResult => ({ status: "error", error, asked: 0, answered: 0, correct: 0, total: 0 });

  const topic = options.topic?.trim().toLowerCase() || undefined;
  if (topic !== undefined && !isTopic(topic)) {
    io.print(t("quiz.errors.unknown_topic", { topics: TOPICS.map((x) => `${x} (${topicLabel(x, locale, p)})`).join(", ") }));
    return failed("unknown_topic");
  }
  const store = new MemoryStore();
  const engine = options.engine ?? new QuizEngine({ bank: options.bank ?? loadBank(), store, ...(options.random ? { random: options.random } : {}) });
  const presenter = new ConsolePresenter(io, p, topic);
  const runner = new QuizRunner({ engine, store, presenter });

  let sessionId: string;
  try {
    ({ sessionId } = await runner.start({ chatKey: CHAT_KEY, owner: ME, locale, topic, count: options.count, intro: true }));
  } catch (err) {
    if (!(err instanceof QuizError)) throw err;
    io.print(t(`quiz.errors.${err.code}`, { topics: TOPICS.join(", ") }));
    return failed(err.code);
  }

  for (let question = presenter.current; question; question = presenter.current) {
    const last = optionLetter(question.options.length - 1);
    let choice: number | undefined;
    while (choice === undefined) {
      const line = await io.ask(t("quiz.answer_prompt", { last }));
      if (line === null || STOP_WORDS.has(line.trim().toLowerCase())) {
        await runner.stop(sessionId);
        return summary(presenter.results!, "stopped");
      }
      choice = matchOption(line, question.options);
      if (choice === undefined) io.print(t("quiz.not_understood", { last }));
    }
    const outcome = await runner.answer(sessionId, question.index, ME, choice);
    if (outcome.accepted) io.print(t(outcome.correct ? "quiz.correct" : "quiz.wrong"));
    presenter.current = undefined;
    await runner.advance(sessionId, question.index, "answered");
  }
  return summary(presenter.results!, "finished");
}

function summary(results: QuizResults, status: "finished" | "stopped"): ConsoleQuizResult {
  const me = results.participants[0];
  return { status, asked: results.asked, answered: me?.answered ?? 0, correct: me?.correct ?? 0, total: results.total, results };
}

/** Prints the quiz: the intro, each question, the reveal after an answer, the score at the end. */
class ConsolePresenter implements QuizPresenter {
  readonly prefix = CHAT_KEY;
  /** The question waiting for an answer; undefined once the quiz has ended. */
  current: AskedQuestion | undefined;
  results: QuizResults | undefined;

  constructor(
    private readonly io: ConsoleQuizIO,
    private readonly p: Prompts,
    private readonly topic: string | undefined,
  ) {}

  advancesOnAnswer(): boolean {
    return false; // the loop moves on itself, after telling whether the answer was right
  }

  async showQuestion(q: AskedQuestion, info: { locale: Locale; intro?: unknown }): Promise<undefined> {
    const t = (key: string, vars?: Record<string, string | number>) => this.p.t(info.locale, key, vars);
    if (info.intro) {
      this.io.print(this.topic ? t("quiz.intro_topic", { topic: topicLabel(this.topic as (typeof TOPICS)[number], info.locale, this.p), count: q.total }) : t("quiz.intro", { count: q.total }));
    }
    this.io.print(`\n${formatQuestion(q, info.locale, this.p)}`);
    this.current = q;
    return undefined;
  }

  async showMoveOn(info: { locale: Locale; reveal?: Parameters<typeof formatReveal>[0]; why: string }): Promise<void> {
    if (info.reveal && info.why !== "stop") this.io.print(formatReveal(info.reveal, info.locale, this.p));
  }

  async showEnd(results: QuizResults, info: { locale: Locale; why: string }): Promise<void> {
    const t = (key: string, vars?: Record<string, string | number>) => this.p.t(info.locale, key, vars);
    const me = results.participants[0];
    const correct = me?.correct ?? 0;
    const answered = me?.answered ?? 0;
    this.current = undefined;
    this.results = results;
    this.io.print("");
    this.io.print(info.why === "stop" ? t("quiz.stopped", { asked: answered, correct }) : t("quiz.finished", { correct, total: results.total }));
    if (answered > 0) this.io.print(formatLeaderboard(results, info.locale, {}, this.p));
  }
}
