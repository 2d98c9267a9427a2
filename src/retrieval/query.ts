/**
 * Turns a question in any supported language into English search terms: the question's own
 * English words, glossary translations of domain terms, numbers and years (strong anchors), and
 * names transliterated from Cyrillic ("Родник" → rodnik) when the reports use them.
 */
import type { Lang } from "../language/languages.ts";
import { cyrillicToLatin, matchKey } from "../language/transliterate.ts";
import { analyze } from "./analyzer.ts";
import { type Glossary, foldedWords } from "./glossary.ts";
import { nativeTokens } from "./question-field.ts";
import { analyzeNative } from "./native-index.ts";

export interface PreparedQuery {
  /** The question as asked (cleaned), and the language it is read in. */
  question: string;
  lang: Lang;
  /** The asker's own words, folded and cut to a prefix (the per-language questions field). */
  own: string[];
  /** The asker's own words as the translated passages are indexed (`analyzeNative`; empty for English). */
  nativeTerms: string[];
  /** Years named in the question (1990-2039). */
  years: number[];
  /** Stemmed English terms; repeated terms weigh more. */
  terms: string[];
  /**
   * What the question asks for, as groups of alternative terms: a glossary concept
   * ("compensation restitution") is answered by a passage holding any one of its words; every
   * other term is a group of its own. Coverage and confidence count groups.
   */
  groups: string[][];
  /** English text for the embedder. */
  text: string;
  /** Numbers in the question (years, figures), without separators. */
  numbers: string[];
  /** The question asks for a count or an amount ("how many", "сколько", "nechta"...). */
  asksCount: boolean;
  /** Glossary headwords that matched. */
  concepts: string[];
  /**
   * Content words of a non-English question that neither the glossary nor the reports'
   * vocabulary explain ("футболу", "чемпионат"): they count against confidence.
   */
  unexplained: number;
  /** Like `unexplained`, counting words from four letters ("адрес", "fine"): a feature of the decision only. */
  unknown: number;
}

const COUNT_WORDS = /(?:^|[^\p{L}])(how many|how much|how long|how far|how old|what age|number of|amount of|what percentage|what proportion|сколько|скольк|қанша|канча|nechta|necha|qancha|нечта|неча|қанча|чанд|чӣ қадар|chand)/iu;

/**
 * Question words and auxiliaries of the other languages (folded with matchKey): they carry no
 * topic, so they do not count as "unexplained" words against confidence.
 */
const QUESTION_WORDS = new Set(
  [
    "сколько", "почему", "какой", "какая", "какие", "каких", "каким", "когда", "можно", "может", "могут", "правда", "который", "которые",
    "skolko", "pochemu", "kakoy", "kakaya", "kakie", "kogda", "mozhno",
    "қанша", "қаншасы", "қаншасына", "қаншаға", "қандай", "қашан", "бойынша", "кезінде", "туралы", "болған", "болды", "бола", "неше",
    "канча", "канчасы", "кандай", "качан", "боюнча", "учурунда", "тууралуу", "болгон", "болду",
    "nechta", "nechtasi", "qancha", "qanday", "qachon", "qayerda", "bo'yicha", "haqida", "davomida", "bo'lgan", "mumkinmi",
    "нечта", "нечтаси", "қанча", "қандай", "қачон", "қаерда", "бўйича", "ҳақида", "давомида", "бўлган", "мумкинми",
    "мувофиқи", "тибқи", "буданд", "шуданд", "мешавад", "метавонанд", "чандто", "кадом", "чаро", "кай",
  ].map((w) => matchKey(w)),
);

/** English question frames whose words are not the topic. */
const QUESTION_FRAMES = /\b(stands?|stood) for\b|\bwhat is meant by\b|\brefers? to\b/gi;

