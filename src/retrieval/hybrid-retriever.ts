/**
 * Hybrid retrieval: BM25 over analysed terms, exact cosine search over the vector snapshot (vector-index.ts) and BM25
 * over each passage's questions (knowledge/questions/), fused by weighted reciprocal rank, with
 * bonuses for coverage, figures and the period a document covers (all constants in params.ts).
 * Whether to answer at all is the calibrated decision of decision.ts.
 */
import type { TextEmbeddings as Embeddings } from "./embeddings.ts";
import type { Corpus, Passage } from "../knowledge/types.ts";
import { indexTexts } from "./index-text.ts";
import { isWeakTerm } from "./analyzer.ts";
import { LexicalIndex, type LexicalHit } from "./lexical.ts";
import type { PreparedQuery } from "./query.ts";
import type { DenseHit, VectorIndex } from "./vector-index.ts";
import { analyze } from "./analyzer.ts";
import { splitSentences } from "../knowledge/sentences.ts";
import type { DocumentMeta } from "../knowledge/types.ts";
import { emptyQuestionSet, type QuestionSet } from "../knowledge/questions.ts";
import { cyrillicToLatin } from "../language/transliterate.ts";
import type { Lang } from "../language/languages.ts";
import { DecisionModel, type Decision, type Features } from "./decision.ts";
import { RANKING } from "./params.ts";
import { type FieldHit, QuestionField } from "./question-field.ts";
import type { Translations } from "../knowledge/translations.ts";
import { NativeIndexes } from "./native-index.ts";

export interface ScoreParts {
  lexical: number;
  dense: number;
  questions: number;
  native: number;
  coverage: number;
  sentence: number;
  number: number;
  period: number;
}

export interface Hit {
  passage: Passage;
  /** Fused score, higher is better (comparable within one question only): the sum of `parts`. */
  score: number;
  /** Share of the question's idf-weighted terms found in this passage, 0..1. */
  coverage: number;
  /** The score's parts (see params.ts), for `hotline explain`. */
  parts: ScoreParts;
}

export interface SearchResult {
  hits: Hit[];
  /** True when the calibrated decision says the reports answer the question. */
  confident: boolean;
  /** The decision: probability, and the features it was computed from. */
  decision?: Decision;
  /** The rankings before fusion (for `hotline explain`). */
  rankings: { lexical: LexicalHit[]; dense: DenseHit[]; questions: FieldHit[]; ownQuestions: FieldHit[]; native: LexicalHit[] };
}

const P = RANKING;
const W = P.W;

/** The years a document reports on ("calendar year 2020" → 2020..2020, "2018-2022"). */
export function coveredYears(doc: Pick<DocumentMeta, "covers">): [number, number] | undefined {
  const years = [...doc.covers.matchAll(/\b(19|20)\d\d\b/g)].map((m) => Number(m[0]));
  if (years.length === 0) return undefined;
  return [Math.min(...years), Math.max(...years)];
}

export class HybridRetriever {
  private readonly byId: Map<string, Passage>;
  private readonly sentenceTerms: Map<string, Array<{ set: Set<string>; seq: string[] }>>;
  readonly vocabulary: ReadonlySet<string>;
  private readonly medianIdf: number;
  private readonly docs: Map<string, DocumentMeta>;
  private readonly periods: Map<string, [number, number] | undefined>;
  private readonly following = new Map<string, Passage>();

  constructor(
    passages: Passage[],
    private readonly lexical: LexicalIndex,
    private readonly vectors: VectorIndex,
    private readonly embeddings: Embeddings,
    documents: DocumentMeta[] = [],
    private readonly questions: QuestionField = new QuestionField(emptyQuestionSet()),
    private readonly decision: DecisionModel = DecisionModel.handSet(),
    /** BM25 over the translated passages, one index per language (absent: the English route alone). */
    private readonly native?: NativeIndexes,
  ) {
    this.byId = new Map(passages.map((p) => [p.id, p]));
    this.sentenceTerms = new Map(
      passages.map((p) => [
        p.id,
        splitSentences(p.text).map((s) => {
          const seq = analyze(s.text);
          return { set: new Set(seq), seq };
        }),
      ]),
    );
    this.vocabulary = new Set(lexical.documentFrequency.keys());
    const idfs = [...this.vocabulary].map((t) => lexical.idf(t)).sort((a, b) => a - b);
    this.medianIdf = idfs[Math.floor(idfs.length / 2)] ?? 1;
    this.docs = new Map(documents.map((d) => [d.id, d]));
    passages.forEach((p, i) => {
      const next = passages[i + 1];
      if (next && next.docId === p.docId) this.following.set(p.id, next);
    });
    this.periods = new Map(documents.map((d) => [d.id, coveredYears(d)]));
  }

