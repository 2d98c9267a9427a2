/**
 * Text helpers shared by the bank checker, the generator and the session engine: the
 * normalisation used to compare an answer's key fact with a passage, and the explanation text
 * shown after a poll (explanation plus citation, within Telegram's 200 characters).
 */
import { LIMITS, type LocalizedQuestion } from "./types.ts";

/**
 * Lower case, typographic quotes and dashes folded, thousands separators dropped
 * ("9,059" and "9 059" → "9059"), whitespace collapsed: so a key fact matches the passage however it is typed.
 */
export function normalizeText(s: string): string {
  return s
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[‘’ʼ`´]/g, "'")
    .replace(/[“”«»„]/g, '"')
    .replace(/[‐‑‒–—−]/g, "-")
    .replace(/(\d)[, \u00a0\u202f](?=\d{3}\b)/g, "$1")
    .replace(/\s+/g, " ")
    .trim();
}

/** Whether `needle` occurs in `haystack` as whole words (after normalisation). */
export function containsPhrase(haystack: string, needle: string): boolean {
  const h = normalizeText(haystack);
  const n = normalizeText(needle);
  if (!n) return false;
  let from = 0;
  for (;;) {
    const at = h.indexOf(n, from);
    if (at < 0) return false;
    const before = h[at - 1];
    const after = h[at + n.length];
    if (!isWordChar(before) && !isWordChar(after)) return true;
    from = at + 1;
  }
}

function isWordChar(c: string | undefined): boolean {
  return c !== undefined && /[\p{L}\p{N}]/u.test(c);
}

/** The numbers written in a text, normalised ("9,059" → "9059", "12.5"). */
export function numbersIn(s: string): string[] {
  return normalizeText(s).match(/\d+(?:\.\d+)?/g) ?? [];
}

export function lineBreaks(s: string): number {
  return (s.match(/\n/g) ?? []).length;
}

/** A locator without its section and part, for when the full one does not fit. */
export function shortLocator(locator: string): string {
  return locator.replace(/\s*\(part \d+\/\d+\)$/, "").replace(/ — [^,]*, /, ", ");
}

/**
 * The text shown when a question closes: the explanation and, on a new line, where it comes
 * from. Fits Telegram's quiz explanation limit (200 characters, ≤ 2 line breaks) by shortening
 * the locator, or leaving it out, when needed.
 */
export function pollExplanation(q: Pick<LocalizedQuestion, "explanation" | "citation">): string {
  const fits = (s: string) => s.length <= LIMITS.explanation && lineBreaks(s) <= LIMITS.explanationLineBreaks;
  for (const locator of [q.citation.locator, shortLocator(q.citation.locator)]) {
    const full = `${q.explanation}\n📖 ${locator}`;
    if (fits(full)) return full;
  }
  return q.explanation.slice(0, LIMITS.explanation);
}

/** "A", "B", ... for option letters. */
export function optionLetter(index: number): string {
  return String.fromCharCode(65 + index);
}
