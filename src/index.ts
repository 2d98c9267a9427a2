/**
 * The core's public entry: everything the adapters (Telegram, Slack, console) may use.
 * Adapters import only from here (checked by `npm run lint`: scripts/core-entry.mjs and
 * Biome's noRestrictedImports). Maintained by `node scripts/core-entry.mjs --write`, which adds
 * what new adapter imports need; hand edits are kept.
 */
export { formatAnswerText } from "./answers/format-text.ts";
export type { Answer, Citation } from "./answers/types.ts";
export type { App } from "./app.ts";
export type { Assistant } from "./assistant.ts";
export { writeFileAtomic } from "./atomic-file.ts";
export type { Config } from "./config.ts";
export { CaseBook, Conversation, RelayQueue, caseRelays, isOpen, parseSafetyStartCode, safetyStartCode, shortCaseCode, stateLocale, type CaseRecord, type CaseRelays, type ConversationTurn, type CrisisState, type FirstReply, type FollowUp, type RelayOptions, type RelayOutcome, type RelayRunner, type StaffThread, type ToPerson, type ToStaff } from "./conversation/index.ts";
export { LANGUAGES, LANGUAGE_NAMES, localeOf, localeTag, parseLocale, type Locale } from "./language/languages.ts";
export { logger } from "./logger.ts";
export { prompts, type Prompts } from "./prompts.ts";
export type { QuizBank } from "./quiz/bank.ts";
export type { QuizErrorCode } from "./quiz/engine.ts";
export { formatQuestion, topicLabel } from "./quiz/format.ts";
export { QuizEngine, QuizError, TOPICS, formatLeaderboard, formatReveal, isTopic, loadBank, resultsToCsv, type AskedQuestion, type QuizResults, type Reveal, type Topic } from "./quiz/index.ts";
export { matchOption } from "./quiz/match.ts";
export { QuizRunner, parseQuizArgs, realTimers, type EndInfo, type MoveOnInfo, type MoveReason, type QuizArgs, type QuizPresenter, type QuizTimers, type ShowQuestionInfo, type Shown } from "./quiz/runner.ts";
export { optionLetter } from "./quiz/text.ts";
export { createStore } from "./store/create-store.ts";
export { FallbackStore } from "./store/fallback-store.ts";
export { KeyedLock } from "./store/keyed-lock.ts";
export { MemoryStore, type KeyValueStore } from "./store/kv.ts";
export { RedisStore } from "./store/redis-store.ts";
export { DEFAULT_CONTACTS_FILE, formatContactLine, loadContacts, type Directory } from "./triage/contacts.ts";
export { buildHandoffAlert, caseIdFor, caseIdSecret, renderHandoffAlert } from "./triage/handoff.ts";
export { levelRank, type Contact, type Level, type TriageResult } from "./triage/types.ts";
export type { GuidedCheckState } from "./understanding/checks.ts";
