/** Plain-text rendering of answers and triage replies, for the console chat and the CLI. */
import type { Answer, Citation } from "./types.ts";
import type { Prompts } from "../prompts.ts";
import { formatContactLine } from "../triage/contacts.ts";

export function formatAnswerText(answer: Answer, prompts: Prompts, options: { quotes?: boolean } = {}): string {
  const t = (key: string) => prompts.t(answer.locale, key);
  const lines: string[] = [];
  for (const n of answer.notices) lines.push(`(${n.text})`);
  if (answer.kind === "card" && answer.card) {
    lines.push(answer.card.body);
    if (answer.card.contacts.length) {
      lines.push("", `${t("cards.contacts_heading")}:`);
      for (const c of answer.card.contacts) lines.push(`  ${formatContactLine(c, answer.locale)}`);
    }
  } else if (answer.kind === "not_found") {
    lines.push(answer.answer);
    for (const s of answer.suggestions) lines.push(`  • ${s}`);
  } else {
    lines.push(answer.answer);
  }
  if (answer.citations.length > 0) {
    lines.push("", `${t("answers.sources_heading")}:`);
    for (const c of answer.citations) {
      lines.push(`[${c.rank}] ${c.locator} — ${c.title} (${c.year})`);
      if (options.quotes !== false) lines.push(...quoteLines(c, t));
    }
    const untranslated = answer.citations.some((c) => !c.translation);
    if (answer.locale.lang !== "en" && untranslated) lines.push(`(${t("answers.quoted_in_english")})`);
  }
  return lines.join("\n");
}

/**
 * A citation's quote: in English, the passage; for another language, the translation labelled
 * as such with the English original below it, or the English with a note when the
 * translation is stale or missing.
 */
function quoteLines(c: Citation, t: (key: string) => string): string[] {
  const tr = c.translation;
  if (!tr) return [indent(`“${c.text}”`)];
  if (tr.status === "stale" || tr.status === "missing") return [indent(`(${tr.note ?? t(`answers.translation_${tr.status}`)})`), indent(`“${c.text}”`)];
  const label = tr.status === "draft" ? `${t("answers.translation_label")}; ${t("answers.translation_draft")}` : t("answers.translation_label");
  return [indent(`“${tr.text}”`), indent(`(${label})`), indent(`${t("answers.original_heading")}:`), indent(`“${c.text}”`)];
}

function indent(text: string): string {
  return wrap(text, 96).map((l) => `    ${l}`).join("\n");
}

function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  for (const para of text.split("\n")) {
    let line = "";
    for (const word of para.split(/\s+/)) {
      if (line && line.length + word.length + 1 > width) {
        out.push(line);
        line = word;
      } else line = line ? `${line} ${word}` : word;
    }
    out.push(line);
  }
  return out;
}
