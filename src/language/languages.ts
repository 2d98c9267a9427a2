/**
 * The languages the hotline speaks. Fixed texts exist in each of them (see `prompts/`);
 * the reports' passages are quoted translated (`knowledge/translations/`), the English original beside them.
 */

export const LANGUAGES = ["en", "ru", "kk", "uz", "ky", "tg"] as const;
export type Lang = (typeof LANGUAGES)[number];

/** Uzbek is written in Latin and in Cyrillic script; replies follow the script the person used. */
export type Script = "latin" | "cyrillic";

/** A language plus the script to answer in. Only Uzbek really varies by script. */
export interface Locale {
  lang: Lang;
  script: Script;
}

/** Each language's own name, for language pickers and the "supported languages" notice. */
export const LANGUAGE_NAMES: Record<Lang, string> = {
  en: "English",
  ru: "Русский",
  kk: "Қазақша",
  uz: "Oʻzbekcha",
  ky: "Кыргызча",
  tg: "Тоҷикӣ",
};

export const DEFAULT_SCRIPT: Record<Lang, Script> = {
  en: "latin",
  ru: "cyrillic",
  kk: "cyrillic",
  uz: "latin",
  ky: "cyrillic",
  tg: "cyrillic",
};

export function isLang(value: unknown): value is Lang {
  return typeof value === "string" && (LANGUAGES as readonly string[]).includes(value);
}

export function localeOf(lang: Lang, script?: Script): Locale {
  return { lang, script: lang === "uz" && script ? script : DEFAULT_SCRIPT[lang] };
}

/** A compact tag for a locale: `uz-Cyrl` for Cyrillic Uzbek, the bare language otherwise. */
export function localeTag(locale: Locale): string {
  return locale.lang === "uz" && locale.script === "cyrillic" ? "uz-Cyrl" : locale.lang;
}

/** Parses `en`, `uz`, `uz-Cyrl`, `uz-cyrl`, `uz_Latn`...; undefined when not a supported language. */
export function parseLocale(tag: string | undefined | null): Locale | undefined {
  if (!tag) return undefined;
  const [base, sub] = tag.trim().toLowerCase().split(/[-_]/);
  if (!isLang(base)) return undefined;
  const script: Script | undefined = sub === "cyrl" ? "cyrillic" : sub === "latn" ? "latin" : undefined;
  return localeOf(base, script);
}
