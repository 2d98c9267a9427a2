/**
 * Cleans what a person typed before anything else looks at it: control characters and binary
 * junk removed, markup reduced to its words, length bounded. The result says what was done so
 * the reply can tell the person (e.g. "I read only the first 2,000 characters").
 */

/** Questions longer than this are answered from their first MAX_QUESTION_CHARS characters. */
export const MAX_QUESTION_CHARS = 2000;

export interface CleanInput {
  /** The text to work with: cleaned and at most MAX_QUESTION_CHARS long. */
  text: string;
  /** Nothing left to read: empty, white space, or only symbols and emoji. */
  empty: boolean;
  /** The message was longer than MAX_QUESTION_CHARS and was cut. */
  truncated: boolean;
  /** Control characters or undecodable bytes were removed. */
  hadBinary: boolean;
  originalLength: number;
}

const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\ufffd\ufeff\u200b-\u200f\u202a-\u202e\u2066-\u2069]/g;

export function cleanInput(raw: unknown): CleanInput {
  const original = typeof raw === "string" ? raw : raw == null ? "" : String(raw);
  const withoutBinary = original.replace(CONTROL, " ");
  const hadBinary = withoutBinary !== original;
  let text = withoutBinary
    .normalize("NFC")
    .replace(/<(script|style)\b[^>]*>[\s\S]*?<\/\1>/gi, " ") // code, not words
    .replace(/<[@#!][^>]*>/g, " ") // Slack mentions and channel links
    .replace(/<\/?[a-z][^>]*>/gi, " ") // HTML tags
    .replace(/[*_~`#>|[\]]{1,3}/g, (m) => (m === "#" ? m : " ")) // Markdown emphasis
    .replace(/\s+/g, " ")
    .trim();
  let truncated = false;
  if (text.length > MAX_QUESTION_CHARS) {
    truncated = true;
    const cut = text.slice(0, MAX_QUESTION_CHARS);
    const lastBreak = Math.max(cut.lastIndexOf(". "), cut.lastIndexOf("? "), cut.lastIndexOf("! "));
    text = lastBreak > MAX_QUESTION_CHARS / 2 ? cut.slice(0, lastBreak + 1) : cut.replace(/\s+\S*$/, "");
  }
  const empty = !/[\p{L}\p{N}]/u.test(text);
  return { text: empty ? "" : text, empty, truncated, hadBinary, originalLength: original.length };
}
