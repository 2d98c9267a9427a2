/**
 * Passages: the units that are indexed, retrieved and quoted. A paragraph up to MAX_PASSAGE
 * characters is one passage; a longer one is cut between sentences into parts of about
 * TARGET_PART characters. Ids hash the document id and the text, so the same text keeps the
 * same id across rebuilds.
 */
import { createHash } from "node:crypto";
import type { Block, DocumentMeta, Passage } from "./types.ts";
import { splitSentences } from "./sentences.ts";

export const MAX_PASSAGE = 700;
export const TARGET_PART = 520;

export function passageId(docId: string, text: string): string {
  const hash = createHash("sha256").update(`${docId}\n${text.replace(/\s+/g, " ").trim()}`).digest("hex");
  return `${docId}:${hash.slice(0, 10)}`;
}

export function locatorOf(meta: DocumentMeta, block: Block, part?: { index: number; of: number }): string {
  const partText = part ? ` (part ${part.index}/${part.of})` : "";
  if (meta.format === "embassy-cable") return `${meta.short} ${block.label}${partText}`;
  const who = block.author ? ` (${block.author})` : "";
  return `${meta.short}${who} — ${block.section}, para ${block.label}${partText}`;
}

/**
 * Lays the blocks out as the document's cleaned text (section headings on their own lines) and
 * cuts passages, with offsets into that text.
 */
export function buildPassages(meta: DocumentMeta, blocks: Block[]): { text: string; passages: Passage[] } {
  let text = "";
  let lastHeading = "";
  const passages: Passage[] = [];
  const seen = new Map<string, number>();

  for (const block of blocks) {
    const heading = [block.author, block.section].filter(Boolean).join(" — ");
    if (heading !== lastHeading) {
      text += `${text ? "\n\n" : ""}${heading}`;
      lastHeading = heading;
    }
    text += "\n\n";
    const blockStart = text.length;
    text += block.text;

    const pieces = cutBlock(block.text);
    pieces.forEach((piece, i) => {
      const part = pieces.length > 1 ? { index: i + 1, of: pieces.length } : undefined;
      let id = passageId(meta.id, piece.text);
      const dup = seen.get(id) ?? 0;
      seen.set(id, dup + 1);
      if (dup > 0) id = `${id}-${dup + 1}`;
      passages.push({
        id,
        docId: meta.id,
        section: block.section,
        paragraph: block.label,
        ...(part ? { part: part.index } : {}),
        ...(block.author ? { author: block.author } : {}),
        locator: locatorOf(meta, block, part),
        text: piece.text,
        start: blockStart + piece.start,
        end: blockStart + piece.start + piece.text.length,
      });
    });
  }
  return { text, passages };
}

/** Cuts a paragraph into pieces of whole sentences, with offsets into the paragraph. */
function cutBlock(paragraph: string): Array<{ text: string; start: number }> {
  if (paragraph.length <= MAX_PASSAGE) return [{ text: paragraph, start: 0 }];
  const sentences = splitSentences(paragraph);
  const groups: Array<typeof sentences> = [];
  let group: typeof sentences = [];
  let length = 0;
  for (const sentence of sentences) {
    if (group.length > 0 && length + sentence.text.length > TARGET_PART) {
      groups.push(group);
      group = [];
      length = 0;
    }
    group.push(sentence);
    length += sentence.text.length + 1;
  }
  if (group.length) groups.push(group);
  // Avoid a tiny last part: give it to the previous group.
  if (groups.length > 1) {
    const last = groups[groups.length - 1]!;
    const lastLength = last.reduce((n, s) => n + s.text.length, 0);
    if (lastLength < 160) groups[groups.length - 2]!.push(...groups.pop()!);
  }
  return groups.map((g) => {
    const start = g[0]!.start;
    const lastSentence = g[g.length - 1]!;
    return { text: paragraph.slice(start, lastSentence.start + lastSentence.text.length), start };
  });
}
