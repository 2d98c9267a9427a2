/**
 * The questions field of each passage (knowledge/questions/, see src/knowledge/questions.ts):
 * BM25 over the English questions of a passage (analysed like the passages, searched with the
 * question's English and glossary terms) and, per language, BM25 over the passage's questions
 * in that language (folded words cut to a prefix, searched with the asker's own words). So a
 * paraphrase ("Which city do most folks arriving for jobs head to?") finds the passage whose
 * questions use its words even when the passage does not.
 */
import type { Lang } from "../language/languages.ts";
import type { QuestionSet } from "../knowledge/questions.ts";
import { analyze, isWeakTerm } from "./analyzer.ts";
import { foldedWords } from "./glossary.ts";
import { RANKING } from "./params.ts";

const K1 = 1.2;
const B = 0.75;

export interface FieldHit {
  passageId: string;
  score: number;
}

/** Okapi BM25 over token lists (one "document" per passage). */
export class Bm25 {
  private readonly postings = new Map<string, Array<{ doc: number; tf: number }>>();
  private readonly df = new Map<string, number>();
  private readonly lengths: number[];
  private readonly average: number;
  private scratch: Float64Array | undefined;

  constructor(private readonly docs: Array<{ id: string; tokens: string[] }>) {
    this.lengths = docs.map((d, doc) => {
      const counts = new Map<string, number>();
      for (const t of d.tokens) counts.set(t, (counts.get(t) ?? 0) + 1);
      for (const [t, tf] of counts) {
        this.df.set(t, (this.df.get(t) ?? 0) + 1);
        let list = this.postings.get(t);
        if (!list) this.postings.set(t, (list = []));
        list.push({ doc, tf });
      }
      return d.tokens.length;
    });
    this.average = this.lengths.reduce((a, b) => a + b, 0) / Math.max(1, docs.length);
  }

  get size(): number {
    return this.docs.length;
  }

  idf(term: string): number {
    const n = this.df.get(term) ?? 0;
    return Math.log((this.docs.length - n + 0.5) / (n + 0.5) + 1);
  }

  has(term: string): boolean {
    return this.df.has(term);
  }

  search(tokens: string[], k: number): FieldHit[] {
    if (this.docs.length === 0) return [];
    const scores = (this.scratch ??= new Float64Array(this.docs.length));
    const touched: number[] = [];
    for (const t of tokens) {
      const list = this.postings.get(t);
      if (!list) continue;
      const idf = this.idf(t);
      for (const { doc, tf } of list) {
        if (scores[doc] === 0) touched.push(doc);
        scores[doc]! += (idf * tf * (K1 + 1)) / (tf + K1 * (1 - B + (B * this.lengths[doc]!) / this.average));
      }
    }
    const hits = touched.map((doc) => ({ passageId: this.docs[doc]!.id, score: scores[doc]! }));
    for (const doc of touched) scores[doc] = 0;
    return hits.sort((a, b) => b.score - a.score).slice(0, k);
  }
}

/** The asker's own words for the per-language questions field: folded, cut to a prefix, no short words. */
export function nativeTokens(text: string): string[] {
  return foldedWords(text)
    .filter((w) => w.length >= 3 || /^\d+$/.test(w))
    .map((w) => (/^\d/.test(w) ? w : w.slice(0, RANKING.nativePrefix)));
}

export class QuestionField {
  private readonly english: Bm25;
  private readonly native = new Map<Lang, Bm25>();
  /** Each passage's questions as token sets: English (analysed) and per language (native tokens). */
  private readonly sets = new Map<string, { en: Array<Set<string>>; native: Map<Lang, Array<Set<string>>> }>();
  readonly size: number;
  private readonly texts: Map<string, Array<{ lang: Lang; question: string }>>;

