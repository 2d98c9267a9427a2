/**
 * Loads the knowledge base: manifest → each document cleaned and parsed by its format →
 * passages. Also computes the content hash that decides when the search index is rebuilt.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createHash } from "node:crypto";
import type { Block, Corpus, DocumentMeta, KnowledgeDocument } from "./types.ts";
import { loadManifest, manifestPath } from "./manifest.ts";
import { redactContacts } from "./redact.ts";
import { buildPassages } from "./passages.ts";
import { parseTipReport } from "./formats/tip-report.ts";
import { parseEmbassyCable } from "./formats/embassy-cable.ts";
import { parseBlogArticles } from "./formats/blog-articles.ts";
import { parsePlain } from "./formats/plain.ts";

/** Bump when cleaning or splitting changes, so persisted indexes are rebuilt. */
export const INGESTION_VERSION = "1";

const PARSERS: Record<DocumentMeta["format"], (text: string, meta: DocumentMeta) => Block[]> = {
  "tip-report": parseTipReport,
  "embassy-cable": (text) => parseEmbassyCable(text),
  "blog-articles": (text) => parseBlogArticles(text),
  plain: parsePlain,
};

/** Reads a source file as text; strips a byte-order mark and normalises Unicode. */
function readSource(path: string): string {
  return readFileSync(path, "utf8").replace(/^\uFEFF/, "").normalize("NFC");
}

export function ingestDocument(meta: DocumentMeta, raw: string): KnowledgeDocument {
  const blocks = PARSERS[meta.format](raw, meta)
    .map((b) => ({ ...b, text: redactContacts(b.text) }))
    .filter((b) => b.text.trim().length > 0);
  const { text, passages } = buildPassages(meta, blocks);
  return { ...meta, text, passages };
}

export function loadCorpus(knowledgeDir: string): Corpus {
  const manifest = loadManifest(knowledgeDir);
  const hash = createHash("sha256").update(`ingestion ${INGESTION_VERSION}\n`);
  hash.update(readFileSync(manifestPath(knowledgeDir)));
  const documents = manifest.map((meta) => {
    const raw = readSource(join(knowledgeDir, meta.file));
    hash.update(`\n${meta.id}\n`).update(raw);
    return ingestDocument(meta, raw);
  });
  return { documents, passages: documents.flatMap((d) => d.passages), hash: hash.digest("hex").slice(0, 16) };
}
