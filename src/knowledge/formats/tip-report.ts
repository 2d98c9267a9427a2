/**
 * US Trafficking in Persons report chapters: a country narrative, then headed sections
 * (Recommendations, Prosecution, Protection, Prevention). Refworld copies end with a disclaimer
 * that is not part of the report and is dropped.
 */
import type { Block, DocumentMeta } from "../types.ts";
import { isHeading, splitParagraphs } from "./paragraphs.ts";

export function parseTipReport(text: string, meta: DocumentMeta): Block[] {
  const body = text.replace(/\n\s*Disclaimer:[\s\S]*$/i, "\n");
  const blocks: Block[] = [];
  let section = meta.section ?? "Country narrative";
  let count = 0;
  for (const paragraph of splitParagraphs(body)) {
    if (isHeading(paragraph) || /^[^.]{3,60}:$/.test(paragraph)) {
      if (meta.section) continue; // a one-section document keeps its section
      section = headingName(paragraph, blocks.length === 0);
      count = 0;
      continue;
    }
    blocks.push({ section, label: String(++count), text: paragraph });
  }
  return blocks;
}

function headingName(heading: string, isTitle: boolean): string {
  if (isTitle) return "Country narrative"; // "KAZAKHSTAN (Tier 2)"
  const name = heading.replace(/:$/, "").trim();
  return /^Recommendations\b/i.test(name) ? "Recommendations" : name;
}
