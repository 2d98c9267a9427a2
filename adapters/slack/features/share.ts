/**
 * "Share in channel" under a slash-command answer: the question travels in the button's value
 * (nothing is stored), the answer is composed again and posted to the channel through the
 * command's response URL, and the private copy is removed.
 */
import type { App, BlockButtonAction } from "@slack/bolt";
import { parseLocale, localeTag, type Locale } from "../../../src/index.ts";
import { ACTION } from "../actions.ts";
import { answerView } from "../blocks/answer.ts";
import { context } from "../blocks/kit.ts";
import { localeFor, type SlackDeps } from "../deps.ts";
import { textsFor } from "../texts.ts";
import { slackErrorCode, withRetry } from "../web-api.ts";

export function encodeShare(question: string, locale?: Locale): string {
  return JSON.stringify({ q: question, ...(locale ? { l: localeTag(locale) } : {}) });
}

function decodeShare(value: string | undefined): { question: string; locale?: Locale } | undefined {
  try {
    const v = JSON.parse(value ?? "") as { q?: unknown; l?: unknown };
    if (typeof v.q !== "string" || v.q.trim() === "") return undefined;
    const locale = typeof v.l === "string" ? parseLocale(v.l) : undefined;
    return { question: v.q, ...(locale ? { locale } : {}) };
  } catch {
    return undefined;
  }
}

export function registerShare(app: App, deps: SlackDeps): void {
  app.action<BlockButtonAction>(ACTION.share, async ({ ack, action, body, respond }) => {
    await ack();
    const shared = decodeShare(action.value);
    if (!shared) return;
    const locale = shared.locale ?? localeFor(deps, shared.question);
    const tx = textsFor(deps.assistant, locale);
    try {
      const { triage, answer } = await deps.queue.run(() => deps.assistant.handle(shared.question, { locale, audience: "staff" }));
      if (triage.level !== "none" || !answer) {
        await respond({ response_type: "ephemeral", replace_original: false, text: tx.t("slack.share_blocked") });
        return;
      }
      const view = answerView(answer, tx, { question: shared.question });
      view.blocks.push(context(tx.t("slack.shared_by", { user: body.user.id })));
      await withRetry("respond", () => respond({ response_type: "in_channel", replace_original: false, text: view.text, blocks: view.blocks }), deps.log, deps.retry);
      await respond({ delete_original: true }).catch(() => undefined);
      deps.log.info({ event: "slack_share", kind: answer.kind }, "answer shared");
    } catch (err) {
      deps.log.error({ event: "slack_error", feature: "share", code: slackErrorCode(err), err: (err as Error).name }, "share failed");
    }
  });
}
