/** The conversation after a disclosure: crisis state, follow-up routing, cases for the two-way handoff. */
export { Conversation, CRISIS_QUESTIONS, stateLocale, type ConversationCore, type ConversationTurn, type FirstReply, type FollowUp, type AskedQuestion } from "./conversation.ts";
export { CRISIS_TTL_MS, isOpen, openCrisis, type CrisisState } from "./state.ts";
export { topicByPattern, type FollowUpTopic } from "./topics.ts";
export { parseSafetyStartCode, safetyStartCode } from "./deeplink.ts";
export { CaseBook, CASE_TTL_SECONDS, shortCaseCode, type CaseRecord, type StaffThread } from "./cases.ts";
export { caseRelays, RelayQueue, RelayUnavailableError, RELAY_ITEM_TTL_SECONDS, type CaseRelays, type RelayHandler, type RelayOptions, type RelayOutcome, type RelayRunner, type ToPerson, type ToStaff } from "./relay.ts";
