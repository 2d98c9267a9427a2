/**
 * The dense half of retrieval: passage vectors in an HNSW index (hnswlib-node through
 * LangChain's HNSWLib), persisted under DATA_DIR and rebuilt when the knowledge or the embedder
 * changes (content hash), or when the saved files are missing or corrupt.
 */
import { HNSWLib } from "@langchain/community/vectorstores/hnswlib";
import type { Embeddings } from "@langchain/core/embeddings";
import { Document } from "@langchain/core/documents";
import { mkdir, readFile, rm, writeFile, rename } from "node:fs/promises";
import { join } from "node:path";
import type { Passage } from "../knowledge/types.ts";
import { INDEX_TEXT_VERSION } from "./index-text.ts";

export interface DenseHit {
  passageId: string;
  /** Cosine similarity, 1 = same direction. */
  similarity: number;
}

interface Stamp {
  hash: string;
  embedder: string;
  passages: number;
}

export class VectorIndex {
  private constructor(
    private readonly store: HNSWLib,
    readonly size: number,
    /** True when this process built the index, false when it was loaded from disk. */
    readonly built: boolean,
  ) {}

  /**
   * Loads the index saved in `dir` if it was built from the same knowledge (`hash`) with the same
   * embedder; otherwise builds it and saves it. Never throws for a bad saved index: it rebuilds.
   */
  static async open(options: {
    dir: string;
    hash: string;
    embedderName: string;
    embeddings: Embeddings;
    passages: Passage[];
    /** The text to embed for each passage id (see index-text.ts). */
    texts: Map<string, string>;
    rebuild?: boolean;
    onWarning?: (message: string) => void;
  }): Promise<VectorIndex> {
    const { dir, hash, embedderName, embeddings, passages } = options;
    const stamp: Stamp = { hash: `${hash}/${INDEX_TEXT_VERSION}`, embedder: embedderName, passages: passages.length };
    if (!options.rebuild) {
      try {
        const saved = JSON.parse(await readFile(join(dir, "stamp.json"), "utf8")) as Stamp;
        if (saved.hash === stamp.hash && saved.embedder === stamp.embedder && saved.passages === stamp.passages) {
          const store = await HNSWLib.load(dir, embeddings);
          if (store.index.getCurrentCount() === passages.length) return new VectorIndex(store, passages.length, false);
          options.onWarning?.("saved vector index is incomplete; rebuilding");
        }
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code !== "ENOENT") options.onWarning?.(`saved vector index unreadable (${(err as Error).message}); rebuilding`);
      }
    }
    const docs = passages.map((p) => new Document({ pageContent: options.texts.get(p.id) ?? p.text, metadata: { passageId: p.id } }));
    const store = await HNSWLib.fromDocuments(docs, embeddings); // cosine space
    await saveAtomically(dir, store, stamp).catch((err: Error) =>
      options.onWarning?.(`could not save the vector index to ${dir}: ${err.message}`),
    );
    return new VectorIndex(store, passages.length, true);
  }

  async search(vector: number[], k = 20): Promise<DenseHit[]> {
    const results = await this.store.similaritySearchVectorWithScore(vector, Math.min(k, this.size));
    // HNSWLib with the cosine space reports distances: 0 is identical, lower is closer.
    return results.map(([doc, distance]) => ({ passageId: doc.metadata.passageId as string, similarity: 1 - distance }));
  }
}

/** Writes into a temporary folder, then swaps it in, so a crash never leaves half an index. */
async function saveAtomically(dir: string, store: HNSWLib, stamp: Stamp): Promise<void> {
  const tmp = `${dir}.tmp-${process.pid}`;
  await rm(tmp, { recursive: true, force: true });
  await mkdir(tmp, { recursive: true });
  await store.save(tmp);
  await writeFile(join(tmp, "stamp.json"), JSON.stringify(stamp));
  await rm(dir, { recursive: true, force: true });
  await rename(tmp, dir);
}
