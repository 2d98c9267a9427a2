/**
 * Retrieval quality on labelled questions: the shared dev set (../shared/eval/qa-dev.jsonl, or its
 * copy in test/fixtures/shared-eval/) and
 * the project's own cases (test/eval/qa-cases.jsonl, six languages), with the targets of issue 2
 * per language: recall@3 ≥ 0.95 for English and ≥ 0.85 for every other language. Out-of-scope
 * questions (test/eval/qa-out-of-scope.jsonl) must come back "not found".
 *
 * When a target fails, run `npx tsx src/cli/main.ts eval --qa FILE` for the misses and
 * `npx tsx scripts/dbg.mts "question"` for the prepared query; fix knowledge/glossary.yaml.
 */
import { rmSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sharedEvalFile } from "./helpers/paths.ts";
import { testDataDir } from "./helpers/assistant.ts";
import { z } from "zod";
import { createAssistant } from "../src/app.ts";
import type { Assistant } from "../src/assistant.ts";
import { loadConfig } from "../src/config.ts";
import { evaluateQa, formatQaReport, type QaCase, type QaReport, qaCaseSchema, readJsonl } from "../src/answers/evaluate.ts";
import { parseLocale } from "../src/language/languages.ts";
import { projectPath } from "../src/paths.ts";

const DEV_SET = sharedEvalFile("qa-dev.jsonl");
const OWN_SET = projectPath("test", "eval", "qa-cases.jsonl");
const OUT_OF_SCOPE = projectPath("test", "eval", "qa-out-of-scope.jsonl");

const LANGUAGES = ["en", "ru", "kk", "uz", "ky", "tg"] as const;
const TARGET_AT_3: Record<string, number> = { en: 0.95, ru: 0.85, kk: 0.85, uz: 0.85, ky: 0.85, tg: 0.85 };
/** The least each language must have in our own set, so the per-language figures mean something. */
const MIN_CASES: Record<string, number> = { en: 50, ru: 25, kk: 25, uz: 25, ky: 25, tg: 25 };

/**
 * Out-of-scope questions that the retriever still answers, because of ranking code rather than
 * the glossary (see the retrieval-evaluation report): a non-English question's untranslated
 * words are dropped before the coverage check, so one matched word (a year, "Алматы", "тенге")
 * makes the whole question look covered; and "capital" alone covers "capital of Australia".
 * `it.fails` keeps them visible: when the ranking is fixed these tests fail, and the id comes off
 * this list.
 */
const KNOWN_FALSE_ANSWERS = new Set<string>([]); // oos-007 and oos-008 are declined since the calibrated decision (issue 13)

const oosSchema = z.object({ id: z.string(), question: z.string().min(1), lang: z.enum(LANGUAGES) });

let assistant: Assistant;
let dataDir: string;
const reports: Record<string, QaReport> = {};

beforeAll(async () => {
  dataDir = testDataDir();
  assistant = await createAssistant(loadConfig({ ...process.env, LOG_LEVEL: "silent", DATA_DIR: dataDir }));
}, 60_000);

