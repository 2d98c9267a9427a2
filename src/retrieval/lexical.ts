/**
 * The lexical half of retrieval: LangChain's BM25Retriever over analysed passage text.
 *
 * BM25Retriever matches query words as substrings of the document text. Passages are stored as
 * their stemmed terms, each wrapped in bars ("|pay||wage|"), and query terms are wrapped the
 * same way, so a term only matches a whole term ("pay" does not match "payment"); repeating a
 * query term weights it.
 */
import { BM25Retriever } from "@langchain/community/retrievers/bm25";
import { Document } from "@langchain/core/documents";
import type { Passage } from "../knowledge/types.ts";
import { analyze } from "./analyzer.ts";

export interface LexicalHit {
  passageId: string;
  score: number;
}

/** The analysed form BM25 sees: "|term||term||term|". */
export function lexicalForm(terms: string[]): string {
  return terms.map((t) => `|${t}|`).join("");
}

export class LexicalIndex {
  private readonly retriever: BM25Retriever;
  /** For each term, how many passages contain it (for confidence and idf). */
  readonly documentFrequency = new Map<string, number>();
  readonly size: number;

  /** `texts` maps passage ids to the text to index (see index-text.ts). */
  constructor(passages: Passage[], texts: Map<string, string>) {
    const docs = passages.map((p) => {
      const terms = analyze(texts.get(p.id) ?? p.text);
      for (const t of new Set(terms)) this.documentFrequency.set(t, (this.documentFrequency.get(t) ?? 0) + 1);
      return new Document({ pageContent: lexicalForm(terms), metadata: { passageId: p.id }, id: p.id });
    });
    this.size = passages.length;
    this.retriever = BM25Retriever.fromDocuments(docs, { k: 20, includeScore: true });
  }

  /** Inverse document frequency of a term, as BM25 computes it. */
  idf(term: string): number {
    const n = this.documentFrequency.get(term) ?? 0;
    return Math.log((this.size - n + 0.5) / (n + 0.5) + 1);
  }

  async search(terms: string[], k = 20): Promise<LexicalHit[]> {
    if (terms.length === 0) return [];
    this.retriever.k = k;
    // The retriever splits the query at white space; each piece is one bar-wrapped term.
    const docs = await this.retriever.invoke(lexicalForm(terms).replace(/\|\|/g, "| |"));
    return docs
      .map((d) => ({ passageId: d.metadata.passageId as string, score: d.metadata.bm25Score as number }))
      .filter((h) => h.score > 0);
  }
}
