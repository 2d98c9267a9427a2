/**
 * Does a question speak about the asker's own situation ("my boss keeps my passport", "что мне
 * делать?", "pasportimni olib qo'ydi")? Guidance cards are written for such questions; a
 * general question ("what punishment do traffickers get?") that the reports answer is better
 * served by the cited passages, even when its words are close to a card's.
 */
import { matchKey } from "../language/transliterate.ts";

/** First-person and "what should I do" words, folded to Latin (see matchKey). */
const PERSONAL_WORDS = new Set(
  [
    // English
    "i", "im", "ive", "id", "me", "my", "mine", "myself", "we", "us", "our", "ours", "help",
    // Russian (and Russian typed in Latin)
    "я", "мне", "меня", "мной", "мой", "моя", "моё", "мое", "мои", "моего", "моей", "моих", "моим",
    "мы", "нас", "нам", "наш", "наша", "наше", "наши", "нашего", "нашей", "помогите", "помоги",
    "ya", "mne", "menya", "moy", "moi", "moya", "moe", "nas", "nam", "nash", "pomogite",
    // Kazakh, Kyrgyz, Uzbek, Tajik
    "мен", "маған", "мені", "менің", "менде", "біз", "бізге", "бізді", "біздің", "көмектесіңіз",
    "мага", "мени", "менин", "биз", "бизге", "бизди", "бизнин", "жардам",
    "men", "menga", "meni", "mening", "mendan", "menda", "biz", "bizga", "bizni", "bizning", "yordam",
    "менга", "менинг", "бизга", "бизни", "ёрдам",
    "ман", "маро", "мо", "моро", "ёрӣ", "кӯмак",
  ].map((w) => matchKey(w)),
);

/** Possessive endings on the words a migrant is likely to write about ("паспортумду", "pasportimni"). */
const POSSESSIVE = /(pasport|dokument|hujjat|khuzhzhat|kuzhat|shinosnom|aylyk|ailyk|maosh|zhalaq|oylig|pul|aqsh|aksh|akch)\w*(im|ym|um|am|imni|ymdy|umdu|imdi|amro|im\b)/;

/** "What should I do", "can I", "should I" and their equivalents. */
const ASKING_FOR_ME = /\b(what (should|can|do) i|can i|should i|am i|will i|chto (mne )?delat|что (мне )?делать|не істеймін|эмне кылам|nima qilay|nima qilishim|чӣ кор кунам|chi kor kunam)\b/;

export function isPersonalQuestion(text: string): boolean {
  const lower = text.toLowerCase();
  if (ASKING_FOR_ME.test(lower)) return true;
  const key = matchKey(lower);
  if (POSSESSIVE.test(key)) return true;
  return (key.match(/[\p{L}]+/gu) ?? []).some((w) => PERSONAL_WORDS.has(w));
}
