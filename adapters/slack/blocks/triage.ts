/**
 * The triage reply for staff: how serious it looks, which ILO forced-labour indicators matched,
 * the referral contacts for that level, the pseudonymous case id and a reminder not to paste
 * personal data. Also the short alert for the staff channel, which never quotes the message.
 */
import { localeTag, type TriageResult } from "../../../src/index.ts";
import { ACTION, BLOCK } from "../actions.ts";
import { escape } from "../mrkdwn.ts";
import type { Texts } from "../texts.ts";
import { contactLines } from "./answer.ts";
import { actions, button, context, section, type Block } from "./kit.ts";

export interface TriageView {
  blocks: Block[];
  text: string;
}

/** Readable names of matched indicators (markers such as `emergency` are not ILO indicators). */
export function indicatorNames(result: TriageResult, tx: Texts): string[] {
  return result.indicators
    .filter((id) => id !== "emergency" && id !== "at_risk")
    .map((id) => (tx.has(`slack.indicators.${id}`) ? tx.t(`slack.indicators.${id}`) : id.replace(/_/g, " ")));
}

export function triageView(result: TriageResult, tx: Texts, caseId?: string): TriageView {
  const level = result.level === "none" ? "at_risk" : result.level;
  const blocks: Block[] = [section(tx.t(`slack.triage.heading_${level}`))];
  const names = indicatorNames(result, tx);
  blocks.push(
    section(
      names.length > 0
        ? `*${escape(tx.t("slack.triage.indicators"))}*\n${names.map((n) => `• ${escape(n)}`).join("\n")}`
        : escape(tx.t("slack.triage.no_indicators")),
    ),
  );
  if (result.contacts.length > 0) {
    blocks.push(section(`*${escape(tx.t("slack.triage.contacts"))}*\n${contactLines(result.contacts, tx)}`));
  } else if (result.reply) {
    blocks.push(section(escape(result.reply)));
  } else {
    blocks.push(section(escape(tx.t("slack.triage.fallback_contacts"))));
  }
  // The model's check-in (it never decides the level): a question staff may ask the person.
  if (result.check) blocks.push(...checkInBlocks(result.check, tx));
  const notes = [tx.t("slack.triage.privacy")];
  if (caseId) notes.push(tx.t("slack.triage.case_id", { case_id: caseId }));
  blocks.push(context(...notes));
  return { blocks, text: tx.t(`slack.triage.heading_${level}`) };
}

/** The staff-channel alert: level, indicators, where, case id. Never the message text. */
export function staffAlertView(result: TriageResult, tx: Texts, where: { channel: string }, caseId: string): TriageView {
  const names = indicatorNames(result, tx);
  const text = tx.t("slack.alert.text", {
    level: tx.t(`slack.levels.${result.level}`),
    where: /^[DG]/.test(where.channel) ? tx.t("slack.alert.in_dm") : `<#${where.channel}>`,
    case_id: caseId,
    indicators: names.length > 0 ? names.map(escape).join(", ") : tx.t("slack.alert.no_indicators"),
  });
  return { blocks: [section(text), context(tx.t("slack.alert.note"))], text };
}

/**
 * The model's check-in question with Yes / No buttons (like Telegram's): Yes takes the fixed
 * rules' route for its indicator (`Assistant.confirmCheck`, features/check-in.ts), No notes it.
 * The button value carries the question id and the language, never the message.
 */
export function checkInBlocks(check: NonNullable<TriageResult["check"]>, tx: Texts): Block[] {
  const value = `${check.question}|${localeTag(tx.locale)}`;
  return [
    context(escape(tx.t("slack.checkin.suggests", { question: check.text })), escape(tx.t("slack.checkin.ask"))),
    actions(BLOCK.checkIn, [button(tx.t("slack.checkin.yes"), ACTION.checkInYes, value, "primary"), button(tx.t("slack.checkin.no"), ACTION.checkInNo, value)]),
  ];
}
