/**
 * Plain-text renderings of quiz moments in the participant's language, from
 * `prompts/<lang>/quiz.yaml`: question with lettered options, the reveal, the leaderboard.
 * Adapters may use them as they are or build richer layouts (Block Kit) from the same data.
 */
import type { Locale } from "../language/languages.ts";
import { prompts, type Prompts } from "../prompts.ts";
import type { AskedQuestion, QuizResults, Reveal } from "./session.ts";
import { optionLetter } from "./text.ts";
import type { Topic } from "./types.ts";

export function topicLabel(topic: Topic, locale: Locale, p: Prompts = prompts()): string {
  return p.t(locale, `quiz.topics.${topic}`);
}

export function formatQuestion(q: AskedQuestion, locale: Locale, p: Prompts = prompts()): string {
  const head = p.t(locale, "quiz.question_header", { n: q.index + 1, total: q.total });
  const options = q.options.map((o, i) => `  ${optionLetter(i)}) ${o}`);
  return [head, q.text, ...options].join("\n");
}

export function formatReveal(r: Reveal, locale: Locale, p: Prompts = prompts()): string {
  return [
    p.t(locale, "quiz.reveal", { letter: optionLetter(r.correctOption), answer: r.correctText }),
    r.explanation,
  ].join("\n");
}

export function formatLeaderboard(results: QuizResults, locale: Locale, options: { limit?: number } = {}, p: Prompts = prompts()): string {
  const title = p.t(locale, "quiz.leaderboard_title", { asked: results.asked, total: results.total });
  if (results.participants.length === 0) return `${title}\n${p.t(locale, "quiz.leaderboard_empty")}`;
  const rows = results.participants.slice(0, options.limit ?? 10).map((r) =>
    p.t(locale, "quiz.leaderboard_row", {
      rank: r.rank,
      name: r.name,
      correct: r.correct,
      answered: r.answered,
      seconds: Math.round(r.timeMs / 1000),
    }),
  );
  return [title, ...rows].join("\n");
}
