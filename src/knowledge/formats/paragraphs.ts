/** Shared helpers for the format parsers: paragraphs from blank-line separated text, headings. */

/**
 * Splits text into paragraphs: at blank lines, and at single line breaks that follow the end of a
 * sentence or a heading (files with one paragraph per line). Hard-wrapped lines, which break
 * mid-sentence, are joined with a space.
 */
export function splitParagraphs(text: string): string[] {
  const paragraphs: string[] = [];
  for (const chunk of text.replace(/\r\n?/g, "\n").split(/\n[ \t]*\n+/)) {
    let current = "";
    for (const line of chunk.split("\n").map((l) => l.trim()).filter(Boolean)) {
      if (current && (endsSentence(current) || isHeading(current))) {
        paragraphs.push(current);
        current = line;
      } else current = current ? `${current} ${line}` : line;
    }
    if (current) paragraphs.push(current);
  }
  return mergeBrokenParagraphs(paragraphs);
}

/**
 * Scans and page breaks sometimes cut a paragraph in two ("...law enforcement officials" /
 * "to identify and deal with..."): a piece that does not end a sentence, followed by one that
 * starts in lower case, is one paragraph.
 */
export function mergeBrokenParagraphs(paragraphs: string[]): string[] {
  const out: string[] = [];
  for (const p of paragraphs) {
    const prev = out[out.length - 1];
    if (prev !== undefined && !endsSentence(prev) && /^[a-z]/.test(p)) out[out.length - 1] = `${prev} ${p}`;
    else out.push(p);
  }
  return out;
}

export function endsSentence(text: string): boolean {
  return /[.!?:;"”)\]]$/.test(text.trim());
}

/** A heading: a short line that does not end like a sentence ("Prosecution", "Looking Ahead"). */
export function isHeading(paragraph: string, maxLength = 80): boolean {
  const p = paragraph.trim();
  if (p.length === 0 || p.length > maxLength) return false;
  if (/[.!?;,"”]$/.test(p)) return false;
  return /^[\p{Lu}\d]/u.test(p);
}
