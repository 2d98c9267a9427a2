/**
 * What the classifiers read. fastText sees words and their character n-grams; two views of the
 * message are given:
 *
 * - for the language model, the words as typed (lower-case), because the letters themselves
 *   (қ, ў, ӣ, o', -shpeit) are the evidence;
 * - for intent and risk, the words as typed followed by their folded keys (Cyrillic and Latin
 *   folded into one spelling, see triage/normalize.ts), so "забрали паспорт" and "zabrali
 *   pasport" share features, and so do keyboard-simplified Kazakh or Tajik and the real letters.
 */
import { looseKey } from "../triage/normalize.ts";

/** Longest text the models read (a long story's disclosure is usually within it). */
export const MAX_MODEL_CHARS = 1500;

const WORD = /[\p{L}\p{N}][\p{L}\p{N}'ʻʼ‘’`-]*/gu;

/**
 * The words of a message, lower-case, each once: a word repeated ("help help help", a paste of
 * "blah" ten thousand times) should not outweigh the rest of the message.
 */
export function surfaceWords(text: string): string[] {
  const words = (text.slice(0, MAX_MODEL_CHARS).toLowerCase().normalize("NFC").match(WORD) ?? []).map((w) => w.replace(/[ʻʼ‘’`]/g, "'"));
  return [...new Set(words)];
}

/** The language model's input line. */
export function languageFeatures(text: string): string {
  return surfaceWords(text).join(" ");
}

/** The intent and risk models' input line. */
export function meaningFeatures(text: string): string {
  const words = surfaceWords(text);
  const folded = words.map((w) => looseKey(w).replace(/[^a-z0-9]/g, "")).filter(Boolean);
  return [...words, "|", ...folded].join(" ");
}
