/**
 * `hotline quiz generate`: proposes fill-in-the-number questions from the passages. Each
 * proposal blanks one figure in one sentence of a passage, offers the true figure and three
 * plausible wrong ones (other figures of the same kind from the same document, or the true
 * figure scaled), and cites the passage. Proposals carry a `review:` line and are written to a
 * review file outside the bank; the bank refuses them until a person has checked each one,
 * deleted its `review:` line and moved it into a file in `knowledge/quiz/`.
 */
import { createHash } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { createRequire } from "node:module";
import type { Corpus, Passage } from "../knowledge/types.ts";
import { splitSentences } from "../knowledge/sentences.ts";
import { REDACTION } from "../knowledge/redact.ts";
import { shuffle } from "./bank.ts";
import { keyFacts } from "./check.ts";
import { containsPhrase, normalizeText } from "./text.ts";
import { LIMITS, type QuestionEntry } from "./types.ts";

export interface GenerateOptions {
  /** Questions already in the bank: facts they ask about are not proposed again. */
  existing?: readonly QuestionEntry[];
  /** At most this many proposals in all (default 60) and per passage (default 2). */
  max?: number;
  perPassage?: number;
  /** Written into each proposal's `review:` line. */
  date?: string;
}

/** A figure as written in the text: "$25,500", "97.2%", "1,341", "12". */
interface Figure {
  raw: string;
  value: number;
  prefix: string; // "$" or ""
  suffix: string; // "%" or ""
  decimals: number;
  grouped: boolean; // written with thousands separators
  start: number;
}

