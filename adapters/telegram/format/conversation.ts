/**
 * Telegram HTML for the conversation after a disclosure: the short first reply (one message),
 * follow-ups, and phone numbers in `<code>` so they can be tapped or copied.
 */
import type { Contact, FirstReply, FollowUp, Locale } from "../../../src/index.ts";
import { formatContactLine } from "../../../src/index.ts";
import { escapeHtml, italic } from "./html.ts";

/** Known short numbers and "116 16" as `<code>`; the text is escaped first. */
export function codeNumbers(escaped: string): string {
  return escaped.replace(/(?<![\d<>])(116 16|11[12]|10[23])(?![\d])/g, "<code>$1</code>");
}

export function contactLine(contact: Contact, locale: Locale): string {
  return codeNumbers(escapeHtml(formatContactLine(contact, locale)));
}

/** One message: believe, one or two numbers, one step, one line on privacy. */
export function renderFirst(first: FirstReply, locale: Locale): string {
  return [
    codeNumbers(escapeHtml(first.intro)),
    first.contacts.map((c) => contactLine(c, locale)).join("\n"),
    codeNumbers(escapeHtml(first.nextStep)),
    italic(first.privacy).replace("/forget", "/forget"),
  ]
    .filter(Boolean)
    .join("\n\n");
}

/** A follow-up text, with the question waiting for Yes / No below it. */
export function renderFollow(follow: FollowUp, question?: string): string {
  const parts = [codeNumbers(escapeHtml(follow.text))];
  if (question) parts.push(`<b>${escapeHtml(question)}</b>`);
  return parts.join("\n\n");
}

export function renderContacts(heading: string, contacts: readonly Contact[], locale: Locale): string {
  return [`<b>${escapeHtml(heading)}</b>`, contacts.map((c) => contactLine(c, locale)).join("\n")].join("\n");
}
