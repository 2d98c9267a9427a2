/**
 * Text normalisation for triage matching.
 *
 * Both the rule patterns and the person's message go through `looseKey`, so that the same
 * word compares equal however it was typed: Cyrillic or Latin ("забрал паспорт" = "zabral
 * pasport"), with or without Uzbek apostrophes ("qo'yishdi" = "qoyishdi"), with Turkish-style
 * letters ("ş", "ç"), with the usual Russian-in-Latin spellings ("h"/"kh"/"x" for х, "j"/"zh"
 * for ж, "i"/"y" for й/ы), and with doubled letters ("passport" = "pasport").
 *
 * The folding is lossy on purpose: it is for matching only, never for display.
 */
import { matchKey } from "../language/transliterate.ts";

const PRE: Array<[RegExp, string]> = [
  [/ş/g, "sh"],
  [/ç/g, "ch"],
  [/ğ/g, "g"],
  [/ı/g, "i"],
];

const POST: Array<[RegExp, string]> = [
  [/shch/g, "sh"],
  [/sch/g, "sh"],
  [/kh/g, "h"],
  [/dzh/g, "j"],
  [/zh/g, "j"],
  [/dj/g, "j"],
  [/q/g, "k"],
  [/gh/g, "g"],
  [/w/g, "v"],
  [/y/g, "i"],
  [/ng/g, "n"],
  [/([a-z])\1+/g, "$1"],
];

/**
 * Keys of single words already computed: the models' features fold a message word by word, and
 * the same words recur across messages, so the 16 regular-expression passes run once per
 * distinct word. Only words (no spaces, at most 40 characters) are kept, never a message;
 * bounded (emptied when full).
 */
const KEYS = new Map<string, string>();
const KEYS_MAX = 20_000;
const isWord = (text: string) => text.length <= 40 && !/\s/.test(text);

/** The matching key of a text: lower-case, Latin, phonetically folded. Punctuation is kept. */
export function looseKey(text: string): string {
  const known = KEYS.get(text);
  if (known !== undefined) return known;
  const key = computeLooseKey(text);
  if (isWord(text)) {
    if (KEYS.size >= KEYS_MAX) KEYS.clear();
    KEYS.set(text, key);
  }
  return key;
}

function computeLooseKey(text: string): string {
  let s = text.toLowerCase();
  for (const [re, rep] of PRE) s = s.replace(re, rep);
  s = matchKey(s);
  for (const [re, rep] of POST) s = s.replace(re, rep);
  return s;
}

export interface Token {
  /** The folded word. */
  key: string;
  /** Index of the sentence the word is in. */
  sentence: number;
  /** Index of the clause (sentence part between commas, "but", "that"...) the word is in. */
  clause: number;
}

export interface Sentence {
  /** Index of the first token and one past the last. */
  start: number;
  end: number;
  /** True when the sentence ends in "?" (or "؟"). */
  question: boolean;
}

export interface Tokenized {
  tokens: Token[];
  sentences: Sentence[];
}

const CLAUSE_PUNCT = /[,:()"«»“”„—–\[\]{}<>]/;
// Words that start a new clause: the parts on either side are judged separately for
// negation, "if" and "is this about the reports or about me".
const CLAUSE_WORDS = new Set(["but", "that", "because", "что", "lekin", "amma", "biraq", "birok", "vale", "chunki", "potomu"].map(looseKey));

const CYRILLIC_BUT = /(?<![\p{L}\p{N}])[Нн][Оо](?![\p{L}\p{N}])/gu;

/** Splits a message into folded word tokens with sentence and clause indexes. */
export function tokenize(text: string, maxChars = 4000): Tokenized {
  // Russian "но" (but) folds to "no", which is an English negation word: "обещали работу, но
  // заставляют…" read "заставляют" as negated. It is read as "but" (a clause boundary) instead.
  const folded = looseKey(text.slice(0, maxChars).replace(CYRILLIC_BUT, "but"));
  const tokens: Token[] = [];
  const sentences: Sentence[] = [];
  let clause = 0;
  const parts = folded.split(/([.!?;…\n\r؟。]+)/);
  for (let i = 0; i < parts.length; i += 2) {
    const body = parts[i] ?? "";
    const terminator = parts[i + 1] ?? "";
    const start = tokens.length;
    const sentence = sentences.length;
    clause++;
    for (const chunk of body.split(/([,:()"«»“”„—–[\]{}<>])/)) {
      if (CLAUSE_PUNCT.test(chunk)) {
        clause++;
        continue;
      }
      for (const word of chunk.match(/[a-z0-9]+/g) ?? []) {
        if (CLAUSE_WORDS.has(word) && tokens.length > start) clause++;
        tokens.push({ key: word, sentence, clause });
      }
    }
    if (tokens.length > start) {
      sentences.push({ start, end: tokens.length, question: /[?؟]/.test(terminator) });
    }
  }
  return { tokens, sentences };
}
