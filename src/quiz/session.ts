/**
 * A quiz session's state, as plain JSON (so it can live in Redis and survive a restart), with
 * its schema and the pure functions that change it. The engine (engine.ts) loads, applies one of
 * these and saves; nothing here does I/O or reads the clock.
 *
 * Participants are kept under a pseudonymous key (a hash of the session id and the platform
 * user id) with their display name; platform user ids are never stored.
 */
import { createHash } from "node:crypto";
import { z } from "zod";
import { LANGUAGES, type Locale } from "../language/languages.ts";
import { pollExplanation } from "./text.ts";
import { DIFFICULTIES, TOPICS, type LocalizedQuestion, type Topic } from "./types.ts";

/** Someone taking part: the platform's user id (only hashed, never stored) and a display name. */
export interface Participant {
  id: string;
  name: string;
}

const questionState = z.object({
  id: z.string(),
  lang: z.enum(LANGUAGES),
  topic: z.enum(TOPICS),
  difficulty: z.enum(DIFFICULTIES),
  question: z.string(),
  /** In the order shown (shuffled at start). */
  options: z.array(z.string()),
  correct: z.number().int(),
  explanation: z.string(),
  citation: z.object({ doc: z.string(), passage: z.string(), locator: z.string() }),
});

const answerState = z.object({ option: z.number().int(), at: z.number() });

const roundState = z.object({
  openedAt: z.number(),
  /** Deadline (ms since epoch); absent when the quiz has no timer. */
  closesAt: z.number().optional(),
  closedAt: z.number().optional(),
  /** Platform handle of the poll or message showing this question (Telegram poll id). */
  pollId: z.string().optional(),
  /** By participant key; the first answer is the only one kept. */
  answers: z.record(answerState),
});

export const sessionSchema = z.object({
  v: z.literal(1),
  id: z.string(),
  chatKey: z.string(),
  ownerKey: z.string(),
  ownerName: z.string(),
  locale: z.object({ lang: z.enum(LANGUAGES), script: z.enum(["latin", "cyrillic"]) }),
  topic: z.enum(TOPICS).optional(),
  openPeriodSeconds: z.number().positive().optional(),
  status: z.enum(["running", "finished", "stopped"]),
  createdAt: z.number(),
  endedAt: z.number().optional(),
  questions: z.array(questionState).min(1),
  /** Index of the question being asked (or last asked once the quiz has ended). */
  current: z.number().int().min(0),
  /** rounds[i] exists once question i has been asked. */
  rounds: z.array(roundState),
  participants: z.record(z.object({ name: z.string(), firstSeen: z.number() })),
});

export type QuizSessionState = z.infer<typeof sessionSchema>;
export type QuestionState = z.infer<typeof questionState>;
export type RoundState = z.infer<typeof roundState>;
export type QuizStatus = QuizSessionState["status"];

export function serializeSession(state: QuizSessionState): string {
  return JSON.stringify(state);
}

/** Parses a session from JSON text or an object; throws with the failing field when invalid. */
export function parseSession(input: string | unknown): QuizSessionState {
  const data: unknown = typeof input === "string" ? JSON.parse(input) : input;
  const parsed = sessionSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`Not a quiz session: ${issue.path.join(".") || "value"} ${issue.message}`);
  }
  return parsed.data;
}

export function participantKey(sessionId: string, userId: string): string {
  return createHash("sha256").update(`${sessionId}\n${userId}`).digest("hex").slice(0, 16);
}

/** A question as shown to participants, with its deadline. */
export interface AskedQuestion {
  sessionId: string;
  /** 0-based position in the quiz; adapters put it in button values / keep it with the poll. */
  index: number;
  total: number;
  text: string;
  options: string[];
  /** Index of the correct option in `options` (Telegram quiz polls need it up front). */
  correct: number;
  /** Explanation plus citation, within Telegram's quiz explanation limits. */
  explanation: string;
  citation: QuestionState["citation"];
  openedAt: number;
  /** When answers stop counting (ms since epoch); absent for a quiz at one's own pace. */
  closesAt?: number;
  /** Seconds for Telegram's `open_period`; absent without a timer. */
  openPeriodSeconds?: number;
}

export function askedQuestion(state: QuizSessionState, index: number = state.current): AskedQuestion {
  const q = state.questions[index]!;
  const round = state.rounds[index];
  return {
    sessionId: state.id,
    index,
    total: state.questions.length,
    text: q.question,
    options: q.options,
    correct: q.correct,
    explanation: pollExplanation(q),
    citation: q.citation,
    openedAt: round?.openedAt ?? state.createdAt,
    ...(round?.closesAt !== undefined ? { closesAt: round.closesAt } : {}),
    ...(state.openPeriodSeconds !== undefined ? { openPeriodSeconds: state.openPeriodSeconds } : {}),
  };
}

export function newSession(args: {
  id: string;
  chatKey: string;
  owner: Participant;
  locale: Locale;
  topic?: Topic | undefined;
  openPeriodSeconds?: number | undefined;
  questions: LocalizedQuestion[];
  now: number;
}): QuizSessionState {
  const state: QuizSessionState = {
    v: 1,
    id: args.id,
    chatKey: args.chatKey,
    ownerKey: participantKey(args.id, args.owner.id),
    ownerName: args.owner.name,
    locale: { lang: args.locale.lang, script: args.locale.script },
    ...(args.topic ? { topic: args.topic } : {}),
    ...(args.openPeriodSeconds ? { openPeriodSeconds: args.openPeriodSeconds } : {}),
    status: "running",
    createdAt: args.now,
    questions: args.questions.map((q) => ({ ...q })),
    current: 0,
    rounds: [],
    participants: {},
  };
  openRound(state, 0, args.now);
  return state;
}

