/**
 * The plain LangChain recipe the core is compared with: the five source texts split by
 * RecursiveCharacterTextSplitter (1000 characters, 200 overlap) and searched with
 * BM25Retriever from @langchain/community (k = 3), one `invoke` per question.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Document } from "@langchain/core/documents";
import { BM25Retriever } from "@langchain/community/retrievers/bm25";
import { RecursiveCharacterTextSplitter } from "@langchain/textsplitters";
import type { Corpus } from "../src/knowledge/types.ts";

export async function langchainRetriever(corpus: Corpus, knowledgeDir: string): Promise<BM25Retriever> {
  const splitter = new RecursiveCharacterTextSplitter({ chunkSize: 1000, chunkOverlap: 200 });
  const docs = corpus.documents.map((d) => new Document({ pageContent: readFileSync(join(knowledgeDir, d.file), "utf8"), metadata: { source: d.id } }));
  const chunks = await splitter.splitDocuments(docs);
  return BM25Retriever.fromDocuments(chunks, { k: 3 });
}
