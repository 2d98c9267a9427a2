/**
 * Faithfulness checks for a translation of an English text (a report passage, a guidance
 * card's body, a quiz question): every number, year, percentage and article number of the
 * English appears in the translation and no figure is added; every named organisation of the
 * English is named; the translation is not empty, not English, and in the language's script.
 *
 * Numbers are compared as digit strings with thousands separators removed and a decimal comma
 * read as a point (1,341 = 1 341 = 1341; 69.4 = 69,4). A figure the English wrote as a word
 * ("six victims") may be written as a word or in digits in the translation.
 */
import type { Lang } from "../language/languages.ts";

/** Thousands separators: comma, point, space, no-break and narrow no-break space before 3 digits. */
const THOUSANDS = /(\d)[,.\s\u00a0\u202f](?=\d{3}(?!\d))/g;

/** The figures of a text, as plain digit strings ("1341", "69.4", "2020"). */
export function numbersOf(text: string): string[] {
  let plain = text;
  // Apply twice so "1,000,000" loses both separators.
  for (let i = 0; i < 2; i++) plain = plain.replace(THOUSANDS, "$1");
  return [...plain.matchAll(/\d+(?:[.,]\d+)?/g)].map((m) => m[0].replace(",", ".").replace(/^0+(?=\d)/, ""));
}

const NUMBER_WORDS: Record<string, number> = {
  zero: 0, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10,
  eleven: 11, twelve: 12, thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16, seventeen: 17, eighteen: 18,
  nineteen: 19, twenty: 20, thirty: 30, forty: 40, fifty: 50, sixty: 60, seventy: 70, eighty: 80, ninety: 90,
  hundred: 100, thousand: 1000, million: 1000000, dozen: 12, half: 2, twice: 2, once: 1, single: 1, both: 2, pair: 2,
  first: 1, second: 2, third: 3, fourth: 4, fifth: 5, sixth: 6, seventh: 7, eighth: 8, ninth: 9, tenth: 10,
  twentieth: 20, twenty_first: 21, century: 100, decade: 10, decades: 10, hundreds: 100, thousands: 1000, dozens: 12,
  quarter: 4, quarterly: 4, annual: 1, annually: 1, year: 1, monthly: 1, weekly: 7, daily: 1,
};

/** Figures the English states in words: a translation may write them in digits. */
export function numberWordsOf(text: string): Set<string> {
  const out = new Set<string>();
  const words = text.toLowerCase().match(/[a-z]+/g) ?? [];
  words.forEach((w, i) => {
    const n = NUMBER_WORDS[w];
    if (n === undefined) return;
    out.add(String(n));
    const next = NUMBER_WORDS[words[i + 1] ?? ""];
    // "twenty one" → 21; "six hundred" → 600; "three thousand" → 3000.
    if (next !== undefined && next < 10 && n >= 20 && n < 100) out.add(String(n + next));
    if (next === 100 || next === 1000 || next === 1000000) out.add(String(n * next));
  });
  return out;
}

/**
 * Named organisations: how each is recognised in the English, and the spellings accepted in a
 * translation (the English name or acronym is always accepted: translators often keep it).
 */
export const ORGANISATIONS: Array<{ id: string; en: RegExp; names: string[] }> = [
  { id: "IOM", en: /\bIOM\b|International Organization for Migration/, names: ["IOM", "МОМ", "ХКҰ", "XMT", "СБМ", "ЭМУ", "Международн", "Халықаралық көші", "Xalqaro migratsiya", "Эл аралык миграция", "Созмони байналмилалии муҳоҷират"] },
  { id: "USAID", en: /USAID/, names: ["USAID", "ЮСАИД"] },
  { id: "OSCE", en: /\bOSCE\b/, names: ["OSCE", "ОБСЕ", "ЕҚЫҰ", "YXHT", "ЕККУ", "САҲА", "ЕЫКҰ"] },
  { id: "ILO", en: /\bILO\b|International Labou?r Organi[sz]ation/, names: ["ILO", "МОТ", "ХЕҰ", "XMT", "ЭЭУ", "СБМ", "Международной организации труда", "Халықаралық еңбек", "Xalqaro mehnat", "Эл аралык эмгек", "Созмони байналмилалии меҳнат"] },
  { id: "UNICEF", en: /UNICEF/, names: ["UNICEF", "ЮНИСЕФ", "YUNISEF"] },
  { id: "UNODC", en: /UNODC/, names: ["UNODC", "УНП ООН"] },
  { id: "CSTO", en: /\bCSTO\b|Collective Security Treaty/, names: ["CSTO", "ОДКБ", "ҰҚШҰ", "KXShT", "ЖКМУ", "СПАД", "Коллективной безопасности", "Ұжымдық қауіпсіздік", "Kollektiv xavfsizlik", "Жамааттык коопсуздук", "СААД", "Амнияти дастаҷамъӣ"] },
  { id: "CIS", en: /\bCIS\b|Commonwealth of Independent States/, names: ["CIS", "СНГ", "ТМД", "MDH", "КМШ", "ИДМ", "Содружеств", "Тәуелсіз Мемлекеттер", "Mustaqil Davlatlar", "Көз карандысыз мамлекеттер", "Иттиҳоди Давлатҳои Мустақил"] },
  { id: "Sana Sezim", en: /Sana Sezim/, names: ["Sana Sezim", "Сана Сезим"] },
  { id: "Rodnik", en: /Rodnik/, names: ["Rodnik", "Родник"] },
  { id: "Borgen Project", en: /Borgen/, names: ["Borgen"] },
  { id: "Eurasia Foundation", en: /Eurasia Foundation/, names: ["Eurasia", "Евразия", "Еуразия", "Yevrosiyo", "Авруосиё"] },
  { id: "Winrock", en: /Winrock/, names: ["Winrock", "Уинрок", "Винрок"] },
  { id: "Phoenix", en: /Phoenix/, names: ["Phoenix", "Феникс", "Feniks"] },
  { id: "INL", en: /\bINL\b/, names: ["INL"] },
  { id: "UN", en: /\bUN\b|United Nations/, names: ["UN", "ООН", "БҰҰ", "BMT", "БУУ", "СММ", "Организации Объединённых Наций", "Организации Объединенных Наций", "Біріккен Ұлттар", "Birlashgan Millatlar", "Бириккен Улуттар", "Созмони Милали Муттаҳид"] },
];

