/** The shape of an answer, shared by the CLI, the console chat and the platform adapters. */
import type { Locale } from "../language/languages.ts";
import type { Contact } from "../triage/types.ts";

export interface Citation {
  /** 1-based, as shown in the answer: [1], [2]... */
  rank: number;
  /** Document id, e.g. `tip-2021-kazakhstan-protection`. */
  source: string;
  title: string;
  year: number;
  /** "TIP 2021 — Protection, para 3" */
  locator: string;
  passageId: string;
  /** The quoted passage, verbatim from the cleaned source (always the English original). */
  text: string;
  score: number;
  /**
   * For a reader of another language: the passage in that language (`knowledge/translations/`),
   * or, when the translation is stale or missing, the English with a `note` saying so.
   */
  translation?: CitationTranslation;
}

export interface CitationTranslation {
  /** Locale tag: ru, kk, uz, uz-Cyrl, ky, tg. */
  lang: string;
  /** The text to show in the reader's language position; the English when stale or missing. */
  text: string;
  status: "draft" | "reviewed" | "stale" | "missing";
  /** Why the English is shown (stale or missing), in the reader's language. */
  note?: string;
}

export interface CardAnswer {
  id: string;
  title: string;
  /** The card's text in the person's language. */
  body: string;
  contacts: Contact[];
}

export type NoticeCode = "truncated" | "binary_removed" | "unsupported_language" | "empty";

export interface Notice {
  code: NoticeCode;
  /** The notice in the person's language. */
  text: string;
}

export interface Answer {
  question: string;
  /** The language of the fixed texts and of the citations' translations (their `text` stays English). */
  locale: Locale;
  /** What answered: a guidance card, passages from the reports, or nothing. */
  kind: "card" | "passages" | "not_found" | "empty" | "conversation";
  /** For `conversation`: the intent answered (greeting, thanks, help_cry, off_topic...). */
  intent?: string;
  found: boolean;
  /** The answer as plain text: the card's body, or the lead sentences with [n] markers. */
  answer: string;
  /** Lead sentences quoted from the cited passages, each with the rank of its citation. */
  lead: Array<{ text: string; citation: number }>;
  citations: Citation[];
  card?: CardAnswer;
  notices: Notice[];
  /** Topics the reports do cover, offered when nothing was found. */
  suggestions: string[];
}
