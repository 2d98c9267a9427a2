/**
 * Quiz layouts: a question with one button per option (and "Next" for the person who started
 * it), the reveal with the cited passage, and the leaderboard. Built from the quiz engine's
 * data (src/quiz/session.ts), escaped for mrkdwn.
 */
import type { Citation } from "../../../src/index.ts";
import type { AskedQuestion, QuizResults, Reveal } from "../../../src/index.ts";
import { optionLetter } from "../../../src/index.ts";
import { ACTION } from "../actions.ts";
import { escape, quote, truncate } from "../mrkdwn.ts";
import type { Texts } from "../texts.ts";
import { citationLabel } from "./answer.ts";
import { actions, button, context, section, type Block } from "./kit.ts";

export interface View {
  blocks: Block[];
  text: string;
}

/** Button values carry session, question and option: `q1a2b3|4|2`. */
export function answerValue(sessionId: string, index: number, option: number): string {
  return `${sessionId}|${index}|${option}`;
}

export function parseValue(value: string | undefined): { sessionId: string; index: number; option: number } | undefined {
  const [sessionId, index, option] = (value ?? "").split("|");
  if (!sessionId || index === undefined || !/^\d+$/.test(index)) return undefined;
  return { sessionId, index: Number(index), option: option !== undefined && /^\d+$/.test(option) ? Number(option) : -1 };
}

export function questionView(q: AskedQuestion, tx: Texts): View {
  const head = tx.t("quiz.question_header", { n: q.index + 1, total: q.total });
  const options = q.options.map((o, i) => `*${optionLetter(i)})* ${escape(o)}`).join("\n");
  const seconds = q.openPeriodSeconds;
  return {
    text: `${head}: ${escape(q.text)}`,
    blocks: [
      section(`*${escape(head)}*\n${escape(q.text)}\n\n${options}`),
      actions(
        `hotline_quiz_${q.sessionId}_${q.index}`,
        q.options.map((o, i) => button(`${optionLetter(i)}) ${truncate(o, 68)}`, `${ACTION.quizAnswer}_${i}`, answerValue(q.sessionId, q.index, i))),
      ),
      context(escape(seconds ? tx.t("slack.quiz.closes", { seconds }) : tx.t("slack.quiz.own_pace"))),
      actions(`hotline_quiz_next_${q.sessionId}_${q.index}`, [button(tx.t("slack.quiz.next"), ACTION.quizNext, answerValue(q.sessionId, q.index, 0))]),
    ],
  };
}

export function revealView(r: Reveal, tx: Texts, cited: Citation | undefined): View {
  const head = tx.t("quiz.question_header", { n: r.index + 1, total: r.total });
  const answer = tx.t("quiz.reveal", { letter: optionLetter(r.correctOption), answer: r.correctText });
  const blocks: Block[] = [
    section(`*${escape(head)}*\n${escape(r.question)}`),
    section(`*${escape(answer)}*\n${escape(r.explanation)}`),
  ];
  if (cited) blocks.push(context(citationLabel(cited), quote(truncate(cited.text, 500))));
  blocks.push(context(escape(tx.t("slack.quiz.answered", { answered: r.answered, correct: r.answeredCorrectly }))));
  return { blocks, text: `${head}: ${answer}` };
}

export function leaderboardView(results: QuizResults, tx: Texts, heading?: string): View {
  const title = tx.t("quiz.leaderboard_title", { asked: results.asked, total: results.total });
  const rows =
    results.participants.length === 0
      ? [tx.t("quiz.leaderboard_empty")]
      : results.participants.slice(0, 20).map((r) =>
          tx.t("quiz.leaderboard_row", { rank: r.rank, name: r.name, correct: r.correct, answered: r.answered, seconds: Math.round(r.timeMs / 1000) }),
        );
  const text = [heading, `*${escape(title)}*`, ...rows.map(escape)].filter(Boolean).join("\n");
  return { blocks: [section(text)], text: title };
}
