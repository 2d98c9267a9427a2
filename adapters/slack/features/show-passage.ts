/** "Show full passage [n]": the whole cited passage, shown only to the person who clicked. */
import type { App, BlockButtonAction } from "@slack/bolt";
import { ACTION } from "../actions.ts";
import { passageView } from "../blocks/answer.ts";
import type { SlackDeps } from "../deps.ts";
import { localeOf } from "../../../src/index.ts";
import { escape } from "../mrkdwn.ts";
import { textsFor } from "../texts.ts";
import { slackErrorCode, withRetry } from "../web-api.ts";

const ACTION_ID = new RegExp(`^${ACTION.showPassage}_(\\d+)$`);

export function registerShowPassage(app: App, deps: SlackDeps): void {
  app.action<BlockButtonAction>(ACTION_ID, async ({ ack, action, respond }) => {
    await ack();
    const tx = textsFor(deps.assistant, localeOf("en"));
    const rank = Number(ACTION_ID.exec(action.action_id)?.[1] ?? 1);
    const passage = deps.assistant.passage(action.value ?? "");
    try {
      if (!passage) {
        await respond({ response_type: "ephemeral", replace_original: false, text: escape(tx.t("slack.passage_missing")) });
        return;
      }
      const view = passageView(deps.assistant.citation(passage, rank), tx);
      await withRetry("respond", () => respond({ response_type: "ephemeral", replace_original: false, ...view }), deps.log, deps.retry);
      deps.log.info({ event: "slack_show_passage" }, "full passage shown");
    } catch (err) {
      deps.log.error({ event: "slack_error", feature: "show_passage", code: slackErrorCode(err), err: (err as Error).name }, "show passage failed");
    }
  });
}
