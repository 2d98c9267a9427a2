/** What the features share: the core, the store, the staff chat, the case-id secret, contacts and quizzes. */
import type { QuizEngine } from "../../src/index.ts";
import type { KeyValueStore } from "../../src/index.ts";
import type { Directory } from "../../src/index.ts";
import type { BotCore } from "./context.ts";

export interface BotDeps {
  core: BotCore;
  store: KeyValueStore;
  /** Where handoff alerts go (TELEGRAM_STAFF_CHAT_ID); no handoff button without it. */
  staffChatId?: string;
  /** The secret for pseudonymous case ids (CASE_ID_SECRET or the one in DATA_DIR). */
  caseSecret: string;
  /** The contacts directory, for /hotline. */
  contacts: Directory;
  /** The quiz engine (on `store`); no quiz commands without it. */
  quiz?: QuizEngine;
}
