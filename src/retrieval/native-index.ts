/**
 * Retrieval in the person's language: one BM25 index per language over the translated
 * passages (`knowledge/translations/`), beside the English index. A question in Kyrgyz is
 * matched against the Kyrgyz text directly; the hybrid retriever fuses this ranking with the
 * English one (glossary route and dense vectors).
 *
 * The analyser is language-neutral on purpose: words folded to one Latin form (`matchKey`, so
 * Uzbek in either script and Russian typed in Latin letters meet the same terms), numbers
 * without separators, and words cut to their first letters (a prefix stem: Turkic languages add
 * suffixes, Russian and Tajik inflect endings, so "паспорт", "паспортымды" and "паспортом"
 * share "pasport"/"paspo").
 */
import type { Lang } from "../language/languages.ts";
import { matchKey } from "../language/transliterate.ts";
import type { Passage } from "../knowledge/types.ts";
import type { Translations } from "../knowledge/translations.ts";
import { LexicalIndex, type LexicalHit } from "./lexical.ts";

/** Letters kept of a word (the prefix stem). Measured on the QA sets: 5 beats 4 and 6. */
export const NATIVE_STEM = 5;

/** Short function words and question words of the five languages (folded) that carry no topic. */
const NATIVE_STOP = new Set(
  [
    // ru
    "и", "в", "во", "на", "не", "что", "как", "это", "по", "из", "за", "для", "от", "до", "или", "ли", "же", "бы", "был", "была", "были",
    "его", "ее", "их", "они", "она", "он", "мы", "вы", "я", "мне", "меня", "у", "о", "об", "со", "к", "ко", "при", "также", "сколько",
    "какой", "какие", "какая", "каких", "когда", "где", "почему", "кто", "чем", "году", "года", "год", "согласно", "отчет", "отчёт", "отчету",
    // kk / ky
    "және", "мен", "бен", "пен", "да", "де", "та", "те", "бұл", "ол", "қанша", "қандай", "қашан", "қайда", "жылы", "бойынша", "туралы",
    "жана", "менен", "бул", "ал", "канча", "кандай", "качан", "кайда", "жылы", "боюнча", "тууралуу",
    // uz
    "va", "bu", "u", "ham", "bilan", "uchun", "qancha", "nechta", "qanday", "qachon", "qayerda", "yilda", "yil", "boyicha", "haqida",
    // tg
    "ва", "дар", "аз", "ба", "бо", "то", "ки", "ин", "он", "чанд", "чӣ", "кадом", "кай", "соли", "дар бораи", "мувофиқи",
  ].map((w) => matchKey(w)),
);

/** Terms of a text in any of the five languages (see the file comment). */
export function analyzeNative(text: string): string[] {
  const folded = matchKey(text.replace(/(\d)[,\s\u00a0\u202f](?=\d{3}\b)/g, "$1"));
  const out: string[] = [];
  for (const token of folded.match(/[\p{L}\p{N}]+(?:[.,]\d+)?/gu) ?? []) {
    if (/^\d/.test(token)) {
      out.push(token.replace(",", "."));
      continue;
    }
    if (token.length < 3 || NATIVE_STOP.has(token)) continue;
    out.push(token.slice(0, NATIVE_STEM));
  }
  return out;
}

/**
 * A language's translations are searched only once they cover this share of the passages: a
 * partial index pulls the passages that happen to be translated ahead of better English ones
 * (measured on qa-cases: Tajik with 25 of 222 passages translated lost 0.05 recall@3).
 */
export const NATIVE_MIN_COVERAGE = 0.9;

/**
 * The per-language indexes. Each is built once per process: at start-up with `build()` (the
 * hybrid retriever does), else on the first question in its language (≈ 30 ms a language).
 */
export class NativeIndexes {
  private readonly sources = new Map<Lang, { passages: Passage[]; texts: Map<string, string> }>();
  private readonly built = new Map<Lang, LexicalIndex>();

  constructor(passages: readonly Passage[], translations: Translations, minCoverage = NATIVE_MIN_COVERAGE) {
    const byId = new Map(passages.map((p) => [p.id, p]));
    for (const lang of translations.languages()) {
      const texts = translations.current(lang);
      const translated = [...texts.keys()].flatMap((id) => byId.get(id) ?? []);
      if (translated.length > 0 && translated.length >= minCoverage * passages.length) this.sources.set(lang, { passages: translated, texts });
    }
  }

  has(lang: Lang): boolean {
    return this.sources.has(lang);
  }

  /** Builds every language's index now (so no question pays for it); returns `this`. */
  build(): this {
    for (const lang of this.sources.keys()) this.index(lang);
    return this;
  }

  private index(lang: Lang): LexicalIndex | undefined {
    let index = this.built.get(lang);
    const source = this.sources.get(lang);
    if (!index && source) this.built.set(lang, (index = new LexicalIndex(source.passages, source.texts, analyzeNative)));
    return index;
  }

  /** BM25 over the translations of `lang`, best first (empty for a language without any). */
  search(lang: Lang, question: string, k = 30): { terms: string[]; hits: LexicalHit[] } {
    const index = this.index(lang);
    if (!index) return { terms: [], hits: [] };
    const terms = analyzeNative(question);
    return { terms, hits: index.search(terms, k) };
  }

  /** BM25 over the translations of `lang` with terms already analysed by `analyzeNative`. */
  searchTerms(lang: Lang, terms: string[], k = 30): LexicalHit[] {
    const index = this.index(lang);
    return index && terms.length ? index.search(terms, k) : [];
  }

  /** The idf-weighted share of the question's native terms that a translated passage holds, 0..1. */
  coverage(lang: Lang, terms: readonly string[], passageId: string): number {
    const index = this.index(lang);
    if (!index || terms.length === 0) return 0;
    const held = index.termsOf(passageId);
    let total = 0;
    let found = 0;
    // A word no translation uses weighs half the rarest word's weight: it may be a typo, or
    // what the question is really about (and then the passages do not answer it).
    const unknown = 0.5 * Math.log((index.size + 0.5) / 0.5 + 1);
    for (const t of new Set(terms)) {
      const w = index.documentFrequency.has(t) ? index.idf(t) : unknown;
      total += w;
      if (held.has(t)) found += w;
    }
    return total === 0 ? 0 : found / total;
  }

  /** How many distinct question terms (not numbers) the translated passage holds. */
  matched(lang: Lang, terms: readonly string[], passageId: string): number {
    const held = this.index(lang)?.termsOf(passageId);
    if (!held) return 0;
    return [...new Set(terms)].filter((t) => !/^\d/.test(t) && held.has(t)).length;
  }
}
