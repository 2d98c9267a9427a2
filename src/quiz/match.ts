/**
 * Matches a typed answer to an option: a letter ("b", "B)", or a Cyrillic look-alike such as
 * "В"), a position ("2") unless the options are themselves numbers, the option's figure
 * ("138"), or the option's text, fuzzily (Fuse.js).
 * Used by text-only quizzes (the console, a private chat without polls).
 */
import Fuse from "fuse.js";
import { normalizeText, numbersIn } from "./text.ts";

/** Cyrillic letters that look like Latin option letters (a Russian keyboard user typing "А"). */
const LOOKALIKES: Record<string, string> = { а: "a", в: "b", с: "c", е: "e", н: "h" };

export function matchOption(input: string, options: readonly string[]): number | undefined {
  const text = normalizeText(input).replace(/[.)\]:]+$/, "").trim();
  if (!text) return undefined;

  const letter = LOOKALIKES[text] ?? text;
  if (/^[a-j]$/.test(letter)) {
    const i = letter.charCodeAt(0) - 97;
    return i < options.length ? i : undefined;
  }

  const numericOptions = options.some((o) => /^\D{0,3}[\d.,]+\D{0,3}$/.test(o.trim()));
  if (/^\d+$/.test(text) && !numericOptions) {
    const i = Number(text) - 1;
    return i >= 0 && i < options.length ? i : undefined;
  }

  const exact = options.findIndex((o) => normalizeText(o) === text);
  if (exact >= 0) return exact;

  // Typed figures must match an option's figures exactly: "13" is not "138".
  const typedNumbers = numbersIn(text);
  if (typedNumbers.length > 0) {
    const hits = options.map((o, i) => ({ i, n: numbersIn(o) })).filter(({ n }) => typedNumbers.every((t) => n.includes(t)));
    return hits.length === 1 ? hits[0]!.i : undefined;
  }

  const fuse = new Fuse(options.map((o, i) => ({ i, text: normalizeText(o) })), {
    keys: ["text"],
    includeScore: true,
    threshold: 0.45,
    ignoreLocation: true,
    minMatchCharLength: 3,
  });
  const [best, second] = fuse.search(text);
  if (!best || best.score === undefined) return undefined;
  // Too close a second candidate means the answer is ambiguous.
  if (second?.score !== undefined && second.score - best.score < 0.1) return undefined;
  return best.item.i;
}
