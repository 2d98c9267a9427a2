/**
 * Diplomatic cables (e.g. 07ASTANA614): routing headers before ¶1, page markers
 * ("ASTANA 00000614 002.2 OF 016"), headed parts between dashed lines, and numbered paragraphs
 * "¶N." — some scanned as "16." for ¶6 or "148." for ¶48, which the paragraph sequence resolves.
 */
import type { Block } from "../types.ts";

const PAGE_MARKER = /^[A-Z]+ \d{8} \d{3}(\.\d)? OF \d{3}$/;
const PARAGRAPH_START = /^(?:¶\s*(\d+)|(\d{1,3}))\.\s+/;
const DASHES = /^-{3,}$/;
/** Question references and classification at a paragraph's start: "(SBU) (27 A&B)". */
const REFERENCES = /^(?:\((?:SBU|U|C)\)\s*)?(?:\((?:\d{2}\s?[A-Z0-9&,\s]*|\d{3})\)\s*)?/;

export function parseEmbassyCable(text: string): Block[] {
  const lines = text.replace(/\r\n?/g, "\n").split("\n").map((l) => l.trim());
  const first = lines.findIndex((l) => /^¶\s*1\.\s/.test(l));
  const body = lines.slice(first < 0 ? 0 : first);
  while (body.length && /^([A-Z]+|)$/.test(body[body.length - 1]!)) body.pop(); // signature ("ORDWAY")

  const blocks: Block[] = [];
  let section = "Summary";
  let current: { label: string; number: number; parts: string[] } | undefined;
  let lastNumber = 0;

  const flush = () => {
    if (current) blocks.push({ section, label: current.label, text: joinParts(current.parts) });
    current = undefined;
  };

  for (let i = 0; i < body.length; i++) {
    const line = body[i]!;
    if (!line || PAGE_MARKER.test(line)) continue;
    if (DASHES.test(line) && DASHES.test(body[i + 2] ?? "") && body[i + 1]) {
      flush();
      section = sectionName(body[i + 1]!);
      i += 2;
      continue;
    }
    const start = PARAGRAPH_START.exec(line);
    const number = start ? paragraphNumber(start, lastNumber) : undefined;
    if (start && number !== undefined) {
      flush();
      lastNumber = number;
      current = { label: `¶${number}`, number, parts: [line.slice(start[0].length).replace(REFERENCES, "")] };
    } else if (current) {
      current.parts.push(line);
    }
  }
  flush();
  return blocks;
}

/** "16." after ¶5 is a scanned ¶6; "148." after ¶47 is ¶48. A real "¶16." keeps its number. */
function paragraphNumber(match: RegExpExecArray, last: number): number | undefined {
  if (match[1]) return Number(match[1]);
  const scanned = match[2]!;
  const candidates = [Number(scanned)];
  if (scanned.startsWith("1") && scanned.length > 1) candidates.unshift(Number(scanned.slice(1)));
  return candidates.find((n) => n === last + 1) ?? candidates.find((n) => n > last && n <= last + 3);
}

function sectionName(heading: string): string {
  const name = heading.replace(/\(PARA\.?\s*\d+\)/i, "").trim().toLowerCase();
  return name.charAt(0).toUpperCase() + name.slice(1);
}

/** Joins wrapped lines; list items ("a) ...", "- b) ...") start on their own line. */
function joinParts(parts: string[]): string {
  let text = "";
  for (const raw of parts) {
    const part = raw.replace(/^-\s+(?=[a-z]\)\s)/, "");
    if (!text) text = part;
    else if (/^[a-z]\)\s/.test(part)) text += `\n${part}`;
    else if (/[-–]$/.test(text) && /^\d/.test(part)) text += part; // "+7-3172-70-22-" + "96"
    else text += ` ${part}`;
  }
  return text.replace(/\\\$/g, "$").replace(/[ \t]+/g, " ").trim();
}
