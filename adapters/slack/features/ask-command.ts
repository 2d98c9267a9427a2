/**
 * The slash command (SLACK_ASK_COMMAND, default `/hotline-ask`): acknowledged at once, then the
 * answer only the asker sees, with a "Share in channel" button. `/hotline-ask help` (or no
 * text) explains usage. A question that looks like a case description gets the triage view
 * and no share button, so case details are not broadcast by accident.
 */
import type { App } from "@slack/bolt";
import { ACTION } from "../actions.ts";
import { button } from "../blocks/kit.ts";
import { helpView } from "../blocks/help.ts";
import { localeFor, type SlackDeps } from "../deps.ts";
import { toPlain, truncate } from "../mrkdwn.ts";
import { alertStaff, composeReply } from "../reply.ts";
import { textsFor } from "../texts.ts";
import { slackErrorCode, withRetry } from "../web-api.ts";
import { encodeShare } from "./share.ts";
import { parseLocale, type Locale } from "../../../src/index.ts";

const HELP = /^(help|\?|помощь|справка)$/i;
/** `--lang ru`, `--lang=uz-Cyrl` or `lang:kk` before the question: answer (and quote) in that language. */
const LANG_OPTION = /^(?:--lang[=\s]+|lang:)(\S+)\s*/i;

/** The question without a language option, and the language it asked for (if supported). */
export function parseLanguageOption(text: string): { text: string; locale?: Locale; unknown?: string } {
  const m = LANG_OPTION.exec(text);
  if (!m) return { text };
  const locale = parseLocale(m[1]);
  return { text: text.slice(m[0].length).trim(), ...(locale ? { locale } : { unknown: m[1]! }) };
}

export function registerAskCommand(app: App, deps: SlackDeps): void {
  app.command(deps.config.SLACK_ASK_COMMAND, async ({ command, ack, respond, client }) => {
    await ack();
    const { text, locale: chosen } = parseLanguageOption(toPlain(command.text));
    const tx = textsFor(deps.assistant, chosen ?? localeFor(deps, text));
    try {
      if (text === "" || HELP.test(text)) {
        await respond({ response_type: "ephemeral", ...helpView(tx, deps.config.SLACK_ASK_COMMAND) });
        return;
      }
      const share = button(tx.t("slack.share"), ACTION.share, encodeShare(truncate(text, 1500), tx.locale), "primary");
      const scope = { team: command.team_id, channel: command.channel_id, thread: `cmd:${command.trigger_id}` };
      const reply = await deps.queue.run(() =>
        composeReply(deps, text, scope, (triage, answer) => ({
          question: text,
          // Only answers worth sharing, and never a case description, get the button.
          extraButtons: triage.level === "none" && answer.found ? [share] : [],
        }), chosen ? { locale: chosen } : {}),
      );
      await withRetry("respond", () => respond({ response_type: "ephemeral", text: reply.text, blocks: reply.blocks }), deps.log, deps.retry);
      deps.log.info({ event: "slack_answer", feature: "ask_command", kind: reply.answer?.kind ?? "error", triage_level: reply.triage.level, lang: reply.locale.lang }, "answered");
      await alertStaff(deps, client, reply, command.channel_id);
    } catch (err) {
      deps.log.error({ event: "slack_error", feature: "ask_command", code: slackErrorCode(err), err: (err as Error).name }, "slash command failed");
      await respond({ response_type: "ephemeral", text: tx.t("slack.error") }).catch(() => undefined);
    }
  });
}
