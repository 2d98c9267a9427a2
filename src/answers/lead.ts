/**
 * Picks the lead: the sentences, quoted verbatim from the best passages, that answer the
 * question. Sentences are scored by how much of the question's (idf-weighted) terms they hold,
 * with a bonus for the question's numbers and, for "how many" questions, for figures.
 *
 * Composition (constants in src/retrieval/params.ts, LEAD):
 * - candidates come from the first hits; a continuation may run into the next part of the
 *   paragraph (a long paragraph is cut into passages; its next sentence may be in the next one);
 * - a further sentence joins when it scores nearly as well as the best, or when it holds a part of
 *   the question the lead does not hold yet ("…and how many were men?");
 * - a sentence that continues a chosen one ("Of these, 71 were…", "The remaining four…") joins
 *   it, so a figure comes with its breakdown;
 * - questions with parts allow LEAD.maxMulti sentences, list questions LEAD.maxList;
 * - all from one document (a 2007 figure must not slip into a 2020 answer), in reading order.
 */
import { splitSentences } from "../knowledge/sentences.ts";
import { analyze } from "../retrieval/analyzer.ts";
import { containsNumber, countStrength, type Hit } from "../retrieval/hybrid-retriever.ts";
import { LEAD } from "../retrieval/params.ts";
import type { PreparedQuery } from "../retrieval/query.ts";
import type { Passage } from "../knowledge/types.ts";

interface AnalysedSentence {
  text: string;
  seq: string[];
  terms: Set<string>;
  /** Offset in the document's cleaned text (reading order). */
  at: number;
}

/** A passage's sentences, analysed once per process (passages do not change while it runs). */
const analysed = new WeakMap<Passage, AnalysedSentence[]>();
function sentencesOf(passage: Passage): AnalysedSentence[] {
  let sentences = analysed.get(passage);
  if (!sentences) {
    sentences = splitSentences(passage.text).map((s) => {
      const seq = analyze(s.text);
      return { text: s.text, seq, terms: new Set(seq), at: passage.start + s.start };
    });
    analysed.set(passage, sentences);
  }
  return sentences;
}

export interface LeadSentence {
  text: string;
  /** Index of the hit the sentence comes from; -1 for the next part of a hit's paragraph. */
  hit: number;
  /** The passage it is quoted from. */
  passage: Passage;
  score: number;
}

/** Sentences that continue the one before them: they belong with it. */
const CONTINUATION = /^(of (these|those|them|this|the \w+)|the remaining|among (them|these|those)|this (included|includes|number)|these (included|include)|in addition|including|most of (them|these)|all of (them|these)|the rest)\b/i;

/** Questions with more than one part ("how many … and how many …", "… and which …"). */
const MULTI_PART = /\b(and|as well as|also)\s+(how|what|which|who|where|when|why|were|was|did|is|are)\b|\?.+\?|\b(и|а также)\s+(сколько|какие|какой|кто|где|когда)\b|\b(ва|және|жана|va)\s+(чанд|қанша|канча|nechta|qancha)\b/i;
/** Questions that ask for a list ("which countries", "what kinds of people", "list the…"). */
const LIST = /\b(what|which)\s+(kinds?|types?|sorts?|forms?)\s+of\b|\blist\b|\bname (the|all|some)\b|\bwhich\s+(\w+\s+)?(countries|organi[sz]ations|ngos|ministries|agencies|articles|groups|cities|nationalities|sectors|industries|people|partners)\b|\bwho (were|are) (the )?\w+s\b|\bкакие\b|\bперечисл|\bкто (были|был)\b|\bқандай\b.*(лар|лер|дар|дер|тар|тер)\b|\bqanday\b|\bkimlar\b|\bкимдер\b|\bкӣ (буданд|ҳастанд)\b/iu;

export function isListQuestion(question: string): boolean {
  return LIST.test(question);
}

export function isMultiPartQuestion(question: string): boolean {
  return MULTI_PART.test(question);
}

/**
 * `hits`: the passages to quote from, best first. `next` gives the next part of a passage's
 * paragraph (a continuation may run into it).
 * `passageTerms` gives the indexed terms of a passage: a year counts as present in a sentence
 * when the passage's document reports on that year (TIP 2021 sentences are about 2020).
 */
