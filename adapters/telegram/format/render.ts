/**
 * Turns core results into Telegram HTML: the safety reply, the cited answer with its compact
 * source line, the expanded passages, contact cards. All text from people and sources is
 * escaped here; the results are lists of messages already under the length limit.
 */
import type { Answer, Citation } from "../../../src/index.ts";
import type { Locale } from "../../../src/index.ts";
import { formatContactLine } from "../../../src/index.ts";
import type { Contact, TriageResult } from "../../../src/index.ts";
import { bold, escapeHtml, italic } from "./html.ts";
import { packBlocks, type Block } from "./split.ts";

type T = (key: string, vars?: Record<string, string | number>) => string;

/** "• 116 16 — Trafficking hotline", one per line, labels in the person's language. */
export function contactsBlock(contacts: readonly Contact[], locale: Locale): string {
  return contacts.map((c) => escapeHtml(formatContactLine(c, locale))).join("\n");
}

/** The safety reply: triage's fixed text, which already lists the contacts for the level. */
export function renderSafety(triage: TriageResult): string[] {
  const blocks: Block[] = [];
  if (triage.reply) blocks.push({ text: triage.reply });
  else if (triage.contacts.length > 0) blocks.push(contactsBlock(triage.contacts, triage.locale));
  return packBlocks(blocks);
}

/** "[1] TIP 2021 — Protection, para 3 · [2] …": the compact source line under an answer. */
export function sourceLine(citations: readonly Citation[]): string {
  return citations.map((c) => `[${c.rank}] ${escapeHtml(c.locator)}`).join(" · ");
}

/** The answer message(s). Notices first, in italics; sources compact at the end. */
export function renderAnswer(answer: Answer, t: T): string[] {
  const blocks: Block[] = answer.notices.map((n) => italic(n.text));
  switch (answer.kind) {
    case "card": {
      const card = answer.card;
      if (card) {
        blocks.push(bold(card.title));
        blocks.push({ text: card.body });
        if (card.contacts.length > 0) blocks.push(contactsBlock(card.contacts, answer.locale));
      } else blocks.push({ text: answer.answer });
      if (answer.citations.length > 0) blocks.push(`${bold(t("answers.sources_heading"))}: ${sourceLine(answer.citations)}`);
      break;
    }
    case "passages":
      blocks.push(bold(t("answers.from_reports")));
      blocks.push({ text: answer.answer });
      if (answer.locale.lang !== "en") blocks.push(italic(t("answers.quoted_in_english")));
      blocks.push(`${bold(t("answers.sources_heading"))}: ${sourceLine(answer.citations)}`);
      break;
    case "not_found":
      blocks.push({ text: answer.answer });
      if (answer.suggestions.length > 0) blocks.push(answer.suggestions.map((s) => `• ${escapeHtml(s)}`).join("\n"));
      break;
    case "empty":
    case "conversation":
      blocks.push({ text: answer.answer });
      break;
  }
  return packBlocks(blocks);
}

/** The quoted passages behind an answer, for the "Sources" button. */
export function renderPassages(citations: readonly Citation[], t: T): string[] {
  const blocks: Block[] = [bold(t("answers.sources_heading"))];
  for (const c of citations) {
    blocks.push(`${bold(`[${c.rank}] ${c.locator}`)}\n${italic(`${c.title} (${c.year})`)}`);
    blocks.push({ text: c.text, wrap: (s) => `<blockquote expandable>${s}</blockquote>` });
  }
  return packBlocks(blocks);
}
