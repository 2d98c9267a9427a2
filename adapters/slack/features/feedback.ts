/**
 * 👍 / 👎 under an answer: counted per cited passage id (`slack:feedback:<passage>:up|down`).
 * No text is stored; one vote per person and answer is enforced with a keyed one-way digest
 * (HMAC) of workspace, user and message, never the user id itself.
 */
import type { App, BlockButtonAction } from "@slack/bolt";
import type { KeyValueStore } from "../../../src/index.ts";
import { localeOf } from "../../../src/index.ts";
import { ACTION } from "../actions.ts";
import { KEYS, type SlackDeps } from "../deps.ts";
import { textsFor } from "../texts.ts";
import { slackErrorCode } from "../web-api.ts";

const VOTE_TTL_SECONDS = 90 * 24 * 60 * 60;

export interface FeedbackCounts {
  up: number;
  down: number;
}

/** The counts for one passage (for reports and tests). */
export async function feedbackCounts(store: KeyValueStore, passageId: string): Promise<FeedbackCounts> {
  const [up, down] = await Promise.all([store.get<number>(KEYS.feedback(passageId, "up")), store.get<number>(KEYS.feedback(passageId, "down"))]);
  return { up: up ?? 0, down: down ?? 0 };
}

export function registerFeedback(app: App, deps: SlackDeps): void {
  const handler = (kind: "up" | "down") =>
    async ({ ack, action, body, respond }: { ack: () => Promise<void>; action: BlockButtonAction["actions"][number]; body: BlockButtonAction; respond: (m: object) => Promise<unknown> }) => {
      await ack();
      const tx = textsFor(deps.assistant, localeOf("en"));
      const ids = (action.value ?? "").split(" ").filter((id) => id !== "" && deps.assistant.passage(id) !== undefined);
      if (ids.length === 0) return;
      const message = body.container?.message_ts ?? body.message?.ts ?? body.trigger_id;
      // A keyed one-way digest (the case-id HMAC): who voted on what cannot be recovered from the store.
      const digest = deps.caseId({ team: body.team?.id, channel: `vote:${body.channel?.id ?? ""}`, thread: `${body.user.id}:${message}` });
      try {
        if (!(await deps.store.setIfAbsent(KEYS.vote(digest), kind, VOTE_TTL_SECONDS))) {
          await respond({ response_type: "ephemeral", replace_original: false, text: tx.t("slack.feedback_already") });
          return;
        }
        await Promise.all(ids.map((id) => deps.store.increment(KEYS.feedback(id, kind))));
        deps.log.info({ event: "slack_feedback", kind, passages: ids.length }, "feedback counted");
        await respond({ response_type: "ephemeral", replace_original: false, text: tx.t("slack.feedback_thanks") });
      } catch (err) {
        deps.log.error({ event: "slack_error", feature: "feedback", code: slackErrorCode(err), err: (err as Error).name }, "feedback failed");
      }
    };
  app.action<BlockButtonAction>(ACTION.feedbackUp, (args) => handler("up")(args));
  app.action<BlockButtonAction>(ACTION.feedbackDown, (args) => handler("down")(args));
}