afterAll(() => {
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

async function report(name: string, cases: QaCase[]): Promise<QaReport> {
  reports[name] ??= await evaluateQa(assistant, cases);
  return reports[name]!;
}

function expectTargets(r: QaReport, title: string): void {
  const failing = Object.entries(r.byLanguage).filter(([lang, s]) => s.recallAt3 < (TARGET_AT_3[lang] ?? 0.85));
  // The formatted report (figures and misses) is the failure message.
  expect(failing.map(([lang]) => lang), formatQaReport(r, title)).toEqual([]);
}

describe("shared dev set (../shared/eval/qa-dev.jsonl)", () => {
  it("reaches recall@3 ≥ 0.95 in English and ≥ 0.85 in the other languages", async () => {
    const r = await report("dev", readJsonl(DEV_SET, qaCaseSchema));
    expect(r.overall.n).toBeGreaterThan(0);
    expectTargets(r, "dev set");
  }, 30_000);
});

describe("own cases (test/eval/qa-cases.jsonl)", () => {
  const cases = readJsonl(OWN_SET, qaCaseSchema);

  it("covers all six languages with enough questions and unique ids", () => {
    for (const lang of LANGUAGES) {
      expect(cases.filter((c) => c.lang === lang).length, lang).toBeGreaterThanOrEqual(MIN_CASES[lang]!);
    }
    expect(new Set(cases.map((c) => c.id)).size).toBe(cases.length);
  });

  it("reaches recall@3 ≥ 0.95 in English and ≥ 0.85 in each other language", async () => {
    const r = await report("own", cases);
    for (const lang of LANGUAGES) expect(r.byLanguage[lang]?.n, lang).toBeGreaterThan(0);
    expectTargets(r, "own cases");
  }, 30_000);
});

describe("out-of-scope questions (test/eval/qa-out-of-scope.jsonl)", () => {
  const questions = readJsonl(OUT_OF_SCOPE, oosSchema);

  it("has questions in several languages", () => {
    expect(questions.length).toBeGreaterThanOrEqual(15);
    expect(new Set(questions.map((q) => q.lang)).size).toBe(LANGUAGES.length);
  });

  for (const q of questions) {
    const test = KNOWN_FALSE_ANSWERS.has(q.id) ? it.fails : it;
    test(`${q.id} [${q.lang}] comes back not found: ${q.question}`, async () => {
      const a = await assistant.askPassages(q.question, { locale: parseLocale(q.lang) });
      expect(a.found, a.citations[0]?.locator).toBe(false);
      expect(a.kind).toBe("not_found");
      expect(a.citations).toEqual([]);
      expect(a.suggestions.length).toBeGreaterThan(0);
    });
  }
});

describe("answer content", () => {
  it("leads the 2020 hotline question with the figure as printed and cites TIP 2021", async () => {
    const a = await assistant.askPassages("How many calls did the trafficking hotline receive in 2020?", { locale: parseLocale("en") });
    expect(a.found).toBe(true);
    expect(a.lead.map((s) => s.text).join(" ")).toContain("1,341");
    expect(a.citations[0]!.source).toBe("tip-2021-kazakhstan-protection");
  });

  it("answers the same question asked in Kyrgyz from the same passage", async () => {
    const a = await assistant.askPassages("2020-жылы ишеним телефонуна канча чалуу түштү?", { locale: parseLocale("ky") });
    expect(a.found).toBe(true);
    expect(a.citations[0]!.source).toBe("tip-2021-kazakhstan-protection");
    expect(a.lead.map((s) => s.text).join(" ")).toContain("1,341");
  });

  it("quotes the amnesty figure verbatim from the 2007 cable for a Kazakh question", async () => {
    const a = await assistant.askPassages("2006 жылғы рақымшылық бойынша қанша еңбек мигранты заңдастырылды?", { locale: parseLocale("kk") });
    expect(a.found).toBe(true);
    const top = a.citations.slice(0, 3);
    expect(top.some((c) => c.source === "astana-cable-2007" && c.text.includes("144,227"))).toBe(true);
  });

  it("names the Rodnik founder for a Tajik question", async () => {
    const a = await assistant.askPassages("Кӣ Родникро таъсис дод?", { locale: parseLocale("tg") });
    expect(a.found).toBe(true);
    expect(a.citations[0]!.source).toBe("borgen-project-kazakhstan");
    expect(a.citations[0]!.text).toContain("Nina Balabayeva");
  });

  it("tells foreign victims the condition for services (criminal case), asked in Uzbek Cyrillic", async () => {
    const a = await assistant.askPassages("Хорижий қурбонлар жиноят иши қўзғатилмаса ёрдам ола оладими?", { locale: parseLocale("uz-cyrl") });
    expect(a.found).toBe(true);
    const cited = a.citations.slice(0, 3).map((c) => c.text).join(" ");
    expect(cited).toContain("unless a criminal case had been initiated");
  });

  it("keeps every lead sentence verbatim from the passage it cites", async () => {
    for (const q of ["Сколько жертв выявили в 2013 году?", "Who founded Rodnik and when?", "Қазақстанның құрлықтағы шекарасының ұзындығы қанша?"]) {
      const a = await assistant.askPassages(q);
      expect(a.found, q).toBe(true);
      for (const s of a.lead) expect(a.citations[s.citation - 1]!.text, q).toContain(s.text);
    }
  });
});