export function prepareQuery(question: string, lang: Lang, glossary: Glossary, vocabulary: ReadonlySet<string>): PreparedQuery {
  const words = foldedWords(question);
  const matched = glossary.match(words, lang);
  const numbers = [...question.replace(/(\d)[,\s](?=\d{3}\b)/g, "$1").matchAll(/(?<![\p{L}\d.])\d+(?:\.\d+)?(?!\p{L}|\d)/gu)].map((m) => m[0]); // not the 4 of "4P"

  const terms: string[] = [];
  const groups: string[][] = [];
  // The question's own words that a glossary pattern covered ("selling people") join that
  // concept's group as alternatives instead of standing alone.
  const coveredTerms = new Set<string>();
  matched.groups.forEach((group, i) => {
    const own = lang === "en" ? analyze(matched.groupWords[i]!.join(" ")) : [];
    for (const t of own) coveredTerms.add(t);
    const analysed = [...new Set([...analyze(group.join(" ")), ...own])];
    terms.push(...analysed);
    if (analysed.length) groups.push(analysed);
  });
  if (lang === "en") {
    // Question frames ("what does X stand for") carry no topic.
    const own = analyze(question.replace(QUESTION_FRAMES, " "));
    terms.push(...own);
    groups.push(...own.filter((t) => !coveredTerms.has(t)).map((t) => [t]));
  }
  // Words the glossary did not translate may still be names or English words the reports use.
  let unexplained = 0;
  let unknown = 0;
  if (lang !== "en") {
    words.forEach((w, i) => {
      if (matched.covered.has(i) || w.length < 4 || /^\d/.test(w)) return;
      let known = false;
      for (const candidate of new Set([w, cyrillicToLatin(w)])) {
        const [term] = analyze(candidate);
        if (term && vocabulary.has(term)) {
          terms.push(term);
          groups.push([term]);
          known = true;
        }
      }
      if (!known && !QUESTION_WORDS.has(w)) {
        if (w.length >= 6) unexplained++;
        unknown++;
      }
    });
  }
  for (const n of numbers) {
    if (!terms.includes(n)) terms.push(n);
    if (!groups.some((g) => g.includes(n))) groups.push([n]);
  }
  // Years are the strongest anchor a statistics question has.
  for (const n of numbers) if (/^(19|20)\d\d$/.test(n)) terms.push(n);

  return {
    question,
    lang,
    own: nativeTokens(question),
    nativeTerms: lang === "en" ? [] : analyzeNative(question),
    years: [...new Set(numbers.filter((n) => /^(199\d|20[0-3]\d)$/.test(n)).map(Number))],
    terms,
    groups: dedupeGroups(groups),
    text: [lang === "en" ? question : "", matched.terms.join(" "), numbers.join(" ")].join(" ").trim(),
    numbers,
    asksCount: COUNT_WORDS.test(question.toLowerCase()),
    concepts: matched.entries,
    unexplained,
    unknown,
  };
}

/** Drops repeated groups (and groups that repeat a single term already standing alone). */
function dedupeGroups(groups: string[][]): string[][] {
  const seen = new Set<string>();
  const out: string[][] = [];
  for (const g of groups) {
    const key = [...g].sort().join(" ");
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(g);
  }
  return out;
}

/** Words that open a follow-up which leans on the question before it. */
const FOLLOW_UP_START = /^\s*(and|but|also|what about|how about|and what|or|so|then|и|а|а если|а как|ещё|еще|тогда|va|yana|ал|ал эми|және|жана|ва|боз)\b/iu;
/** Pronouns that point back ("them", "these", "it"; "они", "из них", "ular", "олар", "алар", "онҳо"). */
const POINTS_BACK = /\b(them|they|these|those|it|its|their|this|that one|там|они|их|из них|них|это|этих|ular|ulardan|bular|олар|олардың|алар|алардын|булар|онҳо|аз онҳо)\b/iu;

/**
 * True when a question does not stand alone: it opens like a follow-up, points back with a
 * pronoun, or is very short (five words or fewer) — and names no year of its own.
 */
export function isFollowUp(query: PreparedQuery, text: string): boolean {
  if (query.years.length > 0 && !FOLLOW_UP_START.test(text)) return false;
  const words = text.trim().split(/\s+/).filter(Boolean).length;
  return FOLLOW_UP_START.test(text) || POINTS_BACK.test(text) || words <= 5;
}

/**
 * A follow-up read with the question before it: its own terms count twice, the earlier
 * question's terms, groups, years and names once, so "and how many of them were men?" after
 * "How many victims were identified in 2020?" searches men, victims, identified, 2020.
 */
export function withContext(query: PreparedQuery, context: PreparedQuery): PreparedQuery {
  const years = query.years.length ? query.years : context.years;
  const numbers = [...new Set([...query.numbers, ...(query.years.length ? [] : context.numbers.filter((n) => /^(19|20)\d\d$/.test(n)))])];
  return {
    ...query,
    own: [...query.own, ...context.own],
    nativeTerms: [...query.nativeTerms, ...query.nativeTerms, ...(context.lang === query.lang ? context.nativeTerms : [])],
    years,
    terms: [...query.terms, ...query.terms, ...context.terms],
    groups: dedupeGroups([...query.groups, ...context.groups]),
    text: [context.text, query.text].join(" ").trim(),
    numbers,
    asksCount: query.asksCount || (context.asksCount && !/\b(who|which|why|where)\b/i.test(query.question)),
    concepts: [...new Set([...query.concepts, ...context.concepts])],
    unexplained: query.unexplained,
    unknown: query.unknown,
  };
}
