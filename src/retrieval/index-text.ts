/**
 * What the indexes see for a passage: the document's short name and author (so "the OSCE
 * briefing" or "the embassy cable" find their document), the year the document reports on
 * when it covers one year (the TIP 2021 figures are for 2020 even where a sentence does not
 * repeat it), the year it was published ("the 2007 cable"), the section heading, and the text.
 */
import type { Corpus, DocumentMeta, Passage } from "../knowledge/types.ts";

/** Bump when indexText changes, so saved vector indexes are rebuilt. */
export const INDEX_TEXT_VERSION = "4";

export function indexText(passage: Passage, doc: DocumentMeta | undefined): string {
  const covers = doc && /^\D*(\d{4})\D*$/.exec(doc.covers)?.[1];
  const published = doc && !doc.short.includes(String(doc.year)) && doc.year !== Number(covers) ? String(doc.year) : undefined;
  return [doc?.short, doc?.publisher.match(/\b(OSCE|Embassy|Borgen)\b/)?.[0], covers, published, passage.author, passage.section, passage.text]
    .filter(Boolean)
    .join(" ");
}

/** indexText for every passage of a corpus, by passage id. */
export function indexTexts(corpus: Pick<Corpus, "documents" | "passages">): Map<string, string> {
  const docs = new Map(corpus.documents.map((d) => [d.id, d]));
  return new Map(corpus.passages.map((p) => [p.id, indexText(p, docs.get(p.docId))]));
}
