/**
 * Personal contact details in the sources (e.g. an embassy officer's phone, fax and mobile
 * numbers in cable ¶72) are removed at ingestion, so no answer can ever quote them and no
 * number from a source is ever offered as a contact.
 */

export const REDACTION = "[number removed]";

/** International numbers (+7-3172-70-22-96) and dash-grouped local ones (8-701-123-45-67). */
const PHONE_NUMBERS = [/\+\d{1,3}(?:[\s-]?\(?\d{2,5}\)?)(?:[\s-]\d{2,4}){2,}/g, /\b\d{1,4}(?:-\d{2,4}){3,}\b/g];
const EMAILS = /\b[\w.+-]+@[\w-]+\.[\w.-]+\b/g;

export function redactContacts(text: string): string {
  let out = text;
  for (const re of PHONE_NUMBERS) out = out.replace(re, REDACTION);
  return out.replace(EMAILS, "[email removed]");
}
