/**
 * Thread context: a follow-up in a Slack thread ("and how many of them were men?") is read with
 * the question before it in that thread.
 *
 * What is kept, per thread (channel id + thread timestamp; no user ids):
 * - `slack:thread:<channel>:<thread_ts>`: that the bot answers in this thread and a SHA-256 of
 *   the last question (never its text), for the thread's life (THREAD_TTL_SECONDS, 30 days);
 *   it lets the bot answer follow-ups in the thread without a mention.
 * - `slack:thread-text:<channel>:<thread_ts>`: the last question(s) of the thread as text, for
 *   at most one hour (TEXT_TTL_SECONDS); after that it is gone and a follow-up is read alone.
 * A message that triage flags (a possible case) is never kept, and only the last two questions
 * are kept. Store failures never stop an answer.
 */
import { createHash } from "node:crypto";
import type { SlackDeps } from "./deps.ts";

export const THREAD_TTL_SECONDS = 30 * 24 * 60 * 60;
export const TEXT_TTL_SECONDS = 60 * 60;
/** The longest context text kept (characters). */
const MAX_CONTEXT = 600;

export const THREAD_KEYS = {
  thread: (channel: string, threadTs: string) => `slack:thread:${channel}:${threadTs}`,
  text: (channel: string, threadTs: string) => `slack:thread-text:${channel}:${threadTs}`,
} as const;

export interface ThreadRecord {
  /** SHA-256 (first 16 hex) of the last question: no text. */
  hash: string;
  /** When the last question was asked (ms since epoch). */
  at: number;
}

/** True when the bot has answered in this thread (so a follow-up needs no mention). */
export async function isBotThread(deps: SlackDeps, channel: string, threadTs: string): Promise<boolean> {
  try {
    return (await deps.store.get<ThreadRecord>(THREAD_KEYS.thread(channel, threadTs))) !== undefined;
  } catch (err) {
    deps.log.warn({ event: "slack_store_error", err: (err as Error).name }, "thread context unavailable");
    return false;
  }
}

/** The previous question(s) of the thread, if asked within the hour. */
export async function previousQuestion(deps: SlackDeps, channel: string, threadTs: string): Promise<string | undefined> {
  try {
    return await deps.store.get<string>(THREAD_KEYS.text(channel, threadTs));
  } catch (err) {
    deps.log.warn({ event: "slack_store_error", err: (err as Error).name }, "thread context unavailable");
    return undefined;
  }
}

/** Keeps the question as the thread's context (with the one before it, if any). */
export async function rememberQuestion(deps: SlackDeps, channel: string, threadTs: string, text: string, previous?: string): Promise<void> {
  const last = [...(previous ? previous.split("\n").slice(-1) : []), text.replace(/\s+/g, " ").trim()].join("\n").slice(-MAX_CONTEXT);
  try {
    const record: ThreadRecord = { hash: createHash("sha256").update(text).digest("hex").slice(0, 16), at: Date.now() };
    await deps.store.set(THREAD_KEYS.thread(channel, threadTs), record, THREAD_TTL_SECONDS);
    await deps.store.set(THREAD_KEYS.text(channel, threadTs), last, TEXT_TTL_SECONDS);
  } catch (err) {
    deps.log.warn({ event: "slack_store_error", err: (err as Error).name }, "could not keep the thread context");
  }
}
