/**
 * The fixed safety reply: intro, contacts, one next step, confidentiality and /forget.
 *
 * Texts come from `prompts/<lang>/triage.yaml`; contacts from the directory. The reply is plain
 * text (adapters escape it for HTML or mrkdwn themselves) and short enough for a phone screen.
 */
import type { Locale } from "../language/languages.ts";
import type { Prompts } from "../prompts.ts";
import { formatContactLine } from "./contacts.ts";
import type { Contact, Level } from "./types.ts";

/** Every key the triage replies use; tests check each exists in all six languages. */
export const TRIAGE_PROMPT_KEYS = [
  "triage.emergency.intro",
  "triage.emergency.next_step",
  "triage.trafficking.intro",
  "triage.trafficking.next_step",
  "triage.at_risk.intro",
  "triage.at_risk.next_step",
  "triage.common.contacts",
  "triage.common.confidential",
  "triage.common.forget",
  "triage.fallback.intro",
] as const;

/** The phone number the reply's first step points to: the first contact of the level with one. */
export function firstPhone(contacts: Contact[]): string | undefined {
  return contacts.find((c) => c.phone)?.phone;
}

export function buildReply(p: Prompts, level: Exclude<Level, "none">, locale: Locale, contacts: Contact[]): string {
  const phone = firstPhone(contacts) ?? "";
  const lines = [
    p.t(locale, `triage.${level}.intro`, { phone }),
    "",
    p.t(locale, "triage.common.contacts"),
    ...contacts.map((c) => formatContactLine(c, locale)),
    "",
    p.t(locale, `triage.${level}.next_step`, { phone }),
    `${p.t(locale, "triage.common.confidential")} ${p.t(locale, "triage.common.forget")}`,
  ];
  return lines.join("\n");
}

/** The reply when triage itself failed: the general help contacts, never silence. */
export function buildFallbackReply(p: Prompts | undefined, locale: Locale, contacts: Contact[]): string {
  const lines = (intro: string, forget: string, loc: Locale) => [intro, ...contacts.map((c) => formatContactLine(c, loc)), forget].join("\n");
  try {
    if (p) return lines(p.t(locale, "triage.fallback.intro"), p.t(locale, "triage.common.forget"), locale);
  } catch {
    // fall through to the built-in English text
  }
  const en: Locale = { lang: "en", script: "latin" };
  return lines("If you need help, these contacts are there for you:", "To delete your data from this bot, send /forget.", en);
}
