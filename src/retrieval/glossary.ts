/**
 * The cross-lingual glossary (`knowledge/glossary.yaml`): domain terms in Russian, Kazakh,
 * Uzbek, Kyrgyz and Tajik (and English paraphrases) mapped to the English words the reports
 * use. A question in any language is rewritten into English search terms through it, offline.
 *
 * Patterns are word prefixes compared after folding Cyrillic to Latin (`matchKey`), so one
 * pattern covers inflections ("жертв" → жертвы, жертвам) and Latin-typed Cyrillic ("zhertv").
 * Several words must follow each other; a trailing "=" asks for the whole word ("ish=").
 */
import { existsSync } from "node:fs";
import { readYamlFile } from "../yaml-file.ts";
import { z } from "zod";
import { matchKey } from "../language/transliterate.ts";

const entrySchema = z.object({
  en: z.string().min(1),
  match: z.record(z.string(), z.array(z.string().min(2))).default({}),
  note: z.string().optional(),
});
const fileSchema = z.object({ entries: z.array(entrySchema) });

interface Pattern {
  words: Array<{ prefix: string; whole: boolean }>;
  entry: number;
  lang: string;
}

export interface GlossaryMatch {
  /** English search terms for the matched entries. */
  terms: string[];
  /** The English words of each matched entry: any one of them answers for the entry. */
  groups: string[][];
  /** For each group, the question's (folded) words its patterns covered. */
  groupWords: string[][];
  /** The English headwords matched, for explanations and debugging. */
  entries: string[];
  /** Indices of the question's words that some pattern covered. */
  covered: Set<number>;
}

export class Glossary {
  private readonly byStart = new Map<string, Pattern[]>();
  readonly size: number;

  constructor(private readonly entries: Array<z.infer<typeof entrySchema>>) {
    entries.forEach((entry, index) => {
      for (const [lang, patterns] of Object.entries(entry.match)) {
        for (const raw of patterns) {
          const words = matchKey(raw)
            .split(/\s+/)
            .filter(Boolean)
            .map((w) => ({ prefix: w.replace(/=$/, ""), whole: w.endsWith("=") }));
          if (words.length === 0 || words[0]!.prefix.length < 2) {
            throw new Error(`Glossary entry "${entry.en}" has an unusable ${lang} pattern "${raw}"`);
          }
          const key = words[0]!.prefix.slice(0, 2);
          const list = this.byStart.get(key) ?? [];
          list.push({ words, entry: index, lang });
          this.byStart.set(key, list);
        }
      }
    });
    this.size = entries.length;
  }

  static load(path: string): Glossary {
    if (!existsSync(path)) throw new Error(`Glossary not found: ${path}`);
    const parsed = fileSchema.safeParse(readYamlFile(path));
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new Error(`Invalid glossary ${path} at ${issue.path.join(".")}: ${issue.message}`);
    }
    return new Glossary(parsed.data.entries);
  }

  /**
   * Finds every entry whose pattern occurs in the text's words (already folded with matchKey).
   * English questions use only the English patterns: folded Kazakh "іс=" must not match "is".
   */
  match(words: string[], lang?: string): GlossaryMatch {
    const hit = new Map<number, Set<number>>();
    const covered = new Set<number>();
    for (let i = 0; i < words.length; i++) {
      const word = words[i]!;
      for (const pattern of this.byStart.get(word.slice(0, 2)) ?? []) {
        if ((lang !== "en" || pattern.lang === "en") && this.matchesAt(pattern, words, i)) {
          const at = hit.get(pattern.entry) ?? new Set<number>();
          hit.set(pattern.entry, at);
          for (let j = 0; j < pattern.words.length; j++) {
            covered.add(i + j);
            at.add(i + j);
          }
        }
      }
    }
    const order = [...hit.keys()].sort((a, b) => a - b);
    const entries = order.map((i) => this.entries[i]!.en);
    const groups = entries.map((e) => e.split(/\s+/));
    const groupWords = order.map((i) => [...hit.get(i)!].sort((a, b) => a - b).map((w) => words[w]!));
    return { terms: groups.flat(), groups, groupWords, entries, covered };
  }

  private matchesAt(pattern: Pattern, words: string[], at: number): boolean {
    return pattern.words.every((p, j) => {
      const word = words[at + j];
      if (word === undefined) return false;
      return p.whole ? word === p.prefix : word.startsWith(p.prefix);
    });
  }
}

/** Splits text into folded words for glossary matching. */
export function foldedWords(text: string): string[] {
  return matchKey(text).match(/[\p{L}\p{N}]+/gu) ?? [];
}
