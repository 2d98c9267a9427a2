import { describe, expect, it } from "vitest";
import { testAssistant } from "./helpers/assistant.ts";
import { answerJson } from "../src/cli/ask-command.ts";
import { localeOf } from "../src/language/languages.ts";
import { formatAnswerText } from "../src/answers/format-text.ts";

const assistant = await testAssistant();

describe("cited answers", () => {
  it("answers a statistics question with the figure quoted verbatim and its citation", async () => {
    const a = await assistant.askPassages("How many calls did the trafficking hotline receive in 2020?");
    expect(a.found).toBe(true);
    expect(a.kind).toBe("passages");
    expect(a.answer).toContain("1,341 phone calls in 2020");
    expect(a.citations[0]!.source).toBe("tip-2021-kazakhstan-protection");
    expect(a.citations[0]!.locator).toMatch(/^TIP 2021 — Protection, para \d/);
    expect(a.citations[0]!.title).toBe("Trafficking in Persons Report 2021: Kazakhstan, Protection section");
  });

  it("quotes every lead sentence verbatim from the passage it cites", async () => {
    for (const q of [
      "How many trafficking cases did police investigate in 2013?",
      "What jobs do traffickers promise to lure young women?",
      "Who founded Rodnik?",
      "Сколько дел о торговле людьми расследовала полиция в 2013 году?",
    ]) {
      const a = await assistant.askPassages(q);
      expect(a.found, q).toBe(true);
      expect(a.lead.length).toBeGreaterThan(0);
      expect(a.lead.length).toBeLessThanOrEqual(3);
      for (const s of a.lead) expect(a.citations[s.citation - 1]!.text).toContain(s.text);
      expect(a.citations.map((c) => c.rank)).toEqual(a.citations.map((_, i) => i + 1));
    }
  });

  it("finds English passages for questions in the other five languages", async () => {
    const cases: Array<[string, string, string]> = [
      ["Сколько звонков поступило на горячую линию в 2020 году?", "tip-2021-kazakhstan-protection", "1,341"],
      ["2020-yilda ishonch telefoniga nechta qo'ng'iroq bo'ldi?", "tip-2021-kazakhstan-protection", "1,341"],
      ["2013 жылы полиция адам саудасы бойынша қанша іс тергеді?", "tip-2014-kazakhstan", "138"],
      ["Родник баш калкалоочу жайы канча адамга жардам берген?", "borgen-project-kazakhstan", "16,000"],
      ["Соли 2020 ба хати боварӣ чанд занг омад?", "tip-2021-kazakhstan-protection", "1,341"],
    ];
    for (const [q, source, figure] of cases) {
      const a = await assistant.askPassages(q);
      const hit = a.citations.slice(0, 3).some((c) => c.source === source && c.text.includes(figure));
      expect(hit, `${q} → ${a.citations.map((c) => c.locator).join(" | ")}`).toBe(true);
    }
  });

  it("says when the reports do not cover a question, and offers topics", async () => {
    const a = await assistant.askPassages("What will the weather be like in Almaty tomorrow?");
    expect(a.found).toBe(false);
    expect(a.kind).toBe("not_found");
    expect(a.citations).toEqual([]);
    expect(a.answer).toMatch(/do not say/);
    expect(a.suggestions.length).toBeGreaterThanOrEqual(3);
    const ru = await assistant.askPassages("Какой рецепт плова самый вкусный?");
    expect(ru.found).toBe(false);
    expect(ru.answer).toMatch(/не сказано/);
  });

  it("answers an off-topic request politely, without a quote", async () => {
    for (const [text, pattern] of [
      ["What will the weather be like in Almaty tomorrow?", /only help with/],
      ["Какой рецепт плова самый вкусный?", /только с вопросами/],
    ] as const) {
      const a = await assistant.ask(text);
      expect(a.kind).toBe("conversation");
      expect(a.intent).toBe("off_topic");
      expect(a.citations).toEqual([]);
      expect(a.answer).toMatch(pattern);
    }
  });

  it("greets, thanks and small talk get a short friendly reply, not a quote", async () => {
    for (const text of ["привет", "здравствуйте", "спасибо", "hello", "rahmat"]) {
      const a = await assistant.ask(text);
      expect(a.kind, text).toBe("conversation");
      expect(a.citations).toEqual([]);
    }
  });

  it("gives the JSON shape the CLI promises", async () => {
    const json = answerJson(await assistant.ask("How long is Kazakhstan's land border?"));
    expect(Object.keys(json)).toEqual(expect.arrayContaining(["question", "language", "found", "answer", "citations"]));
    const citations = json.citations as Array<Record<string, unknown>>;
    expect(Object.keys(citations[0]!).sort()).toEqual(["locator", "passageId", "rank", "score", "source", "text", "title"]);
    expect(citations.some((c) => String(c.text).includes("12,000 km"))).toBe(true);
  });
});

