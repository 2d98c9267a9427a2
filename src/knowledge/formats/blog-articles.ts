/**
 * Several blog articles run together (the Borgen Project texts): each ends with "– Author" and a
 * "Photo:" line, and the next article's title is glued to its first sentence
 * ("Human Trafficking in KazakhstanAccording to ..."). Sub-headings become sections.
 */
import type { Block } from "../types.ts";
import { isHeading, splitParagraphs } from "./paragraphs.ts";

const BYLINE = /^[–—-]\s*(\p{Lu}[\p{L}.'’ -]+)$/u;

export function parseBlogArticles(text: string): Block[] {
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  const title = lines.find((l) => l.trim())?.trim() ?? "";
  const articles: Array<{ author?: string; lines: string[] }> = [{ lines: [] }];
  for (const raw of lines) {
    const line = raw.trim();
    const byline = BYLINE.exec(line);
    if (byline) {
      articles[articles.length - 1]!.author = byline[1]!.trim();
      continue;
    }
    if (/^Photo:/i.test(line)) {
      articles.push({ lines: [] });
      continue;
    }
    articles[articles.length - 1]!.lines.push(raw);
  }

  const blocks: Block[] = [];
  for (const article of articles) {
    let paragraphs = splitParagraphs(article.lines.join("\n"));
    if (paragraphs.length === 0) continue;
    if (title && paragraphs[0] === title) paragraphs = paragraphs.slice(1);
    else if (title && paragraphs[0]!.startsWith(title)) paragraphs[0] = paragraphs[0]!.slice(title.length).trim();
    let section = "Introduction";
    let count = 0;
    for (const paragraph of paragraphs) {
      if (isHeading(paragraph)) {
        section = paragraph;
        count = 0;
        continue;
      }
      blocks.push({ section, label: String(++count), author: article.author, text: paragraph });
    }
  }
  return blocks;
}
