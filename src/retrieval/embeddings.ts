/**
 * The default embedder: feature hashing of stemmed words and character n-grams into a fixed
 * number of dimensions. It needs no model, no download and no network, is deterministic (the
 * same text gives the same vector on every machine) and takes microseconds per text. It
 * captures morphology and spelling variants that exact BM25 terms miss; meaning across
 * languages comes from the glossary that rewrites questions into English first.
 */
import { analyze } from "./analyzer.ts";

/**
 * What retrieval needs of an embedder: LangChain's `Embeddings` methods (the optional neural
 * embedder is LangChain's, and fits). The hashing embedder implements them without extending
 * LangChain's class, so answering does not load LangChain (its async-call machinery took
 * ≈ 40 ms of CPU at every start).
 */
export interface TextEmbeddings {
  embedQuery(text: string): Promise<number[]>;
  embedDocuments(texts: string[]): Promise<number[][]>;
}

export interface HashingEmbeddingsParams {
  dimensions?: number;
}

export class HashingEmbeddings implements TextEmbeddings {
  readonly dimensions: number;
  readonly name = "hashing-v1";

  constructor(params: HashingEmbeddingsParams = {}) {
    this.dimensions = params.dimensions ?? 1024;
  }

  async embedDocuments(texts: string[]): Promise<number[][]> {
    return texts.map((t) => this.embed(t));
  }

  async embedQuery(text: string): Promise<number[]> {
    return this.embed(text);
  }

  /** Synchronous embedding, for hot paths. */
  embed(text: string): number[] {
    const vector = new Float64Array(this.dimensions);
    for (const term of analyze(text)) {
      this.add(vector, `w:${term}`, 1);
      const padded = ` ${term} `;
      if (term.length > 3) for (let i = 0; i + 4 <= padded.length; i++) this.add(vector, `c:${padded.slice(i, i + 4)}`, 0.35);
    }
    let norm = 0;
    for (const v of vector) norm += v * v;
    norm = Math.sqrt(norm) || 1;
    return Array.from(vector, (v) => v / norm);
  }

  private add(vector: Float64Array, feature: string, weight: number): void {
    const h = fnv1a(feature);
    const index = h % this.dimensions;
    vector[index]! += h & 0x80000000 ? -weight : weight;
  }
}

/** 32-bit FNV-1a hash. */
function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