/** Letters only this language uses among the five (one must appear in a text of some length). */
const OWN_LETTERS: Partial<Record<Lang, RegExp>> = {
  kk: /[әғқңөұүһі]/i,
  ky: /[ңөү]/i,
  tg: /[ғӣқӯҳҷ]/i,
};
/** Letters a Russian text never has (Kazakh, Kyrgyz, Tajik, Uzbek Cyrillic letters). */
const NOT_RUSSIAN = /[әғқңөұүһіӣӯҳҷў]/i;

/** Russian function words: a Kazakh, Kyrgyz or Tajik text full of them is probably Russian. */
const RUSSIAN_WORDS = new Set("и в во на не что по с со из для от к как это был была были также при".split(" "));

const ENGLISH_WORDS = new Set("the and of to in was were with for that which from by is are has have been their this on as at".split(" "));

export interface FaithfulnessProblem {
  code: "empty" | "english" | "script" | "number_missing" | "number_added" | "organisation_missing";
  detail: string;
}

export interface CheckOptions {
  /** Skip the number checks (a text whose figures are judged elsewhere). */
  numbers?: boolean;
  /** Figures the translation may add (e.g. a hotline number every card ends with). */
  allowedExtra?: readonly string[];
}

/** Everything wrong with `translation` as a translation of `english` into `lang`. */
export function checkTranslation(english: string, translation: string, lang: Exclude<Lang, "en">, options: CheckOptions = {}): FaithfulnessProblem[] {
  const problems: FaithfulnessProblem[] = [];
  const text = translation.trim();
  if (text === "") return [{ code: "empty", detail: "the translation is empty" }];

  // Not English: few English function words, and (for the Cyrillic languages) mostly Cyrillic.
  const words = text.toLowerCase().match(/\p{L}+/gu) ?? [];
  const englishShare = words.filter((w) => ENGLISH_WORDS.has(w)).length / Math.max(1, words.length);
  if (englishShare > 0.08) problems.push({ code: "english", detail: `${Math.round(englishShare * 100)}% of its words are English function words` });

  const letters = text.match(/\p{L}/gu) ?? [];
  const cyrillic = letters.filter((c) => /\p{Script=Cyrillic}/u.test(c)).length / Math.max(1, letters.length);
  if (lang === "uz") {
    if (cyrillic > 0.2) problems.push({ code: "script", detail: `Uzbek must be in Latin script (${Math.round(cyrillic * 100)}% Cyrillic letters)` });
  } else {
    if (cyrillic < 0.7) problems.push({ code: "script", detail: `${lang} must be in Cyrillic script (${Math.round(cyrillic * 100)}% Cyrillic letters)` });
    const own = OWN_LETTERS[lang];
    // A short text may have none of the language's own letters ("Казакстандын бийлиги канча…"):
    // only a longer one, or one that reads like Russian, is suspect without them.
    const russianShare = words.filter((w) => RUSSIAN_WORDS.has(w)).length / Math.max(1, words.length);
    if (own && !own.test(text) && (letters.length >= 200 || russianShare > 0.05)) {
      problems.push({ code: "script", detail: `no letter of ${lang}'s own alphabet (${own.source}): another language?` });
    }
    if (lang === "ru" && NOT_RUSSIAN.test(text)) problems.push({ code: "script", detail: `letters that Russian does not use: ${[...new Set(text.match(new RegExp(NOT_RUSSIAN.source, "gi")))].join("")}` });
  }

  if (options.numbers !== false) {
    const source = new Set(numbersOf(english));
    const target = new Set(numbersOf(text));
    for (const n of source) if (!target.has(n)) problems.push({ code: "number_missing", detail: `${n} is in the English but not in the translation` });
    const allowed = new Set([...source, ...numberWordsOf(english), ...(options.allowedExtra ?? [])]);
    for (const n of target) if (!allowed.has(n)) problems.push({ code: "number_added", detail: `${n} is in the translation but not in the English` });
  }

  for (const org of ORGANISATIONS) {
    if (!org.en.test(english)) continue;
    // Acronyms as written; longer names in any case ("амнияти дастаҷамъӣ" inside a sentence).
    const lower = text.toLowerCase();
    const named = (name: string) => (name.length <= 6 ? text.includes(name) : lower.includes(name.toLowerCase()));
    if (!org.names.some(named)) problems.push({ code: "organisation_missing", detail: `${org.id} is named in the English but not in the translation` });
  }
  return problems;
}
