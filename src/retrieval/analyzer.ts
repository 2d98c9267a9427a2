/**
 * English text analysis shared by the lexical index and the hashing embedder: lower-case words,
 * numbers without thousands separators ("1,341" → "1341"), stop words dropped, Porter stems.
 */
import { stemmer } from "stemmer";

const STOP_WORDS = new Set(
  `a about above after again against all also am an and any are as at be because been before being below between both but by
  can could did do does doing down during each few for from further had has have having he her here hers herself him himself his
  how i if in into is it its itself just me more most my myself no nor not now of off on once only or other our ours ourselves out
  over own same she should so some such than that the their theirs them themselves then there these they this those through to too
  under until up very was we were what when where which while who whom why will with would you your yours yourself yourselves
  please tell say said does according report reports kazakhstan kazakhstani many much give gave given get got know
  happen happened someone anyone something thing things way ways kind one ones like want need`.split(/\s+/).filter(Boolean),
);

/** Words that carry the question's intent but also appear in most passages. */
const WEAK_WORDS = new Set(["trafficking", "traffick", "victim", "government", "human", "person", "peopl"]);

export function tokenize(text: string): string[] {
  return (
    text
      .toLowerCase()
      .replace(/(\d),(?=\d{3}\b)/g, "$1")
      .match(/[\p{L}\p{N}]+(?:[-'’][\p{L}\p{N}]+)*/gu) ?? []
  ).flatMap((t) => t.split(/[-'’]/)).filter(Boolean);
}

/** British spellings folded into the reports' American ones. */
const BRITISH: Array<[RegExp, string]> = [
  [/^labour/, "labor"], [/^neighbour/, "neighbor"], [/^organis/, "organiz"], [/^centre/, "center"],
  [/^programme/, "program"], [/^offence/, "offense"], [/^defence/, "defense"], [/^licence/, "license"],
  [/^recognis/, "recogniz"], [/^criminalis/, "criminaliz"], [/^legalis/, "legaliz"], [/^penalis/, "penaliz"],
];

const stems = new Map<string, string>();

/** Porter stem, memoised (the same few thousand words recur in every passage and question). */
export function stem(token: string): string {
  if (/^\d/.test(token)) return token;
  let cached = stems.get(token);
  if (cached === undefined) {
    cached = computeStem(token);
    if (stems.size < 50_000) stems.set(token, cached);
  }
  return cached;
}

function computeStem(token: string): string {
  let t = token;
  for (const [re, us] of BRITISH) if (re.test(t)) t = t.replace(re, us);
  const stemmed = stemmer(t);
  // Porter keeps "identifi" (identified) apart from "identif" (identification): fold them.
  return stemmed.length > 5 && stemmed.endsWith("i") ? stemmed.slice(0, -1) : stemmed;
}

/** Content terms of English text: stop words dropped, stemmed. */
export function analyze(text: string): string[] {
  const out: string[] = [];
  for (const token of tokenize(text)) {
    if (STOP_WORDS.has(token)) continue;
    if (token.length === 1 && !/\d/.test(token)) continue;
    out.push(stem(token));
  }
  return out;
}

/** True for terms that are in almost every passage and weigh little for confidence. */
export function isWeakTerm(term: string): boolean {
  return WEAK_WORDS.has(term);
}

export function isStopWord(token: string): boolean {
  return STOP_WORDS.has(token);
}
