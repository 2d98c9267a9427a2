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
      if (hasTranslations(answer)) blocks.push(...translatedLead(answer, t));
      else {
        blocks.push({ text: answer.answer });
        if (answer.locale.lang !== "en") blocks.push(italic(t("answers.quoted_in_english")));
      }
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

/** True when the citations carry the passages in the reader's language (not English). */
export function hasTranslations(answer: Pick<Answer, "locale" | "citations">): boolean {
  return answer.locale.lang !== "en" && answer.citations.some((c) => c.translation);
}

/** "Translation of the cited English original; draft translation, not yet checked…" */
function translationLabel(c: Citation, t: T): string {
  const label = t("answers.translation_label");
  return c.translation?.status === "draft" ? `${label}; ${t("answers.translation_draft")}` : label;
}

/**
 * For a reader of another language, the answer is the cited passages in that language: each
 * passage the lead quotes, labelled as a translation (or the English with a note when it is
 * stale or missing). The English original is one tap away (the "English original" button).
 */
function translatedLead(answer: Answer, t: T): Block[] {
  const ranks = [...new Set(answer.lead.map((l) => l.citation))];
  const cited = answer.citations.filter((c) => ranks.includes(c.rank));
  const blocks: Block[] = [];
  for (const c of cited.length ? cited : answer.citations.slice(0, 1)) blocks.push(...quoteBlocks(c, t, { rank: true }));
  return blocks;
}

/** A citation's quote in the reader's language and its label (a note when the English stands in). */
function quoteBlocks(c: Citation, t: T, options: { rank?: boolean; expandable?: boolean }): Block[] {
  const tr = c.translation;
  const wrap = (s: string) => (options.expandable ? `<blockquote expandable>${s}</blockquote>` : `<blockquote>${s}</blockquote>`);
  const prefix = options.rank ? `[${c.rank}] ` : "";
  if (!tr) return [{ text: `${prefix}${c.text}`, wrap }];
  const fallback = tr.status === "stale" || tr.status === "missing";
  return [
    { text: `${prefix}${fallback ? c.text : tr.text}`, wrap },
    italic(fallback ? (tr.note ?? t(`answers.translation_${tr.status}`)) : translationLabel(c, t)),
  ];
}

/**
 * The quoted passages behind an answer, for the "Sources" button: in the reader's language
 * when the citations carry translations (labelled), else the English original.
 */
export function renderPassages(citations: readonly Citation[], t: T, options: { original?: boolean } = {}): string[] {
  const blocks: Block[] = [bold(options.original ? t("answers.original_heading") : t("answers.sources_heading"))];
  for (const c of citations) {
    blocks.push(`${bold(`[${c.rank}] ${c.locator}`)}\n${italic(`${c.title} (${c.year})`)}`);
    if (options.original || !c.translation) blocks.push({ text: c.text, wrap: (s) => `<blockquote expandable>${s}</blockquote>` });
    else blocks.push(...quoteBlocks(c, t, { expandable: true }));
  }
  return packBlocks(blocks);
}