export function pickLead(
  query: PreparedQuery,
  hits: Array<Pick<Hit, "passage">>,
  idf: (term: string) => number,
  passageTerms: (passageId: string) => ReadonlySet<string>,
  options: { max?: number; next?: (passage: Passage) => Passage | undefined } = {},
): LeadSentence[] {
  const queryTerms = new Set(query.terms);
  const distinct = [...queryTerms];
  const list = isListQuestion(query.question);
  const multi = list || isMultiPartQuestion(query.question);
  const max = options.max ?? (list ? LEAD.maxList : multi ? LEAD.maxMulti : LEAD.max);
  const candidates: Array<LeadSentence & { s: AnalysedSentence; doc: string }> = [];
  hits.slice(0, LEAD.hits).forEach((hit, hitIndex) => {
    const position = hitIndex;
    const implicit = passageTerms(hit.passage.id);
    for (const sentence of sentencesOf(hit.passage)) {
      const { seq, terms } = sentence;
      let score = 0;
      for (const t of queryTerms) if (terms.has(t) || (/^(19|20)\d\d$/.test(t) && implicit.has(t))) score += idf(t);
      // A figure from the question is a strong sign; a year much less (a report's sentences are about its year).
      for (const n of query.numbers) if (containsNumber(sentence.text, n)) score += /^(19|20)\d\d$/.test(n) ? LEAD.year : LEAD.number;
      if (query.asksCount && /\d/.test(sentence.text)) score += LEAD.countAnyFigure;
      if (query.asksCount) score += LEAD.countStrength * countStrength(seq, distinct);
      score *= 1 - position * LEAD.hitPenalty; // prefer the best passage
      if (sentence.text.length < LEAD.shortSentence) score *= 0.5;
      candidates.push({ text: sentence.text, hit: hitIndex, passage: hit.passage, score, s: sentence, doc: hit.passage.docId });
    }
  });
  candidates.sort((a, b) => b.score - a.score);
  const best = candidates[0];
  if (!best || best.score <= 0) return [];

  const totalWeight = distinct.reduce((s, t) => s + idf(t), 0) || 1;
  const chosen: typeof candidates = [];
  const held = new Set<string>();
  const has = (c: (typeof candidates)[number]) => chosen.some((x) => x.s.at === c.s.at);
  const add = (c: (typeof candidates)[number]) => {
    chosen.push(c);
    for (const t of c.s.terms) if (queryTerms.has(t)) held.add(t);
  };
  // A chosen sentence's continuation ("Of these, 71 were…", "The remaining four…") follows it,
  // into the next part of its paragraph when the sentence ends a passage.
  const following = (c: { passage: Passage; s: AnalysedSentence }): { passage: Passage; s: AnalysedSentence } | undefined => {
    const own = sentencesOf(c.passage);
    const i = own.findIndex((x) => x.at === c.s.at);
    if (i >= 0 && i + 1 < own.length) return { passage: c.passage, s: own[i + 1]! };
    const next = options.next?.(c.passage);
    const first = next && sentencesOf(next)[0];
    return next && first ? { passage: next, s: first } : undefined;
  };
  const withContinuation = (c: (typeof candidates)[number]) => {
    add(c);
    let here: { passage: Passage; s: AnalysedSentence } = c;
    for (let n = 0; n < LEAD.continuation; n++) {
      const next = following(here);
      if (!next || !CONTINUATION.test(next.s.text) || chosen.some((x) => x.s.at === next.s.at)) break;
      const known = candidates.find((x) => x.s.at === next.s.at && x.passage.id === next.passage.id);
      add(known ?? { text: next.s.text, hit: -1, passage: next.passage, score: 0, s: next.s, doc: next.passage.docId });
      here = next;
    }
  };
  withContinuation(best);
  let primary = 1;
  for (const c of candidates.slice(1)) {
    if (primary >= max || chosen.length >= LEAD.maxSentences) break;
    if (c.doc !== best.doc || has(c)) continue;
    const fresh = [...c.s.terms].filter((t) => queryTerms.has(t) && !held.has(t) && !/^(19|20)\d\d$/.test(t)).reduce((s, t) => s + idf(t), 0);
    const good = c.score >= best.score * LEAD.secondShare;
    const answersAnotherPart = multi && c.score >= best.score * LEAD.partShare && fresh / totalWeight >= LEAD.newTermsShare;
    if (good || answersAnotherPart) {
      withContinuation(c);
      primary++;
    }
  }
  return chosen.slice(0, LEAD.maxSentences).sort((a, b) => a.s.at - b.s.at).map(({ text, hit, passage, score }) => ({ text, hit, passage, score }));
}
