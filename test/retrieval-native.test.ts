/**
 * Retrieval in the person's language (issue 12, item 3): the per-language BM25 index over the
 * translated passages is fused into the hybrid retriever, keyed by the question's language. The
 * questions here are our own, written from the translations (not from an evaluation set).
 */
import { rmSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAssistant } from "../src/app.ts";
import type { Assistant } from "../src/assistant.ts";
import { evaluateQa } from "../src/answers/evaluate.ts";
import { loadConfig } from "../src/config.ts";
import { localeOf } from "../src/language/languages.ts";
import { testDataDir } from "./helpers/assistant.ts";

/** The IOM liaison meeting of Kazakhstani and South Korean officials (Cable ¶68, part 2). */
const MEETING = "astana-cable-2007:faafd6aee6";
/** Tajik, in the translation's own words ("mid-level officials", "liaison meeting"), which the glossary does not translate. */
const TAJIK = "Мансабдорони сатҳи миёнаи Қазоқистон бо мансабдорони кадом кишвар вохӯрии робитавӣ доштанд?";

let dataDir: string;
let assistant: Assistant;
let englishOnly: Assistant;

beforeAll(async () => {
  dataDir = testDataDir();
  const config = loadConfig({ ...process.env, LOG_LEVEL: "silent", DATA_DIR: dataDir });
  assistant = await createAssistant(config, { recordStats: false });
  englishOnly = await createAssistant(config, { recordStats: false, nativeIndex: false });
}, 60_000);

afterAll(() => {
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe("the translated passages' index in the hybrid retriever", () => {
  it("a Tajik question in the translation's words gets the passage quoted; the English route alone does not find it", async () => {
    const a = await assistant.ask(TAJIK, { audience: "staff", locale: localeOf("tg") });
    expect(a.kind).toBe("passages");
    const cited = a.citations.find((c) => c.passageId === MEETING);
    expect(cited, a.citations.map((c) => c.locator).join(" | ")).toBeDefined();
    // The person reads it in Tajik, beside the English original.
    expect(cited!.translation?.lang).toBe("tg");
    expect(cited!.text).toContain("South Korea");

    const b = await englishOnly.ask(TAJIK, { audience: "staff", locale: localeOf("tg") });
    expect(b.citations.map((c) => c.passageId)).not.toContain(MEETING);
  });

  it("explain shows the translated ranking and its part of each score; an English question does not search it", async () => {
    const e = await assistant.explain(TAJIK, { locale: localeOf("tg") });
    expect(e.native[0]?.locator).toBe(assistant.passage(MEETING)!.locator);
    const hit = e.hits.find((h) => h.passageId === MEETING)!;
    expect(hit.parts.native).toBeGreaterThan(0);
    expect(hit.score).toBeCloseTo(Object.values(hit.parts).reduce((s, v) => s + v, 0), 10);

    const en = await assistant.explain("How many calls did the hotline receive in 2020?", { locale: localeOf("en") });
    expect(en.native).toEqual([]);
    expect(en.hits.every((h) => h.parts.native === 0)).toBe(true);
    const off = await englishOnly.explain(TAJIK, { locale: localeOf("tg") });
    expect(off.native).toEqual([]);
  });

  it("gives the same answer to the same question every time", async () => {
    const first = await assistant.ask(TAJIK, { audience: "staff", locale: localeOf("tg") });
    const second = await assistant.ask(TAJIK, { audience: "staff", locale: localeOf("tg") });
    expect(second.citations.map((c) => [c.passageId, c.score])).toEqual(first.citations.map((c) => [c.passageId, c.score]));
    expect(second.answer).toBe(first.answer);
  });

  it("the evaluation reports the English-only route beside the translated index", async () => {
    const r = await evaluateQa(assistant, [{ id: "t", question: TAJIK, lang: "tg", source: "astana-cable-2007", answers: ["South Korea"] }], { staff: true, englishOnly });
    expect(r.byLanguage.tg).toMatchObject({ n: 1, recallAt3: 1, englishOnlyAt3: 0 });
  });
});
