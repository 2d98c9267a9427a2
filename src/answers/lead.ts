/**
 * Picks the lead: one to three sentences, quoted verbatim from the best passages, that answer
 * the question. Sentences are scored by how much of the question's (idf-weighted) terms they
 * hold, with a bonus for the question's numbers and, for "how many" questions, for figures.
 */
import { splitSentences } from "../knowledge/sentences.ts";
import { analyze } from "../retrieval/analyzer.ts";
import { containsNumber, type Hit } from "../retrieval/hybrid-retriever.ts";
import type { PreparedQuery } from "../retrieval/query.ts";

export interface LeadSentence {
  text: string;
  /** Index of the hit the sentence comes from. */
  hit: number;
  score: number;
}

export function pickLead(query: PreparedQuery, hits: Hit[], idf: (term: string) => number, max = 2): LeadSentence[] {
  const queryTerms = new Set(query.terms);
  const candidates: LeadSentence[] = [];
  hits.slice(0, 3).forEach((hit, hitIndex) => {
    for (const sentence of splitSentences(hit.passage.text)) {
      const terms = new Set(analyze(sentence.text));
      let score = 0;
      for (const t of queryTerms) if (terms.has(t)) score += idf(t);
      for (const n of query.numbers) if (containsNumber(sentence.text, n)) score += 2;
      if (query.asksCount && /\d/.test(sentence.text)) score += 1.5;
      score *= 1 - hitIndex * 0.15; // prefer the best passage
      if (sentence.text.length < 25) score *= 0.5;
      candidates.push({ text: sentence.text, hit: hitIndex, score });
    }
  });
  candidates.sort((a, b) => b.score - a.score);
  const best = candidates[0];
  if (!best || best.score <= 0) return [];
  return candidates.filter((c) => c.score >= best.score * 0.6).slice(0, max);
}