  static create(
    corpus: Corpus,
    vectors: VectorIndex,
    embeddings: Embeddings,
    options: { questions?: QuestionSet; decision?: DecisionModel; translations?: Translations } = {},
  ): HybridRetriever {
    const texts = indexTexts(corpus);
    // Built here, once per process (≈ 30 ms a language), not on a question.
    const native = options.translations ? new NativeIndexes(corpus.passages, options.translations).build() : undefined;
    return new HybridRetriever(
      corpus.passages,
      new LexicalIndex(corpus.passages, texts),
      vectors,
      embeddings,
      corpus.documents,
      new QuestionField(options.questions ?? emptyQuestionSet()),
      options.decision ?? DecisionModel.handSet(),
      native,
    );
  }

  passage(id: string): Passage | undefined {
    return this.byId.get(id);
  }

  /** The next part of the passage's paragraph (a long paragraph is cut into parts), if any. */
  nextPart(passage: Passage): Passage | undefined {
    if (passage.part === undefined) return undefined;
    const next = this.following.get(passage.id);
    return next && next.paragraph === passage.paragraph && next.section === passage.section && next.part !== undefined ? next : undefined;
  }

  /** The analysed terms the index holds for a passage (its text plus document name and covered year). */
  termsOf(passageId: string): ReadonlySet<string> {
    return this.lexical.termsOf(passageId);
  }

  /** Inverse document frequency of an analysed term. */
  idf(term: string): number {
    return this.lexical.idf(term);
  }

  /** The passage's own question nearest to the query (in `lang` when it has one), for a decline's "nearest topic". */
  nearestQuestion(passageId: string, query: PreparedQuery, lang: Lang): string | undefined {
    return this.questions.nearest(passageId, query.terms, lang, query.own);
  }

  /** How many questions per passage are indexed. */
  get questionCount(): number {
    return this.questions.size;
  }

  /** True when a year of the question is in the period the document reports on. */
  inPeriod(docId: string, year: number): boolean {
    const period = this.periods.get(docId);
    return !!period && year >= period[0] && year <= period[1];
  }

  /** True when questions in `lang` are also searched in that language's translations. */
  searchesNative(lang: Lang): boolean {
    return lang !== "en" && !!this.native?.has(lang);
  }

  /** The rankings before fusion. */
  private async rankings(query: PreparedQuery, k: number = P.candidates): Promise<SearchResult["rankings"]> {
    const [lexical, dense] = await Promise.all([
      Promise.resolve(this.lexical.search(query.terms, k)),
      this.embeddings.embedQuery(query.text || query.terms.join(" ")).then((v) => this.vectors.search(v, k)),
    ]);
    const q = this.questions.search(query.terms, query.lang, query.own, P.questionCandidates);
    // The question's own words against the translations in its language (a Kyrgyz question meets the Kyrgyz text).
    const native = this.searchesNative(query.lang) ? this.native!.searchTerms(query.lang, query.nativeTerms, k) : [];
    return { lexical, dense, questions: q.english, ownQuestions: q.native, native };
  }

