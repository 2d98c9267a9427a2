/**
 * What every Slack feature gets: the core assistant, the shared store, the work queue, the
 * logger and a few settings. Built once in `app.ts`.
 */
import type { Logger } from "pino";
import type { Assistant } from "../../src/index.ts";
import type { Config } from "../../src/index.ts";
import { localeOf, type Locale } from "../../src/index.ts";
import type { KeyValueStore } from "../../src/index.ts";
import type { CaseIdFn } from "./case-id.ts";
import type { WorkQueue } from "./queue.ts";
import type { RetryOptions } from "./web-api.ts";

export type SlackSettings = Pick<Config, "SLACK_STAFF_CHANNEL" | "SLACK_ASK_COMMAND" | "SLACK_QUIZ_COMMAND">;

export interface SlackDeps {
  config: SlackSettings;
  assistant: Assistant;
  store: KeyValueStore;
  queue: WorkQueue;
  log: Logger;
  retry: RetryOptions;
  caseId: CaseIdFn;
}

/** Staff mostly write English: signal-less text is answered in English. */
export function localeFor(deps: SlackDeps, text: string): Locale {
  return deps.assistant.detect(text, localeOf("en")).locale;
}

/** Store keys used by the Slack adapter (no message text, no raw user ids). */
export const KEYS = {
  event: (id: string) => `slack:event:${id}`,
  message: (channel: string, ts: string) => `slack:msg:${channel}:${ts}`,
  vote: (digest: string) => `slack:vote:${digest}`,
  feedback: (passageId: string, kind: "up" | "down") => `slack:feedback:${passageId}:${kind}`,
} as const;

/** How long de-duplication keys live: Slack retries within minutes; a day is ample. */
export const DEDUPE_TTL_SECONDS = 24 * 60 * 60;
