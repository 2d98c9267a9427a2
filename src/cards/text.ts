/** A card's body in the person's language (Cyrillic Uzbek derived from Latin), English as fallback. */
import type { Locale } from "../language/languages.ts";
import { uzbekLatinToCyrillic } from "../language/transliterate.ts";
import type { Card } from "./types.ts";

export function cardText(card: Card, locale: Locale): string {
  const text = card.body[locale.lang]?.trim() || card.body.en;
  if (locale.lang === "uz" && locale.script === "cyrillic") return uzbekLatinToCyrillic(text);
  return text;
}
