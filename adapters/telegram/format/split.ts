/**
 * Keeps every message under Telegram's 4096-character limit without breaking a tag, a word or
 * (when possible) a sentence.
 *
 * A message is built from blocks, each a complete HTML fragment. Blocks are packed into as few
 * messages as fit; a block that is too long on its own is cut at paragraph, sentence or word
 * boundaries and each piece re-wrapped in the block's tag. Lengths are measured on the HTML
 * source, which is never shorter than what Telegram counts, so the limit holds after parsing.
 */
import { escapeHtml, htmlToPlain } from "./html.ts";

/** Telegram's limit is 4096; a margin leaves room for the "(1/2)" part markers. */
export const MESSAGE_LIMIT = 4000;

/** A block whose text is plain (escaped later) so that it can be cut safely. */
export interface TextBlock {
  /** Plain text, not yet escaped. */
  text: string;
  /** Wraps an escaped piece of the text in its tags (none by default). */
  wrap?: (escapedPiece: string) => string;
}

export type Block = string | TextBlock;

/** Packs blocks into messages of at most `limit` characters, joined by blank lines. */
export function packBlocks(blocks: readonly Block[], limit = MESSAGE_LIMIT, separator = "\n\n"): string[] {
  const pieces: string[] = [];
  for (const block of blocks) {
    if (typeof block === "string") {
      if (block.length <= limit) pieces.push(block);
      else pieces.push(...cutHtmlFree(block, limit));
    } else {
      pieces.push(...cutTextBlock(block, limit));
    }
  }
  const messages: string[] = [];
  let current = "";
  for (const piece of pieces) {
    if (piece === "") continue;
    if (current === "") current = piece;
    else if (current.length + separator.length + piece.length <= limit) current += separator + piece;
    else {
      messages.push(current);
      current = piece;
    }
  }
  if (current !== "") messages.push(current);
  return messages;
}

/** Cuts a text block so that each wrapped, escaped piece fits in `limit`. */
function cutTextBlock(block: TextBlock, limit: number): string[] {
  const wrap = block.wrap ?? ((s: string) => s);
  const whole = wrap(escapeHtml(block.text));
  if (whole.length <= limit) return [whole];
  const budget = Math.max(200, limit - wrap("").length);
  return cutPlain(block.text, budget, escapeHtml).map((chunk) => wrap(escapeHtml(chunk)));
}

/**
 * Cuts plain text into chunks whose escaped length is at most `budget`, preferring paragraph,
 * then sentence, then word boundaries; a single over-long word is cut hard.
 */
export function cutPlain(text: string, budget: number, escape: (s: string) => string = (s) => s): string[] {
  const chunks: string[] = [];
  let rest = text.trim();
  while (rest.length > 0) {
    if (escape(rest).length <= budget) {
      chunks.push(rest);
      break;
    }
    // The longest prefix whose escaped form fits.
    let fit = Math.min(rest.length, budget);
    while (fit > 1 && escape(rest.slice(0, fit)).length > budget) fit = Math.floor(fit * 0.9);
    const window = rest.slice(0, fit);
    const cut = lastBoundary(window, /\n\s*\n/g) ?? lastBoundary(window, /[.!?…。](?=\s)/g, 1) ?? lastBoundary(window, /\s/g) ?? fit;
    const at = cut < fit * 0.3 ? fit : cut; // a boundary too early would make tiny messages
    chunks.push(rest.slice(0, at).trimEnd());
    rest = rest.slice(at).trimStart();
  }
  return chunks.filter((c) => c.length > 0);
}

function lastBoundary(window: string, pattern: RegExp, keep = 0): number | undefined {
  let last: number | undefined;
  for (const m of window.matchAll(pattern)) if (m.index !== undefined && m.index > 0) last = m.index + keep;
  return last;
}

/** Last resort for a ready-made HTML block: cut between lines, never inside a tag. */
function cutHtmlFree(html: string, limit: number): string[] {
  const out: string[] = [];
  let current = "";
  for (const line of html.split("\n")) {
    if (line.length > limit) {
      // No markup is ours to keep here: strip it and cut as plain text.
      if (current) out.push(current), (current = "");
      out.push(...cutPlain(htmlToPlain(line), limit, escapeHtml).map(escapeHtml));
      continue;
    }
    if (current === "") current = line;
    else if (current.length + 1 + line.length <= limit) current += "\n" + line;
    else {
      out.push(current);
      current = line;
    }
  }
  if (current) out.push(current);
  return out;
}