  constructor(questions: QuestionSet) {
    this.texts = questions.byPassage;
    const en: Array<{ id: string; tokens: string[] }> = [];
    const byLang = new Map<Lang, Array<{ id: string; tokens: string[] }>>();
    let size = 0;
    for (const [id, qs] of questions.byPassage) {
      const entry = { en: [] as Array<Set<string>>, native: new Map<Lang, Array<Set<string>>>() };
      const enTokens: string[] = [];
      const nativeByLang = new Map<Lang, string[]>();
      for (const q of qs) {
        size++;
        if (q.lang === "en") {
          const terms = analyze(q.question);
          enTokens.push(...terms);
          entry.en.push(new Set(terms));
        } else {
          const tokens = nativeTokens(q.question);
          nativeByLang.set(q.lang, [...(nativeByLang.get(q.lang) ?? []), ...tokens]);
          entry.native.set(q.lang, [...(entry.native.get(q.lang) ?? []), new Set(tokens)]);
        }
      }
      if (enTokens.length) en.push({ id, tokens: enTokens });
      for (const [lang, tokens] of nativeByLang) byLang.set(lang, [...(byLang.get(lang) ?? []), { id, tokens }]);
      this.sets.set(id, entry);
    }
    this.english = new Bm25(en);
    for (const [lang, docs] of byLang) this.native.set(lang, new Bm25(docs));
    this.size = size;
  }

  /**
   * The passage's question that shares most of the question's words: in `lang` when the passage
   * has questions in it (by its own words), else in English (by its English terms).
   */
  nearest(passageId: string, terms: string[], lang: Lang, ownTokens: string[]): string | undefined {
    const qs = this.texts.get(passageId) ?? [];
    const inLang = lang === "en" ? [] : qs.filter((q) => q.lang === lang);
    const pool = inLang.length ? inLang : qs.filter((q) => q.lang === "en");
    if (pool.length === 0) return undefined;
    const wanted = new Set(inLang.length ? ownTokens : terms);
    let best = pool[0]!;
    let bestScore = -1;
    for (const q of pool) {
      const tokens = inLang.length ? nativeTokens(q.question) : analyze(q.question);
      const score = tokens.filter((t) => wanted.has(t)).length / Math.sqrt(tokens.length || 1);
      if (score > bestScore) [best, bestScore] = [q, score];
    }
    return best.question;
  }

  /** BM25 over the English questions (with English terms) and over the asker's language's questions. */
  search(terms: string[], lang: Lang, ownTokens: string[], k: number): { english: FieldHit[]; native: FieldHit[] } {
    const native = lang === "en" ? undefined : this.native.get(lang);
    return { english: this.english.search(terms, k), native: native ? native.search(ownTokens, k) : [] };
  }

  /**
   * How well one of the passage's questions matches the question: the best idf-weighted share
   * of the question's terms (English questions) or own words (same-language questions) that one
   * passage question holds, 0..1. A strong sign the passage answers it, for the decision.
   */
  share(passageId: string, terms: string[], lang: Lang, ownTokens: string[]): number {
    const entry = this.sets.get(passageId);
    if (!entry) return 0;
    const best = (sets: Array<Set<string>>, tokens: string[], index: Bm25 | undefined, weak: (t: string) => boolean) => {
      const distinct = [...new Set(tokens)];
      if (!index || distinct.length === 0 || sets.length === 0) return 0;
      const w = distinct.map((t) => (index.has(t) ? index.idf(t) : index.idf("\u0000")) * (weak(t) ? 0.3 : 1));
      const total = w.reduce((a, b) => a + b, 0);
      let top = 0;
      for (const set of sets) {
        let found = 0;
        distinct.forEach((t, i) => {
          if (set.has(t)) found += w[i]!;
        });
        top = Math.max(top, found / total);
      }
      return top;
    };
    const english = best(entry.en, terms, this.english, isWeakTerm);
    const own = lang === "en" ? 0 : best(entry.native.get(lang) ?? [], ownTokens, this.native.get(lang), () => false);
    return Math.max(english, own);
  }
}