export function openRound(state: QuizSessionState, index: number, now: number): void {
  state.current = index;
  state.rounds[index] = {
    openedAt: now,
    ...(state.openPeriodSeconds ? { closesAt: now + state.openPeriodSeconds * 1000 } : {}),
    answers: {},
  };
}

/** Closes the current round if it is open; true when it was. */
export function closeRound(state: QuizSessionState, now: number): boolean {
  const round = state.rounds[state.current];
  if (!round || round.closedAt !== undefined) return false;
  round.closedAt = round.closesAt !== undefined ? Math.min(now, round.closesAt) : now;
  return true;
}

export type AnswerRejection = "no_quiz" | "closed" | "late" | "duplicate" | "invalid_option";

export type AnswerOutcome =
  | { accepted: true; index: number; correct: boolean; correctOption: number; answeredCount: number }
  | { accepted: false; reason: AnswerRejection; index?: number };

/** Records a participant's answer to question `index`; only their first answer counts. */
export function recordAnswer(state: QuizSessionState, index: number, who: Participant, option: number, now: number): AnswerOutcome {
  if (state.status !== "running") return { accepted: false, reason: "no_quiz", index };
  const round = state.rounds[index];
  if (index !== state.current || !round || round.closedAt !== undefined) return { accepted: false, reason: "closed", index };
  if (round.closesAt !== undefined && now > round.closesAt) return { accepted: false, reason: "late", index };
  const q = state.questions[index]!;
  if (!Number.isInteger(option) || option < 0 || option >= q.options.length) return { accepted: false, reason: "invalid_option", index };
  const key = participantKey(state.id, who.id);
  if (round.answers[key]) return { accepted: false, reason: "duplicate", index };
  round.answers[key] = { option, at: now };
  const name = who.name.trim() || "?";
  state.participants[key] = { name, firstSeen: state.participants[key]?.firstSeen ?? now };
  return {
    accepted: true,
    index,
    correct: option === q.correct,
    correctOption: q.correct,
    answeredCount: Object.keys(round.answers).length,
  };
}

/** What to show when a question closes. */
export interface Reveal {
  index: number;
  total: number;
  question: string;
  correctOption: number;
  correctText: string;
  explanation: string;
  citation: QuestionState["citation"];
  answered: number;
  answeredCorrectly: number;
}

export function revealOf(state: QuizSessionState, index: number = state.current): Reveal {
  const q = state.questions[index]!;
  const answers = Object.values(state.rounds[index]?.answers ?? {});
  return {
    index,
    total: state.questions.length,
    question: q.question,
    correctOption: q.correct,
    correctText: q.options[q.correct]!,
    explanation: pollExplanation(q),
    citation: q.citation,
    answered: answers.length,
    answeredCorrectly: answers.filter((a) => a.option === q.correct).length,
  };
}

/** One line of the leaderboard / results export: a display name and counts, no ids. */
export interface ParticipantResult {
  rank: number;
  name: string;
  answered: number;
  correct: number;
  /** Total time taken to answer, over the questions answered (ms). */
  timeMs: number;
}

export interface QuizResults {
  sessionId: string;
  status: QuizStatus;
  topic?: Topic;
  startedAt: number;
  endedAt?: number;
  /** Questions asked so far (the quiz may have been stopped early). */
  asked: number;
  total: number;
  participants: ParticipantResult[];
}

/** Ranked by correct answers, then by less time, then by name; ties share a rank. */
export function resultsOf(state: QuizSessionState): QuizResults {
  const rows = Object.entries(state.participants).map(([key, p]) => {
    let answered = 0;
    let correct = 0;
    let timeMs = 0;
    state.rounds.forEach((round, i) => {
      const a = round?.answers[key];
      if (!a || !round) return;
      answered++;
      if (a.option === state.questions[i]!.correct) correct++;
      timeMs += Math.max(0, a.at - round.openedAt);
    });
    return { name: p.name, answered, correct, timeMs };
  });
  rows.sort((a, b) => b.correct - a.correct || a.timeMs - b.timeMs || a.name.localeCompare(b.name));
  const participants = rows.map((r, i) => {
    const prev = rows[i - 1];
    return { ...r, rank: 0, tie: prev && prev.correct === r.correct && prev.timeMs === r.timeMs };
  });
  participants.forEach((p, i) => {
    p.rank = p.tie ? participants[i - 1]!.rank : i + 1;
  });
  return {
    sessionId: state.id,
    status: state.status,
    ...(state.topic ? { topic: state.topic } : {}),
    startedAt: state.createdAt,
    ...(state.endedAt !== undefined ? { endedAt: state.endedAt } : {}),
    asked: state.rounds.filter(Boolean).length,
    total: state.questions.length,
    participants: participants.map(({ tie: _tie, ...p }) => p),
  };
}

/** Results as CSV (rank, name, answered, correct, time in seconds); safe to open in a spreadsheet. */
export function resultsToCsv(results: QuizResults): string {
  const lines = ["rank,name,answered,correct,questions,time_seconds"];
  for (const p of results.participants) {
    lines.push([p.rank, csvField(p.name), p.answered, p.correct, results.asked, (p.timeMs / 1000).toFixed(1)].join(","));
  }
  return `${lines.join("\r\n")}\r\n`;
}

function csvField(value: string): string {
  // A leading = + - @ would make a spreadsheet run the name as a formula.
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
