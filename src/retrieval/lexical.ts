/**
 * The lexical half of retrieval: Okapi BM25 over analysed (stemmed) passage terms.
 *
 * `asRetriever()` gives it LangChain's retriever interface (`BaseRetriever`), so it composes with
 * the rest of LangChain; LangChain is loaded only then (its retriever module alone took ≈ 0.2 s
 * of CPU at every start, for an interface answering never uses). It keeps an inverted index:
 * LangChain's own BM25Retriever rescans every passage with a regular expression per query word,
 * which alone costs several milliseconds per question here. Scores
 * follow the same formula (k1 = 1.2, b = 0.75, idf = ln((N − n + 0.5) / (n + 0.5) + 1)), and a
 * query term given twice counts twice, which is how the glossary and years weigh terms.
 */
import type { BaseRetriever } from "@langchain/core/retrievers";
import type { Passage } from "../knowledge/types.ts";
import { analyze } from "./analyzer.ts";

export interface LexicalHit {
  passageId: string;
  score: number;
}

const K1 = 1.2;
const B = 0.75;

export class LexicalIndex {
  /** For each term, how many passages contain it. */
  readonly documentFrequency = new Map<string, number>();
  readonly size: number;
  private readonly postings = new Map<string, Array<{ doc: number; tf: number }>>();
  private readonly lengths: number[];
  private readonly averageLength: number;
  private readonly ids: string[];
  private readonly texts: string[];
  private readonly indexOf = new Map<string, number>();
  private readonly termSets: Array<ReadonlySet<string>> = [];

  /**
   * `texts` maps passage ids to the text to index (see index-text.ts); `analyzer` turns a text
   * into terms (English stems by default; the translated indexes bring their own).
   */
  constructor(passages: Passage[], texts: Map<string, string>, analyzer: (text: string) => string[] = analyze) {
    this.ids = passages.map((p) => p.id);
    this.texts = passages.map((p) => p.text);
    this.lengths = passages.map((p, doc) => {
      const terms = analyzer(texts.get(p.id) ?? p.text);
      this.indexOf.set(p.id, doc);
      this.termSets.push(new Set(terms));
      const counts = new Map<string, number>();
      for (const t of terms) counts.set(t, (counts.get(t) ?? 0) + 1);
      for (const [term, tf] of counts) {
        this.documentFrequency.set(term, (this.documentFrequency.get(term) ?? 0) + 1);
        let list = this.postings.get(term);
        if (!list) this.postings.set(term, (list = []));
        list.push({ doc, tf });
      }
      return terms.length;
    });
    this.size = passages.length;
    this.averageLength = this.lengths.reduce((a, b) => a + b, 0) / Math.max(1, this.size);
  }

  /** The distinct analysed terms indexed for a passage (empty for an unknown id). */
  termsOf(passageId: string): ReadonlySet<string> {
    const doc = this.indexOf.get(passageId);
    return doc === undefined ? new Set() : this.termSets[doc]!;
  }

  /** Inverse document frequency of a term, as BM25 computes it. */
  idf(term: string): number {
    const n = this.documentFrequency.get(term) ?? 0;
    return Math.log((this.size - n + 0.5) / (n + 0.5) + 1);
  }

  /** BM25 scores of the passages that hold any of the (analysed) terms, best first. */
  search(terms: string[], k = 20): LexicalHit[] {
    const scores = new Float64Array(this.size);
    const touched: number[] = [];
    for (const term of terms) {
      const list = this.postings.get(term);
      if (!list) continue;
      const idf = this.idf(term);
      for (const { doc, tf } of list) {
        if (scores[doc] === 0) touched.push(doc);
        scores[doc]! += (idf * tf * (K1 + 1)) / (tf + K1 * (1 - B + (B * this.lengths[doc]!) / this.averageLength));
      }
    }
    return touched
      .map((doc) => ({ passageId: this.ids[doc]!, score: scores[doc]! }))
      .sort((a, b) => b.score - a.score)
      .slice(0, k);
  }

  /** The text of an indexed passage. */
  textOf(passageId: string): string | undefined {
    const doc = this.indexOf.get(passageId);
    return doc === undefined ? undefined : this.texts[doc];
  }

  /** The LangChain retriever interface: a query in English words, passages with their BM25 score, best `k` first. */
  async asRetriever(k = 20): Promise<BaseRetriever> {
    const [{ BaseRetriever }, { Document }] = await Promise.all([import("@langchain/core/retrievers"), import("@langchain/core/documents")]);
    const index = this;
    class LexicalRetriever extends BaseRetriever {
      lc_namespace = ["hotline", "retrievers", "bm25"];
      override async _getRelevantDocuments(query: string) {
        return index
          .search(analyze(query), k)
          .map((h) => new Document({ id: h.passageId, pageContent: index.textOf(h.passageId) ?? "", metadata: { passageId: h.passageId, bm25Score: h.score } }));
      }
    }
    return new LexicalRetriever();
  }
}
