/**
 * Every ranking constant of the passage search and the answer in one place. `hotline explain`
 * prints each hit's score as the sum of these parts, so a change here can be read off there.
 *
 * Fused score of a passage for a question (higher is better, comparable within one question):
 *
 *   lexical    W.lexical   / (rrfK + rank in BM25 over the passage text + 1)
 *   dense      W.dense     / (rrfK + rank in the vector search + 1)        (cosine > denseFloor)
 *   questions  W.questions / (rrfK + rank in BM25 over the passage's English questions + 1)
 *              (searched with the question's English and glossary terms), plus W.ownQuestions /
 *              (rrfK + rank + 1) over its questions in the asker's language (its own folded words)
 *   native     W.native    / (rrfK + rank in BM25 over the passages' translations in the asker's language + 1)
 *              × (its BM25 score / the first one's): non-English questions, searched with the
 *              question's own words (native-index.ts)
 *   coverage   W.coverage × idf-weighted share of the question's term groups in the passage (for a
 *              non-English question, or the share of its own words in the passage's translation, if higher)
 *   sentence   W.sentence × best share held by one sentence (+ countPatternBonus × count strength)
 *   number     W.number per figure of the question in the passage (a year W.number × yearNumberFactor),
 *              W.number × countAnyFigure when the question asks a count and the passage has a figure
 *   period     W.period when a year of the question is in the period the passage's document covers
 *              ("in 2020" → the TIP 2021 report, which covers calendar year 2020)
 *
 * Whether to answer at all is not a threshold here: the calibrated decision in decision.ts
 * (coefficients fitted by scripts/fit-decision.ts into knowledge/decision-model.json).
 */
export const RANKING = {
  /** Reciprocal-rank constant: small, so the first ranks weigh most. */
  rrfK: 20,
  W: { lexical: 1.0, dense: 0.6, questions: 0.5, ownQuestions: 0.2, native: 1.0, coverage: 0.06, sentence: 0.02, number: 0.02, period: 0.015 },
  /** A dense hit counts only above this cosine similarity. */
  denseFloor: 0.05,
  /** A year of the question found in the passage weighs this share of a figure. */
  yearNumberFactor: 0.2,
  /** Share of W.number for any figure in the passage when the question asks "how many". */
  countAnyFigure: 0.25,
  /** Bonus in sentence coverage for a figure right beside the question's terms. */
  countPatternBonus: 0.2,
  /** Weight, in the coverage denominator, of a non-English word nothing could explain. */
  unexplainedWeight: 1.5,
  /** Weak words ("trafficking", "victim") weigh this share of their idf in coverage / sentence coverage. */
  weakFactor: { coverage: 0.3, sentence: 0.6 },
  /** Candidates taken from the lexical and dense rankings before fusion, and from each questions field. */
  candidates: 30,
  questionCandidates: 10,
  /** Non-English question words are cut to this many letters for the questions field (a crude stem). */
  nativePrefix: 5,
} as const;

/** Picking the quoted sentences (src/answers/lead.ts) and the citations (src/assistant.ts). */
export const LEAD = {
  /** Sentences from the first this-many hits (a continuation may run into the next part of a paragraph). */
  hits: 3,
  /** Each further hit's sentences are scored this much lower (0.08 → the second hit × 0.92). */
  hitPenalty: 0.08,
  /** Score for a figure of the question in the sentence; a year scores `year`. */
  number: 2,
  year: 0.5,
  /** "How many" questions: any figure in the sentence, and per query term next to a figure. */
  countAnyFigure: 1.5,
  countStrength: 1.5,
  /** Sentences shorter than this many characters are halved (headings, fragments). */
  shortSentence: 25,
  /** A further sentence must reach this share of the best one's score... */
  secondShare: 0.6,
  /** ...or, for questions with parts or lists, reach `partShare` of it and add at least `newTermsShare` of the question's idf weight the lead did not hold yet. */
  partShare: 0.35,
  newTermsShare: 0.2,
  /** Sentences continuing a chosen one ("Of these, …", "The remaining …") that join it, at most. */
  continuation: 2,
  /** Sentences chosen on their own score (each may bring its continuation): ordinary questions, questions with parts ("and how many..."), lists. */
  max: 2,
  maxMulti: 2,
  maxList: 3,
  /** Sentences in a lead, continuations included. */
  maxSentences: 4,
  /** At most this many passages cited. */
  maxCitations: 3,
  /** A further passage is cited only if it covers at least this share of the question. */
  minExtraCoverage: 0.25,
  /** A declined question names the nearest topic only when the nearest passage covers this share of it. */
  nearestMinCoverage: 0.3,
} as const;
