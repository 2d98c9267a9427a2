/**
 * Picks the lead: one to three sentences, quoted verbatim from the best passages, that answer
 * the question. Sentences are scored by how much of the question's (idf-weighted) terms they
 * hold, with a bonus for the question's numbers and, for "how many" questions, for figures.
 */
import { splitSentences } from "../knowledge/sentences.ts";
import { analyze } from "../retrieval/analyzer.ts";
import { containsNumber, countStrength, type Hit } from "../retrieval/hybrid-retriever.ts";
import type { PreparedQuery } from "../retrieval/query.ts";
import type { Passage } from "../knowledge/types.ts";

/** A passage's sentences, analysed once per process (passages do not change while it runs). */
const analysed = new WeakMap<Passage, Array<{ text: string; seq: string[]; terms: Set<string> }>>();
function sentencesOf(passage: Passage): Array<{ text: string; seq: string[]; terms: Set<string> }> {
  let sentences = analysed.get(passage);
  if (!sentences) {
    sentences = splitSentences(passage.text).map((s) => {
      const seq = analyze(s.text);
      return { text: s.text, seq, terms: new Set(seq) };
    });
    analysed.set(passage, sentences);
  }
  return sentences;
}

export interface LeadSentence {
  text: string;
  /** Index of the hit the sentence comes from. */
  hit: number;
  score: number;
}

/**
 * `passageTerms` gives the indexed terms of a passage: a year counts as present in a sentence
 * when the passage's document reports on that year (TIP 2021 sentences are about 2020).
 */
export function pickLead(
  query: PreparedQuery,
  hits: Hit[],
  idf: (term: string) => number,
  passageTerms: (passageId: string) => ReadonlySet<string>,
  max = 2,
): LeadSentence[] {
  const queryTerms = new Set(query.terms);
  const distinct = [...queryTerms];
  const candidates: LeadSentence[] = [];
  hits.slice(0, 3).forEach((hit, hitIndex) => {
    for (const sentence of sentencesOf(hit.passage)) {
      const { seq, terms } = sentence;
      let score = 0;
      const implicit = passageTerms(hit.passage.id);
      for (const t of queryTerms) if (terms.has(t) || (/^(19|20)\d\d$/.test(t) && implicit.has(t))) score += idf(t);
      // A figure from the question is a strong sign; a year much less (a report's sentences are about its year).
      for (const n of query.numbers) if (containsNumber(sentence.text, n)) score += /^(19|20)\d\d$/.test(n) ? 0.5 : 2;
      if (query.asksCount && /\d/.test(sentence.text)) score += 1.5;
      if (query.asksCount) score += 1.5 * countStrength(seq, distinct);
      score *= 1 - hitIndex * 0.08; // prefer the best passage
      if (sentence.text.length < 25) score *= 0.5;
      candidates.push({ text: sentence.text, hit: hitIndex, score });
    }
  });
  candidates.sort((a, b) => b.score - a.score);
  const best = candidates[0];
  if (!best || best.score <= 0) return [];
  // A second sentence must be nearly as good, and from the same document as the first: a lead
  // that mixes a 2007 figure into a 2020 answer would mislead.
  const docOf = (c: LeadSentence) => hits[c.hit]!.passage.docId;
  return [best, ...candidates.slice(1).filter((c) => c.score >= best.score * 0.6 && docOf(c) === docOf(best))].slice(0, max);
}
