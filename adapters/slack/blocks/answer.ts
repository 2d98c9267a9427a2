/**
 * An answer as Block Kit: the answer, then each citation as a context block (document, year,
 * locator, quoted passage), "Show full passage" buttons and 👍 / 👎 feedback. Everything that
 * came from a person or a document is escaped for mrkdwn.
 */
import type { Answer, Citation } from "../../../src/index.ts";
import type { Contact } from "../../../src/index.ts";
import { ACTION, BLOCK } from "../actions.ts";
import { chunks, escape, quote, truncate } from "../mrkdwn.ts";
import type { Texts } from "../texts.ts";
import { actions, button, context, LIMITS, section, type Block, type ButtonElement } from "./kit.ts";

export interface AnswerView {
  blocks: Block[];
  /** Notification / fallback text. */
  text: string;
}

export interface AnswerBlockOptions {
  /** Show the question above the answer (slash commands and shared answers). */
  question?: string;
  /** Extra buttons at the end (e.g. "Share in channel"). */
  extraButtons?: ButtonElement[];
  /** Leave out the feedback buttons. */
  noFeedback?: boolean;
}

export function answerView(answer: Answer, tx: Texts, options: AnswerBlockOptions = {}): AnswerView {
  const blocks: Block[] = [];
  if (options.question) {
    blocks.push(context(`*${escape(tx.t("slack.question"))}* ${escape(truncate(options.question, 300))}`));
  }
  blocks.push(...bodyBlocks(answer, tx));
  if (answer.citations.length > 0) {
    for (const c of answer.citations) blocks.push(citationBlock(c, tx));
    if (answer.locale.lang !== "en" && answer.citations.some((c) => !c.translation)) blocks.push(context(escape(tx.t("answers.quoted_in_english"))));
  }
  if (answer.notices.length > 0) blocks.push(context(...answer.notices.map((n) => escape(n.text))));

  const buttons: ButtonElement[] = answer.citations.map((c) =>
    button(tx.t("slack.show_passage", { n: c.rank }), `${ACTION.showPassage}_${c.rank}`, c.passageId),
  );
  if (buttons.length > 0) blocks.push(actions(BLOCK.citations, buttons));
  const tail: ButtonElement[] = [];
  if (answer.citations.length > 0 && !options.noFeedback) {
    const ids = answer.citations.map((c) => c.passageId).join(" ");
    tail.push(button(tx.t("slack.feedback_up"), ACTION.feedbackUp, ids), button(tx.t("slack.feedback_down"), ACTION.feedbackDown, ids));
  }
  tail.push(...(options.extraButtons ?? []));
  if (tail.length > 0) blocks.push(actions(BLOCK.feedback, tail));

  return { blocks: blocks.slice(0, LIMITS.blocks), text: escape(truncate(answer.answer, 2900)) };
}

function bodyBlocks(answer: Answer, tx: Texts): Block[] {
  switch (answer.kind) {
    case "passages":
      return textSections(`*${escape(tx.t("answers.from_reports"))}*\n`, answer.answer);
    case "card": {
      const card = answer.card;
      const out = textSections(card ? `*${escape(card.title)}*\n` : "", card?.body ?? answer.answer);
      if (card && card.contacts.length > 0) out.push(section(contactLines(card.contacts, tx)));
      return out;
    }
    case "not_found": {
      const out = [section(escape(answer.answer))];
      if (answer.suggestions.length > 0) out.push(section(answer.suggestions.map((s) => `• ${escape(s)}`).join("\n")));
      return out;
    }
    case "empty":
    case "conversation":
      return [section(escape(answer.answer))];
  }
}

/** Long text split into sections under Slack's 3,000-character limit, escaped. */
function textSections(prefix: string, text: string): Block[] {
  return chunks(text, LIMITS.plainPerSection).map((piece, i) => section(`${i === 0 ? prefix : ""}${escape(piece)}`));
}

export function citationLabel(c: Pick<Citation, "rank" | "title" | "year" | "locator">): string {
  return `*[${c.rank}]* ${escape(c.title)} (${c.year}) · ${escape(c.locator)}`;
}

/**
 * A citation: the quoted passage, in the reader's language when it carries a translation
 * (labelled as a translation of the English original, which "Show full passage" shows), or the
 * English with a note when the translation is stale or missing.
 */
function citationBlock(c: Citation, tx: Texts): Block {
  const tr = c.translation;
  if (!tr) return context(citationLabel(c), quote(truncate(c.text, LIMITS.quoted)));
  if (tr.status === "stale" || tr.status === "missing") {
    return context(citationLabel(c), quote(truncate(c.text, LIMITS.quoted)), `_${escape(tr.note ?? tx.t(`answers.translation_${tr.status}`))}_`);
  }
  const label = tr.status === "draft" ? `${tx.t("answers.translation_label")}; ${tx.t("answers.translation_draft")}` : tx.t("answers.translation_label");
  return context(citationLabel(c), quote(truncate(tr.text, LIMITS.quoted)), `_${escape(label)}_`);
}

/** Contacts as mrkdwn lines: name, phone, purpose, hours. */
export function contactLines(contacts: readonly Contact[], tx: Texts): string {
  return contacts
    .map((c) => {
      const phone = c.phone ? ` — *${escape(c.phone)}*` : "";
      const verify = c.verify ? ` ${escape(tx.t("slack.triage.contact_unverified"))}` : "";
      const hours = c.hours ? ` (${escape(c.hours)})` : "";
      return `• ${escape(c.name)}${phone}${verify}: ${escape(c.purpose)}${hours}`;
    })
    .join("\n");
}

/** The whole passage, for "Show full passage" (ephemeral). */
export function passageView(c: Citation, tx: Texts): AnswerView {
  const blocks: Block[] = [context(citationLabel(c))];
  for (const piece of chunks(c.text, LIMITS.plainPerSection)) blocks.push(section(quote(piece)));
  blocks.push(context(`${escape(tx.t("slack.passage_id"))} \`${escape(c.passageId)}\``));
  return { blocks: blocks.slice(0, LIMITS.blocks), text: escape(truncate(c.text, 2900)) };
}
