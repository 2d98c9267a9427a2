/**
 * Matches a message to the guidance card that answers it, offline, in microseconds.
 *
 * Every phrasing in every language is folded to one Latin key (`matchKey`: Cyrillic → Latin,
 * apostrophes and diacritics removed), so "у меня забрали паспорт", "u menya zabrali pasport"
 * and "pasportimni olib qo'yishdi" / "pasportimni olib qoyishdi" meet in the same space. Each
 * text becomes a TF-IDF vector of character trigrams (robust to typos and endings) and word
 * stems (first five letters). A message is scored against each phrasing and against each
 * card's pooled phrasings; the card's score mixes the best phrasing and the pool.
 *
 * Statistics and fact-about-the-reports questions (`isFactualQuestion`) never match: the
 * passage search answers them with figures.
 */
import type { Locale } from "../language/languages.ts";
import { matchKey } from "../language/transliterate.ts";
import { isFactualQuestion } from "./factual.ts";
import type { Card } from "./types.ts";

export interface CardMatch {
  card: Card;
  /** 0..1, higher is closer. */
  score: number;
  /** True when the card should answer on its own; false means "related, but let the passages answer". */
  confident: boolean;
}

export interface CardMatcher {
  match(text: string, locale?: Locale): CardMatch | undefined;
  /** The best few cards with their scores, for debugging and evaluation reports. */
  rank(text: string, limit?: number): Array<{ card: Card; score: number }>;
}

export interface MatcherOptions {
  /** Minimum score for a confident match. */
  minScore?: number;
  /** Minimum lead over the second card, unless the score reaches `sureScore`. */
  minMargin?: number;
  sureScore?: number;
}

const DEFAULTS: Required<MatcherOptions> = { minScore: 0.2, minMargin: 0.02, sureScore: 0.45 };

/** Only this much of a message is read: enough for any question, bounded for 50 KB pastes. */
const MAX_CHARS = 1500;
const STEM = 5;
const STEM_WEIGHT = 1.5;
const PHRASING_SHARE = 0.55;
/** A confident match needs this many of the message's words to be found in the card's phrasings. */
const MIN_MATCHED_WORDS = 2;

type Vec = Map<string, number>;

/**
 * Function words and greetings in the six languages (folded): they say nothing about the topic,
 * and without them "thank you" or "как дела" cannot look like a question about a card.
 */
const STOPWORDS = new Set(
  [
    "i me my mine you your he she it we they them us our their the a an is are was were be been am do does did have has had to of in on at for with and or but if so not no yes this that what how where why when who which can could will would should shall may might must please hello hi thanks thank ok okay want need get got just very also there here about from by as im dont cant wont its",
    "я меня мне мной мы нас нам вы вас вам ты тебя тебе он она они его её ее их им и а но или не нет да это что как где когда почему кто ли же бы то в на с к по за из у о от до для при так уже ещё еще есть был была были быть мой моя мои моё мое наш наша наши ваш очень можно нужно надо привет здравствуйте спасибо пожалуйста хочу",
    "мен менің маған мені сен сіз сізге біз бізге ол олар және бірақ не қалай қайда неге кім бұл сол жоқ ма ме ба бе па пе да де та те үшін туралы сәлем рахмет өтінемін",
    "men mening menga meni sen siz sizga biz bizga u ular va lekin nima qanday qayerda nega kim bu shu yoq yo'q ham bilan uchun haqida salom rahmat iltimos",
    "мен менин мага мени сен сиз сизге биз бизге ал алар жана бирок эмне кантип кайда эмнеге ким бул ошол жок үчүн жөнүндө салам рахмат",
    "ман манро маро ту шумо мо онҳо ӯ ва вале чӣ чи тавр куҷо чаро кӣ ин он ҳаст нест дар аз бо барои салом ташаккур лутфан",
  ]
    .join(" ")
    .split(/\s+/)
    .map((w) => matchKey(w)),
);

/** Folded content tokens of a text: letters and digits only, in one Latin key, no function words. */
export function tokens(text: string): string[] {
  const folded = matchKey(text.slice(0, MAX_CHARS));
  return (folded.match(/[\p{L}\p{N}]+/gu) ?? []).filter((t) => (t.length >= 2 || /\d/.test(t)) && !STOPWORDS.has(t));
}

function trigrams(token: string): string[] {
  const padded = `#${token}#`;
  const out: string[] = [];
  for (let i = 0; i + 3 <= padded.length; i++) out.push(padded.slice(i, i + 3));
  return out;
}

function features(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  const add = (f: string, w: number) => counts.set(f, (counts.get(f) ?? 0) + w);
  for (const t of tokens(text)) {
    for (const g of trigrams(t)) add(g, 1);
    if (t.length >= 3) add(`w:${t.slice(0, STEM)}`, STEM_WEIGHT);
  }
  return counts;
}

