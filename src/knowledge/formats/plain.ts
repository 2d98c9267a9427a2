/**
 * Any other text or Markdown document: paragraphs at blank lines, short unpunctuated lines or
 * Markdown `#` lines as section headings. Title lines before the first heading are dropped.
 */
import type { Block, DocumentMeta } from "../types.ts";
import { isHeading, splitParagraphs } from "./paragraphs.ts";

export function parsePlain(text: string, meta?: DocumentMeta): Block[] {
  const blocks: Block[] = [];
  let section = "Text";
  let count = 0;
  for (const raw of splitParagraphs(text)) {
    const paragraph = raw.replace(/^#{1,6}\s+/, "");
    if (blocks.length === 0 && meta && paragraph.toLowerCase() === meta.title.toLowerCase()) continue;
    if (raw.startsWith("#") || isHeading(paragraph)) {
      section = paragraph;
      count = 0;
      continue;
    }
    blocks.push({ section, label: String(++count), text: paragraph });
  }
  return blocks;
}