describe("bad input", () => {
  it("asks kindly for words when the message is empty, white space or emoji only", async () => {
    for (const text of ["", "   \n\t ", "😀😀🙏", "???"]) {
      const a = await assistant.ask(text);
      expect(a.kind).toBe("empty");
      expect(a.answer).toMatch(/write your question in words/);
    }
  });

  it("answers 50 KB of text from a bounded prefix and says so", async () => {
    const huge = `How many calls did the hotline receive in 2020? ${"blah ".repeat(10_000)}`;
    const a = await assistant.ask(huge);
    expect(a.question.length).toBeLessThanOrEqual(2000);
    expect(a.notices.map((n) => n.code)).toContain("truncated");
    expect(a.notices.find((n) => n.code === "truncated")!.text).toMatch(/first 2,000 characters/);
  });

  it("removes control characters and binary junk", async () => {
    const a = await assistant.ask("How many\u0000 victims\u0007 were identified in 2013?\uFFFD\u0001");
    expect(a.question).not.toMatch(/[\u0000-\u0008\uFFFD]/);
    expect(a.notices.map((n) => n.code)).toContain("binary_removed");
    expect(a.found).toBe(true);
  });

  it("treats HTML, Markdown and Slack markup as plain words", async () => {
    const a = await assistant.ask("<b>How many</b> **victims** were <script>alert(1)</script> identified in 2020? <@U123ABC> <!channel>");
    expect(a.question).not.toMatch(/<|>|\*\*/);
    expect(a.found).toBe(true);
  });

  it("answers a question in an unsupported language in English and names the supported ones", async () => {
    for (const text of ["Wie viele Opfer von Menschenhandel wurden im Jahr 2020 identifiziert?", "2020年有多少人口贩卖受害者?"]) {
      const a = await assistant.ask(text);
      expect(a.locale.lang).toBe("en");
      const notice = a.notices.find((n) => n.code === "unsupported_language");
      expect(notice?.text).toMatch(/English, Russian, Kazakh, Uzbek, Kyrgyz and Tajik/);
    }
  });

  it("copes with mixed scripts", async () => {
    const a = await assistant.ask("сколько victims были identified в 2020 году?");
    expect(a.kind === "passages" || a.kind === "not_found").toBe(true);
  });

  it("renders readable text with headings and the quoted translations in the person's language, the English original below", async () => {
    const a = await assistant.ask("Сколько звонков поступило на горячую линию в 2020 году?");
    const text = formatAnswerText(a, assistant.prompts);
    expect(text).toContain("Источники:");
    expect(text).toContain("[1] TIP 2021 — Protection");
    expect(text).toContain("Перевод цитируемого английского оригинала");
    expect(text).toContain("Английский оригинал:");
  });

  it("quotes only the cited passages in the console's rendering and lists the others by locator", async () => {
    const a = await assistant.ask("How many calls did the trafficking hotline receive in 2020?");
    expect(a.citations.length).toBeGreaterThan(1);
    const cited = new Set(a.lead.map((l) => l.citation));
    expect(a.citations.some((c) => !cited.has(c.rank))).toBe(true);
    const all = formatAnswerText(a, assistant.prompts);
    const short = formatAnswerText(a, assistant.prompts, { quotes: "cited" });
    for (const c of a.citations) {
      expect(all).toContain(`[${c.rank}] ${c.locator}`);
      expect(short).toContain(`[${c.rank}] ${c.locator}`);
      const opening = `“${c.text.slice(0, 40)}`;
      expect(all).toContain(opening);
      if (cited.has(c.rank)) expect(short).toContain(opening);
      else expect(short).not.toContain(opening);
    }
    expect(short.length).toBeLessThan(all.length);
  });

  it("follows a chosen language over detection", async () => {
    const a = await assistant.ask("xyzzy plugh", { locale: localeOf("kk") });
    expect(a.locale.lang).toBe("kk");
    expect(a.answer).toMatch(/айтылмаған/);
  });
});

