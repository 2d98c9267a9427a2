/** Sentence splitting that keeps "U.S.", "Mr.", "No. 5" and decimals inside their sentence. */

const segmenter = new Intl.Segmenter("en", { granularity: "sentence" });
const ABBREVIATION_END = /(?:\b(?:U\.S|U\.N|Mr|Mrs|Ms|Dr|No|St|Art|Nos|approx|vs|etc|e\.g|i\.e|Inc|Ltd|Co|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.|\b[A-Z]\.)\s*$/;

export interface Sentence {
  text: string;
  /** Offset of the sentence's first character in the input. */
  start: number;
}

export function splitSentences(text: string): Sentence[] {
  const out: Sentence[] = [];
  let pending: Sentence | undefined;
  for (const { segment, index } of segmenter.segment(text)) {
    if (pending) pending.text += segment;
    else pending = { text: segment, start: index };
    if (!ABBREVIATION_END.test(pending.text)) {
      out.push(pending);
      pending = undefined;
    }
  }
  if (pending) out.push(pending);
  return out
    .map((s) => {
      const lead = s.text.length - s.text.trimStart().length;
      return { text: s.text.trim(), start: s.start + lead };
    })
    .filter((s) => s.text.length > 0);
}
