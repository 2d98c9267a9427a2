/**
 * Answering a message (a mention in a channel or thread, or a direct message): claim it so it
 * is answered once however often Slack delivers it, add an "eyes" reaction while working, post
 * the reply in the thread, alert staff if needed, remove the reaction. Never throws.
 */
import type { webApi } from "@slack/bolt";
import { helpView } from "./blocks/help.ts";
import { DEDUPE_TTL_SECONDS, KEYS, localeFor, type SlackDeps } from "./deps.ts";
import { alertStaff, composeReply } from "./reply.ts";
import { textsFor } from "./texts.ts";
import { previousQuestion, rememberQuestion } from "./thread-context.ts";
import { slackErrorCode, withRetry, withTimeout } from "./web-api.ts";

export interface IncomingMessage {
  team?: string | undefined;
  channel: string;
  ts: string;
  /** Set when the message is in a thread. */
  threadTs?: string | undefined;
  /** What the person typed, already converted from Slack markup. */
  text: string;
  /** Reply in a thread even when the message is not in one (channels). */
  threadReply: boolean;
}

const HELP = /^(help|\?|помощь|справка)$/i;

export async function answerMessage(deps: SlackDeps, client: webApi.WebClient, msg: IncomingMessage, feature: string): Promise<void> {
  const started = Date.now();
  try {
    if (!(await claim(deps, KEYS.message(msg.channel, msg.ts)))) {
      deps.log.info({ event: "slack_duplicate", feature }, "message already answered");
      return;
    }
    const thread = msg.threadTs ?? (msg.threadReply ? msg.ts : undefined);
    const target = { channel: msg.channel, ...(thread ? { thread_ts: thread } : {}), unfurl_links: false, unfurl_media: false };

    if (HELP.test(msg.text)) {
      const view = helpView(textsFor(deps.assistant, localeFor(deps, msg.text)), deps.config.SLACK_ASK_COMMAND);
      await withRetry("chat.postMessage", () => client.chat.postMessage({ ...target, ...view }), deps.log, deps.retry);
      return;
    }

    await react(deps, client, "add", msg);
    try {
      // A follow-up in a thread is read with the thread's previous question (kept at most an hour).
      const threadKey = thread ?? msg.ts;
      const context = msg.threadTs ? await previousQuestion(deps, msg.channel, msg.threadTs) : undefined;
      const reply = await deps.queue.run(() =>
        composeReply(deps, msg.text, { team: msg.team, channel: msg.channel, thread: threadKey }, {}, context ? { context } : {}),
      );
      // Questions only: a message triage flags (a possible case) is never kept.
      if (reply.triage.level === "none" && (reply.answer?.kind === "passages" || reply.answer?.kind === "not_found" || reply.answer?.kind === "card")) {
        await rememberQuestion(deps, msg.channel, threadKey, msg.text, context);
      }
      await withRetry("chat.postMessage", () => client.chat.postMessage({ ...target, text: reply.text, blocks: reply.blocks }), deps.log, deps.retry);
      deps.log.info(
        { event: "slack_answer", feature, kind: reply.answer?.kind ?? "error", triage_level: reply.triage.level, lang: reply.locale.lang, ms: Date.now() - started },
        "answered",
      );
      await alertStaff(deps, client, reply, msg.channel);
    } finally {
      await react(deps, client, "remove", msg);
    }
  } catch (err) {
    deps.log.error({ event: "slack_error", feature, code: slackErrorCode(err), err: (err as Error).name }, "answering a Slack message failed");
  }
}

/** True the first time a key is claimed; if the store fails, answer anyway (fail open). */
export async function claim(deps: SlackDeps, key: string): Promise<boolean> {
  try {
    return await deps.store.setIfAbsent(key, 1, DEDUPE_TTL_SECONDS);
  } catch (err) {
    deps.log.warn({ event: "slack_store_error", err: (err as Error).name }, "de-duplication store unavailable; processing anyway");
    return true;
  }
}

/** Longest wait for the "eyes" reaction: it must never hold the answer. */
export const REACTION_WAIT_MS = 1500;

/** The "eyes" reaction while working. Best effort: a missing scope, a race or a hang is not an error. */
async function react(deps: SlackDeps, client: webApi.WebClient, op: "add" | "remove", msg: IncomingMessage): Promise<void> {
  try {
    const args = { channel: msg.channel, timestamp: msg.ts, name: "eyes" };
    const call = op === "add" ? client.reactions.add(args) : client.reactions.remove(args);
    await withTimeout(call, REACTION_WAIT_MS, `reactions.${op}`);
  } catch (err) {
    deps.log.debug({ event: "slack_reaction_failed", op, code: slackErrorCode(err) }, "reaction failed");
  }
}
