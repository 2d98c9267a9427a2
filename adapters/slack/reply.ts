/**
 * One reply to one message: triage first (staff view: indicators, contacts, case id), then
 * the cited answer. When triage fires and the reports have nothing to say, only the triage
 * part is sent. Also the optional alert to the staff channel.
 */
import type { webApi } from "@slack/bolt";
import type { Answer } from "../../src/index.ts";
import type { Locale } from "../../src/index.ts";
import { levelRank, type TriageResult } from "../../src/index.ts";
import { answerView, type AnswerBlockOptions } from "./blocks/answer.ts";
import { divider, section, type Block } from "./blocks/kit.ts";
import { checkInBlocks, staffAlertView, triageView } from "./blocks/triage.ts";
import type { CaseScope } from "./case-id.ts";
import { localeFor, type SlackDeps } from "./deps.ts";
import { escape } from "./mrkdwn.ts";
import { textsFor } from "./texts.ts";
import { slackErrorCode, withRetry } from "./web-api.ts";

export interface Reply {
  blocks: Block[];
  text: string;
  locale: Locale;
  triage: TriageResult;
  answer: Answer | null;
  caseId?: string;
}

/** Block options for the answer part; a function can decide after seeing triage and answer. */
export type ReplyOptions = AnswerBlockOptions | ((triage: TriageResult, answer: Answer) => AnswerBlockOptions);

/**
 * `ask.context`: the thread's previous question, for a follow-up; `ask.locale`: the language
 * staff asked for (`--lang ru`), detected from the text otherwise.
 */
export async function composeReply(deps: SlackDeps, text: string, scope: CaseScope, options: ReplyOptions = {}, ask: { context?: string; locale?: Locale } = {}): Promise<Reply> {
  const locale = ask.locale ?? localeFor(deps, text);
  const tx = textsFor(deps.assistant, locale);
  const turn = await deps.assistant.handle(text, { locale, audience: "staff", ...(ask.context ? { context: ask.context } : {}) });
  const { triage, answer } = turn;
  const blocks: Block[] = [];
  const texts: string[] = [];
  let caseId: string | undefined;

  if (triage.level !== "none") {
    caseId = deps.caseId(scope);
    const view = triageView(triage, tx, caseId);
    blocks.push(...view.blocks);
    texts.push(view.text);
  } else if (triage.check) {
    // The rules found nothing, the model suspects something: its check-in question first.
    blocks.push(...checkInBlocks(triage.check, tx));
    texts.push(tx.t("slack.checkin.suggests", { question: triage.check.text }));
  }
  const answerUseful = answer !== null && (triage.level === "none" || answer.kind === "passages" || answer.kind === "card");
  if (answer === null) {
    blocks.push(section(escape(tx.t("slack.error"))));
    texts.push(tx.t("slack.error"));
  } else if (answerUseful) {
    if (blocks.length > 0) blocks.push(divider());
    const view = answerView(answer, tx, typeof options === "function" ? options(triage, answer) : options);
    blocks.push(...view.blocks);
    texts.push(view.text);
  }
  return { blocks: blocks.slice(0, 50), text: texts.join("\n").slice(0, 3000), locale, triage, answer, ...(caseId ? { caseId } : {}) };
}

/** Levels that are worth a staff-channel alert. */
export function shouldAlert(triage: TriageResult): boolean {
  return levelRank(triage.level) >= levelRank("trafficking");
}

/** Posts the alert to SLACK_STAFF_CHANNEL when configured; failures are logged, never thrown. */
export async function alertStaff(deps: SlackDeps, client: webApi.WebClient, reply: Reply, channel: string): Promise<void> {
  const staff = deps.config.SLACK_STAFF_CHANNEL;
  if (!staff || !reply.caseId || !shouldAlert(reply.triage)) return;
  const view = staffAlertView(reply.triage, textsFor(deps.assistant, reply.locale), { channel }, reply.caseId);
  try {
    await withRetry("chat.postMessage", () => client.chat.postMessage({ channel: staff, text: view.text, blocks: view.blocks }), deps.log, deps.retry);
    deps.log.info({ event: "slack_staff_alert", triage_level: reply.triage.level, case_id: reply.caseId }, "staff alerted");
  } catch (err) {
    deps.log.error({ event: "slack_error", feature: "staff_alert", code: slackErrorCode(err) }, "staff alert failed");
  }
}
