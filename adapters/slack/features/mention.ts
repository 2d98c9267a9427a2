/** `@hotline question` in a channel or a thread: the answer goes into the thread. */
import type { App } from "@slack/bolt";
import { answerMessage } from "../answer-message.ts";
import type { SlackDeps } from "../deps.ts";
import { toPlain } from "../mrkdwn.ts";
import { CaseBook } from "../../../src/index.ts";

export function registerMention(app: App, deps: SlackDeps): void {
  app.event("app_mention", async ({ event, body, client }) => {
    if (event.bot_id || event.subtype) return; // other bots and edits: no answer, no loops
    // In a case's thread a mention is a message to the person (features/cases.ts), not a question.
    if (event.thread_ts && deps.config.SLACK_STAFF_CHANNEL && (await new CaseBook(deps.store).caseOfMessage(event.channel, event.thread_ts).catch(() => undefined))) return;
    await answerMessage(
      deps,
      client,
      {
        team: body.team_id,
        channel: event.channel,
        ts: event.ts,
        threadTs: event.thread_ts,
        text: toPlain(event.text),
        threadReply: true,
      },
      "mention",
    );
  });
}