describe("turns", () => {
  it("still returns the triage result when answering throws", async () => {
    const broken = Object.create(assistant) as typeof assistant;
    broken.respond = async () => {
      throw new Error("index exploded");
    };
    const turn = await broken.handle("Please help, my boss took my passport and locked me in");
    expect(turn.answer).toBeNull();
    expect(turn.triage).toBeDefined();
    expect(turn.triage.locale.lang).toBe("en");
  });
});

describe("guidance cards first", () => {
  it("answers a migrant's practical question with the card in their language, with contacts and sources", async () => {
    const ru = await assistant.ask("работодатель забрал мой паспорт и не отдаёт, что делать?");
    expect(ru.kind).toBe("card");
    expect(ru.card!.id).toBe("documents-taken");
    expect(ru.answer).toMatch(/116 16/);
    expect(ru.answer).toMatch(/[а-я]/);
    expect(ru.card!.contacts.map((c) => c.phone)).toContain("116 16");
    expect(ru.citations.length).toBeGreaterThan(0);
    for (const c of ru.citations) expect(assistant.passage(c.passageId)?.text).toBe(c.text);
    expect(formatAnswerText(ru, assistant.prompts)).toContain("Источники:");
  });

  it("leaves figure questions to the passages even when their words are close to a card", async () => {
    const a = await assistant.ask("How long is Kazakhstan's land border?");
    expect(a.kind).toBe("passages");
    expect(a.answer).toContain("12,000 km");
    const b = await assistant.ask("How many calls did the trafficking hotline receive in 2020?");
    expect(b.kind).toBe("passages");
  });
});

describe("triage statistics", () => {
  it("counts each triaged message by level, indicator and language, without text or ids", async () => {
    const { MemoryTriageStats } = await import("../src/triage/stats.ts");
    const { Assistant } = await import("../src/assistant.ts");
    const { createTriage } = await import("../src/triage/engine.ts");
    const { testConfig } = await import("./helpers/assistant.ts");
    const stats = new MemoryTriageStats();
    const a = await Assistant.create(testConfig(), { triage: createTriage(), stats });
    a.triage("помогите, меня заперли в подвале");
    a.triage("How many victims were identified in 2020?");
    const totals = stats.totals();
    expect(totals.total).toBe(2);
    expect(totals.levels.emergency).toBe(1);
    expect(totals.levels.none).toBe(1);
    expect(totals.languages.ru).toBe(1);
    expect(JSON.stringify(stats.snapshot())).not.toMatch(/заперли|подвал|victims/);
    // The safety reply first, then the answer with that triage: one message, counted once.
    const first = a.triage("my boss took my passport");
    await a.ask("my boss took my passport", { triage: first });
    expect(stats.totals().total).toBe(3);
  });
});

