/** Safety triage: the public entry for adapters, the core and the CLI. */
export { createTriage, MAX_TRIAGE_CHARS, type Triage, type TriageOptions } from "./engine.ts";
export { LEVELS, levelRank, type Contact, type Level, type TriageResult } from "./types.ts";
export { loadRules, compileRules, RulesError, INDICATORS, DEFAULT_RULES_FILE, type CompiledRules } from "./rules.ts";
export { loadContacts, parseContacts, ContactsError, formatContactLine, DEFAULT_CONTACTS_FILE, type Directory } from "./contacts.ts";
export { buildReply, buildFallbackReply, TRIAGE_PROMPT_KEYS } from "./reply.ts";
export { buildHandoffAlert, renderHandoffAlert, caseIdFor, caseIdSecret, type HandoffAlert, type HandoffConsent } from "./handoff.ts";
export { MemoryTriageStats, FileTriageStats, formatStats, STATS_FILE, type StatsSnapshot } from "./stats.ts";
export { evaluateTriageFile, evaluateTriageCases, formatTriageReport, readTriageCases, TRIAGE_TARGETS, type TriageReport } from "./evaluate.ts";