  async search(query: PreparedQuery, k = 5): Promise<SearchResult> {
    const none = { lexical: [], dense: [], questions: [], ownQuestions: [], native: [] };
    if (query.terms.length === 0 && query.own.length === 0) return { hits: [], confident: false, rankings: none };
    const rankings = await this.rankings(query);
    const { lexical, dense } = rankings;
    // Weighted reciprocal-rank fusion of the passage text (BM25, dense) and the questions field,
    // plus the share of the question each passage covers (so a passage far ahead lexically is
    // not lost to rank arithmetic).
    const parts = new Map<string, ScoreParts>();
    const partsOf = (id: string) => {
      let p = parts.get(id);
      if (!p) parts.set(id, (p = { lexical: 0, dense: 0, questions: 0, native: 0, coverage: 0, sentence: 0, number: 0, period: 0 }));
      return p;
    };
    const rrf = (rank: number) => 1 / (P.rrfK + rank + 1);
    lexical.forEach((h, rank) => void (partsOf(h.passageId).lexical += W.lexical * rrf(rank)));
    dense.forEach((h, rank) => {
      if (h.similarity > P.denseFloor) partsOf(h.passageId).dense += W.dense * rrf(rank);
    });
    rankings.questions.forEach((h, rank) => void (partsOf(h.passageId).questions += W.questions * rrf(rank)));
    rankings.ownQuestions.forEach((h, rank) => void (partsOf(h.passageId).questions += W.ownQuestions * rrf(rank)));
    // The translated passages' ranking, each rank weighted by its BM25 score over the first's: a
    // passage far ahead in the asker's language counts fully, a flat ranking little.
    const topNative = rankings.native[0]?.score ?? 1;
    rankings.native.forEach((h, rank) => void (partsOf(h.passageId).native += W.native * rrf(rank) * (h.score / topNative)));
    const nativeOn = rankings.native.length > 0;

    // The query's group weights are the same for every candidate passage: computed once here.
    const coverageWeights = query.groups.map((g) => this.groupWeight(g, P.weakFactor.coverage));
    const sentenceWeights = query.groups.map((g) => this.groupWeight(g, P.weakFactor.sentence));
    const distinct = [...new Set(query.terms)];
    const hits: Hit[] = [];
    for (const [id, part] of parts) {
      const passage = this.byId.get(id)!;
      const english = this.coverage(query, id, coverageWeights);
      // A question the glossary reads only in part may still be covered in its own words by the translation.
      const own = nativeOn ? this.native!.coverage(query.lang, query.nativeTerms, id) : 0;
      const coverage = Math.max(english, own);
      part.coverage = W.coverage * coverage;
      // A figure from the question is a strong anchor; a year much less (reports cover a year implicitly).
      for (const n of query.numbers) if (containsNumber(passage.text, n)) part.number += isYear(n) ? W.number * P.yearNumberFactor : W.number;
      if (query.asksCount && /\d/.test(passage.text)) part.number += W.number * P.countAnyFigure;
      // "In 2020" → the report that covers 2020.
      if (query.years.some((y) => this.inPeriod(passage.docId, y))) part.period = W.period;
      // Question terms that meet in one sentence ("trafficking" with "15 years") answer it best.
      part.sentence = W.sentence * this.sentenceCoverage(query, id, sentenceWeights, distinct);
      const score = part.lexical + part.dense + part.questions + part.native + part.coverage + part.sentence + part.number + part.period;
      hits.push({ passage, score, coverage, parts: part });
    }
    hits.sort((a, b) => b.score - a.score);
    const top = hits.slice(0, k);
    if (top.length === 0) return { hits: [], confident: false, rankings };
    const decision = this.decision.decide(this.features(query, top, rankings, sentenceWeights));
    return { hits: top, rankings, decision, confident: decision.answer };
  }

  /** The decision's features for a question and its best hits (see decision.ts). */
  features(query: PreparedQuery, top: Hit[], rankings: SearchResult["rankings"], sentenceWeights: number[]): Features {
    const first = top[0]!;
    const best = top.slice(0, 3).reduce<Hit>((b, h) => (h.coverage > b.coverage ? h : b), first);
    const distinct = [...new Set(query.terms)];
    const idfSum = distinct.reduce((s, t) => s + (this.vocabulary.has(t) ? this.lexical.idf(t) : 0), 0);
    const terms = this.lexical.termsOf(first.passage.id);
    const doc = this.docs.get(first.passage.docId);
    // The publication year counts too ("the 2014 report", "the 2007 cable"), except for a set of blog articles.
    const namedYear = doc && doc.format !== "blog-articles" ? doc.year : undefined;
    const yearMiss =
      query.years.length > 0 &&
      !query.years.some((y) => this.inPeriod(first.passage.docId, y) || namedYear === y || containsNumber(first.passage.text, String(y)));
    const distinctive = distinct.filter((t) => !isWeakTerm(t) && !/^\d/.test(t));
    const oov = query.lang === "en" && distinctive.length ? distinctive.filter((t) => !this.vocabulary.has(t)).length / distinctive.length : 0;
    const firstTerms = this.lexical.termsOf(first.passage.id);
    const groupWeights = query.groups.map((g) => this.groupWeight(g, P.weakFactor.coverage));
    const maxWeight = Math.max(0, ...groupWeights);
    const missingWeight = Math.max(0, ...query.groups.map((g, i) => (g.some((t) => firstTerms.has(t)) ? 0 : groupWeights[i]!)));
    const entities = questionEntities(query);
    // A name in another language carries case endings ("Родникро" → rodnikro): a shared beginning of four letters or more counts.
    const named = (e: string) => terms.has(e) || (query.lang !== "en" && [...terms].some((t) => t.length >= 4 && (e.startsWith(t) || t.startsWith(e))));
    const missing = entities.filter((e) => (/^\d/.test(e) ? !containsNumber(first.passage.text, e) : !named(e))).length;
    const contentWords = Math.max(1, query.own.length);
    const share = Math.max(...top.slice(0, 3).map((h) => this.questions.share(h.passage.id, query.terms, query.lang, query.own)));
    return {
      coverage: best.coverage,
      topCoverage: first.coverage,
      enough: this.matchesEnoughTerms(query, best.passage.id) ? 1 : 0,
      sentence: this.sentenceCoverage({ ...query, asksCount: false }, first.passage.id, sentenceWeights, distinct),
      lexical: idfSum > 0 ? Math.min(2, (rankings.lexical[0]?.score ?? 0) / idfSum) : 0,
      dense: Math.max(0, rankings.dense[0]?.similarity ?? 0),
      questions: share,
      yearMiss: yearMiss ? 1 : 0,
      entityMiss: entities.length ? missing / entities.length : 0,
      unexplained: Math.min(1, query.unexplained / contentWords),
      shortQuery: 1 / Math.max(1, query.groups.length),
      oov,
      missingRare: maxWeight > 0 ? missingWeight / maxWeight : 0,
      unknown: Math.min(1, query.unknown / contentWords),
      contactAsk: CONTACT_ASK.test(query.question) ? 1 : 0,
      amountMiss: AMOUNT_ASK.test(query.question) && !MONEY.test(first.passage.text) ? 1 : 0,
    };
  }

