/**
 * Yes / No under the model's check-in question (blocks/triage.ts `checkInBlocks`), answered
 * through the same core path as Telegram's buttons: Yes → `Assistant.confirmCheck`, the fixed
 * rules' route for the question's indicator (level, indicators, contacts, case id; the staff
 * channel alerted as for any case of that level); No → a note that the rules' level stands.
 * The reply goes in the thread of the answer (or only to the person who clicked, for an
 * ephemeral answer). Nothing is kept.
 */
import type { App, BlockButtonAction, webApi } from "@slack/bolt";
import { localeOf, parseLocale, type Locale } from "../../../src/index.ts";
import { ACTION } from "../actions.ts";
import { triageView } from "../blocks/triage.ts";
import { context, type Block } from "../blocks/kit.ts";
import type { SlackDeps } from "../deps.ts";
import { escape } from "../mrkdwn.ts";
import { alertStaff } from "../reply.ts";
import { textsFor } from "../texts.ts";
import { slackErrorCode, withRetry } from "../web-api.ts";

type Respond = (message: object) => Promise<unknown>;

/** The question's text in `locale`, or undefined for an id the check list no longer has. */
function questionText(deps: SlackDeps, question: string, locale: Locale): string | undefined {
  if (!/^[a-z_]+$/.test(question)) return undefined;
  try {
    return deps.assistant.checkQuestionText(question, locale);
  } catch {
    return undefined;
  }
}

export function registerCheckIn(app: App, deps: SlackDeps): void {
  const handler =
    (yes: boolean) =>
    async ({ ack, action, body, client, respond }: { ack: () => Promise<void>; action: BlockButtonAction["actions"][number]; body: BlockButtonAction; client: webApi.WebClient; respond: Respond }) => {
      await ack();
      const [question = "", tag = "en"] = (action.value ?? "").split("|");
      const locale = parseLocale(tag) ?? localeOf("en");
      const tx = textsFor(deps.assistant, locale);
      const channel = body.channel?.id;
      const messageTs = body.container?.message_ts ?? body.message?.ts;
      const thread = (body.message as { thread_ts?: string } | undefined)?.thread_ts ?? messageTs;
      const ephemeral = body.container?.is_ephemeral === true || !channel || !thread;
      const asked = questionText(deps, question, locale);
      try {
        let blocks: Block[];
        let text: string;
        let alert: Parameters<typeof alertStaff>[2] | undefined;
        const result = yes && asked ? deps.assistant.confirmCheck(question, locale) : undefined;
        if (!asked) {
          text = tx.t("slack.checkin.unknown");
          blocks = [context(escape(text))];
        } else if (!yes || !result || result.level === "none") {
          text = tx.t("slack.checkin.declined", { question: asked });
          blocks = [context(escape(text))];
        } else {
          const caseId = deps.caseId({ team: body.team?.id, channel: channel ?? "ephemeral", thread: thread ?? body.trigger_id });
          const view = triageView(result, tx, caseId);
          text = `${tx.t("slack.checkin.confirmed", { question: asked })}\n${view.text}`;
          blocks = [context(escape(tx.t("slack.checkin.confirmed", { question: asked }))), ...view.blocks];
          alert = { blocks, text, locale, triage: result, answer: null, caseId };
        }
        if (ephemeral) await withRetry("respond", () => respond({ response_type: "ephemeral", replace_original: false, text, blocks }), deps.log, deps.retry);
        else await withRetry("chat.postMessage", () => client.chat.postMessage({ channel: channel!, thread_ts: thread!, text, blocks, unfurl_links: false, unfurl_media: false }), deps.log, deps.retry);
        deps.log.info({ event: "slack_checkin", answer: yes ? "yes" : "no", triage_level: result?.level ?? "none", lang: locale.lang }, "check-in answered");
        if (alert && channel) await alertStaff(deps, client, alert, channel);
      } catch (err) {
        deps.log.error({ event: "slack_error", feature: "checkin", code: slackErrorCode(err), err: (err as Error).name }, "check-in answer failed");
      }
    };
  app.action<BlockButtonAction>(ACTION.checkInYes, (args) => handler(true)(args));
  app.action<BlockButtonAction>(ACTION.checkInNo, (args) => handler(false)(args));
}