const FIGURE = /(?<![\w.,$/-])(\$?)(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(%?)(?![\w/-]|\.\d|,\d)/g;
const MONTHS = "january|february|march|april|may|june|july|august|september|october|november|december";
/** Words before a number that make it a label, not a quantity. */
const LABEL_BEFORE = new RegExp(`(?:articles?|art\\.|para\\.?|paras|¶|conventions?|no\\.|part|section|(?:${MONTHS}))\\s*(?:[\\d,]+\\s*(?:and|,)?\\s*)*$`, "i");

const NUMBER_WORD = "\\d|\\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty)\\b";
const RANGE_AFTER = new RegExp(`^\\s*(?:to|-|–)\\s*(?:${NUMBER_WORD})`, "i");
const RANGE_BEFORE = new RegExp(`(?:${NUMBER_WORD})\\s*(?:to|-|–)\\s*$`, "i");
const DATE_AFTER = new RegExp(`^\\s*(?:${MONTHS})\\b`, "i");
/** A blanked sentence needs this many words to make sense on its own. */
const MIN_WORDS = 6;

function figuresIn(sentence: string): Figure[] {
  const out: Figure[] = [];
  for (const m of sentence.matchAll(FIGURE)) {
    const [raw, prefix = "", digits = "", suffix = ""] = m;
    const value = Number(digits.replace(/,/g, ""));
    const start = m.index ?? 0;
    const isYear = !prefix && !suffix && !digits.includes(",") && !digits.includes(".") && value >= 1900 && value <= 2099;
    if (isYear || value < 2 || LABEL_BEFORE.test(sentence.slice(Math.max(0, start - 40), start))) continue;
    const after = sentence.slice(start + raw.length);
    // Ranges ("5-15", "ten - 15", "16 to 25") make a blank ambiguous; "29 May" is a date.
    if (RANGE_AFTER.test(after) || RANGE_BEFORE.test(sentence.slice(0, start)) || DATE_AFTER.test(after)) continue;
    out.push({ raw, value, prefix, suffix, decimals: digits.split(".")[1]?.length ?? 0, grouped: digits.includes(","), start });
  }
  return out;
}

function format(value: number, like: Figure): string {
  const digits = like.decimals
    ? value.toFixed(like.decimals)
    : like.grouped || value >= 10000
      ? Math.round(value).toLocaleString("en-US")
      : String(Math.round(value));
  return `${like.prefix}${digits}${like.suffix}`;
}

/** A deterministic random stream from a string seed (mulberry32). */
export function seededRandom(seed: string): () => number {
  let a = createHash("sha256").update(seed).digest().readUInt32LE(0);
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Three wrong figures of the same kind and magnitude; none appears in the sentence. */
function distractors(correct: Figure, sentence: string, sameDoc: Figure[], random: () => number): string[] | undefined {
  const taken = new Set([normalizeText(correct.raw)]);
  const usable = (s: string) => {
    const n = normalizeText(s);
    return !taken.has(n) && !containsPhrase(sentence, s);
  };
  const out: string[] = [];
  const add = (s: string) => {
    if (out.length < 3 && usable(s)) {
      out.push(s);
      taken.add(normalizeText(s));
    }
  };
  const similar = sameDoc.filter(
    (f) =>
      f.prefix === correct.prefix &&
      f.suffix === correct.suffix &&
      f.value !== correct.value &&
      f.decimals > 0 === correct.decimals > 0 &&
      f.value / correct.value < 10 &&
      correct.value / f.value < 10 &&
      (correct.suffix !== "%" || f.value <= 100),
  );
  for (const f of shuffle(similar, random)) add(format(f.value, correct));
  const factors = shuffle([0.5, 0.75, 1.5, 2, 3, 0.25], random);
  for (const k of factors) {
    let v = correct.value * k;
    if (correct.suffix === "%" && v > 100) continue;
    if (!correct.decimals) v = v >= 100 ? Math.round(v / 10) * 10 : Math.round(v);
    if (v >= 1) add(format(v, correct));
  }
  return out.length === 3 ? out : undefined;
}

function reviewNote(date: string): string {
  return `generated ${date}: check the figure and the wrong options against the passage, then delete this line`;
}

/** Proposals from the corpus, in corpus order; each passes the bank's rules except `review`. */
export function generateQuestions(corpus: Pick<Corpus, "documents" | "passages">, options: GenerateOptions = {}): QuestionEntry[] {
  const { existing = [], max = 60, perPassage = 2, date = new Date().toISOString().slice(0, 10) } = options;
  const shortOf = new Map(corpus.documents.map((d) => [d.id, d.short]));
  const asked = existing.map((q) => ({ passage: q.citation.passage, keys: keyFacts(q) }));
  const figuresByDoc = new Map<string, Figure[]>();
  for (const p of corpus.passages) {
    const list = figuresByDoc.get(p.docId) ?? [];
    for (const s of splitSentences(p.text)) list.push(...figuresIn(s.text));
    figuresByDoc.set(p.docId, list);
  }

  const out: QuestionEntry[] = [];
  for (const p of corpus.passages) {
    if (out.length >= max) break;
    if (!usablePassage(p)) continue;
    let fromPassage = 0;
    for (const sentence of splitSentences(p.text)) {
      for (const fig of figuresIn(sentence.text)) {
        if (fromPassage >= perPassage || out.length >= max) break;
        if (asked.some((a) => a.passage === p.id && a.keys.some((k) => containsPhrase(k, fig.raw) || containsPhrase(fig.raw, k)))) continue;
        const q = proposal(p, sentence.text, sentence.start, fig, shortOf.get(p.docId) ?? p.docId, figuresByDoc.get(p.docId) ?? [], date);
        if (q) {
          out.push(q);
          fromPassage++;
        }
      }
    }
  }
  return out;
}

function usablePassage(p: Passage): boolean {
  return !p.text.includes(REDACTION) && !/missing section/i.test(p.text);
}

function proposal(p: Passage, sentence: string, offset: number, fig: Figure, short: string, sameDoc: Figure[], date: string): QuestionEntry | undefined {
  const cloze = sentence.slice(0, fig.start) + "___" + sentence.slice(fig.start + fig.raw.length);
  // The blank must be the only occurrence of the figure, or the sentence gives the answer away.
  if (containsPhrase(cloze, fig.raw) || cloze.split(/\s+/).length < MIN_WORDS) return undefined;
  const question = `Fill in the missing figure (${short}): "${cloze}"`;
  if (question.length > LIMITS.question) return undefined;
  const random = seededRandom(`${p.id}:${fig.start}`);
  const wrong = distractors(fig, sentence, sameDoc, random);
  if (!wrong) return undefined;
  const options = shuffle([fig.raw, ...wrong], random);
  const explanation = clip(sentence, LIMITS.explanation);
  return {
    id: `gen-${p.id.split(":")[1]}-${offset + fig.start}`,
    topic: "figures",
    difficulty: fig.value >= 1000 || fig.decimals > 0 ? "hard" : "medium",
    question,
    options,
    correct: options.indexOf(fig.raw),
    key: fig.raw,
    explanation,
    citation: { doc: p.docId, passage: p.id, locator: p.locator },
    languages: ["en"],
    review: reviewNote(date),
  };
}

/** The text cut at a word boundary to fit `limit` characters, with an ellipsis when cut. */
function clip(text: string, limit: number): string {
  const flat = text.replace(/\s+/g, " ").trim();
  if (flat.length <= limit) return flat;
  const cut = flat.slice(0, limit - 1);
  return `${cut.slice(0, cut.lastIndexOf(" "))}…`;
}

/** Writes proposals as a review file in the bank's format, with instructions at the top. */
export function writeReviewFile(path: string, questions: readonly QuestionEntry[]): void {
  mkdirSync(dirname(path), { recursive: true });
  const header = [
    "# Generated quiz questions: PROPOSALS ONLY, not used by the bot.",
    "# For each one: read the cited passage, check the figure, make sure every wrong option is",
    "# clearly wrong, reword the question if needed, delete its `review:` line, and move it into",
    "# a bank file in knowledge/quiz/. Then run `npx hotline quiz check`.",
    "",
  ].join("\n");
  // yaml is loaded here, not at start-up: every `hotline` command imports this module.
  const { stringify } = createRequire(import.meta.url)("yaml") as typeof import("yaml");
  writeFileSync(path, header + stringify({ questions }, { lineWidth: 0 }));
}