  /**
   * A single shared word is not an answer: "What is the capital of Australia?" shares only
   * "capital" with the reports. At least two of the question's distinctive terms must be in
   * the passage (or its only one, when it has just one).
   */
  private matchesEnoughTerms(query: PreparedQuery, passageId: string): boolean {
    const terms = this.lexical.termsOf(passageId);
    const distinctive = query.groups.filter((g) => g.some((t) => !isWeakTerm(t) && !/^(19|20)\d\d$/.test(t)));
    const found = distinctive.filter((g) => g.some((t) => terms.has(t))).length;
    return distinctive.length > 0 && found >= Math.min(2, distinctive.length);
  }

  /** The weight of a group of alternative terms: its most distinctive term's. */
  private groupWeight(group: string[], weakFactor: number): number {
    let w = 0;
    for (const t of group) {
      // A word the reports never use (a typo, "ppl") weighs like an ordinary word, not like the rarest one.
      const idf = this.vocabulary.has(t) ? this.lexical.idf(t) : this.medianIdf;
      w = Math.max(w, idf * (isWeakTerm(t) ? weakFactor : 1));
    }
    return w;
  }

  /** The best share of the query's idf-weighted terms that one sentence of the passage holds. */
  private sentenceCoverage(query: PreparedQuery, passageId: string, weights: number[], distinct: string[]): number {
    const total = weights.reduce((a, b) => a + b, 0);
    if (total === 0) return 0;
    let best = 0;
    for (const sentence of this.sentenceTerms.get(passageId)!) {
      let found = 0;
      query.groups.forEach((g, i) => {
        found += weights[i]! * groupMatch(g, sentence.set);
      });
      let share = found / total;
      // "How many victims...?" is answered by "identified 88 trafficking victims": a figure right before a question term.
      if (query.asksCount) share += P.countPatternBonus * countStrength(sentence.seq, distinct);
      best = Math.max(best, share);
    }
    return best;
  }

  /** The idf-weighted share of the query's distinct terms that the passage contains. */
  private coverage(query: PreparedQuery, passageId: string, weights: number[]): number {
    const terms = this.lexical.termsOf(passageId);
    let total = query.unexplained * P.unexplainedWeight;
    let found = 0;
    for (const [i, group] of query.groups.entries()) {
      const weight = weights[i]!;
      total += weight;
      found += weight * groupMatch(group, terms);
    }
    return total === 0 ? 0 : found / total;
  }
}

/** Asking for contact details (address, phone, e-mail, website, opening hours), in the six languages. */
const CONTACT_ASK =
  /\b(address|street|phone number|telephone number|e-?mail|website|web site|opening hours|open(ing)? times?|office hours|whatsapp|telegram channel)\b|адрес|телефон(ный)? номер|номер телефона|электрон|сайт|часы работы|график работы|часы при[её]ма|мекенжай|жұмыс уақыты|manzil|veb-?sayt|telefon raqam|ish vaqti|дарек|иш убактысы|суроға|суроға|рақами телефон|соатҳои корӣ/iu;
