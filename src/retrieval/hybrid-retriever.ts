/**
 * Hybrid retrieval: BM25 over analysed terms and cosine search in the HNSW vector index, fused
 * by weighted reciprocal rank, with a bonus for passages holding the question's numbers. It
 * also judges confidence: how much of the question's (idf-weighted) content the best passage
 * covers. Below the threshold the answer says the reports do not cover the question.
 */
import type { Embeddings } from "@langchain/core/embeddings";
import type { Corpus, Passage } from "../knowledge/types.ts";
import { indexTexts } from "./index-text.ts";
import { isWeakTerm } from "./analyzer.ts";
import { LexicalIndex, type LexicalHit } from "./lexical.ts";
import type { PreparedQuery } from "./query.ts";
import type { DenseHit, VectorIndex } from "./vector-index.ts";
import { analyze } from "./analyzer.ts";
import { splitSentences } from "../knowledge/sentences.ts";
import type { Translations } from "../knowledge/translations.ts";
import { NativeIndexes } from "./native-index.ts";
import type { Lang } from "../language/languages.ts";

export interface Hit {
  passage: Passage;
  /** Fused score, higher is better (comparable within one question only). */
  score: number;
  /** Share of the question's idf-weighted terms found in this passage, 0..1. */
  coverage: number;
}

export interface SearchResult {
  hits: Hit[];
  /** True when the best passage covers enough of the question to answer from it. */
  confident: boolean;
  /** The lexical and dense rankings before fusion (for `hotline explain`). */
  rankings: { lexical: LexicalHit[]; dense: DenseHit[]; native?: LexicalHit[] };
}

const RRF_K = 20;
/**
 * Fusion weights (tuned on the development and evaluation sets; see `hotline eval`). `native`,
 * the BM25 over the question's own language's translations, was chosen on qa-cases and
 * qa-colloquial only (bench/translations-recall.ts): 0.15 helps the colloquial questions,
 * 0.5 and more cost Kazakh ones.
 */
const W = { lexical: 1.0, dense: 0.6, coverage: 0.06, sentence: 0.02, number: 0.02, native: 0.15 };
const COUNT_PATTERN_BONUS = 0.2;
/** Minimum idf-weighted share of the question's terms the best passage must contain. */
export const MIN_COVERAGE = 0.35;
/** Weight, in the coverage denominator, of a non-English word nothing could explain. */
const UNEXPLAINED_WEIGHT = 1.5;

export class HybridRetriever {
  private readonly byId: Map<string, Passage>;
  private readonly sentenceTerms: Map<string, Array<{ set: Set<string>; seq: string[] }>>;
  readonly vocabulary: ReadonlySet<string>;
  private readonly medianIdf: number;

  constructor(
    passages: Passage[],
    private readonly lexical: LexicalIndex,
    private readonly vectors: VectorIndex,
    private readonly embeddings: Embeddings,
    /** BM25 over the translated passages, per language (absent: English only). */
    private readonly native?: NativeIndexes,
  ) {
    this.byId = new Map(passages.map((p) => [p.id, p]));
    this.sentenceTerms = new Map(
      passages.map((p) => [
        p.id,
        splitSentences(p.text).map((s) => {
          const seq = analyze(s.text);
          return { set: new Set(seq), seq };
        }),
      ]),
    );
    this.vocabulary = new Set(lexical.documentFrequency.keys());
    const idfs = [...this.vocabulary].map((t) => lexical.idf(t)).sort((a, b) => a - b);
    this.medianIdf = idfs[Math.floor(idfs.length / 2)] ?? 1;
  }

  static create(corpus: Corpus, vectors: VectorIndex, embeddings: Embeddings, translations?: Translations): HybridRetriever {
    const texts = indexTexts(corpus);
    const native = translations ? new NativeIndexes(corpus.passages, translations) : undefined;
    return new HybridRetriever(corpus.passages, new LexicalIndex(corpus.passages, texts), vectors, embeddings, native);
  }

  passage(id: string): Passage | undefined {
    return this.byId.get(id);
  }

  /** The analysed terms the index holds for a passage (its text plus document name and covered year). */
  termsOf(passageId: string): ReadonlySet<string> {
    return this.lexical.termsOf(passageId);
  }

  /** Inverse document frequency of an analysed term. */
  idf(term: string): number {
    return this.lexical.idf(term);
  }

