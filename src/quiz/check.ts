/**
 * `checkBank`: validates a bank file (or folder) against the structural rules and against the
 * knowledge corpus, and names every bad entry. A question is grounded when its citation points
 * at a passage that exists (document, passage id and locator agree) and the correct answer's
 * key fact appears both in the correct option and in that passage, and in no other option.
 */
import type { Corpus, Passage } from "../knowledge/types.ts";
import { loadCorpus } from "../knowledge/corpus.ts";
import { projectPath } from "../paths.ts";
import { bankFiles, readBankFiles, type Problem, type StructureOptions } from "./bank.ts";
import { containsPhrase, numbersIn } from "./text.ts";
import type { BankQuestion, QuestionEntry } from "./types.ts";

export interface CheckReport {
  files: string[];
  /** Entries that passed the structural rules (grounding problems are still listed). */
  questions: BankQuestion[];
  problems: Problem[];
  errors: number;
  warnings: number;
  ok: boolean;
}

export interface CheckOptions extends StructureOptions {
  /** The corpus to ground against; loaded from `knowledgeDir` (default `knowledge/`) when absent. */
  corpus?: Pick<Corpus, "passages">;
  knowledgeDir?: string;
}

export function checkBank(path: string, options: CheckOptions = {}): CheckReport {
  const corpus = options.corpus ?? loadCorpus(options.knowledgeDir ?? projectPath("knowledge"));
  const passages = new Map(corpus.passages.map((p) => [p.id, p]));
  const files = bankFiles(path);
  const { questions, problems } = readBankFiles(files, options);
  for (const q of questions) {
    for (const message of groundingProblems(q, passages, corpus.passages)) {
      problems.push({ file: q.file, entry: q.id, severity: "error", message });
    }
  }
  const errors = problems.filter((p) => p.severity === "error").length;
  return { files, questions, problems, errors, warnings: problems.length - errors, ok: errors === 0 };
}

/** The key facts of a question: its `key` entries, or the whole correct option. */
export function keyFacts(q: QuestionEntry): string[] {
  if (q.key === undefined) return [q.options[q.correct] ?? ""];
  return typeof q.key === "string" ? [q.key] : q.key;
}

/** Why a question is not grounded in its cited passage; empty when it is. */
export function groundingProblems(q: QuestionEntry, byId: Map<string, Passage>, all: readonly Passage[] = []): string[] {
  const out: string[] = [];
  const passage = byId.get(q.citation.passage);
  const keys = keyFacts(q);
  if (!passage) {
    const hint = all.find((p) => p.docId === q.citation.doc && keys.every((k) => containsPhrase(p.text, k)));
    out.push(
      `cites passage ${q.citation.passage}, which is not in the corpus` +
        (hint ? ` (the key fact is in ${hint.id}, "${hint.locator}")` : " (passage ids change when a source text changes)"),
    );
    return out;
  }
  if (passage.docId !== q.citation.doc) out.push(`citation doc is ${q.citation.doc} but passage ${passage.id} is in ${passage.docId}`);
  if (passage.locator !== q.citation.locator) out.push(`citation locator is "${q.citation.locator}"; the passage's is "${passage.locator}"`);
  const correct = q.options[q.correct] ?? "";
  for (const key of keys) {
    if (!containsPhrase(passage.text, key)) out.push(`key fact "${key}" is not in the cited passage (${passage.locator})`);
    if (!containsPhrase(correct, key)) out.push(`key fact "${key}" is not in the correct option "${correct}"`);
  }
  const passageNumbers = new Set(numbersIn(passage.text));
  for (const n of numbersIn(correct)) {
    if (!passageNumbers.has(n)) out.push(`correct option "${correct}" has the number ${n}, which the cited passage does not`);
  }
  q.options.forEach((o, i) => {
    if (i !== q.correct && keys.every((k) => containsPhrase(o, k))) out.push(`option ${i + 1} "${o}" also contains the key fact`);
  });
  return out;
}
