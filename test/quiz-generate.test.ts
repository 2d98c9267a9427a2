/** `quiz generate` on the real passages: valid, grounded proposals that the bank refuses until reviewed. */
import { mkdtempSync, mkdirSync, copyFileSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadCorpus } from "../src/knowledge/corpus.ts";
import { projectPath } from "../src/paths.ts";
import { loadBank, BankError } from "../src/quiz/bank.ts";
import { checkBank, keyFacts } from "../src/quiz/check.ts";
import { generateQuestions, writeReviewFile } from "../src/quiz/generate.ts";
import { containsPhrase, numbersIn } from "../src/quiz/text.ts";

const corpus = loadCorpus(projectPath("knowledge"));
const bank = loadBank();
const proposals = generateQuestions(corpus, { existing: bank.questions, max: 200, date: "2025-01-01" });

describe("quiz generate", () => {
  it("proposes numeric-fact questions from several documents", () => {
    expect(proposals.length).toBeGreaterThanOrEqual(30);
    expect(new Set(proposals.map((q) => q.citation.doc)).size).toBeGreaterThanOrEqual(3);
    expect(new Set(proposals.map((q) => q.id)).size).toBe(proposals.length);
    for (const q of proposals) {
      expect(q.topic).toBe("figures");
      expect(q.question).toContain("___");
      expect(numbersIn(q.options[q.correct]!).length).toBeGreaterThan(0);
      expect(q.review).toMatch(/^generated 2025-01-01/);
    }
  });

  it("blanks the true figure of the cited sentence and offers wrong figures of the same kind", () => {
    const q = proposals.find((p) => p.citation.passage === "tip-2014-kazakhstan:bb586bee5e" && p.key === "89");
    expect(q).toBeDefined();
    expect(q!.question).toBe('Fill in the missing figure (TIP 2014): "Police investigated 138 trafficking cases in 2013, compared with ___ trafficking cases in 2012."');
    expect(q!.options[q!.correct]).toBe("89");
    expect(q!.options).toHaveLength(4);
    for (const o of q!.options) expect(o).toMatch(/^\d+$/);
    const money = proposals.find((p) => p.key === "$26,000");
    expect(money?.options.every((o) => /^\$[\d,]+$/.test(o))).toBe(true);
  });

  it("passes every bank rule except the pending review, when written to a review file", () => {
    const dir = mkdtempSync(join(tmpdir(), "quiz-gen-"));
    const file = join(dir, "generated.yaml");
    writeReviewFile(file, proposals);
    expect(readFileSync(file, "utf8")).toMatch(/^# Generated quiz questions: PROPOSALS ONLY/);
    const lenient = checkBank(file, { corpus, allowPendingReview: true });
    expect(lenient.problems).toEqual([]);
    expect(lenient.questions).toHaveLength(proposals.length);
    const strict = checkBank(file, { corpus });
    expect(strict.errors).toBe(proposals.length);
    expect(strict.problems.every((p) => p.message.startsWith("not reviewed yet"))).toBe(true);
    expect(() => loadBank(file)).toThrow(BankError);
  });

  it("is not read from a review sub-folder of the bank", () => {
    const dir = mkdtempSync(join(tmpdir(), "quiz-bank-"));
    copyFileSync(projectPath("knowledge", "quiz", "osce-2010.yaml"), join(dir, "osce-2010.yaml"));
    mkdirSync(join(dir, "review"));
    writeReviewFile(join(dir, "review", "generated.yaml"), proposals);
    const loaded = loadBank(dir);
    expect(loaded.questions.every((q) => !q.id.startsWith("gen-"))).toBe(true);
    expect(loaded.questions.length).toBe(8);
  });

  it("does not propose facts the bank already asks about", () => {
    for (const q of proposals) {
      const same = bank.questions.filter((b) => b.citation.passage === q.citation.passage);
      for (const b of same) expect(keyFacts(b).some((k) => containsPhrase(k, q.key as string))).toBe(false);
    }
  });

  it("is deterministic", () => {
    expect(generateQuestions(corpus, { existing: bank.questions, max: 200, date: "2025-01-01" })).toEqual(proposals);
  });
});