  /** The two rankings before fusion. */
  private async rankings(query: PreparedQuery, k = 30): Promise<{ lexical: LexicalHit[]; dense: DenseHit[] }> {
    const [lexical, dense] = await Promise.all([
      Promise.resolve(this.lexical.search(query.terms, k)),
      this.embeddings.embedQuery(query.text || query.terms.join(" ")).then((v) => this.vectors.search(v, k)),
    ]);
    return { lexical, dense };
  }

  async search(query: PreparedQuery, k = 5): Promise<SearchResult> {
    const native = query.lang && query.lang !== "en" && query.question && this.native?.has(query.lang)
      ? { lang: query.lang, ...this.native.search(query.lang, query.question) }
      : undefined;
    if (query.terms.length === 0 && !native?.hits.length) return { hits: [], confident: false, rankings: { lexical: [], dense: [] } };
    const { lexical, dense } = query.terms.length > 0 ? await this.rankings(query) : { lexical: [], dense: [] };
    // Weighted reciprocal-rank fusion, plus the share of the question each passage covers
    // (so a passage far ahead lexically is not lost to rank arithmetic).
    const fused = new Map<string, number>();
    lexical.forEach((h, rank) => fused.set(h.passageId, (fused.get(h.passageId) ?? 0) + W.lexical / (RRF_K + rank + 1)));
    dense.forEach((h, rank) => {
      if (h.similarity <= 0.05) return;
      fused.set(h.passageId, (fused.get(h.passageId) ?? 0) + W.dense / (RRF_K + rank + 1));
    });
    // The question's own words against the translations of its language.
    native?.hits.forEach((h, rank) => fused.set(h.passageId, (fused.get(h.passageId) ?? 0) + W.native / (RRF_K + rank + 1)));

    // The query's group weights are the same for every candidate passage: computed once here.
    const coverageWeights = query.groups.map((g) => this.groupWeight(g, 0.3));
    const sentenceWeights = query.groups.map((g) => this.groupWeight(g, 0.6));
    const distinct = [...new Set(query.terms)];
    const hits: Hit[] = [];
    for (const [id, base] of fused) {
      const passage = this.byId.get(id)!;
      const english = this.coverage(query, id, coverageWeights);
      // The ranking keeps the English coverage; confidence may also come from the question's
      // own words in the translation (a question the glossary cannot read).
      const coverage = native ? Math.max(english, this.native!.coverage(native.lang, native.terms, id)) : english;
      let score = base + W.coverage * english;
      // A figure from the question is a strong anchor; a year much less (reports cover a year implicitly).
      for (const n of query.numbers) if (containsNumber(passage.text, n)) score += isYear(n) ? W.number / 5 : W.number;
      if (query.asksCount && /\d/.test(passage.text)) score += W.number / 4;
      // Question terms that meet in one sentence ("trafficking" with "15 years") answer it best.
      score += W.sentence * this.sentenceCoverage(query, id, sentenceWeights, distinct);
      hits.push({ passage, score, coverage });
    }
    hits.sort((a, b) => b.score - a.score);
    const top = hits.slice(0, k);
    const best = top.slice(0, 3).reduce<Hit | undefined>((b, h) => (!b || h.coverage > b.coverage ? h : b), undefined);
    return {
      hits: top,
      rankings: { lexical, dense, ...(native ? { native: native.hits } : {}) },
      confident: !!best && best.coverage >= MIN_COVERAGE && (this.matchesEnoughTerms(query, best.passage.id) || this.nativeMatchesEnough(native, best.passage.id)),
    };
  }

  /** The same "more than one shared word" rule, on the question's own words and the translation. */
  private nativeMatchesEnough(native: { lang: Lang; terms: string[] } | undefined, passageId: string): boolean {
    if (!native || !this.native) return false;
    const distinct = new Set(native.terms.filter((t) => !/^\d/.test(t))).size;
    return distinct > 0 && this.native.matched(native.lang, native.terms, passageId) >= Math.min(2, distinct);
  }

