/**
 * Turns a question in any supported language into English search terms: the question's own
 * English words, glossary translations of domain terms, numbers and years (strong anchors), and
 * names transliterated from Cyrillic ("Родник" → rodnik) when the reports use them.
 */
import type { Lang } from "../language/languages.ts";
import { cyrillicToLatin, matchKey } from "../language/transliterate.ts";
import { analyze } from "./analyzer.ts";
import { type Glossary, foldedWords } from "./glossary.ts";

export interface PreparedQuery {
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
  /** The question's language and its own words, for the per-language index of translations. */
  lang?: Lang;
  question?: string;
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

export function prepareQuery(question: string, lang: Lang, glossary: Glossary, vocabulary: ReadonlySet<string>): PreparedQuery {
  const words = foldedWords(question);
  const matched = glossary.match(words, lang);
  const numbers = [...question.replace(/(\d)[,\s](?=\d{3}\b)/g, "$1").matchAll(/\d+(?:\.\d+)?/g)].map((m) => m[0]);

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
    const own = analyze(question);
    terms.push(...own);
    groups.push(...own.filter((t) => !coveredTerms.has(t)).map((t) => [t]));
  }
  // Words the glossary did not translate may still be names or English words the reports use.
  let unexplained = 0;
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
      if (!known && w.length >= 6 && !QUESTION_WORDS.has(w)) unexplained++;
    });
  }
  for (const n of numbers) {
    if (!terms.includes(n)) terms.push(n);
    if (!groups.some((g) => g.includes(n))) groups.push([n]);
  }
  // Years are the strongest anchor a statistics question has.
  for (const n of numbers) if (/^(19|20)\d\d$/.test(n)) terms.push(n);

  return {
    terms,
    groups: dedupeGroups(groups),
    text: [lang === "en" ? question : "", matched.terms.join(" "), numbers.join(" ")].join(" ").trim(),
    numbers,
    asksCount: COUNT_WORDS.test(question.toLowerCase()),
    concepts: matched.entries,
    unexplained,
    lang,
    question,
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
