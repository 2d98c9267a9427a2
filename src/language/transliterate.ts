/**
 * Cyrillic ↔ Latin transliteration.
 *
 * - `cyrillicToLatin` folds any Cyrillic text (Russian, Kazakh, Kyrgyz, Tajik, Uzbek) into a
 *   plain ASCII-ish Latin form, so that "rabotodatel zabral pasport" and "работодатель забрал
 *   паспорт" compare equal after folding. It is lossy on purpose: it is for matching, not display.
 * - `uzbekLatinToCyrillic` turns Uzbek Latin into Uzbek Cyrillic for display (replies to people
 *   who write Uzbek in Cyrillic). Uzbek's official Latin alphabet maps back almost one to one.
 */

const CYR_TO_LAT: Record<string, string> = {
  а: "a", б: "b", в: "v", г: "g", д: "d", е: "e", ё: "yo", ж: "zh", з: "z", и: "i", й: "y",
  к: "k", л: "l", м: "m", н: "n", о: "o", п: "p", р: "r", с: "s", т: "t", у: "u", ф: "f",
  х: "kh", ц: "ts", ч: "ch", ш: "sh", щ: "sch", ъ: "", ы: "y", ь: "", э: "e", ю: "yu", я: "ya",
  // Kazakh, Kyrgyz, Tajik, Uzbek letters
  ә: "a", ғ: "g", қ: "q", ң: "n", ө: "o", ұ: "u", ү: "u", һ: "h", і: "i", ӣ: "i", ӯ: "u",
  ҳ: "h", ҷ: "j", ў: "o",
};

/** Lower-cases and folds Cyrillic letters into Latin; other characters pass through. */
export function cyrillicToLatin(text: string): string {
  let out = "";
  for (const ch of text.toLowerCase()) out += CYR_TO_LAT[ch] ?? ch;
  return out;
}

/** Folds the ways Latin-script Central Asian text is typed (o', g', oʻ, ş, ç...) into one form. */
export function foldLatin(text: string): string {
  return text
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[ʻʼ’‘`´']/g, "")
    .replace(/x/g, "kh")
    .replace(/ı/g, "i");
}

const MATCH_KEYS = new Map<string, string>();

/** One matching key for any text: Cyrillic folded to Latin, apostrophes and diacritics removed. */
export function matchKey(text: string): string {
  // Single words are remembered (never a message: at most 40 characters, no spaces): the same
  // words are folded again and again, by the rules, the models' features and the indexes.
  const known = MATCH_KEYS.get(text);
  if (known !== undefined) return known;
  const key = foldLatin(cyrillicToLatin(text));
  if (text.length <= 40 && !/\s/.test(text)) {
    if (MATCH_KEYS.size >= 20_000) MATCH_KEYS.clear();
    MATCH_KEYS.set(text, key);
  }
  return key;
}

const UZ_DIGRAPHS: Array<[RegExp, string]> = [
  [/o[ʻ'‘’`]/g, "ў"], [/O[ʻ'‘’`]/g, "Ў"],
  [/g[ʻ'‘’`]/g, "ғ"], [/G[ʻ'‘’`]/g, "Ғ"],
  [/sh/g, "ш"], [/Sh/g, "Ш"], [/SH/g, "Ш"],
  [/ch/g, "ч"], [/Ch/g, "Ч"], [/CH/g, "Ч"],
  [/yo/g, "ё"], [/Yo/g, "Ё"], [/YO/g, "Ё"],
  [/yu/g, "ю"], [/Yu/g, "Ю"], [/YU/g, "Ю"],
  [/ya/g, "я"], [/Ya/g, "Я"], [/YA/g, "Я"],
  [/ye/g, "е"], [/Ye/g, "Е"], [/YE/g, "Е"],
  [/ng/g, "нг"],
  [/[ʼ']/g, "ъ"],
];

const UZ_LETTERS: Record<string, string> = {
  a: "а", b: "б", d: "д", e: "е", f: "ф", g: "г", h: "ҳ", i: "и", j: "ж", k: "к", l: "л",
  m: "м", n: "н", o: "о", p: "п", q: "қ", r: "р", s: "с", t: "т", u: "у", v: "в", x: "х",
  y: "й", z: "з", c: "ц", w: "в",
};

/**
 * Uzbek Latin → Uzbek Cyrillic. Placeholders in braces (`{phone}`), URLs and bot commands
 * (`/forget`) are left alone.
 * Word-initial "e" becomes "э", as in Uzbek Cyrillic spelling.
 */
export function uzbekLatinToCyrillic(text: string): string {
  return text
    .split(/(\{[^}]*\}|https?:\/\/\S+|<[^>]*>|(?<![\p{L}\d])\/[a-z_]+)/u)
    .map((part, i) => (i % 2 === 1 ? part : convertUzbekRun(part)))
    .join("");
}

function convertUzbekRun(run: string): string {
  let s = run.replace(/(^|[^\p{L}])e/gu, "$1э").replace(/(^|[^\p{L}])E/gu, "$1Э");
  for (const [re, rep] of UZ_DIGRAPHS) s = s.replace(re, rep);
  let out = "";
  for (const ch of s) {
    const lower = ch.toLowerCase();
    const mapped = UZ_LETTERS[lower];
    if (!mapped) out += ch;
    else out += ch === lower ? mapped : mapped.toUpperCase();
  }
  return out;
}