/** Asking what something costs or pays ("how much does a patent cost", "сколько стоит", "qancha turadi"). */
const AMOUNT_ASK =
  /\bhow much (does|do|is|are|will|would)\b.{0,60}\b(cost|costs|charge|pay|paid)\b|\bwhat (is|are) the (price|cost|fee|fees|salary|minimum wage)\b|\b(price|cost) of\b|сколько (\p{L}+ )?сто(ит|ят)|какая (зарплата|цена)|[қк]анша т[ұу]рады|бағасы қанша|qancha turadi|narxi qancha|канча турат|баасы канча|чанд пул|нарх(и|аш)/iu;
/** An amount of money in a passage. */
const MONEY = /\$\s?\d|\d[\d,.]*\s*(million|billion)?\s*(tenge|KZT|dollars|USD|euros|rubles)\b|\bKZT\b/i;

/** Sentence-initial and question words that are capitalised without being names. */
const NOT_NAMES = new Set(["what", "how", "who", "when", "where", "which", "why", "is", "are", "did", "does", "do", "can", "could", "was", "were", "the", "a", "in", "i", "tip", "and", "or", "if", "has", "have", "will", "would", "should", "give", "tell", "list", "name"]);

/**
 * The names and figures of a question that a passage answering it should hold: capitalised
 * words that are not question words (Latin or Cyrillic, the Cyrillic ones transliterated), and
 * numbers that are not years, as analysed terms.
 */
export function questionEntities(query: PreparedQuery): string[] {
  const out = new Set<string>();
  // Capitalised words not at the start of a sentence (where every word is capitalised).
  const words = [...query.question.matchAll(/(^|[.?!]\s*)?([\p{L}][\p{L}'’-]*)/gu)].filter((m) => m[1] === undefined && m.index !== 0).map((m) => m[2]!);
  for (const w of words) {
    if (!/^\p{Lu}/u.test(w) || w.length < 3 || NOT_NAMES.has(w.toLowerCase())) continue;
    if (/^\p{Lu}+$/u.test(w) && w.length <= 4 && query.lang === "en") continue; // acronyms (NGO, ILO, IOM) are topics
    const latin = /[\u0400-\u04ff]/.test(w) ? cyrillicToLatin(w.toLowerCase()) : w;
    const [term] = analyze(latin);
    if (term) out.add(term);
  }
  for (const n of query.numbers) if (!isYear(n)) out.add(n);
  return [...out];
}

/**
 * How strongly a sentence states a count the question asks for: the most distinct query terms
 * found around one figure (not a year) — two terms before it, three after
 * ("identified 88 trafficking victims" → identified, victims = 2).
 */
export function countStrength(seq: string[], queryTerms: string[]): number {
  const wanted = new Set(queryTerms.filter((t) => !/^\d/.test(t)));
  let best = 0;
  for (let i = 0; i < seq.length; i++) {
    if (!/^\d/.test(seq[i]!) || isYear(seq[i]!)) continue;
    const near = new Set<string>();
    for (let j = Math.max(0, i - 2); j <= i + 3 && j < seq.length; j++) if (j !== i && wanted.has(seq[j]!)) near.add(seq[j]!);
    best = Math.max(best, near.size);
  }
  return best;
}

/**
 * How well a set of terms answers a group of alternatives: any one term answers it mostly
 * (0.75); holding more of the concept's words ("penalties" and "imprisonment") counts a little more.
 */
function groupMatch(group: string[], terms: ReadonlySet<string>): number {
  let present = 0;
  for (const t of group) if (terms.has(t)) present++;
  return present === 0 ? 0 : 0.75 + (0.25 * present) / group.length;
}

function isYear(n: string): boolean {
  return /^(19|20)\d\d$/.test(n);
}

/** Texts without thousands separators, and the pattern for each number: the same passages and numbers come back every question. */
const plainTexts = new Map<string, string>();
const numberPatterns = new Map<string, RegExp>();
const MEMO_LIMIT = 5000;

function memo<V>(map: Map<string, V>, key: string, make: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    if (map.size >= MEMO_LIMIT) map.clear();
    value = make();
    map.set(key, value);
  }
  return value;
}

/** True when `n` (no separators) occurs in the text as a whole number ("1,341" counts for 1341). */
export function containsNumber(text: string, n: string): boolean {
  const plain = memo(plainTexts, text, () => text.replace(/(\d),(?=\d{3}\b)/g, "$1"));
  return memo(numberPatterns, n, () => new RegExp(`(^|[^\\d.])${n.replace(".", "\\.")}(?![\\d]|\\.\\d)`)).test(plain);
}
