/**
 * Questions per passage (the doc2query idea): natural questions each passage answers, in the
 * six languages, written by several writers into `knowledge/questions/<writer>.jsonl`:
 *
 *   {"passage": "<passage id>", "hash": "<sha256 of the passage text, first 12 hex>", "lang": "en", "question": "..."}
 *
 * They are indexed as a field of their passage (src/retrieval/hybrid-retriever.ts). A line whose
 * passage no longer exists (its text changed, so its id changed) is stale: skipped with a
 * warning. A line naming an unknown document, or whose hash does not match the text of the
 * passage it names, is an error: reported with file and line (and `npm test` fails on it); the
 * bot skips it rather than stopping.
 */
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { LANGUAGES, type Lang } from "../language/languages.ts";
import type { Corpus } from "./types.ts";

const lineSchema = z.object({
  passage: z.string().regex(/^[a-z0-9-]+:[0-9a-f]{10}(-\d+)?$/, "a passage id: <document id>:<10 hex>"),
  hash: z.string().regex(/^[0-9a-f]{12}$/, "12 lower-case hex digits"),
  lang: z.enum(LANGUAGES as unknown as [Lang, ...Lang[]]),
  question: z.string().trim().min(3).max(400),
});
export type QuestionLine = z.infer<typeof lineSchema>;

export interface PassageQuestion {
  lang: Lang;
  question: string;
}

export interface QuestionSet {
  /** Questions by passage id. */
  byPassage: Map<string, PassageQuestion[]>;
  /** How many questions were loaded, by language. */
  counts: Record<string, number>;
  /** Lines that are wrong (file:line: reason); they were skipped. */
  errors: string[];
  /** Stale lines (the passage's text changed) and duplicates; skipped. */
  warnings: string[];
  /** A hash of what was loaded, for the index cache key. */
  hash: string;
}

/** The hash the question files carry: sha256 of the passage text, first 12 hex digits. */
export function passageTextHash(text: string): string {
  return createHash("sha256").update(text).digest("hex").slice(0, 12);
}

export function loadQuestions(dir: string, corpus: Pick<Corpus, "documents" | "passages">): QuestionSet {
  const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith(".jsonl")).sort() : [];
  return parseQuestions(
    files.map((f) => ({ file: join(dir, f), text: readFileSync(join(dir, f), "utf8") })),
    corpus,
  );
}

export function parseQuestions(files: Array<{ file: string; text: string }>, corpus: Pick<Corpus, "documents" | "passages">): QuestionSet {
  const passages = new Map(corpus.passages.map((p) => [p.id, p]));
  const docs = new Set(corpus.documents.map((d) => d.id));
  const byPassage = new Map<string, PassageQuestion[]>();
  const seen = new Set<string>();
  const counts: Record<string, number> = {};
  const errors: string[] = [];
  const warnings: string[] = [];
  const digest = createHash("sha256");
  for (const { file, text } of files) {
    text.split(/\r?\n/).forEach((raw, i) => {
      if (!raw.trim()) return;
      const where = `${file}:${i + 1}`;
      let value: unknown;
      try {
        value = JSON.parse(raw);
      } catch (err) {
        errors.push(`${where}: not valid JSON (${(err as Error).message})`);
        return;
      }
      const parsed = lineSchema.safeParse(value);
      if (!parsed.success) {
        errors.push(`${where}: ${parsed.error.issues.map((x) => `${x.path.join(".")}: ${x.message}`).join("; ")}`);
        return;
      }
      const line = parsed.data;
      const passage = passages.get(line.passage);
      if (!passage) {
        const doc = line.passage.split(":")[0]!;
        if (!docs.has(doc)) errors.push(`${where}: unknown document "${doc}" in passage id ${line.passage}`);
        else warnings.push(`${where}: passage ${line.passage} no longer exists (its text changed): question skipped`);
        return;
      }
      if (passageTextHash(passage.text) !== line.hash) {
        errors.push(`${where}: hash ${line.hash} does not match the text of ${line.passage} (${passageTextHash(passage.text)})`);
        return;
      }
      const key = `${line.passage}\n${line.lang}\n${line.question.toLowerCase()}`;
      if (seen.has(key)) return;
      seen.add(key);
      const list = byPassage.get(line.passage) ?? [];
      list.push({ lang: line.lang, question: line.question });
      byPassage.set(line.passage, list);
      counts[line.lang] = (counts[line.lang] ?? 0) + 1;
      digest.update(key).update("\n");
    });
  }
  return { byPassage, counts, errors, warnings, hash: digest.digest("hex").slice(0, 16) };
}

export function emptyQuestionSet(): QuestionSet {
  return { byPassage: new Map(), counts: {}, errors: [], warnings: [], hash: "none" };
}
