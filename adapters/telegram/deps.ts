/** What the features share: the core, the store, the staff chat, the case-id secret, contacts and quizzes. */
import type { CaseRelays, QuizEngine } from "../../src/index.ts";
import type { KeyValueStore } from "../../src/index.ts";
import type { Directory } from "../../src/index.ts";
import type { BotCore } from "./context.ts";

export interface BotDeps {
  core: BotCore;
  store: KeyValueStore;
  /** Where handoff alerts go (TELEGRAM_STAFF_CHAT_ID); no handoff button without it. */
  staffChatId?: string;
  /**
   * Cases go to a Slack thread instead (SLACK_STAFF_CHANNEL): through these queues on the
   * shared store, delivered by the Slack adapter (this process or another on the same Redis).
   * Used only when there is no staff chat.
   */
  slackCases?: CaseRelays;
  /** The secret for pseudonymous case ids (CASE_ID_SECRET or the one in DATA_DIR). */
  caseSecret: string;
  /** The contacts directory, for /hotline. */
  contacts: Directory;
  /** The quiz engine (on `store`); no quiz commands without it. */
  quiz?: QuizEngine;
}

/** Whether the handoff to staff is on (a Telegram staff chat or a Slack staff channel). */
export function handoffOn(deps: BotDeps): boolean {
  return deps.staffChatId !== undefined || deps.slackCases !== undefined;
}

/** The Slack relay when cases go to Slack (no Telegram staff chat configured). */
export function slackRelay(deps: BotDeps): CaseRelays | undefined {
  return deps.staffChatId === undefined ? deps.slackCases : undefined;
}