describe("cards or passages, by audience", () => {
  it("gives NGO staff the cited passages, never a migrant card unless they ask for the card (issue 13)", async () => {
    const general = await assistant.ask("What punishment can a person get for selling people in Kazakhstan?", { audience: "staff" });
    expect(general.kind).toBe("passages");
    expect(general.citations.length).toBeGreaterThan(0);
    const shelters = await assistant.ask("Which NGOs run shelters?", { audience: "staff" });
    expect(shelters.kind).toBe("passages");
    const personal = await assistant.ask("my boss took my passport and won't give it back, what should I do?", { audience: "staff" });
    expect(personal.kind).not.toBe("card");
    const asked = await assistant.ask("show me the card for: my boss took my passport and won't give it back", { audience: "staff" });
    expect(asked.kind).toBe("card");
    expect(asked.card!.id).toBe("documents-taken");
    // Migrants still get the card.
    expect((await assistant.ask("my boss took my passport and won't give it back, what should I do?")).card?.id).toBe("documents-taken");
  });

  it("gives migrants the card for their practical question even without 'I' or 'my'", async () => {
    const a = await assistant.ask("предложили работу в турции, билеты оплатят, как проверить?");
    expect(a.kind).toBe("card");
    expect(a.card!.id).toMatch(/job-offer/);
  });
});

describe("legal questions stay with the reports", () => {
  it("answers a question about the punishment for trafficking from the passages, for migrants too", async () => {
    const a = await assistant.ask("What punishment can a person get for selling people in Kazakhstan?");
    expect(a.kind).toBe("passages");
    expect(a.citations.some((c) => /15 years/.test(c.text))).toBe(true);
  });
});

describe("the card follows the disclosure", () => {
  it("shows the card for the disclosed indicator after a safety reply", async () => {
    const turn = await assistant.handle("hozyain uzhe tri mesyatsa ne platit zarplatu");
    expect(turn.triage.indicators).toContain("withholding_of_wages");
    expect(turn.answer?.kind).toBe("card");
    expect(turn.answer?.card?.id).toBe("wages-withheld");
  });

  it("picks among the indicated cards the one whose words fit best, and ignores indicators for `none`", async () => {
    const a = await assistant.ask("the boss keeps my passport", {
      triage: { level: "trafficking", indicators: ["withholding_of_wages", "retention_of_documents"] },
    });
    expect(a.card?.id).toBe("documents-taken");
    const b = await assistant.ask("How many calls did the hotline receive in 2020?", { triage: { level: "none", indicators: [] } });
    expect(b.kind).toBe("passages");
  });
});

describe("the question asked after a story", () => {
  it("answers the asking clause when it strongly matches a card, not the card of the disclosed indicator", async () => {
    const turn = await assistant.handle("My boss took my passport and does not pay. Is there a shelter where I can stay tonight?");
    expect(turn.triage.indicators).toContain("retention_of_documents");
    expect(turn.answer?.kind).toBe("card");
    expect(turn.answer?.card?.id).toBe("shelters");
  });

  it("keeps the disclosure's card for a disclosure that asks nothing else", async () => {
    const turn = await assistant.handle("boss refuses to return my ID");
    expect(turn.answer?.card?.id).toBe("documents-taken");
  });

  it("answers a count about the person's own case with the card the intent model is sure of", async () => {
    const a = await assistant.ask("Менің рұқсатымның мерзімі бітті. Айыппұл қанша болады?");
    expect(a.kind).toBe("card");
    expect(a.card?.id).toBe("expired-permit");
    expect(a.answer).toMatch(/[әіңғүұқөһ]/);
  });

  it("finds the asking clause: the last sentence with a question mark, none for one sentence", async () => {
    const { askingClause } = await import("../src/assistant.ts");
    expect(askingClause("The boss keeps my passport. He shouts. Can I leave? I am scared.")).toBe("Can I leave?");
    expect(askingClause("ишдан қочдим. Тошкентга қандай етиб оламан")).toBe("Тошкентга қандай етиб оламан");
    expect(askingClause("the boss keeps my passport, what should I do?")).toBeUndefined();
  });
});

describe("bot commands", () => {
  it("offers no check-in for a bare bot command", () => {
    for (const text of ["/start", "/help", "/check@hotline_bot"]) {
      const t = assistant.understand(text).triage;
      expect(t.level, text).toBe("none");
      expect(t.check, text).toBeUndefined();
    }
  });
});
