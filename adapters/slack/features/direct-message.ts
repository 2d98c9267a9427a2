/** A direct message to the bot: answered in the conversation (in the thread if it is in one). */
import type { App } from "@slack/bolt";
import { answerMessage } from "../answer-message.ts";
import type { SlackDeps } from "../deps.ts";
import { toPlain } from "../mrkdwn.ts";

export function registerDirectMessage(app: App, deps: SlackDeps): void {
  app.event("message", async ({ event, body, client }) => {
    if (event.channel_type !== "im" || event.subtype !== undefined) return; // edits, joins, bot posts
    if ("bot_id" in event && event.bot_id) return;
    await answerMessage(
      deps,
      client,
      {
        team: body.team_id,
        channel: event.channel,
        ts: event.ts,
        threadTs: "thread_ts" in event ? event.thread_ts : undefined,
        text: toPlain("text" in event ? event.text : ""),
        threadReply: false,
      },
      "direct_message",
    );
  });
}
