/** Plain-text rendering of answers and triage replies, for the console chat and the CLI. */
import type { Answer, Citation } from "./types.ts";
import type { Prompts } from "../prompts.ts";
import { formatContactLine } from "../triage/contacts.ts";

/**
 * `quotes: "cited"` (the console chat) quotes only the passages the answer's lead sentences cite
 * and lists the others by locator, so a reply stays readable in a chat; the default `"all"` (the
 * CLI, for staff checking a figure) quotes every passage.
 */
export function formatAnswerText(answer: Answer, prompts: Prompts, options: { quotes?: "all" | "cited" } = {}): string {
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
  } else if (answer.kind === "passages" && translated(answer)) {
    // A reader of another language gets the quoted passages in it; the originals follow below.
    lines.push(`${t("answers.from_reports")}:`);
    for (const c of leadCitations(answer)) lines.push(`[${c.rank}]`, ...quoteLines(c, t, { original: false }));
  } else {
    lines.push(answer.answer);
  }
  if (answer.citations.length > 0) {
    const lead = new Set(leadCitations(answer).map((c) => c.rank));
    const shown = answer.kind === "passages" && translated(answer) ? lead : new Set<number>();
    lines.push("", `${t("answers.sources_heading")}:`);
    for (const c of answer.citations) {
      lines.push(`[${c.rank}] ${c.locator} — ${c.title} (${c.year})`);
      if (options.quotes === "cited" && !lead.has(c.rank)) continue;
      // Above already in translation: only the English original here.
      if (shown.has(c.rank) && c.translation && !isFallback(c)) lines.push(indent(`${t("answers.original_heading")}:`), indent(`“${c.text}”`));
      else if (!shown.has(c.rank)) lines.push(...quoteLines(c, t));
    }
    const untranslated = answer.citations.some((c) => !c.translation && (options.quotes !== "cited" || lead.has(c.rank)));
    if (answer.locale.lang !== "en" && untranslated) lines.push(`(${t("answers.quoted_in_english")})`);
  }
  return lines.join("\n");
}

/**
 * A citation's quote: in English, the passage; for another language, the translation labelled
 * as such with the English original below it, or the English with a note when the
 * translation is stale or missing.
 */
function quoteLines(c: Citation, t: (key: string) => string, options: { original?: boolean } = {}): string[] {
  const tr = c.translation;
  if (!tr) return [indent(`“${c.text}”`)];
  if (isFallback(c)) return [indent(`(${tr.note ?? t(`answers.translation_${tr.status}`)})`), indent(`“${c.text}”`)];
  const label = tr.status === "draft" ? `${t("answers.translation_label")}; ${t("answers.translation_draft")}` : t("answers.translation_label");
  const out = [indent(`“${tr.text}”`), indent(`(${label})`)];
  if (options.original !== false) out.push(indent(`${t("answers.original_heading")}:`), indent(`“${c.text}”`));
  return out;
}

/** A translation that stands in with the English (stale or missing). */
function isFallback(c: Citation): boolean {
  return c.translation?.status === "stale" || c.translation?.status === "missing";
}

/** True for an answer in another language whose citations carry translations. */
function translated(answer: Answer): boolean {
  return answer.locale.lang !== "en" && answer.citations.some((c) => c.translation);
}

/** The citations the lead quotes (the first citation when the lead names none). */
function leadCitations(answer: Answer): Citation[] {
  const ranks = new Set(answer.lead.map((l) => l.citation));
  const cited = answer.citations.filter((c) => ranks.has(c.rank));
  return cited.length ? cited : answer.citations.slice(0, 1);
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
