/**
 * A follow-up in a channel thread where the bot has answered, without a mention: answered in
 * the thread, read with the thread's previous question (see ../thread-context.ts). Messages
 * that mention the bot are left to the app_mention listener (the message claim answers once).
 */
import type { App } from "@slack/bolt";
import { answerMessage } from "../answer-message.ts";
import type { SlackDeps } from "../deps.ts";
import { toPlain } from "../mrkdwn.ts";
import { isBotThread } from "../thread-context.ts";

export function registerThreadFollowUps(app: App, deps: SlackDeps): void {
  app.event("message", async ({ event, body, client, context }) => {
    if (event.channel_type === "im" || event.subtype !== undefined) return;
    if ("bot_id" in event && event.bot_id) return;
    const threadTs = "thread_ts" in event ? event.thread_ts : undefined;
    const text = "text" in event ? (event.text ?? "") : "";
    if (!threadTs || threadTs === event.ts) return;
    if (context.botUserId && text.includes(`<@${context.botUserId}>`)) return; // the mention listener answers it
    if (!(await isBotThread(deps, event.channel, threadTs))) return;
    await answerMessage(deps, client, { team: body.team_id, channel: event.channel, ts: event.ts, threadTs, text: toPlain(text), threadReply: true }, "thread_follow_up");
  });
}
