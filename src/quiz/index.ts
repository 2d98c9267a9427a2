/**
 * The quiz feature's public entry for adapters: the bank, the session engine, and the
 * text renderings. See engine.ts for how a platform wires polls or buttons to a session.
 */
export { loadBank, localize, QuizBank, BankError, DEFAULT_BANK_DIR, type Problem } from "./bank.ts";
export { QuizRunner, parseQuizArgs, realTimers, type EndInfo, type MoveOnInfo, type MoveReason, type QuizArgs, type QuizPresenter, type QuizRunnerOptions, type QuizTimers, type RunnerStartInput, type ShowQuestionInfo, type Shown } from "./runner.ts";
export { checkBank, type CheckReport } from "./check.ts";
export { QuizEngine, QuizError, isTopic, type QuizEngineOptions, type QuizErrorCode, type QuizStateStore, type StartQuizInput, type QuizStarted, type NextResult } from "./engine.ts";
export {
  parseSession,
  serializeSession,
  resultsToCsv,
  type AnswerOutcome,
  type AnswerRejection,
  type AskedQuestion,
  type Participant,
  type ParticipantResult,
  type QuizResults,
  type QuizSessionState,
  type Reveal,
} from "./session.ts";
export { formatLeaderboard, formatQuestion, formatReveal, topicLabel } from "./format.ts";
export { matchOption } from "./match.ts";
export { pollExplanation, optionLetter } from "./text.ts";
export { TOPICS, DIFFICULTIES, LIMITS, type Topic, type Difficulty } from "./types.ts";
