/**
 * The console quiz (`/quiz [topic] [n]` in the console chat): one person at their own pace,
 * answers typed as a letter or as (part of) the option text. It drives the same session
 * engine the Telegram and Slack quizzes use, with an in-memory store.
 */
import type { Locale } from "../../src/index.ts";
import { prompts, type Prompts } from "../../src/index.ts";
import { MemoryStore } from "../../src/index.ts";
import { loadBank, type QuizBank } from "../../src/index.ts";
import { isTopic, QuizEngine, QuizError, type QuizErrorCode } from "../../src/index.ts";
import { formatLeaderboard, formatQuestion, formatReveal, topicLabel } from "../../src/index.ts";
import { matchOption } from "../../src/index.ts";
import type { QuizResults } from "../../src/index.ts";
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
  const engine =
    options.engine ??
    new QuizEngine({ bank: options.bank ?? loadBank(), store: new MemoryStore(), ...(options.random ? { random: options.random } : {}) });

  let started;
  try {
    started = await engine.start({ chatKey: CHAT_KEY, owner: ME, locale, topic, count: options.count });
  } catch (err) {
    if (!(err instanceof QuizError)) throw err;
    io.print(t(`quiz.errors.${err.code}`, { topics: TOPICS.join(", ") }));
    return failed(err.code);
  }
  const { sessionId } = started;
  let question = started.question;
  io.print(topic ? t("quiz.intro_topic", { topic: topicLabel(topic, locale, p), count: question.total }) : t("quiz.intro", { count: question.total }));

  for (;;) {
    io.print(`\n${formatQuestion(question, locale, p)}`);
    const last = optionLetter(question.options.length - 1);
    let choice: number | undefined;
    while (choice === undefined) {
      const line = await io.ask(t("quiz.answer_prompt", { last }));
      if (line === null || STOP_WORDS.has(line.trim().toLowerCase())) return summary(engine, sessionId, "stopped", io, t, locale, p);
      choice = matchOption(line, question.options);
      if (choice === undefined) io.print(t("quiz.not_understood", { last }));
    }
    const outcome = await engine.answer(sessionId, question.index, ME, choice);
    if (outcome.accepted) io.print(t(outcome.correct ? "quiz.correct" : "quiz.wrong"));
    const step = await engine.next(sessionId);
    if (step.reveal) io.print(formatReveal(step.reveal, locale, p));
    if (!step.question) return summary(engine, sessionId, "finished", io, t, locale, p);
    question = step.question;
  }
}

async function summary(
  engine: QuizEngine,
  sessionId: string,
  status: "finished" | "stopped",
  io: ConsoleQuizIO,
  t: (key: string, vars?: Record<string, string | number>) => string,
  locale: Locale,
  p: Prompts,
): Promise<ConsoleQuizResult> {
  const { results } = status === "stopped" ? await engine.stop(sessionId) : { results: await engine.results(sessionId) };
  const me = results.participants[0];
  const correct = me?.correct ?? 0;
  const answered = me?.answered ?? 0;
  io.print("");
  io.print(status === "finished" ? t("quiz.finished", { correct, total: results.total }) : t("quiz.stopped", { asked: answered, correct }));
  if (answered > 0) io.print(formatLeaderboard(results, locale, {}, p));
  return { status, asked: results.asked, answered, correct, total: results.total, results };
}
