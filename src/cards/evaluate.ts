/**
 * Evaluates the card matcher on a JSON Lines file of `{id, question, lang, card}` cases
 * (`card` is the expected card id, or null when no card should answer: statistics and
 * fact-about-the-reports questions). A case is right when the confident match is the expected
 * card, or when a null case gets no confident match. `hotline eval --cards FILE` prints this.
 */
import { parseJsonl } from "../jsonl.ts";
import { readFileSync } from "node:fs";
import { z } from "zod";
import { LANGUAGES, localeOf, type Lang } from "../language/languages.ts";
import { loadCards } from "./load.ts";
import { createCardMatcher, type CardMatcher } from "./matcher.ts";
import type { Card } from "./types.ts";

export const cardCaseSchema = z.object({
  id: z.string().min(1),
  question: z.string().min(1),
  // Cyrillic Uzbek is scored with Uzbek here (the matcher folds scripts); `hotline eval --cards`
  // also reports the router per script.
  lang: z
    .enum([...LANGUAGES, "uz-Cyrl"])
    .transform((l): Lang => (l === "uz-Cyrl" ? "uz" : l)),
  card: z.string().min(1).nullable(),
  /** Other cards that would also be a right answer. */
  accept: z.array(z.string()).optional(),
});
export type CardCase = z.output<typeof cardCaseSchema>;

export interface CardCaseResult {
  case: CardCase;
  /** The card that answered confidently, or null. */
  got: string | null;
  /** The best card even when not confident, for reading failures. */
  best: string | null;
  score: number;
  correct: boolean;
}

export interface LangFigures {
  cases: number;
  correct: number;
  accuracy: number;
}

export interface CardsReport {
  file: string;
  cases: number;
  /** Top-1 accuracy over all cases (a null case is right when no card answers). */
  accuracy: number;
  byLang: Record<Lang, LangFigures>;
  /** Null (statistics/fact) cases, and how many a card wrongly answered. */
  nullCases: number;
  nullAnswered: number;
  /** nullAnswered / nullCases; the target is 0. */
  nullAnswerRate: number;
  /** Cases with an expected card that no card (or another card) answered. */
  failures: CardCaseResult[];
}

export function parseCardCases(text: string, file = "cases"): CardCase[] {
  return parseJsonl(text, cardCaseSchema, file);
}

export function evaluateCards(cases: CardCase[], matcher: CardMatcher, cards: Card[], file = "cases"): CardsReport {
  const known = new Set(cards.map((c) => c.id));
  for (const c of cases) if (c.card && !known.has(c.card)) throw new Error(`${file}: case ${c.id} expects unknown card "${c.card}"`);
  const results: CardCaseResult[] = cases.map((c) => {
    const m = matcher.match(c.question, localeOf(c.lang));
    const got = m?.confident ? m.card.id : null;
    return { case: c, got, best: m?.card.id ?? null, score: m?.score ?? 0, correct: got === c.card || (got !== null && (c.accept ?? []).includes(got)) };
  });
  const byLang = Object.fromEntries(
    LANGUAGES.map((lang) => {
      const mine = results.filter((r) => r.case.lang === lang);
      const correct = mine.filter((r) => r.correct).length;
      return [lang, { cases: mine.length, correct, accuracy: mine.length ? correct / mine.length : 0 }];
    }),
  ) as Record<Lang, LangFigures>;
  const nulls = results.filter((r) => r.case.card === null);
  const nullAnswered = nulls.filter((r) => r.got !== null).length;
  const correct = results.filter((r) => r.correct).length;
  return {
    file,
    cases: results.length,
    accuracy: results.length ? correct / results.length : 0,
    byLang,
    nullCases: nulls.length,
    nullAnswered,
    nullAnswerRate: nulls.length ? nullAnswered / nulls.length : 0,
    failures: results.filter((r) => !r.correct),
  };
}

/** Loads the cards (default folder unless `cardsDir`), builds the matcher and scores the file. */
export function evaluateCardsFile(path: string, cardsDir?: string): CardsReport {
  const cards = loadCards(cardsDir);
  const cases = parseCardCases(readFileSync(path, "utf8"), path);
  return evaluateCards(cases, createCardMatcher(cards), cards, path);
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

export function formatCardsReport(report: CardsReport): string {
  const lines = [`Guidance cards — ${report.file} (${report.cases} cases)`, "", "lang  cases  top-1"];
  for (const lang of LANGUAGES) {
    const f = report.byLang[lang];
    if (f.cases) lines.push(`${lang.padEnd(4)}  ${String(f.cases).padStart(5)}  ${pct(f.accuracy).padStart(6)}`);
  }
  lines.push(`all   ${String(report.cases).padStart(5)}  ${pct(report.accuracy).padStart(6)}`);
  lines.push("", `statistics/fact questions answered by a card: ${report.nullAnswered}/${report.nullCases} (${pct(report.nullAnswerRate)})`);
  if (report.failures.length) {
    lines.push("", "misses:");
    for (const r of report.failures) {
      lines.push(`  ${r.case.id} [${r.case.lang}] expected ${r.case.card ?? "none"}, got ${r.got ?? "none"}` + (r.got ? "" : ` (best ${r.best ?? "-"} ${r.score.toFixed(2)})`) + `: ${r.case.question}`);
    }
  }
  return lines.join("\n");
}