function normalise(v: Vec): Vec {
  let sum = 0;
  for (const x of v.values()) sum += x * x;
  const n = Math.sqrt(sum) || 1;
  for (const [k, x] of v) v.set(k, x / n);
  return v;
}

export function createCardMatcher(cards: readonly Card[], options: MatcherOptions = {}): CardMatcher {
  const opts = { ...DEFAULTS, ...options };
  const phrasings: Array<{ card: number; feats: Map<string, number> }> = [];
  cards.forEach((card, ci) => {
    for (const list of Object.values(card.questions)) for (const q of list) phrasings.push({ card: ci, feats: features(q) });
    phrasings.push({ card: ci, feats: features(card.topic) });
  });

  // Document frequency over cards: a feature every card shares tells nothing.
  const df = new Map<string, number>();
  cards.forEach((_, ci) => {
    const seen = new Set<string>();
    for (const p of phrasings) if (p.card === ci) for (const f of p.feats.keys()) seen.add(f);
    for (const f of seen) df.set(f, (df.get(f) ?? 0) + 1);
  });
  const idf = (f: string) => Math.log(1 + cards.length / (df.get(f) ?? 0.5));

  const weigh = (feats: Map<string, number>): Vec => {
    const v: Vec = new Map();
    for (const [f, c] of feats) if (df.has(f)) v.set(f, (1 + Math.log(c)) * idf(f));
    return normalise(v);
  };

  // Inverted indexes: feature → [(phrasing, weight)] and feature → [(card, weight)].
  const phrasingIndex = new Map<string, Array<[number, number]>>();
  const pooled: Vec[] = cards.map(() => new Map());
  phrasings.forEach((p, pi) => {
    const v = weigh(p.feats);
    for (const [f, w] of v) {
      let list = phrasingIndex.get(f);
      if (!list) phrasingIndex.set(f, (list = []));
      list.push([pi, w]);
      const pool = pooled[p.card]!;
      pool.set(f, (pool.get(f) ?? 0) + w);
    }
  });
  const cardFeatures: Array<Set<string>> = pooled.map((pool) => new Set(pool.keys()));
  const cardIndex = new Map<string, Array<[number, number]>>();
  pooled.forEach((pool, ci) => {
    for (const [f, w] of normalise(pool)) {
      let list = cardIndex.get(f);
      if (!list) cardIndex.set(f, (list = []));
      list.push([ci, w]);
    }
  });

  function scores(text: string): Float64Array {
    const out = new Float64Array(cards.length);
    if (typeof text !== "string" || cards.length === 0) return out;
    const q = weigh(features(text));
    if (q.size === 0) return out;
    const best = new Float64Array(cards.length);
    const perPhrasing = new Float64Array(phrasings.length);
    const perCard = new Float64Array(cards.length);
    for (const [f, w] of q) {
      for (const [pi, pw] of phrasingIndex.get(f) ?? []) perPhrasing[pi]! += w * pw;
      for (const [ci, cw] of cardIndex.get(f) ?? []) perCard[ci]! += w * cw;
    }
    perPhrasing.forEach((s, pi) => {
      const ci = phrasings[pi]!.card;
      if (s > best[ci]!) best[ci] = s;
    });
    for (let ci = 0; ci < cards.length; ci++) out[ci] = PHRASING_SHARE * best[ci]! + (1 - PHRASING_SHARE) * perCard[ci]!;
    return out;
  }

  function rank(text: string, limit = 3): Array<{ card: Card; score: number }> {
    const s = scores(text);
    return [...s.keys()]
      .sort((a, b) => s[b]! - s[a]!)
      .slice(0, limit)
      .filter((ci) => s[ci]! > 0)
      .map((ci) => ({ card: cards[ci]!, score: s[ci]! }));
  }

  /** How many of the message's words the card knows (same stem, or most of the same trigrams). */
  function matchedWords(text: string, ci: number): number {
    const known = cardFeatures[ci]!;
    let n = 0;
    for (const t of new Set(tokens(text))) {
      if (t.length >= 3 && known.has(`w:${t.slice(0, STEM)}`)) n++;
      else {
        const grams = trigrams(t);
        if (grams.filter((g) => known.has(g)).length >= 0.6 * grams.length) n++;
      }
    }
    return n;
  }

  function match(text: string, _locale?: Locale): CardMatch | undefined {
    if (typeof text !== "string" || !text.trim()) return undefined;
    if (isFactualQuestion(text)) return undefined;
    const [first, second] = rank(text, 2);
    if (!first || first.score < 0.05) return undefined;
    const margin = first.score - (second?.score ?? 0);
    const confident =
      first.score >= opts.minScore &&
      (margin >= opts.minMargin || first.score >= opts.sureScore) &&
      (matchedWords(text, cards.indexOf(first.card)) >= MIN_MATCHED_WORDS || first.score >= opts.sureScore);
    return { card: first.card, score: Math.round(first.score * 1000) / 1000, confident };
  }

  return { match, rank };
}
