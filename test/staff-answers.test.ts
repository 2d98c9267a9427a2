/**
 * Facts for NGO staff (issue 13): the calibrated decision declines what the reports do not
 * answer and names the nearest topic; a year maps to the document covering it; a two-part
 * question is answered across adjacent passages; bad input gets a clear reply.
 */
import { describe, expect, it } from "vitest";
import { testAssistant } from "./helpers/assistant.ts";
import { localeOf } from "../src/language/languages.ts";
import { DecisionModel, expandedFeatures } from "../src/retrieval/decision.ts";
import { RANKING, LEAD } from "../src/retrieval/params.ts";
import { projectPath } from "../src/paths.ts";

const assistant = await testAssistant();
const staff = { audience: "staff" as const };

describe("the calibrated answer/decline decision", () => {
  it("is a fitted model over every feature, loaded from knowledge/decision-model.json", () => {
    const model = DecisionModel.load(projectPath("knowledge", "decision-model.json"));
    expect(model.file.features).toEqual(expandedFeatures());
    expect(model.file.threshold).toBeGreaterThan(0);
    expect(model.file.threshold).toBeLessThan(1);
  });

  it.each([
    ["How much does a work patent cost?"],
    ["What is the street address of Sana Sezim?"],
    ["How many trafficking victims did Kyrgyzstan identify in 2020?"],
  ])("declines %s (not in the reports) instead of quoting", async (q) => {
    const a = await assistant.ask(q, staff);
    expect(a.kind).toBe("not_found");
    expect(a.citations).toEqual([]);
  });

  it("answers the in-scope questions the issue found declined", async () => {
    const a = await assistant.ask("How did most trafficking victims come to the attention of the authorities in 2020?", staff);
    expect(a.kind).toBe("passages");
    expect(a.answer).toContain("most victims self-reported");
    const b = await assistant.ask("During covid, what did the authorities hand out with the helpline on it?", staff);
    expect(b.kind).toBe("passages");
    expect(b.answer).toContain("facemasks");
  });

  it("says what the reports cover on the nearest topic when declining, without a quote", async () => {
    const a = await assistant.askPassages("What is the street address of Sana Sezim?");
    expect(a.kind).toBe("not_found");
    expect(a.answer).toMatch(/The nearest they come is: “.+” \(.+\)/);
    expect(a.suggestions.length).toBeGreaterThan(0);
  });
});

describe("time and documents", () => {
  it("names the document that covers the year: In 2020 (TIP 2021 report)", async () => {
    const a = await assistant.ask("How many calls did the trafficking hotline receive in 2020?", staff);
    expect(a.answer.startsWith("In 2020 (TIP 2021 report): ")).toBe(true);
    expect(a.citations[0]!.source).toBe("tip-2021-kazakhstan-protection");
    const b = await assistant.ask("How many trafficking cases did police investigate in 2013?", staff);
    expect(b.answer.startsWith("In 2013 (TIP 2014 report): ")).toBe(true);
    expect(b.answer).toContain("138 trafficking cases");
  });

  it("says it in the asker's language", async () => {
    const a = await assistant.ask("Сколько звонков поступило на горячую линию в 2020 году?", { ...staff, locale: localeOf("ru") });
    expect(a.answer.startsWith("В 2020 году (TIP 2021 report): ")).toBe(true);
  });
});

describe("answer composition", () => {
  it("answers both parts across adjacent passages of the paragraph: 88, of these 71, the 17 Uzbekistani nationals", async () => {
    const a = await assistant.ask("How many victims did the government identify in 2020 and how many were foreigners?", staff);
    const lead = a.lead.map((s) => s.text).join(" ");
    expect(lead).toContain("88 trafficking victims");
    expect(lead).toContain("Of these, 71 were Kazakhstani citizens");
    expect(lead).toContain("17 Uzbekistani nationals");
    // Reading order: the figure before its breakdown.
    expect(lead.indexOf("88 trafficking")).toBeLessThan(lead.indexOf("17 Uzbekistani"));
    expect(new Set(a.citations.map((c) => c.source))).toEqual(new Set(["tip-2021-kazakhstan-protection"]));
  });

  it("lists all the kinds of traffickers for a list question", async () => {
    const a = await assistant.askPassages("Who were the traffickers in Kazakhstan in 2013: what kind of people?");
    if (a.found) expect(a.answer).toContain("taxi drivers");
  });
});

describe("bad input gets a clear reply, never a crash or a random quote", () => {
  it.each([
    ["only stop words", "what is the of and"],
    ["a number alone", "88"],
    ["punctuation", "???"],
  ])("%s", async (_, q) => {
    const a = await assistant.askPassages(q);
    expect(a.found).toBe(false);
    expect(a.citations).toEqual([]);
    expect(a.answer.length).toBeGreaterThan(10);
  });

  it("a passage id shows that passage; an unknown one is not found", async () => {
    const p = assistant.corpus.passages.find((x) => x.text.includes("1,341"))!;
    const a = await assistant.ask(p.id, staff);
    expect(a.citations[0]!.passageId).toBe(p.id);
    const b = await assistant.ask(`${p.docId}:0000000000`, staff);
    expect(b.kind).toBe("not_found");
    expect(b.citations).toEqual([]);
  });

  it("a 50 KB paste is cut and answered or declined, with a notice", async () => {
    const paste = "How many calls did the hotline receive in 2020? ".repeat(1100);
    expect(paste.length).toBeGreaterThan(50_000);
    const a = await assistant.ask(paste, staff);
    expect(a.notices.map((n) => n.code)).toContain("truncated");
  });

  it("a question in an unsupported language gets the supported-languages notice, not a random quote", async () => {
    const a = await assistant.askPassages("Wie viele Opfer wurden 2020 identifiziert?");
    expect(a.notices.map((n) => n.code)).toContain("unsupported_language");
    expect(a.found).toBe(false);
  });
});

describe("ranking constants", () => {
  it("live in one parameter object, and explain shows each score's parts summing to the score", async () => {
    expect(RANKING.W.questions).toBeGreaterThan(0);
    expect(LEAD.maxCitations).toBe(3);
    const e = await assistant.explain("How many calls did the hotline receive in 2020?");
    const h = e.hits[0]!;
    const sum = Object.values(h.parts).reduce((a, b) => a + b, 0);
    expect(Math.abs(sum - h.score)).toBeLessThan(1e-9);
    expect(h.parts.period).toBeGreaterThan(0);
    expect(e.decision?.answer).toBe(true);
  });
});
