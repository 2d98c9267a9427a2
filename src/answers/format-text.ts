/** Plain-text rendering of answers and triage replies, for the console chat and the CLI. */
import type { Answer } from "./types.ts";
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
      if (options.quotes !== false) lines.push(indent(`“${c.text}”`));
    }
    if (answer.locale.lang !== "en") lines.push(`(${t("answers.quoted_in_english")})`);
  }
  return lines.join("\n");
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
