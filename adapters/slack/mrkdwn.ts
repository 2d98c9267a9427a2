/**
 * Text in and out of Slack. Slack's mrkdwn treats `&`, `<` and `>` as control characters, so
 * every piece of text we did not write ourselves (passages, questions, titles) goes through
 * `escape()`. Incoming message text arrives already escaped and with `<@U123>` mentions and
 * `<url|label>` links; `toPlain()` turns it back into what the person typed.
 */

/** Escapes the three characters Slack mrkdwn reserves. */
export function escape(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** Quotes text as a mrkdwn block quote (each line prefixed with `>`), escaped. */
export function quote(text: string): string {
  return escape(text)
    .split("\n")
    .map((line) => `>${line}`)
    .join("\n");
}

/**
 * The text a person typed, from a Slack message: mentions removed, links and channel
 * references reduced to their labels, entities decoded.
 */
export function toPlain(text: string | undefined): string {
  if (!text) return "";
  return text
    .replace(/<@[A-Z0-9]+(?:\|[^>]*)?>/g, " ")
    .replace(/<!(?:here|channel|everyone)(?:\|[^>]*)?>/g, " ")
    .replace(/<#[A-Z0-9]+\|([^>]*)>/g, "#$1")
    .replace(/<(?:mailto:|tel:)?([^>|]+)\|([^>]*)>/g, "$2")
    .replace(/<([^>]+)>/g, "$1")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&")
    .replace(/[ \t]+/g, " ")
    .trim();
}

/** Shortens text to at most `max` characters, cutting at a word boundary and adding "…". */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const space = cut.lastIndexOf(" ");
  return `${space > max * 0.6 ? cut.slice(0, space) : cut}…`;
}

/**
 * Splits text into pieces of at most `max` characters at paragraph or sentence boundaries
 * (Slack limits a section to 3,000 characters).
 */
export function chunks(text: string, max: number): string[] {
  const out: string[] = [];
  let rest = text;
  while (rest.length > max) {
    const window = rest.slice(0, max);
    let at = Math.max(window.lastIndexOf("\n"), window.lastIndexOf(". ") + 1);
    if (at < max * 0.5) at = window.lastIndexOf(" ");
    if (at <= 0) at = max;
    out.push(rest.slice(0, at).trimEnd());
    rest = rest.slice(at).trimStart();
  }
  if (rest.length > 0) out.push(rest);
  return out;
}