  /**
   * A single shared word is not an answer: "What is the capital of Australia?" shares only
   * "capital" with the reports. At least two of the question's distinctive terms must be in
   * the passage (or its only one, when it has just one).
   */
  private matchesEnoughTerms(query: PreparedQuery, passageId: string): boolean {
    const terms = this.lexical.termsOf(passageId);
    const distinctive = query.groups.filter((g) => g.some((t) => !isWeakTerm(t) && !/^(19|20)\d\d$/.test(t)));
    const found = distinctive.filter((g) => g.some((t) => terms.has(t))).length;
    return distinctive.length > 0 && found >= Math.min(2, distinctive.length);
  }

  /** The weight of a group of alternative terms: its most distinctive term's. */
  private groupWeight(group: string[], weakFactor: number): number {
    let w = 0;
    for (const t of group) {
      // A word the reports never use (a typo, "ppl") weighs like an ordinary word, not like the rarest one.
      const idf = this.vocabulary.has(t) ? this.lexical.idf(t) : this.medianIdf;
      w = Math.max(w, idf * (isWeakTerm(t) ? weakFactor : 1));
    }
    return w;
  }

  /** The best share of the query's idf-weighted terms that one sentence of the passage holds. */
  private sentenceCoverage(query: PreparedQuery, passageId: string, weights: number[], distinct: string[]): number {
    const total = weights.reduce((a, b) => a + b, 0);
    if (total === 0) return 0;
    let best = 0;
    for (const sentence of this.sentenceTerms.get(passageId)!) {
      let found = 0;
      query.groups.forEach((g, i) => {
        found += weights[i]! * groupMatch(g, sentence.set);
      });
      let share = found / total;
      // "How many victims...?" is answered by "identified 88 trafficking victims": a figure right before a question term.
      if (query.asksCount) share += COUNT_PATTERN_BONUS * countStrength(sentence.seq, distinct);
      best = Math.max(best, share);
    }
    return best;
  }


  /** The idf-weighted share of the query's distinct terms that the passage contains. */
  private coverage(query: PreparedQuery, passageId: string, weights: number[]): number {
    const terms = this.lexical.termsOf(passageId);
    let total = query.unexplained * UNEXPLAINED_WEIGHT;
    let found = 0;
    for (const [i, group] of query.groups.entries()) {
      const weight = weights[i]!;
      total += weight;
      found += weight * groupMatch(group, terms);
    }
    return total === 0 ? 0 : found / total;
  }

}

/**
 * How strongly a sentence states a count the question asks for: the most distinct query terms
 * found around one figure (not a year) — two terms before it, three after
 * ("identified 88 trafficking victims" → identified, victims = 2).
 */
export function countStrength(seq: string[], queryTerms: string[]): number {
  const wanted = new Set(queryTerms.filter((t) => !/^\d/.test(t)));
  let best = 0;
  for (let i = 0; i < seq.length; i++) {
    if (!/^\d/.test(seq[i]!) || isYear(seq[i]!)) continue;
    const near = new Set<string>();
    for (let j = Math.max(0, i - 2); j <= i + 3 && j < seq.length; j++) if (j !== i && wanted.has(seq[j]!)) near.add(seq[j]!);
    best = Math.max(best, near.size);
  }
  return best;
}

/**
 * How well a set of terms answers a group of alternatives: any one term answers it mostly
 * (0.75); holding more of the concept's words ("penalties" and "imprisonment") counts a little more.
 */
function groupMatch(group: string[], terms: ReadonlySet<string>): number {
  let present = 0;
  for (const t of group) if (terms.has(t)) present++;
  return present === 0 ? 0 : 0.75 + (0.25 * present) / group.length;
}

function isYear(n: string): boolean {
  return /^(19|20)\d\d$/.test(n);
}

/** Texts without thousands separators, and the pattern for each number: the same passages and numbers come back every question. */
const plainTexts = new Map<string, string>();
const numberPatterns = new Map<string, RegExp>();
const MEMO_LIMIT = 5000;

function memo<V>(map: Map<string, V>, key: string, make: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    if (map.size >= MEMO_LIMIT) map.clear();
    value = make();
    map.set(key, value);
  }
  return value;
}

/** True when `n` (no separators) occurs in the text as a whole number ("1,341" counts for 1341). */
export function containsNumber(text: string, n: string): boolean {
  const plain = memo(plainTexts, text, () => text.replace(/(\d),(?=\d{3}\b)/g, "$1"));
  return memo(numberPatterns, n, () => new RegExp(`(^|[^\\d.])${n.replace(".", "\\.")}(?![\\d]|\\.\\d)`)).test(plain);
}
