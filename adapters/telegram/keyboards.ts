/**
 * The inline keyboards and their callback data. Callback data is at most 64 bytes and carries
 * no personal data: a language tag, passage positions, or a handoff choice.
 */
import { InlineKeyboard } from "grammy";
import { LANGUAGE_NAMES, LANGUAGES, localeOf, localeTag } from "../../src/index.ts";

export const CALLBACK = {
  language: /^lang:([a-zA-Z-]{2,7})$/,
  /**
   * `src:` the passages in the answer's language, `srco:` the English originals; the tag after
   * the last colon is the answer's language (none: English), for the headings and labels.
   */
  sources: /^src(o?):([0-9a-f]{1,8}):([0-9.]{1,40})(?::([a-zA-Z-]{2,7}))?$/,
  handoff: /^ho:(plain|share)$/,
  /** The first reply's buttons: the guidance card, more contacts. */
  conversation: /^cv:(card|more)$/,
  /** A follow-up question's Yes / No. */
  question: /^cq:([a-z_]{1,30}):([yn])$/,
  /** The check-in question's Yes / No. */
  checkIn: /^ci:([a-z_]{1,30}):([yn])$/,
  /** The guided check: start, Yes / No. */
  check: /^ck:(start|y|n)$/,
  /** Close the case with the NGO worker. */
  closeCase: /^case:close$/,
} as const;

let languages: InlineKeyboard | undefined;

/** Two languages per row; Uzbek in both scripts. Built once (it never changes; do not modify it). */
export function languageKeyboard(): InlineKeyboard {
  return (languages ??= buildLanguageKeyboard());
}

function buildLanguageKeyboard(): InlineKeyboard {
  const kb = new InlineKeyboard();
  const entries: Array<[string, string]> = LANGUAGES.map((l) => [LANGUAGE_NAMES[l], localeTag(localeOf(l))]);
  entries.push(["Ўзбекча", "uz-Cyrl"]);
  entries.forEach(([label, tag], i) => {
    kb.text(label, `lang:${tag}`);
    if (i % 2 === 1) kb.row();
  });
  return kb;
}

export function sourcesKeyboard(label: string, data: string): InlineKeyboard {
  return new InlineKeyboard().text(label, data);
}

export function handoffKeyboard(plainLabel: string, shareLabel: string): InlineKeyboard {
  return new InlineKeyboard().text(plainLabel, "ho:plain").row().text(shareLabel, "ho:share");
}

export function privateChatKeyboard(label: string, botUsername: string): InlineKeyboard {
  return new InlineKeyboard().url(label, `https://t.me/${botUsername}?start=help`);
}

export function yesNoKeyboard(yes: string, no: string, prefix: string): InlineKeyboard {
  return new InlineKeyboard().text(yes, `${prefix}:y`).text(no, `${prefix}:n`);
}

/** A private-chat link that opens the bot on `start` (a safety code, or `help`). */
export function privateLinkKeyboard(label: string, botUsername: string, start: string): InlineKeyboard {
  return new InlineKeyboard().url(label, `https://t.me/${botUsername}?start=${start}`);
}
