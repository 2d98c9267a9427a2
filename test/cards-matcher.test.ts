/** The card matcher: right card across languages and scripts, no card for statistics, robust input. */
import { describe, it, expect } from "vitest";
import { readFileSync } from "node:fs";
import { LANGUAGES, localeOf } from "../src/language/languages.ts";
import { matchKey } from "../src/language/transliterate.ts";
import { projectPath } from "../src/paths.ts";
import { createCardMatcher, isFactualQuestion, loadCards } from "../src/cards/index.ts";
import { evaluateCardsFile, formatCardsReport, parseCardCases } from "../src/cards/evaluate.ts";

const cards = loadCards();
const matcher = createCardMatcher(cards);
const EVAL_FILE = projectPath("test", "eval", "cards.jsonl");

const confidentCard = (text: string) => {
  const m = matcher.match(text);
  return m?.confident ? m.card.id : null;
};

describe("card matcher", () => {
  it.each([
    ["My employer took my passport", "documents-taken"],
    ["у меня забрали паспорт", "documents-taken"],
    ["u menya zabrali pasport", "documents-taken"],
    ["pasportimni olib qo'yishdi", "documents-taken"],
    ["pasportimni olib qoyishdi", "documents-taken"],
    ["pasportimni olib qoʻyishdi", "documents-taken"],
    ["Жұмыс беруші паспортымды алып қойды", "documents-taken"],
    ["Иш берүүчү паспортумду алып койду", "documents-taken"],
    ["Корфармо шиносномаамро гирифт", "documents-taken"],
    ["will i be deportd if i go to the polise", "fear-of-deportation"],
    ["ne platyat zarplatu", "wages-withheld"],
    ["ish haqimni bermayapti", "wages-withheld"],
    ["is this job in dubai safe", "job-offer-abroad"],
    ["how do I delete this chat, my boss checks my phone", "phone-safety"],
  ])("%s → %s", (text, card) => {
    expect(confidentCard(text)).toBe(card);
  });

  it("Uzbek in Cyrillic meets the Latin phrasings", () => {
    expect(confidentCard("Иш берувчи паспортимни олиб қўйди")).toBe("documents-taken");
  });

  it.each([
    "how many victims were identified in 2020?",
    "what did the 2007 cable say about shelters?",
    "сколько звонков на горячую линию в 2020",
    "Сколько жертв выявили в 2013 году?",
    "2020-yilda nechta qurbon aniqlangan?",
    "соли 2020 чанд қурбонӣ ошкор шуд?",
    "What is the maximum prison sentence under the penal code?",
  ])("statistics question %s gets no card", (text) => {
    expect(isFactualQuestion(text)).toBe(true);
    expect(matcher.match(text)).toBeUndefined();
  });

  it.each(["The boss says I owe him money for the ticket", "сколько я должен хозяину за жильё, он не отпускает", "Patentim yo'q, men jinoyatchimanmi?"])(
    "a personal question %s is not mistaken for statistics",
    (text) => {
      expect(isFactualQuestion(text)).toBe(false);
    },
  );

  it.each(["", "   ", "😀😀🙏", "hello", "thank you", "ok", "как дела", "help"])("small talk %j gets no confident card", (text) => {
    expect(matcher.match(text)?.confident ?? false).toBe(false);
  });

  it("returns undefined for empty and emoji-only input", () => {
    expect(matcher.match("")).toBeUndefined();
    expect(matcher.match("🙂🙂🙂")).toBeUndefined();
  });

  it("survives 50 KB of text and still finds the topic at its start", () => {
    const big = "My employer took my passport and will not give it back. " + "x".repeat(50 * 1024);
    const m = matcher.match(big);
    expect(m?.card.id).toBe("documents-taken");
  });

  it("survives binary input", () => {
    const bytes = Array.from({ length: 4096 }, (_, i) => String.fromCharCode((i * 7919) % 65536)).join("");
    expect(() => matcher.match(bytes)).not.toThrow();
    expect(() => matcher.match("\u0000\u0001\uFFFD\uD800")).not.toThrow();
    expect(matcher.match("\u0000\u0001\u0002")).toBeUndefined();
  });

  it("accepts a locale hint without changing the card", () => {
    expect(matcher.match("u menya zabrali pasport", localeOf("en"))?.card.id).toBe("documents-taken");
  });

  it("works with no cards at all", () => {
    expect(createCardMatcher([]).match("my passport was taken")).toBeUndefined();
  });
});

describe("card evaluation set", () => {
  const cases = parseCardCases(readFileSync(EVAL_FILE, "utf8"), EVAL_FILE);

  it("has at least 120 questions in all six languages, about 25 of them statistics questions", () => {
    expect(cases.length).toBeGreaterThanOrEqual(120);
    for (const lang of LANGUAGES) expect(cases.filter((c) => c.lang === lang).length, lang).toBeGreaterThanOrEqual(15);
    expect(cases.filter((c) => c.card === null).length).toBeGreaterThanOrEqual(24);
    expect(new Set(cases.map((c) => c.id)).size).toBe(cases.length);
  });

  it("does not copy the cards' own phrasings", () => {
    const phrasings = new Set(cards.flatMap((c) => Object.values(c.questions).flat()).map((q) => matchKey(q).replace(/[^\p{L}\p{N}]+/gu, " ").trim()));
    for (const c of cases) expect(phrasings.has(matchKey(c.question).replace(/[^\p{L}\p{N}]+/gu, " ").trim()), c.id).toBe(false);
  });

  it("meets the targets: ≥ 0.9 top-1 in every language, no card answering a statistics question", () => {
    const report = evaluateCardsFile(EVAL_FILE);
    for (const lang of LANGUAGES) expect(report.byLang[lang].accuracy, `${lang}\n${formatCardsReport(report)}`).toBeGreaterThanOrEqual(0.9);
    expect(report.nullAnswered).toBe(0);
    expect(report.nullAnswerRate).toBe(0);
  });

  it("formats a readable report", () => {
    const text = formatCardsReport(evaluateCardsFile(EVAL_FILE));
    expect(text).toMatch(/^Guidance cards — /);
    for (const lang of LANGUAGES) expect(text).toMatch(new RegExp(`^${lang}\\s+\\d+\\s+\\d+\\.\\d%`, "m"));
    expect(text).toMatch(/statistics\/fact questions answered by a card: 0\/\d+/);
  });

  it("rejects a case file with an unknown card id or a bad line", () => {
    expect(() => parseCardCases('{"id":"x","question":"q","lang":"xx","card":null}')).toThrow(/lang/);
    expect(() => parseCardCases("not json")).toThrow(/not valid JSON/);
  });
});
