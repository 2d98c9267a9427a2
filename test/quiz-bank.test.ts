/** The real question bank: big enough, covers every document and topic, every question grounded and within limits. */
import { describe, expect, it } from "vitest";
import { loadCorpus } from "../src/knowledge/corpus.ts";
import { projectPath } from "../src/paths.ts";
import { Prompts } from "../src/prompts.ts";
import { LANGUAGES } from "../src/language/languages.ts";
import { DEFAULT_BANK_DIR, loadBank, localize } from "../src/quiz/bank.ts";
import { checkBank, keyFacts } from "../src/quiz/check.ts";
import { containsPhrase, lineBreaks, pollExplanation } from "../src/quiz/text.ts";
import { LIMITS, TOPICS } from "../src/quiz/types.ts";

const corpus = loadCorpus(projectPath("knowledge"));
const passages = new Map(corpus.passages.map((p) => [p.id, p]));
const bank = loadBank();

describe("question bank", () => {
  it("has at least 80 questions with unique ids", () => {
    expect(bank.questions.length).toBeGreaterThanOrEqual(80);
    expect(new Set(bank.questions.map((q) => q.id)).size).toBe(bank.questions.length);
  });

  it("passes `quiz check` with no errors or warnings", () => {
    const report = checkBank(DEFAULT_BANK_DIR, { corpus });
    expect(report.problems).toEqual([]);
    expect(report.questions.length).toBe(bank.questions.length);
  });

  it("covers all five documents and every topic", () => {
    const docs = new Set(bank.questions.map((q) => q.citation.doc));
    expect([...docs].sort()).toEqual(corpus.documents.map((d) => d.id).sort());
    for (const d of corpus.documents) expect(bank.questions.filter((q) => q.citation.doc === d.id).length, d.id).toBeGreaterThanOrEqual(5);
    for (const topic of TOPICS) expect(bank.questions.filter((q) => q.topic === topic).length, topic).toBeGreaterThanOrEqual(8);
  });

  it.each(bank.questions.map((q) => [q.id, q] as const))("%s is grounded in its cited passage and within Telegram limits", (_id, q) => {
    const passage = passages.get(q.citation.passage);
    expect(passage, "cited passage exists").toBeDefined();
    expect(passage!.docId).toBe(q.citation.doc);
    expect(passage!.locator).toBe(q.citation.locator);
    const correct = q.options[q.correct]!;
    for (const key of keyFacts(q)) {
      expect(containsPhrase(passage!.text, key), `"${key}" in passage`).toBe(true);
      expect(containsPhrase(correct, key), `"${key}" in correct option`).toBe(true);
    }
    q.options.forEach((o, i) => {
      if (i !== q.correct) expect(keyFacts(q).every((k) => containsPhrase(o, k)), `option ${i} is not also right`).toBe(false);
    });
    for (const lang of q.languages) {
      const v = localize(q, lang);
      expect(v.lang).toBe(lang);
      expect(v.question.length).toBeLessThanOrEqual(LIMITS.question);
      expect(v.options.length).toBeGreaterThanOrEqual(2);
      expect(v.options.length).toBeLessThanOrEqual(10);
      for (const o of v.options) expect(o.length).toBeLessThanOrEqual(LIMITS.option);
      expect(new Set(v.options.map((o) => o.toLowerCase().trim())).size).toBe(v.options.length);
      expect(v.explanation.length).toBeLessThanOrEqual(LIMITS.explanation);
      expect(lineBreaks(v.explanation)).toBeLessThanOrEqual(2);
      const shown = pollExplanation(v);
      expect(shown.length).toBeLessThanOrEqual(LIMITS.explanation);
      expect(lineBreaks(shown)).toBeLessThanOrEqual(2);
      expect(shown).toContain(q.citation.locator.split(" ")[0]);
    }
  });

  it("never cites the cable paragraph that held personal phone numbers", () => {
    expect(bank.questions.filter((q) => q.citation.locator.includes("¶72"))).toEqual([]);
  });

  it("places the correct answer in varied positions", () => {
    const positions = new Set(bank.questions.map((q) => q.correct));
    expect(positions.size).toBeGreaterThanOrEqual(4);
  });

  it("selects by topic and count", () => {
    const picked = bank.select({ topic: "penalties", count: 5, random: () => 0.3 });
    expect(picked).toHaveLength(5);
    expect(picked.every((q) => q.topic === "penalties")).toBe(true);
    expect(bank.topics().map((t) => t.topic).sort()).toEqual([...TOPICS].sort());
  });

  it("falls back to English for a language without a translation", () => {
    const q = bank.get("tip14-age-targeted")!;
    expect(localize(q, "ru").question).toMatch(/TIP 2014/);
    expect(localize(q, "ru").lang).toBe("ru");
    expect(localize(q, "kk").lang).toBe("en");
    expect(localize(q, "kk").question).toBe(q.question);
  });
});

describe("quiz prompts", () => {
  const p = new Prompts(projectPath("prompts"));
  const quizKeys = p.keys().filter((k) => k.startsWith("quiz."));

  it("exist in English for every fixed quiz text and topic", () => {
    for (const topic of TOPICS) expect(p.has(`quiz.topics.${topic}`)).toBe(true);
    for (const key of ["quiz.question_header", "quiz.reveal", "quiz.leaderboard_row", "quiz.errors.already_running", "quiz.rejected.late"]) {
      expect(p.has(key), key).toBe(true);
    }
  });

  it.each(LANGUAGES.filter((l) => l !== "en"))("are all translated into %s", (lang) => {
    const own = new Set(p.ownKeys(lang));
    expect(quizKeys.filter((k) => !own.has(k))).toEqual([]);
    expect(p.t({ lang, script: "cyrillic" }, "quiz.question_header", { n: 1, total: 5 })).toMatch(/1\/5/);
  });
});
