/**
 * Resolves a card's citations against the ingested corpus, so a reply can show the passages
 * (and the "Sources" button can quote them). A citation that no longer resolves — the source
 * text changed, so the passage hash changed — is reported, never silently dropped.
 */
import type { Corpus, Passage } from "../knowledge/types.ts";
import type { Card, Citation } from "./types.ts";

export interface ResolvedCitation {
  citation: Citation;
  /** The passage, or undefined when the id is not in the corpus. */
  passage?: Passage;
  /** Problems found: unknown passage, document or locator mismatch, quote not in the passage. */
  problems: string[];
}

/** Whitespace- and quote-insensitive form used to find a quote inside a passage. */
export function quoteKey(text: string): string {
  return text
    .normalize("NFC")
    .replace(/[“”«»"]/g, '"')
    .replace(/[‘’ʼ`]/g, "'")
    .replace(/[\u2013\u2014]/g, "-")
    .replace(/\s+/g, " ")
    .trim()
    .toLowerCase();
}

export function resolveCitations(card: Card, corpus: Pick<Corpus, "passages">): ResolvedCitation[] {
  const byId = new Map(corpus.passages.map((p) => [p.id, p]));
  return card.citations.map((citation) => {
    const passage = byId.get(citation.passage);
    const problems: string[] = [];
    if (!passage) {
      problems.push(`passage ${citation.passage} is not in the corpus`);
      return { citation, problems };
    }
    if (passage.docId !== citation.doc) problems.push(`doc is ${citation.doc} but the passage belongs to ${passage.docId}`);
    if (passage.locator !== citation.locator) problems.push(`locator "${citation.locator}" should be "${passage.locator}"`);
    if (!quoteKey(passage.text).includes(quoteKey(citation.quote))) problems.push(`quote not found in passage: "${citation.quote}"`);
    return { citation, passage, problems };
  });
}
