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

const DEFAULTS: Required<MatcherOptions> = { minScore: 0.3, minMargin: 0.04, sureScore: 0.5 };

/** Only this much of a message is read: enough for any question, bounded for 50 KB pastes. */
const MAX_CHARS = 1500;
const STEM = 5;
const STEM_WEIGHT = 1.5;
const PHRASING_SHARE = 0.55;

type Vec = Map<string, number>;

/** Folded tokens of a text: letters and digits only, in one Latin key. */
export function tokens(text: string): string[] {
  const folded = matchKey(text.slice(0, MAX_CHARS));
  return (folded.match(/[\p{L}\p{N}]+/gu) ?? []).filter((t) => t.length >= 2 || /\d/.test(t));
}

function features(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  const add = (f: string, w: number) => counts.set(f, (counts.get(f) ?? 0) + w);
  for (const t of tokens(text)) {
    const padded = `#${t}#`;
    for (let i = 0; i + 3 <= padded.length; i++) add(padded.slice(i, i + 3), 1);
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

  function match(text: string, _locale?: Locale): CardMatch | undefined {
    if (typeof text !== "string" || !text.trim()) return undefined;
    if (isFactualQuestion(text)) return undefined;
    const [first, second] = rank(text, 2);
    if (!first || first.score < 0.05) return undefined;
    const margin = first.score - (second?.score ?? 0);
    const confident = first.score >= opts.minScore && (margin >= opts.minMargin || first.score >= opts.sureScore);
    return { card: first.card, score: Math.round(first.score * 1000) / 1000, confident };
  }

  return { match, rank };
}
