/** Guidance cards: every card complete in six languages, short, ending with the hotline, and grounded. */
import { describe, it, expect } from "vitest";
import { existsSync, readFileSync } from "node:fs";
import { parse } from "yaml";
import { loadCorpus } from "../src/knowledge/corpus.ts";
import { LANGUAGES, localeOf } from "../src/language/languages.ts";
import { matchKey } from "../src/language/transliterate.ts";
import { projectPath } from "../src/paths.ts";
import { prompts } from "../src/prompts.ts";
import { cardText, loadCards, parseCard, resolveCitations, MAX_BODY_CHARS, type Card } from "../src/cards/index.ts";

const cards = loadCards();
const corpus = loadCorpus(projectPath("knowledge"));
const contactsFile = projectPath("knowledge", "contacts.yaml");

/**
 * Contact ids from the directory (read line by line, so a directory being edited does not break
 * these tests); the planned ids until the directory exists.
 */
function knownContactIds(): Set<string> {
  if (!existsSync(contactsFile)) return new Set(["hotline", "emergency", "police", "ambulance", "contact-centre-111"]);
  const ids = [...readFileSync(contactsFile, "utf8").matchAll(/^\s*-\s*id:\s*["']?([\w-]+)/gm)].map((m) => m[1]!);
  return new Set(ids);
}

/** Digits as numbers, thousands separators removed ("1 341" and "1,341" → "1341"). */
function numbersIn(text: string): string[] {
  return (text.replace(/(\d)[ ,\u00a0](?=\d{3}\b)/g, "$1").match(/\d+/g) ?? []).map((n) => String(Number(n)));
}

describe("guidance cards: content", () => {
  it("has at least 25 cards covering the required topics", () => {
    expect(cards.length).toBeGreaterThanOrEqual(25);
    const ids = cards.map((c) => c.id);
    for (const topic of [
      "documents-taken", "wages-withheld", "debt-for-travel-or-housing", "not-allowed-to-leave", "forced-sex-work",
      "job-offer-abroad", "job-offer-big-city", "recruiters-and-agencies", "lost-documents-border", "fear-of-deportation",
      "temporary-residence", "illegal-work-or-entry", "protection-needs-criminal-case", "shelters", "compensation",
      "children-begging-or-in-danger", "calling-the-hotline", "phone-safety",
    ]) expect(ids).toContain(topic);
  });

  it.each(cards.map((c) => [c.id, c] as const))("%s: every language has a body, questions and a review status", (_id, card) => {
    for (const lang of LANGUAGES) {
      expect(card.body[lang].trim().length, `${lang} body`).toBeGreaterThan(50);
      expect(card.questions[lang].length, `${lang} questions`).toBeGreaterThanOrEqual(3);
      expect(["source", "draft", "reviewed"]).toContain(card.review[lang]);
    }
    expect(card.review.en).toBe("source");
  });

  it.each(cards.map((c) => [c.id, c] as const))("%s: bodies are at most 600 characters and end with the hotline", (_id, card) => {
    for (const lang of LANGUAGES) {
      const body = card.body[lang];
      expect(body.length, `${lang}: ${body.length} chars`).toBeLessThanOrEqual(MAX_BODY_CHARS);
      expect(body, lang).toMatch(/116 16\.?$/);
    }
  });

  it.each(cards.map((c) => [c.id, c] as const))("%s: bodies in other languages are not copies of the English one", (_id, card) => {
    for (const lang of LANGUAGES.filter((l) => l !== "en")) expect(card.body[lang]).not.toBe(card.body.en);
    expect(card.body.ru).toMatch(/\p{Script=Cyrillic}/u);
    expect(card.body.uz).toMatch(/[oOgG]['ʻ]/);
    expect(card.body.kk).toMatch(/[әғқңөұүһі]/);
    expect(card.body.tg).toMatch(/[ӣӯҷҳғқ]/);
    expect(card.body.ky).toMatch(/[өүң]/iu);
  });

  it.each(cards.map((c) => [c.id, c] as const))("%s: every citation resolves to a passage whose text holds the quote", (_id, card) => {
    expect(card.citations.length).toBeGreaterThan(0);
    for (const r of resolveCitations(card, corpus)) {
      expect(r.problems, `${card.id} → ${r.citation.passage}`).toEqual([]);
      expect(r.passage?.docId).toBe(r.citation.doc);
    }
  });

  it.each(cards.map((c) => [c.id, c] as const))("%s: every number in a body comes from a cited passage, a cited year or a contact", (_id, card) => {
    const resolved = resolveCitations(card, corpus);
    const allowed = new Set<string>(["116", "16", "112", "102", "103", "111"]);
    for (const r of resolved) for (const n of numbersIn(r.passage?.text ?? "")) allowed.add(n);
    for (const docId of new Set(card.citations.map((c) => c.doc))) {
      const doc = corpus.documents.find((d) => d.id === docId)!;
      for (const n of numbersIn(`${doc.year} ${doc.covers} ${doc.date}`)) allowed.add(n);
    }
    for (const lang of LANGUAGES) {
      for (const n of numbersIn(card.body[lang])) expect(allowed.has(n), `${lang}: ${n} is not in a cited passage`).toBe(true);
    }
  });

  it.each(cards.map((c) => [c.id, c] as const))("%s: every contact id is in the contacts directory", (_id, card) => {
    const known = knownContactIds();
    for (const id of card.contacts) expect(known.has(id), `unknown contact ${id}`).toBe(true);
  });

  it("never cites the embassy officer's paragraph (¶72) or the Refworld disclaimer", () => {
    for (const card of cards) for (const c of card.citations) expect(c.locator).not.toMatch(/¶72\b|disclaimer/i);
  });

  it("card phrasings are distinct within a card", () => {
    for (const card of cards) {
      const all = Object.values(card.questions).flat().map(matchKey);
      expect(new Set(all).size, card.id).toBe(all.length);
    }
  });
});

describe("guidance cards: loader and helpers", () => {
  const valid = readFileSync(projectPath("knowledge", "cards", "documents-taken.yaml"), "utf8");

  it("rejects a card without a language", () => {
    const broken = valid.replace(/^ {2}tg: >-\n(?: {4}.*\n)+/m, "");
    expect(() => parseCard(broken, "broken.yaml")).toThrow(/body\.tg/);
  });

  it("rejects a card without citations", () => {
    const data = parse(valid) as Record<string, unknown>;
    data.citations = [];
    expect(() => parseCard(JSON.stringify(data), "no-citations.yaml")).toThrow(/citations/);
  });

  it("reports a citation whose passage, locator or quote does not match", () => {
    const card = parseCard(valid);
    const bad: Card = {
      ...card,
      citations: [
        { ...card.citations[0]!, passage: "astana-cable-2007:0000000000" },
        { ...card.citations[0]!, quote: "words that are not in the passage at all" },
        { ...card.citations[0]!, locator: "Cable 07ASTANA614 ¶99" },
      ],
    };
    const problems = resolveCitations(bad, corpus).map((r) => r.problems.join(" "));
    expect(problems[0]).toMatch(/not in the corpus/);
    expect(problems[1]).toMatch(/quote not found/);
    expect(problems[2]).toMatch(/locator/);
  });

  it("cardText gives the body in the locale, Cyrillic Uzbek derived from Latin", () => {
    const card = cards.find((c) => c.id === "documents-taken")!;
    expect(cardText(card, localeOf("ru"))).toBe(card.body.ru);
    expect(cardText(card, localeOf("uz"))).toBe(card.body.uz);
    const cyr = cardText(card, localeOf("uz", "cyrillic"));
    expect(cyr).toMatch(/паспорт/);
    expect(cyr).not.toMatch(/[a-z]{4}/);
    expect(cyr).toMatch(/116 16\.$/);
  });

  it("cardText falls back to English when a body is blank", () => {
    const card = cards[0]!;
    const blank: Card = { ...card, body: { ...card.body, ky: " " } };
    expect(cardText(blank, localeOf("ky"))).toBe(card.body.en);
  });

  it("UI texts exist in all six languages", () => {
    for (const key of ["cards.heading", "cards.sources_button", "cards.talk_button", "cards.disclaimer"]) {
      expect(prompts().has(key)).toBe(true);
      for (const lang of LANGUAGES) expect(prompts().ownKeys(lang)).toContain(key);
    }
    expect(prompts().t(localeOf("ru"), "cards.sources_button")).toBe("Источники");
    expect(prompts().t(localeOf("en"), "cards.source_line", { n: 1, locator: "TIP 2021 — Protection, para 3" })).toBe("[1] TIP 2021 — Protection, para 3");
  });
});
