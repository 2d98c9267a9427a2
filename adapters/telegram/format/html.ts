/**
 * HTML for Telegram's `parse_mode: "HTML"`. Everything that comes from a person or from a source
 * goes through `escapeHtml` before it is put between our own tags; only the tags written in this
 * folder ever reach Telegram unescaped.
 */

/** Escapes the three characters Telegram's HTML parser treats specially. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** Escapes an attribute value (href). */
export function escapeAttribute(text: string): string {
  return escapeHtml(text).replace(/"/g, "&quot;");
}

export const bold = (text: string): string => `<b>${escapeHtml(text)}</b>`;
export const italic = (text: string): string => `<i>${escapeHtml(text)}</i>`;
export const quote = (text: string): string => `<blockquote>${escapeHtml(text)}</blockquote>`;
export const expandableQuote = (text: string): string => `<blockquote expandable>${escapeHtml(text)}</blockquote>`;

/** The plain text of our own HTML, for the fallback when Telegram rejects the markup. */
export function htmlToPlain(html: string): string {
  return html
    .replace(/<[^>]+>/g, "")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, "&");
}
